package dev.vprompt.studies.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;

/** The look every JFreeChart figure shares: white background, light grid, readable fonts. */
final class Charts {

  private Charts() {}

  static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(Figures.LABEL);
      legend.setBackgroundPaint(Color.WHITE);
    }
  }

  static void stylePlot(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setOutlinePaint(new Color(0x888888));
    styleAxis(plot.getDomainAxis());
    styleAxis(plot.getRangeAxis());
  }

  static void styleAxis(ValueAxis axis) {
    if (axis != null) {
      axis.setLabelFont(Figures.HEADING);
      axis.setTickLabelFont(Figures.LABEL);
    }
  }
}
