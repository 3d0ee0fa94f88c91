package org.vtm.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's PNG charts, drawn with JFreeChart in headless AWT. Each method keeps one colour in
 * every chart. Values that cannot be drawn on a log axis (zero, non-finite) are left out.
 */
public final class Charts {
    static final int WIDTH = 760;
    static final int HEIGHT = 440;
    /** Height of a worked-example chart (two panels). */
    static final int EXAMPLE_HEIGHT = HEIGHT + 160;
    private static final Map<String, Color> COLOURS = new LinkedHashMap<>();

    static {
        System.setProperty("java.awt.headless", "true");
        COLOURS.put("true", new Color(0x222222));
        COLOURS.put("taylor", new Color(0x8c6d31));
        COLOURS.put("fixed", new Color(0x1f77b4));
        COLOURS.put("pade", new Color(0xe377c2));
        COLOURS.put("economised_n1", new Color(0x17becf));
        COLOURS.put("economised_n2", new Color(0x0b6e78));
        COLOURS.put("input_independent", new Color(0xbcbd22));
        COLOURS.put("baseline", new Color(0x9467bd));
        COLOURS.put("learned", new Color(0xd62728));
        COLOURS.put("random_init", new Color(0xff7f0e));
        COLOURS.put("direct_head", new Color(0x2ca02c));
        COLOURS.put("oracle", new Color(0x7f7f7f));
    }

    private Charts() {
    }

    /** A human label for a method key. */
    public static String label(String method) {
        return switch (method) {
            case "taylor" -> "Taylor";
            case "fixed" -> "fixed T_FX";
            case "baseline" -> "MLlib linear baseline";
            case "pade" -> "Padé-type next order (Π (p_n + â⁺))";
            case "economised_n1" -> "economised n+1 (Π p_{n+1})";
            case "economised_n2" -> "economised n+2 (Π p_{n+2})";
            case "input_independent" -> "input-independent ΔT, Q";
            case "learned" -> "learned (T_FX init)";
            case "random_init" -> "learned, random init";
            case "direct_head" -> "learned, direct head";
            case "oracle" -> "oracle (least squares)";
            case "true" -> "true program";
            default -> method;
        };
    }

    static Paint colour(String key) {
        return COLOURS.getOrDefault(key, Color.MAGENTA);
    }

