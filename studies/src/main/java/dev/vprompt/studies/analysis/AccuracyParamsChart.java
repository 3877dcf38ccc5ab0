package dev.vprompt.studies.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Test accuracy against trainable parameters (log scale): one point per configuration at its mean over
 * seeds with a bar of plus and minus one standard deviation; colour tells the dataset, shape the prompt.
 * A prompt adds so few parameters that prompted and baseline points share their x: the shape tells them
 * apart, and only one label per backbone is written.
 */
public final class AccuracyParamsChart {

  /**
   * @param dataset one colour per dataset
   * @param prompt one shape per prompt configuration
   * @param label written beside the point (e.g. the backbone), or null for none
   * @param sd NaN with a single seed (no bar)
   */
  public record Point(String dataset, String prompt, String label, double params, double accuracyPct, double sd) {
    String series() {
      return dataset + ", " + prompt;
    }
  }

  private static final java.awt.Shape[] SHAPES = {new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10),
      new java.awt.Polygon(new int[] {0, 6, -6}, new int[] {-7, 5, 5}, 3), new java.awt.Rectangle(-5, -5, 10, 10),
      new java.awt.Polygon(new int[] {0, 6, 0, -6}, new int[] {-7, 0, 7, 0}, 4),
      new java.awt.Polygon(new int[] {0, 6, -6}, new int[] {7, -5, -5}, 3)};

  private AccuracyParamsChart() {}

  public static BufferedImage render(String title, String subtitle, List<Point> points) {
    Figures.ensureHeadless();
    Map<String, YIntervalSeries> byGroup = new LinkedHashMap<>();
    List<String> datasets = points.stream().map(Point::dataset).distinct().toList();
    List<String> prompts = points.stream().map(Point::prompt).distinct().toList();
    for (Point p : points) {
      YIntervalSeries series = byGroup.computeIfAbsent(p.series(), g -> new YIntervalSeries(g, false, true));
      double sd = Double.isFinite(p.sd()) ? p.sd() : 0;
      series.add(dodged(p, prompts), p.accuracyPct(), p.accuracyPct() - sd, p.accuracyPct() + sd);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    byGroup.values().forEach(data::addSeries);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    renderer.setCapLength(8);
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(Figures.SMALL);
    renderer.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    List<String> groups = new ArrayList<>(byGroup.keySet());
    // series keep their points sorted by x: find each item's label by its group and position
    renderer.setDefaultItemLabelGenerator((dataset, series, item) -> points.stream()
        .filter(p -> p.series().equals(groups.get(series)) && dodged(p, prompts) == dataset.getXValue(series, item)
            && p.accuracyPct() == dataset.getYValue(series, item) && p.label() != null)
        .map(p -> "  " + p.label()).findFirst().orElse(""));
    for (int i = 0; i < groups.size(); i++) {
      String key = groups.get(i);
      Point first = points.stream().filter(p -> p.series().equals(key)).findFirst().orElseThrow();
      int d = datasets.indexOf(first.dataset());
      renderer.setSeriesPaint(i, TrainingCurvesChart.PALETTE[d % TrainingCurvesChart.PALETTE.length]);
      renderer.setSeriesShape(i, SHAPES[prompts.indexOf(first.prompt()) % SHAPES.length]);
      renderer.setSeriesLinesVisible(i, false);
      renderer.setSeriesShapesVisible(i, true);
    }
    LogAxis x = new LogAxis("trainable parameters (log scale)");
    x.setBase(10);
    x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // a labelled tick per power of ten
    x.setMinorTickCount(9);
    x.setMinorTickMarksVisible(true);
    x.setNumberFormatOverride(new CompactNumberFormat());
    NumberAxis y = new NumberAxis("test accuracy, best-validation checkpoint (%)");
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    Charts.stylePlot(plot);
    widenForLabels(plot, points);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 20), plot, true);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, Figures.LABEL));
    }
    Charts.style(chart);
    return chart.createBufferedImage(1000, 640);
  }

  /**
   * The point's x, moved right by 3% per prompt configuration: a prompt's few parameters would otherwise
   * put every configuration of a backbone on one vertical line, their bars on top of each other.
   */
  private static double dodged(Point p, List<String> prompts) {
    return p.params() * Math.pow(1.03, prompts.indexOf(p.prompt()));
  }

  /** 100k, 1M, 10M: tick labels for parameter counts. */
  private static final class CompactNumberFormat extends java.text.NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double number, StringBuffer out, java.text.FieldPosition position) {
      String[] suffixes = {"", "k", "M", "G"};
      int i = 0;
      double v = number;
      while (Math.abs(v) >= 1000 && i < suffixes.length - 1) {
        v /= 1000;
        i++;
      }
      String digits = Math.abs(v - Math.rint(v)) < 1e-6 ? String.valueOf((long) Math.rint(v))
          : String.format(java.util.Locale.ROOT, "%.1f", v);
      return out.append(digits).append(suffixes[i]);
    }

    @Override
    public StringBuffer format(long number, StringBuffer out, java.text.FieldPosition position) {
      return format((double) number, out, position);
    }

    @Override
    public Number parse(String source, java.text.ParsePosition position) {
      throw new UnsupportedOperationException();
    }
  }

  /** Room on the right for the point labels and around the points on both axes. */
  private static void widenForLabels(XYPlot plot, List<Point> points) {
    double minX = points.stream().mapToDouble(Point::params).min().orElse(1);
    double maxX = points.stream().mapToDouble(Point::params).max().orElse(10);
    ((LogAxis) plot.getDomainAxis()).setRange(minX / 2, maxX * 6);
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (Point p : points) {
      double sd = Double.isFinite(p.sd()) ? p.sd() : 0;
      minY = Math.min(minY, p.accuracyPct() - sd);
      maxY = Math.max(maxY, p.accuracyPct() + sd);
    }
    double pad = Math.max(0.5, (maxY - minY) * 0.15);
    plot.getRangeAxis().setRange(minY - pad, maxY + pad);
  }
}
