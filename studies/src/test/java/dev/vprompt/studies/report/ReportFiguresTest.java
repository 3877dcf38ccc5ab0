package dev.vprompt.studies.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Figure file names: readable, and short enough for the file system whatever a cell's settings. */
class ReportFiguresTest {

  @Test
  void aShortTitleKeepsItsWords() {
    assertEquals("curves-fashion-mnist-cnn", ReportFigures.fileBase("curves: Fashion-MNIST / cnn"));
  }

  @Test
  void aTransferCellsLongTitleIsCutAndTwoSuchTitlesStayApart() {
    String settings = "learning-rate=0.001, weight-decay=1.0E-4, transfer=TransferSettings[initFrom=runs/t12/source-vit-tiny, "
        + "checkpoint=best, nameMap=null, freeze=backbone, head=new, normalization=source, labelMap=null, sourceClasses=null]";
    String a = ReportFigures.fileBase("curves-" + settings + ", optimizer=adam");
    String b = ReportFigures.fileBase("curves-" + settings + ", optimizer=sgd");
    assertEquals(ReportFigures.MAX_BASE, a.length());
    assertTrue(a.startsWith("curves-learning-rate-0.001-weight-decay-1.0e-4-transfer"), a);
    assertNotEquals(a, b);
  }
}
