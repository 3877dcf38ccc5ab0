package dev.vprompt.studies.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training and validation curves of several prompt configurations: loss above, accuracy below, epoch
 * along the bottom; one colour per configuration, solid for validation and dashed for training.
 */
public final class TrainingCurvesChart {

  /** One configuration's curves (means over its seeds), one value per epoch. */
  public record Curve(String label, double[] epochs, double[] trainLoss, double[] valLoss, double[] trainAccPct,
      double[] valAccPct) {}

  static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  private TrainingCurvesChart() {}

  public static BufferedImage render(String title, String subtitle, List<Curve> curves) {
    Figures.ensureHeadless();
    NumberAxis epoch = new NumberAxis("epoch");
    epoch.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epoch.setAutoRangeIncludesZero(false);
    Charts.styleAxis(epoch);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epoch);
    plot.setGap(14);
    plot.add(panel(curves, "loss", true), 1);
    plot.add(panel(curves, "accuracy (%)", false), 1);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 20), plot, true);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, Figures.LABEL));
    }
    Charts.style(chart);
    return chart.createBufferedImage(1000, 760);
  }

  private static XYPlot panel(List<Curve> curves, String label, boolean loss) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int series = 0;
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      Color color = PALETTE[i % PALETTE.length];
      double[] validation = loss ? c.valLoss() : c.valAccPct();
      double[] training = loss ? c.trainLoss() : c.trainAccPct();
      data.addSeries(series(c.label() + " validation", c.epochs(), validation));
      renderer.setSeriesPaint(series, color);
      renderer.setSeriesStroke(series, new BasicStroke(2.5f));
      renderer.setSeriesShape(series, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
      // the legend is shared by both panels: show it once, from the upper one
      renderer.setSeriesVisibleInLegend(series++, loss);
      data.addSeries(series(c.label() + " training", c.epochs(), training));
      renderer.setSeriesPaint(series, color);
      renderer.setSeriesStroke(series, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {7f, 5f}, 0f));
      renderer.setSeriesShapesVisible(series, false);
      renderer.setSeriesVisibleInLegend(series++, loss);
    }
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, null, axis, renderer);
    Charts.stylePlot(plot);
    return plot;
  }

  private static XYSeries series(String key, double[] x, double[] y) {
    XYSeries s = new XYSeries(key, false, true);
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i])) {
        s.add(x[i], y[i]);
      }
    }
    return s;
  }
}
