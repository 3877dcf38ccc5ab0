package dev.vprompt.studies.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * RMS(prompt) / RMS(activation) per prompted layer on a log scale, one colour per configuration: its
 * geometric mean over seeds as a line, each seed as a small dot, and the collapse threshold as a dashed
 * line, so a prompt that adds (almost) nothing is seen at a glance. Layers run along the bottom in the
 * order the configurations list them (input first, then the blocks).
 */
public final class PromptEffectChart {

  /** One configuration: per seed, its ratio by layer name (layers it does not prompt are absent). */
  public record Series(String label, List<Map<String, Double>> seeds) {}

  /** Fourteen colours: a transfer sweep draws that many prompted configurations in one chart. */
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
      new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x393b79), new Color(0xad494a), new Color(0x637939),
      new Color(0x843c39)};

  private PromptEffectChart() {}

  public static BufferedImage render(String title, String subtitle, double collapsedBelow, List<Series> series) {
    Figures.ensureHeadless();
    List<String> layers = layers(series);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no prompted layer to draw");
    }
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    double lowest = collapsedBelow;
    double highest = collapsedBelow;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      Color color = PALETTE[i % PALETTE.length];
      XYSeries mean = new XYSeries(s.label(), false, true);
      XYSeries seeds = new XYSeries(s.label() + " (seeds)", false, true);
      for (int x = 0; x < layers.size(); x++) {
        double logSum = 0;
        int n = 0;
        for (Map<String, Double> seed : s.seeds()) {
          Double ratio = seed.get(layers.get(x));
          if (ratio != null && ratio > 0 && Double.isFinite(ratio)) {
            seeds.add(x + jitter(i, series.size()), ratio.doubleValue());
            logSum += Math.log(ratio);
            n++;
            lowest = Math.min(lowest, ratio);
            highest = Math.max(highest, ratio);
          }
        }
        if (n > 0) {
          mean.add(x, Math.exp(logSum / n));
        }
      }
      int line = data.getSeriesCount();
      data.addSeries(mean);
      renderer.setSeriesPaint(line, color);
      renderer.setSeriesStroke(line, new BasicStroke(2.5f));
      renderer.setSeriesShape(line, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
      int dots = data.getSeriesCount();
      data.addSeries(seeds);
      renderer.setSeriesPaint(dots, new Color(color.getRed(), color.getGreen(), color.getBlue(), 140));
      renderer.setSeriesLinesVisible(dots, false);
      renderer.setSeriesShape(dots, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      renderer.setSeriesVisibleInLegend(dots, false);
    }
    SymbolAxis layerAxis = new SymbolAxis("prompted layer", layers.toArray(new String[0]));
    layerAxis.setGridBandsVisible(false);
    Charts.styleAxis(layerAxis);
    LogAxis ratioAxis = new LogAxis("RMS(prompt) / RMS(activation)");
    ratioAxis.setBase(10);
    ratioAxis.setSmallestValue(1e-12);
    ratioAxis.setRange(lowest / 3, highest * 3);
    ratioAxis.setTickUnit(new NumberTickUnit(1));  // whole powers of ten only
    Charts.styleAxis(ratioAxis);
    XYPlot plot = new XYPlot(data, layerAxis, ratioAxis, renderer);
    Charts.stylePlot(plot);
    ValueMarker threshold = new ValueMarker(collapsedBelow, new Color(0x888888), new BasicStroke(1.5f,
        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    threshold.setLabel(String.format(Locale.ROOT, "collapsed below %.0e", collapsedBelow));
    threshold.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    threshold.setLabelFont(Figures.SMALL);
    threshold.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
    threshold.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    plot.addRangeMarker(threshold);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 20), plot, true);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle, Figures.LABEL));
    }
    Charts.style(chart);
    return chart.createBufferedImage(Math.max(900, 140 * layers.size()), 640);
  }

  /** The union of the configurations' layers, "input" first, then in the order they are listed. */
  static List<String> layers(List<Series> series) {
    Set<String> ordered = new LinkedHashSet<>();
    for (Series s : series) {
      for (Map<String, Double> seed : s.seeds()) {
        ordered.addAll(seed.keySet());
      }
    }
    List<String> layers = new ArrayList<>();
    if (ordered.remove("input")) {
      layers.add("input");
    }
    List<String> rest = new ArrayList<>(ordered);
    rest.sort(PromptEffectChart::compareLayers);
    layers.addAll(rest);
    return layers;
  }

  /** block2 before block10: by the name's stem, then by its trailing number (shorter digits first). */
  private static int compareLayers(String a, String b) {
    String stemA = a.replaceAll("\\d+$", "");
    String stemB = b.replaceAll("\\d+$", "");
    if (!stemA.equals(stemB)) {
      return stemA.compareTo(stemB);
    }
    String digitsA = a.substring(stemA.length());
    String digitsB = b.substring(stemB.length());
    return digitsA.length() != digitsB.length() ? Integer.compare(digitsA.length(), digitsB.length())
        : digitsA.compareTo(digitsB);
  }

  /** Spreads the seeds' dots of different configurations a little apart along x. */
  private static double jitter(int configuration, int configurations) {
    return configurations <= 1 ? 0 : 0.3 * (configuration / (double) (configurations - 1) - 0.5);
  }
}