    /** Bars: median and 90th percentile relative L2 error per method (log scale). */
    public static void errorsByMethod(JsonNode group, List<String> methods, Path file) throws IOException {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (String m : methods) {
            JsonNode s = group.path("methods").path(m);
            addPositive(ds, s.path("median"), "median", label(m));
            addPositive(ds, s.path("p90"), "90th percentile", label(m));
        }
        LogAxis y = logAxis("relative L2 error");
        CategoryAxis x = new CategoryAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x1f77b4));
        r.setSeriesPaint(1, new Color(0xaec7e8));
        CategoryPlot plot = new CategoryPlot(ds, x, y, r);
        style(plot);
        save(new JFreeChart("Error on held-out programs by method", titleFont(), plot, true), file);
    }

    private static void addPositive(DefaultCategoryDataset ds, JsonNode v, String row, String col) {
        if (v.isNumber() && v.asDouble() > 0) {
            ds.addValue(v.asDouble(), row, col);
        }
    }

    /** Lines: median error per program length, with a marker at the longest training program. */
    public static void errorVsSteps(JsonNode bySteps, List<String> methods, int trainMaxSteps, Path file) throws IOException {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (String m : methods) {
            XYSeries s = new XYSeries(label(m));
            for (JsonNode k : bySteps) {
                JsonNode v = k.path("methods").path(m).path("median");
                if (v.isNumber() && v.asDouble() > 0) {
                    s.add(k.path("steps").asInt(), v.asDouble());
                }
            }
            ds.addSeries(s);
        }
        NumberAxis x = new NumberAxis("program steps");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(ds, x, logAxis("median relative L2 error"), lineRenderer(methods, true));
        if (trainMaxSteps > 0) {
            ValueMarker mk = new ValueMarker(trainMaxSteps + 0.5, Color.GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            mk.setLabel("longer than any training program →");
            mk.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            mk.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(mk, Layer.FOREGROUND);
        }
        style(plot);
        save(new JFreeChart("Error vs program length (length generalisation)", titleFont(), plot, true), file);
    }

    /**
     * Learning curves, one panel per model (validation loss solid, training loss dashed) sharing the
     * epoch axis. Each panel has its own loss axis, because the variants' losses live on different
     * scales: a loss that stays positive (squared error) gets a log axis, a loss that can be
     * negative (the mean log relative error) a linear one — no point is dropped.
     *
     * @param histories model name → {@code vtm.history/1} tree
     */
    public static void learningCurves(Map<String, JsonNode> histories, String title, Path file) throws IOException {
        save(learningCurvesChart(histories, title), file, Math.max(HEIGHT, 200 * histories.size() + 120));
    }

    /** The chart of {@link #learningCurves}. */
    static JFreeChart learningCurvesChart(Map<String, JsonNode> histories, String title) {
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        org.jfree.chart.plot.CombinedDomainXYPlot plot = new org.jfree.chart.plot.CombinedDomainXYPlot(x);
        plot.setGap(12);
        for (Map.Entry<String, JsonNode> h : histories.entrySet()) {
            List<JsonNode> seeds = new java.util.ArrayList<>();
            if (h.getValue().isArray()) {
                h.getValue().forEach(seeds::add);
            } else {
                seeds.add(h.getValue());
            }
            XYSeriesCollection ds = new XYSeriesCollection();
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, seeds.size() == 1);
            Paint c = colour(h.getKey());
            boolean positive = true;
            for (int k = 0; k < seeds.size(); k++) {
                String tag = seeds.size() == 1 ? "" : " seed " + k;
                XYSeries val = new XYSeries(label(h.getKey()) + tag + " — validation");
                XYSeries train = new XYSeries(label(h.getKey()) + tag + " — training");
                for (JsonNode e : seeds.get(k).path("epochs")) {
                    int ep = e.path("epoch").asInt() + 1;
                    double v = e.path("validation_loss").asDouble(Double.NaN);
                    double t = e.path("train_loss").asDouble(Double.NaN);
                    if (Double.isFinite(v)) {
                        val.add(ep, v);
                        positive &= v > 0;
                    }
                    if (Double.isFinite(t)) {
                        train.add(ep, t);
                        positive &= t > 0;
                    }
                }
                int at = ds.getSeriesCount();
                ds.addSeries(val);
                ds.addSeries(train);
                r.setSeriesPaint(at, c);
                r.setSeriesStroke(at, new BasicStroke(2f));
                r.setSeriesPaint(at + 1, c);
                r.setSeriesStroke(at + 1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {5f, 4f}, 0f));
            }
            org.jfree.chart.axis.ValueAxis y;
            if (positive) {
                y = logAxis(label(h.getKey()) + " loss");
            } else {
                NumberAxis linear = new NumberAxis(label(h.getKey()) + " loss");
                linear.setAutoRangeIncludesZero(false);
                y = linear;
            }
            XYPlot panel = new XYPlot(ds, null, y, r);
            style(panel);
            plot.add(panel, 1);
        }
        return new JFreeChart(title, titleFont(), plot, true);
    }

    /**
     * Per program: {@code log(e_learned / e_best)} (seed-averaged) against the fixed error, one
     * series per learned variant; below zero the learned model wins.
     *
     * @param points per variant, {@code [fixed error, log ratio]} pairs
     */
    public static void learnedVsBest(Map<String, double[][]> points, Map<String, String> best, Path file)
            throws IOException {
        XYSeriesCollection ds = new XYSeriesCollection();
        List<String> keys = new java.util.ArrayList<>();
        for (Map.Entry<String, double[][]> e : points.entrySet()) {
            XYSeries s = new XYSeries(label(e.getKey()) + " vs " + label(best.get(e.getKey())), false, true);
            for (double[] p : e.getValue()) {
                if (p[0] > 0 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    s.add(p[0], p[1]);
                }
            }
            ds.addSeries(s);
            keys.add(e.getKey());
        }
        NumberAxis y = new NumberAxis("log(e_learned / e_best equal-information)");
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < keys.size(); i++) {
            r.setSeriesPaint(i, colour(keys.get(i)));
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        XYPlot plot = new XYPlot(ds, logAxis("fixed T_FX relative L2 error"), y, r);
        plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
        style(plot);
        save(new JFreeChart("Learned vs the best non-learned method with the same information, per program", titleFont(),
                plot, true), file);
    }

    /** One point per method: median error against measured cost (µs per program, single thread). */
    public static void errorVsCost(JsonNode group, JsonNode costs, List<String> methods, Path file) throws IOException {
        XYSeriesCollection ds = new XYSeriesCollection();
        List<String> keys = new java.util.ArrayList<>();
        for (String m : methods) {
            JsonNode c = costs.path(m);
            JsonNode e = group.path("methods").path(m).path("median");
            if (c.isNumber() && c.asDouble() > 0 && e.isNumber() && e.asDouble() > 0) {
                XYSeries s = new XYSeries(label(m));
                s.add(c.asDouble(), e.asDouble());
                ds.addSeries(s);
                keys.add(m);
            }
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < keys.size(); i++) {
            r.setSeriesPaint(i, colour(keys.get(i)));
            r.setSeriesShape(i, new java.awt.geom.Rectangle2D.Double(-4, -4, 8, 8));
        }
        XYPlot plot = new XYPlot(ds, logAxis("cost, µs per program (one thread)"), logAxis("median relative L2 error"), r);
        style(plot);
        save(new JFreeChart("Error vs cost", titleFont(), plot, true), file);
    }

    /**
     * A worked example: output 0 along {@code u = (s, 0, …)} for the true program, Taylor, fixed
     * T_FX and the learned series (top), and each approximation's error against the program (bottom).
     */
    public static void example(JsonNode ex, int number, Path file) throws IOException {
        JsonNode u = ex.path("u");
        JsonNode truth = ex.path("curves").path("true");
        List<String> keys = new java.util.ArrayList<>();
        for (String k : List.of("true", "taylor", "fixed", "learned")) {
            if (ex.path("curves").has(k)) {
                keys.add(k);
            }
        }
        XYSeriesCollection values = new XYSeriesCollection();
        XYSeriesCollection errors = new XYSeriesCollection();
        for (String k : keys) {
            XYSeries s = new XYSeries(label(k));
            XYSeries e = new XYSeries(label(k) + " − true");
            JsonNode ys = ex.path("curves").path(k);
            for (int i = 0; i < u.size(); i++) {
                if (ys.get(i).isNumber()) {
                    s.add(u.get(i).asDouble(), ys.get(i).asDouble());
                    if (truth.get(i).isNumber()) {
                        e.add(u.get(i).asDouble(), ys.get(i).asDouble() - truth.get(i).asDouble());
                    }
                }
            }
            values.addSeries(s);
            if (!k.equals("true")) {
                errors.addSeries(e);
            }
        }
        NumberAxis y = new NumberAxis("output 0");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = lineRenderer(keys, false);
        r.setSeriesStroke(keys.indexOf("taylor"), new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {8f, 5f}, 0f));
        XYPlot top = new XYPlot(values, null, y, r);
        NumberAxis ey = new NumberAxis("approximation − true");
        XYPlot bottom = new XYPlot(errors, null, ey, lineRenderer(keys.subList(1, keys.size()), false));
        style(top);
        style(bottom);
        org.jfree.chart.plot.CombinedDomainXYPlot plot = new org.jfree.chart.plot.CombinedDomainXYPlot(
                new NumberAxis("u₀ (scaled coordinate; other coordinates 0)"));
        plot.add(top, 3);
        plot.add(bottom, 2);
        String title = "Example " + number + ": program #" + ex.path("index").asLong() + " (" + ex.path("steps").asInt()
                + " steps), r = " + String.format(java.util.Locale.ROOT, "%.3g", ex.path("radius").asDouble());
        JFreeChart chart = new JFreeChart(title, titleFont(), plot, false);
        chart.addLegend(new org.jfree.chart.title.LegendTitle(top));
        save(chart, file, EXAMPLE_HEIGHT);
    }

    private static XYLineAndShapeRenderer lineRenderer(List<String> keys, boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < keys.size(); i++) {
            r.setSeriesPaint(i, colour(keys.get(i)));
            r.setSeriesStroke(i, new BasicStroke(keys.get(i).equals("true") ? 3f : 1.8f));
        }
        return r;
    }

    private static LogAxis logAxis(String label) {
        LogAxis y = new LogAxis(label);
        y.setBase(10);
        y.setSmallestValue(1e-18);
        y.setStandardTickUnits(NumberAxis.createStandardTickUnits());
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.#E0"));
        return y;
    }

    private static void style(org.jfree.chart.plot.Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot p) {
            p.setDomainGridlinePaint(new Color(0xdddddd));
            p.setRangeGridlinePaint(new Color(0xdddddd));
        } else if (plot instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(new Color(0xdddddd));
        }
    }

    private static Font titleFont() {
        return new Font(Font.SANS_SERIF, Font.BOLD, 15);
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        save(chart, file, HEIGHT);
    }

    private static void save(JFreeChart chart, Path file, int height) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".partial");
        ChartUtils.saveChartAsPNG(tmp.toFile(), chart, WIDTH, height);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
