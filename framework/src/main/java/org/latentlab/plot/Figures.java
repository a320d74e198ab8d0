package org.latentlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.latentlab.eval.RocCurve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charts of runs and sweeps, drawn with XChart: a latent scatter coloured by class, a run's loss curves,
 * a sweep's metric against one hyperparameter, means with error bars (one line per series), and several charts
 * tiled into one figure.
 *
 * <p>Each {@code write}-style method writes {@code NAME.png}, {@code NAME.svg} and {@code NAME.csv} into
 * {@code dir} (each atomically: temp file, then move) and returns their paths. Figure and panel titles are
 * drawn as text (searchable in the SVG); XChart draws axis labels, ticks and legends. The {@code ...Chart}
 * methods return the XChart object without writing, for tiling with {@link #chartGrid}.
 *
 * <pre>{@code
 * Figures.latentScatter(dir, "latent", "VAE, test set", xy, labels, "z1", "z2");
 * Figures.lossCurves(dir, "loss", runDir.resolve("metrics.csv"));
 * Figures.metricVsHyperparameter(dir, "beta", rows, "beta", "test_loss"); // one map per trial
 * Figures.chartGrid(dir, "latents", charts, 3, "Latent spaces by trial");
 * }</pre>
 */
public final class Figures {
    private static final Logger LOG = LoggerFactory.getLogger(Figures.class);

    /** Size of a figure holding one chart. */
    public static final int CHART_WIDTH = 860;

    public static final int CHART_HEIGHT = 700;
    /** Default size of one panel of {@link #chartGrid}. */
    public static final int PANEL_WIDTH = 560;

    public static final int PANEL_HEIGHT = 470;
    /** Size of one panel of {@link #lossCurves}. */
    static final int LOSS_PANEL_WIDTH = 460;

    static final int LOSS_PANEL_HEIGHT = 340;

    private static final int FIGURE_TITLE_BAND = 44;
    private static final int PANEL_TITLE_BAND = 26;
    private static final Font CHART_AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font CHART_TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font CHART_LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** The colour (class 0's) of the one series of a scatter without labels. */
    private static final int UNLABELLED = 0;

    private Figures() {}

    // ------------------------------------------------------------------------------------------------ latent scatter

    /** {@link #latentScatterChart(String, double[][], int[], String, String)} with axes {@code z1} and {@code z2}. */
    public static XYChart latentScatterChart(String title, double[][] xy, int[] labels) {
        return latentScatterChart(title, xy, labels, "z1", "z2");
    }

    /**
     * A scatter of 2-D points ([N][2], already projected) with one series per label, coloured by
     * {@link Palette#classColor} and named by the label ("0".."9") in the legend. Marker size and opacity
     * shrink with N so that 10,000 points still show their density.
     *
     * {@code labels} null (a dataset without labels): one series in one colour, without a legend.
     *
     * @throws IllegalArgumentException for no points, a row that is not two finite numbers, or a label count
     *                                  that differs from the point count
     */
    public static XYChart latentScatterChart(String title, double[][] xy, int[] labels, String xLabel, String yLabel) {
        return latentScatterChart(title, xy, labels, xLabel, yLabel, List.of());
    }

    /**
     * {@link #latentScatterChart(String, double[][], int[], String, String)} with each label named in the legend by
     * {@code classNames} (label order, e.g. Fashion-MNIST's "T-shirt/top", "Trouser", ...); a label without a name
     * there is shown as its number.
     */
    public static XYChart latentScatterChart(
            String title, double[][] xy, int[] labels, String xLabel, String yLabel, List<String> classNames) {
        checkPoints(xy, labels);
        XYChart chart = newChart(title, xLabel, yLabel, CHART_WIDTH, CHART_HEIGHT);
        TreeMap<Integer, List<Integer>> byLabel = new TreeMap<>();
        for (int i = 0; i < xy.length; i++) {
            byLabel.computeIfAbsent(labels == null ? UNLABELLED : labels[i], k -> new ArrayList<>())
                    .add(i);
        }
        if (labels == null) {
            chart.getStyler().setLegendVisible(false);
        }
        int n = xy.length;
        // Dense clouds need small, see-through points; a few hundred points read better large and opaque.
        int markerSize = n <= 500 ? 7 : n <= 3000 ? 5 : 4;
        int alpha = n <= 500 ? 230 : n <= 3000 ? 180 : 140;
        chart.getStyler().setMarkerSize(markerSize);
        for (Map.Entry<Integer, List<Integer>> e : byLabel.entrySet()) {
            List<Integer> idx = e.getValue();
            double[] xs = new double[idx.size()];
            double[] ys = new double[idx.size()];
            for (int j = 0; j < xs.length; j++) {
                xs[j] = xy[idx.get(j)][0];
                ys[j] = xy[idx.get(j)][1];
            }
            int label = e.getKey();
            String name = labels == null
                    ? "images"
                    : label >= 0 && label < classNames.size() ? classNames.get(label) : String.valueOf(label);
            XYSeries s = chart.addSeries(name, xs, ys);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(withAlpha(Palette.classColor(e.getKey()), alpha));
        }
        return chart;
    }

    /**
     * Writes {@link #latentScatterChart} as a figure. CSV: {@code x,y,label}, one row per point in input order
     * (the label empty when {@code labels} is null).
     */
    public static PlotFiles latentScatter(
            Path dir, String name, String title, double[][] xy, int[] labels, String xLabel, String yLabel) {
        return latentScatter(dir, name, title, xy, labels, xLabel, yLabel, List.of());
    }

    /**
     * {@link #latentScatter(Path, String, String, double[][], int[], String, String)} with each label named in the
     * legend by {@code classNames} (label order); the CSV keeps the label numbers.
     */
    public static PlotFiles latentScatter(
            Path dir,
            String name,
            String title,
            double[][] xy,
            int[] labels,
            String xLabel,
            String yLabel,
            List<String> classNames) {
        XYChart chart = latentScatterChart(title, xy, labels, xLabel, yLabel, classNames);
        Csv csv = new Csv(List.of("x", "y", "label"));
        for (int i = 0; i < xy.length; i++) {
            csv.row(xy[i][0], xy[i][1], labels == null ? "" : labels[i]);
        }
        return writeCharts(dir, name, title, List.of(chart), 1, CHART_WIDTH, CHART_HEIGHT, false, csv.toString());
    }

    private static void checkPoints(double[][] xy, int[] labels) {
        if (xy == null || xy.length == 0) {
            throw new IllegalArgumentException("latent scatter needs at least one point but got none");
        }
        if (labels != null && labels.length != xy.length) {
            throw new IllegalArgumentException("latent scatter needs one label per point but got " + xy.length
                    + " points and " + labels.length + " labels");
        }
        for (int i = 0; i < xy.length; i++) {
            if (xy[i] == null || xy[i].length != 2) {
                throw new IllegalArgumentException("latent scatter point " + i + " must have 2 coordinates but has "
                        + (xy[i] == null ? "none" : String.valueOf(xy[i].length)));
            }
            if (!Double.isFinite(xy[i][0]) || !Double.isFinite(xy[i][1])) {
                throw new IllegalArgumentException("latent scatter point " + i + " has a non-finite coordinate ("
                        + xy[i][0] + ", " + xy[i][1] + ")");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ ROC curve

    /** Colour of a ROC curve. */
    static final Color ROC_LINE = new Color(0x0072B2);
    /** Colour of the chance diagonal. */
    static final Color CHANCE_LINE = new Color(0x999999);
    /** {@link Palette#OKABE_ITO} indices of the curves of {@link #rocCurvesChart}: no black, no yellow. */
    private static final int[] ROC_COLOURS = {5, 6, 3, 1, 2, 7};

    /**
     * A ROC curve (false positive rate across, true positive rate up, both 0..1) as a line through its
     * points, named in the legend with its area {@code AUROC = ...} (the value given, e.g. the one
     * {@code evaluate} wrote), over the dashed chance diagonal. CSV: {@code threshold,fpr,tpr}, one row per
     * point of the curve (the first threshold is {@code Infinity}).
     *
     * @param auroc the area to print in the legend, in [0, 1]
     * @throws IllegalArgumentException for a null curve or an AUROC outside [0, 1]
     */
    public static PlotFiles rocCurve(Path dir, String name, String title, RocCurve roc, double auroc) {
        XYChart chart = rocCurveChart(title, roc, auroc);
        Csv csv = new Csv(List.of("threshold", "fpr", "tpr"));
        for (int i = 0; i < roc.size(); i++) {
            csv.row(roc.thresholds()[i], roc.fpr()[i], roc.tpr()[i]);
        }
        return writeCharts(dir, name, title, List.of(chart), 1, CHART_WIDTH, CHART_HEIGHT, false, csv.toString());
    }

    /** The chart of {@link #rocCurve} without writing it. */
    public static XYChart rocCurveChart(String title, RocCurve roc, double auroc) {
        if (roc == null) {
            throw new IllegalArgumentException("ROC figure needs a curve but got null");
        }
        if (!(auroc >= 0 && auroc <= 1)) {
            throw new IllegalArgumentException("ROC figure: AUROC must be in [0, 1] but was " + auroc);
        }
        XYChart chart = newChart(title, "false positive rate", "true positive rate", CHART_WIDTH, CHART_HEIGHT);
        XYStyler st = chart.getStyler();
        st.setXAxisMin(0.0);
        st.setXAxisMax(1.0);
        st.setYAxisMin(0.0);
        st.setYAxisMax(1.0);
        XYSeries chance = chart.addSeries("chance (AUROC = 0.5)", new double[] {0, 1}, new double[] {0, 1});
        chance.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chance.setLineColor(CHANCE_LINE);
        chance.setLineStyle(
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        chance.setMarker(SeriesMarkers.NONE);
        XYSeries s = chart.addSeries(String.format(Locale.ROOT, "AUROC = %.4f", auroc), roc.fpr(), roc.tpr());
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setLineColor(ROC_LINE);
        s.setLineWidth(2.5f);
        s.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /**
     * Several ROC curves on one chart, to compare detectors: curve i runs through the points
     * ({@code fpr.get(i)[k]}, {@code tpr.get(i)[k]}), is named {@code names.get(i)} in the legend (put the AUROC
     * there) and drawn in the i-th of blue, vermillion, green, orange, sky blue, purple ({@link Palette#OKABE_ITO}),
     * over the dashed chance diagonal.
     * The points need not be thresholds of one score: a vertically averaged curve (mean TPR over several detectors
     * at fixed FPRs) is drawn the same way. Tile several with {@link #chartGrid}.
     *
     * @throws IllegalArgumentException for no curves, lists of different lengths, a curve whose FPR and TPR arrays
     *                                  differ in length or have fewer than 2 points, or a rate outside [0, 1]
     */
    public static XYChart rocCurvesChart(String title, List<String> names, List<double[]> fpr, List<double[]> tpr) {
        if (names == null || fpr == null || tpr == null || names.isEmpty()) {
            throw new IllegalArgumentException("ROC figure needs at least one curve but got none");
        }
        if (names.size() != fpr.size() || fpr.size() != tpr.size()) {
            throw new IllegalArgumentException("ROC figure: " + names.size() + " names, " + fpr.size()
                    + " FPR arrays and " + tpr.size() + " TPR arrays; they must match");
        }
        XYChart chart = newChart(title, "false positive rate", "true positive rate", CHART_WIDTH, CHART_HEIGHT);
        XYStyler st = chart.getStyler();
        st.setXAxisMin(0.0);
        st.setXAxisMax(1.0);
        st.setYAxisMin(0.0);
        st.setYAxisMax(1.0);
        XYSeries chance = chart.addSeries("chance (AUROC = 0.5)", new double[] {0, 1}, new double[] {0, 1});
        chance.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chance.setLineColor(CHANCE_LINE);
        chance.setLineStyle(
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        chance.setMarker(SeriesMarkers.NONE);
        for (int i = 0; i < names.size(); i++) {
            double[] x = fpr.get(i);
            double[] y = tpr.get(i);
            if (x == null || y == null || x.length != y.length || x.length < 2) {
                throw new IllegalArgumentException("ROC figure: curve '" + names.get(i)
                        + "' needs at least 2 points with as many FPR as TPR values");
            }
            for (int k = 0; k < x.length; k++) {
                if (!(x[k] >= 0 && x[k] <= 1 && y[k] >= 0 && y[k] <= 1)) {
                    throw new IllegalArgumentException("ROC figure: curve '" + names.get(i) + "' point " + k + " ("
                            + x[k] + ", " + y[k] + ") is outside [0, 1]");
                }
            }
            XYSeries s = chart.addSeries(names.get(i), x, y);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setLineColor(Palette.OKABE_ITO.get(ROC_COLOURS[i % ROC_COLOURS.length]));
            s.setLineWidth(2.5f);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    // ------------------------------------------------------------------------------------------------ loss curves

    /** {@link #lossCurves(Path, String, Path, String)} titled with the run folder's name. */
    public static PlotFiles lossCurves(Path dir, String name, Path metricsCsv) {
        Path parent = metricsCsv.toAbsolutePath().getParent();
        String run = parent == null || parent.getFileName() == null ? "" : ": " + parent.getFileName();
        return lossCurves(dir, name, metricsCsv, "Loss terms by epoch" + run);
    }

    /**
     * One small chart per loss term of a run's {@code metrics.csv} (as written by
     * {@code CsvMetricsListener}: {@code epoch}, {@code train_TERM}..., {@code val_TERM}...,
     * {@code train_seconds}, {@code samples_per_second}), each with its training and, where present, its
     * validation values against the epoch, tiled three to a row. Empty cells are missing values and are
     * left out of the lines. CSV: {@code epoch} and the {@code train_}/{@code val_} columns drawn, the cells
     * copied as they were.
     *
     * @throws IllegalArgumentException if the file is missing, has no {@code epoch} column or no
     *                                  {@code train_} column, no rows, a row of the wrong length or a cell
     *                                  that is not a number (the message names the file, line and column)
     */
    public static PlotFiles lossCurves(Path dir, String name, Path metricsCsv, String title) {
        List<String> lines = readLines(metricsCsv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("metrics file " + metricsCsv + " is empty");
        }
        String[] header = lines.get(0).split(",", -1);
        if (!"epoch".equals(header[0].trim())) {
            throw new IllegalArgumentException("metrics file " + metricsCsv + " must start with an 'epoch' column but "
                    + "starts with '" + header[0] + "'");
        }
        Map<String, Integer> column = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            column.put(header[c].trim(), c);
        }
        List<String> terms = new ArrayList<>();
        for (String h : column.keySet()) {
            if (h.startsWith("train_") && !h.equals("train_seconds")) {
                terms.add(h.substring("train_".length()));
            }
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException(
                    "metrics file " + metricsCsv + " has no train_<term> column; header: " + lines.get(0));
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException("metrics file " + metricsCsv + " line " + (i + 1) + " has "
                        + cells.length + " cells but the header has " + header.length);
            }
            rows.add(cells);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("metrics file " + metricsCsv + " has no epochs");
        }
        double[] epochs = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            epochs[r] = parseCell(metricsCsv, r + 2, "epoch", rows.get(r)[0]);
            if (Double.isNaN(epochs[r])) {
                throw new IllegalArgumentException("metrics file " + metricsCsv + " line " + (r + 2) + " has no epoch");
            }
        }
        List<XYChart> charts = new ArrayList<>();
        List<String> used = new ArrayList<>(List.of("epoch"));
        for (String term : terms) {
            XYChart chart = newChart(term, "epoch", term, LOSS_PANEL_WIDTH, LOSS_PANEL_HEIGHT);
            chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
            boolean any = false;
            for (String prefix : List.of("train_", "val_")) {
                Integer c = column.get(prefix + term);
                if (c == null) {
                    continue;
                }
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int r = 0; r < rows.size(); r++) {
                    double v = parseCell(metricsCsv, r + 2, prefix + term, rows.get(r)[c]);
                    if (!Double.isNaN(v)) {
                        xs.add(epochs[r]);
                        ys.add(v);
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                any = true;
                used.add(prefix + term);
                XYSeries s = chart.addSeries(prefix.equals("train_") ? "train" : "validation", xs, ys);
                Color color = prefix.equals("train_") ? Palette.TRAIN : Palette.VALIDATION;
                s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
                s.setLineColor(color);
                s.setLineWidth(2f);
                s.setMarker(rows.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                s.setMarkerColor(color);
            }
            if (any) {
                chart.getStyler().setMarkerSize(6);
                padYAxis(chart);
                charts.add(chart);
            }
        }
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("metrics file " + metricsCsv + " has no values for any loss term");
        }
        Csv csv = new Csv(used);
        for (String[] row : rows) {
            Object[] cells = new Object[used.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = row[column.get(used.get(i))].trim();
            }
            csv.row(cells);
        }
        int columns = Math.min(3, charts.size());
        return writeCharts(
                dir, name, title, charts, columns, LOSS_PANEL_WIDTH, LOSS_PANEL_HEIGHT, true, csv.toString());
    }

    // ------------------------------------------------------------------------------------------------ likelihood

    /**
     * A run's test negative log-likelihood against the epoch, from the {@code likelihood.csv} written during training
     * (header {@code epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds}): the importance-sampled
     * NLL with bars of one standard error, and the negative ELBO of the same draws beside it (the gap is what the k
     * samples gain over one); k and the images are named on the y axis. CSV:
     * {@code epoch,samples,images,nll,standard_error,neg_elbo_same_draws}, the cells as they were.
     *
     * @throws IllegalArgumentException if the file is missing, lacks a column, has no rows, a row of the wrong length
     *                                  or a cell that is not a number (the message names the file, line and column)
     */
    /** The legend of the NLL line of {@link #likelihoodCurve}. */
    static final String NLL_SERIES = "-log p(x) \u00b1 1 s.e.";
    /** The legend of its ELBO line. */
    static final String ELBO_SERIES = "negative ELBO";

    public static PlotFiles likelihoodCurve(Path dir, String name, Path likelihoodCsv, String title) {
        List<String> lines = readLines(likelihoodCsv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("likelihood file " + likelihoodCsv + " is empty");
        }
        String[] header = lines.get(0).split(",", -1);
        Map<String, Integer> column = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            column.put(header[c].trim(), c);
        }
        List<String> used = List.of("epoch", "samples", "images", "nll", "standard_error", "neg_elbo_same_draws");
        for (String c : used) {
            if (!column.containsKey(c)) {
                throw new IllegalArgumentException(
                        "likelihood file " + likelihoodCsv + " has no '" + c + "' column; header: " + lines.get(0));
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException("likelihood file " + likelihoodCsv + " line " + (i + 1) + " has "
                        + cells.length + " cells but the header has " + header.length);
            }
            rows.add(cells);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("likelihood file " + likelihoodCsv + " has no estimates");
        }
        int n = rows.size();
        double[] epochs = new double[n];
        double[] nll = new double[n];
        double[] se = new double[n];
        double[] elbo = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        Csv csv = new Csv(used);
        for (int r = 0; r < n; r++) {
            String[] row = rows.get(r);
            epochs[r] = parseCell(likelihoodCsv, r + 2, "epoch", row[column.get("epoch")]);
            nll[r] = parseCell(likelihoodCsv, r + 2, "nll", row[column.get("nll")]);
            double e = parseCell(likelihoodCsv, r + 2, "standard_error", row[column.get("standard_error")]);
            se[r] = Double.isFinite(e) ? e : 0; // NaN for a single image: no bar
            elbo[r] = parseCell(likelihoodCsv, r + 2, "neg_elbo_same_draws", row[column.get("neg_elbo_same_draws")]);
            if (!Double.isFinite(epochs[r]) || !Double.isFinite(nll[r])) {
                throw new IllegalArgumentException(
                        "likelihood file " + likelihoodCsv + " line " + (r + 2) + " has no epoch or NLL");
            }
            lo = Math.min(lo, nll[r] - se[r]);
            hi = Math.max(hi, nll[r] + se[r]);
            if (Double.isFinite(elbo[r])) {
                lo = Math.min(lo, elbo[r]);
                hi = Math.max(hi, elbo[r]);
            }
            Object[] cells = new Object[used.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = row[column.get(used.get(i))].trim();
            }
            csv.row(cells);
        }
        String k = rows.get(n - 1)[column.get("samples")].trim();
        String images = rows.get(n - 1)[column.get("images")].trim();
        String yLabel = "nats per image (k = " + k + ", first " + images + " test images)";
        XYChart chart = newChart(title, "epoch", yLabel, CHART_WIDTH, CHART_HEIGHT);
        XYStyler styler = chart.getStyler();
        styler.setErrorBarsColorSeriesColor(true);
        styler.setMarkerSize(7);
        XYSeries is = chart.addSeries(NLL_SERIES, epochs, nll, se);
        is.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        is.setLineColor(Palette.TRAIN);
        is.setLineWidth(2f);
        is.setMarker(n <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        is.setMarkerColor(Palette.TRAIN);
        double[] elboEpochs = filterFinite(epochs, elbo);
        double[] elboValues = filterFinite(elbo, elbo);
        if (elboValues.length > 0) {
            XYSeries bound = chart.addSeries(ELBO_SERIES, elboEpochs, elboValues);
            bound.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            bound.setLineColor(Palette.VALIDATION);
            bound.setLineWidth(2f);
            bound.setMarker(n <= 60 ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
            bound.setMarkerColor(Palette.VALIDATION);
        }
        double pad = hi > lo ? 0.06 * (hi - lo) : Math.max(0.05 * Math.abs(hi), 0.5);
        styler.setYAxisMin(lo - pad);
        styler.setYAxisMax(hi + pad);
        return writeCharts(dir, name, title, List.of(chart), 1, CHART_WIDTH, CHART_HEIGHT, false, csv.toString());
    }

    /** The entries of {@code values} where {@code keep} is finite. */
    private static double[] filterFinite(double[] values, double[] keep) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(keep[i])) {
                out.add(values[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<String> readLines(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("metrics file " + file + " does not exist");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A number, or NaN for an empty cell. */
    private static double parseCell(Path file, int line, String column, String cell) {
        String s = cell.trim();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "metrics file " + file + " line " + line + " column " + column + ": '" + s + "' is not a number");
        }
    }

    // ------------------------------------------------------------------------------------------------ sweeps

    /**
     * A sweep's {@code metric} against one hyperparameter {@code param}, one point per trial (row). The x axis
     * is numeric when every value of {@code param} reads as a number, logarithmic when those are all positive
     * and span more than two decades (max / min > 100), and categorical (in order of first appearance)
     * otherwise. When several trials share an x (seeds), each trial is a point and a line joins the means
     * (on a categorical axis the means are marks, not a line); otherwise a line joins the points in x order
     * (numeric axis) or the points stand alone (categorical). Rows without a finite metric (failed trials) are left out
     * and logged. CSV: {@code param,metric}, one row per plotted trial, the param as given.
     *
     * @param rows one map per trial; values may be numbers or text
     * @throws IllegalArgumentException if a row lacks {@code param}, a metric is not a number, or no row has
     *                                  a finite metric
     */
    public static PlotFiles metricVsHyperparameter(
            Path dir, String name, List<? extends Map<String, ?>> rows, String param, String metric) {
        Sweep sweep = sweep(rows, param, metric);
        return writeCharts(
                dir,
                name,
                sweep.chart().getTitle(),
                List.of(sweep.chart()),
                1,
                CHART_WIDTH,
                CHART_HEIGHT,
                false,
                sweep.csv().toString());
    }

    /**
     * The chart of {@link #metricVsHyperparameter(Path, String, List, String, String)} without writing it, e.g.
     * to tile several metrics with {@link #chartGrid}.
     */
    public static XYChart metricVsHyperparameterChart(
            List<? extends Map<String, ?>> rows, String param, String metric) {
        return sweep(rows, param, metric).chart();
    }

    private record Sweep(XYChart chart, Csv csv) {}

    private static Sweep sweep(List<? extends Map<String, ?>> rows, String param, String metric) {
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("no trials to plot " + metric + " against " + param);
        }
        List<String> xText = new ArrayList<>();
        List<Double> yValues = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < rows.size(); i++) {
            Map<String, ?> row = rows.get(i);
            Object p = row.get(param);
            if (p == null || p.toString().isBlank()) {
                throw new IllegalArgumentException(
                        "trial row " + i + " has no value for hyperparameter '" + param + "'; keys: " + row.keySet());
            }
            double y = metricValue(row.get(metric), i, metric);
            if (!Double.isFinite(y)) {
                skipped++;
                continue;
            }
            xText.add(p.toString().trim());
            yValues.add(y);
        }
        if (xText.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trial has a finite value of metric '" + metric + "' (" + rows.size() + " rows)");
        }
        if (skipped > 0) {
            LOG.info("{} vs {}: left out {} trial(s) without a finite {}", metric, param, skipped, metric);
        }
        boolean numeric = xText.stream().allMatch(Figures::isFiniteNumber);
        List<String> categories = new ArrayList<>();
        double[] x = new double[xText.size()];
        for (int i = 0; i < x.length; i++) {
            if (numeric) {
                x[i] = Double.parseDouble(xText.get(i));
            } else {
                int k = categories.indexOf(xText.get(i));
                if (k < 0) {
                    categories.add(xText.get(i));
                    k = categories.size() - 1;
                }
                x[i] = k;
            }
        }
        double[] y = yValues.stream().mapToDouble(Double::doubleValue).toArray();
        String title = metric + " vs " + param;
        XYChart chart = newChart(title, param, metric, CHART_WIDTH, CHART_HEIGHT);
        XYStyler styler = chart.getStyler();
        if (numeric) {
            double min = Arrays.stream(x).min().orElseThrow();
            double max = Arrays.stream(x).max().orElseThrow();
            styler.setXAxisLogarithmic(min > 0 && max / min > 100);
        } else {
            // No axis limits here: with the category positions 0..k-1 alone the axis values are equally spaced,
            // which makes XChart put one tick on each category (padding slots would get blank, duplicate labels,
            // which XChart then thins out).
            styler.setxAxisTickLabelsFormattingFunction(v -> {
                long k = Math.round(v);
                return Math.abs(v - k) < 1e-9 && k >= 0 && k < categories.size() ? categories.get((int) k) : "";
            });
        }
        TreeMap<Double, double[]> groups = new TreeMap<>(); // x -> {sum, count}
        for (int i = 0; i < x.length; i++) {
            double[] g = groups.computeIfAbsent(x[i], k -> new double[2]);
            g[0] += y[i];
            g[1]++;
        }
        boolean repeated = groups.values().stream().anyMatch(g -> g[1] > 1);
        styler.setMarkerSize(9);
        if (repeated) {
            XYSeries trials = chart.addSeries("trial", x, y);
            trials.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            trials.setMarker(SeriesMarkers.CIRCLE);
            trials.setMarkerColor(withAlpha(Palette.TRIAL, 170));
            double[] mx = new double[groups.size()];
            double[] my = new double[groups.size()];
            int j = 0;
            for (Map.Entry<Double, double[]> e : groups.entrySet()) {
                mx[j] = e.getKey();
                my[j++] = e.getValue()[0] / e.getValue()[1];
            }
            XYSeries mean = chart.addSeries("mean", mx, my);
            // categories have no order: their means are marks, not a line
            mean.setXYSeriesRenderStyle(numeric ? XYSeriesRenderStyle.Line : XYSeriesRenderStyle.Scatter);
            mean.setLineColor(Palette.MEAN);
            mean.setLineWidth(2f);
            mean.setMarker(SeriesMarkers.DIAMOND);
            mean.setMarkerColor(Palette.MEAN);
        } else {
            Integer[] order = new Integer[x.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
            double[] sx = new double[x.length];
            double[] sy = new double[x.length];
            for (int i = 0; i < order.length; i++) {
                sx[i] = x[order[i]];
                sy[i] = y[order[i]];
            }
            XYSeries trials = chart.addSeries("trial", sx, sy);
            trials.setXYSeriesRenderStyle(numeric ? XYSeriesRenderStyle.Line : XYSeriesRenderStyle.Scatter);
            trials.setLineColor(Palette.TRIAL);
            trials.setLineWidth(2f);
            trials.setMarker(SeriesMarkers.CIRCLE);
            trials.setMarkerColor(Palette.TRIAL);
            styler.setLegendVisible(false);
        }
        padYAxis(chart);
        Csv csv = new Csv(List.of(param, metric));
        for (int i = 0; i < x.length; i++) {
            csv.row(xText.get(i), y[i]);
        }
        return new Sweep(chart, csv);
    }

    private static double metricValue(Object v, int row, String metric) {
        if (v == null) {
            return Double.NaN;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "trial row " + row + ": metric '" + metric + "' is '" + s + "', not a number");
        }
    }

    private static boolean isFiniteNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------ error bars

    /**
     * One line of {@link #meanWithErrorBars}: for each x, the mean of a metric over repeats (seeds) and its standard
     * deviation ({@code NaN} where there was a single repeat: drawn without a bar) and the number of repeats.
     */
    public record ErrorBarSeries(String name, double[] x, double[] mean, double[] sd, int[] n) {
        public ErrorBarSeries {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an error-bar series needs a name");
            }
            if (x == null || mean == null || sd == null || n == null || x.length == 0) {
                throw new IllegalArgumentException("error-bar series '" + name + "' has no points");
            }
            if (mean.length != x.length || sd.length != x.length || n.length != x.length) {
                throw new IllegalArgumentException("error-bar series '" + name + "': x, mean, sd and n differ in"
                        + " length (" + x.length + ", " + mean.length + ", " + sd.length + ", " + n.length + ")");
            }
            x = x.clone();
            mean = mean.clone();
            sd = sd.clone();
            n = n.clone();
        }
    }

    /**
     * Means with error bars of one standard deviation, one line per series (points joined in x order), e.g. a
     * test error over seeds against the number of labels, one line per method. The x axis is logarithmic when
     * {@code logX} (every x must then be positive). The series are drawn a little apart in x (on a log axis by a
     * factor of about 1.04 between neighbours) so that bars at the same x stay visible; the CSV keeps the true x.
     * The y range covers every bar. CSV:
     * {@code series,x,mean,sd,n}, one row per point, sd empty where it is undefined (n = 1).
     *
     * @throws IllegalArgumentException for no series, a non-finite x or mean, or a non-positive x on a log axis
     */
    /** Spacing of the series in x: decades on a log axis, else a share of the x range. */
    private static final double ERROR_BAR_DODGE = 0.018;

    private static final List<Color> ERROR_BAR_COLOURS = List.of(
            Palette.OKABE_ITO.get(5), // blue
            Palette.OKABE_ITO.get(6), // vermillion
            Palette.OKABE_ITO.get(3), // bluish green
            Palette.OKABE_ITO.get(7), // reddish purple
            Palette.OKABE_ITO.get(1), // orange
            Palette.OKABE_ITO.get(0)); // black

    public static PlotFiles meanWithErrorBars(
            Path dir,
            String name,
            String title,
            String xLabel,
            String yLabel,
            List<ErrorBarSeries> series,
            boolean logX) {
        ErrorBars bars = errorBars(title, xLabel, yLabel, series, logX);
        return writeCharts(
                dir,
                name,
                title,
                List.of(bars.chart()),
                1,
                CHART_WIDTH,
                CHART_HEIGHT,
                false,
                bars.csv().toString());
    }

    /**
     * The chart of {@link #meanWithErrorBars} without writing it; each XChart series carries the drawn x and its
     * bars (standard deviations, 0 where undefined) as extra values.
     */
    public static XYChart meanWithErrorBarsChart(
            String title, String xLabel, String yLabel, List<ErrorBarSeries> series, boolean logX) {
        return errorBars(title, xLabel, yLabel, series, logX).chart();
    }

    private record ErrorBars(XYChart chart, Csv csv) {}

    private static ErrorBars errorBars(
            String title, String xLabel, String yLabel, List<ErrorBarSeries> series, boolean logX) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("an error-bar chart needs at least one series");
        }
        XYChart chart = newChart(title, xLabel, yLabel, CHART_WIDTH, CHART_HEIGHT);
        XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(logX);
        styler.setMarkerSize(9);
        styler.setErrorBarsColorSeriesColor(true);
        Csv csv = new Csv(List.of("series", "x", "mean", "sd", "n"));
        double xMin =
                series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).min().orElseThrow();
        double xMax =
                series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).max().orElseThrow();
        double xSpan = xMax > xMin ? xMax - xMin : 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < series.size(); k++) {
            ErrorBarSeries s = series.get(k);
            Integer[] order = new Integer[s.x().length];
            for (int i = 0; i < order.length; i++) {
                double x = s.x()[i];
                if (!Double.isFinite(x) || !Double.isFinite(s.mean()[i]) || (logX && x <= 0)) {
                    throw new IllegalArgumentException("error-bar series '" + s.name() + "' point " + i + ": x = " + x
                            + ", mean = " + s.mean()[i] + (logX ? " (a log axis needs x > 0)" : ""));
                }
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(s.x()[a], s.x()[b]));
            // Series drawn slightly apart so that bars at the same x do not hide each other.
            double dodge = (k - (series.size() - 1) / 2.0) * ERROR_BAR_DODGE;
            double[] drawnX = new double[order.length];
            double[] x = new double[order.length];
            double[] y = new double[order.length];
            double[] bar = new double[order.length];
            for (int j = 0; j < order.length; j++) {
                int i = order[j];
                x[j] = s.x()[i];
                drawnX[j] = logX ? x[j] * Math.pow(10, dodge) : x[j] + dodge * xSpan;
                y[j] = s.mean()[i];
                bar[j] = Double.isFinite(s.sd()[i]) ? s.sd()[i] : 0;
                lo = Math.min(lo, y[j] - bar[j]);
                hi = Math.max(hi, y[j] + bar[j]);
                csv.row(s.name(), x[j], y[j], Double.isFinite(s.sd()[i]) ? s.sd()[i] : "", s.n()[i]);
            }
            XYSeries line = chart.addSeries(s.name(), drawnX, y, bar);
            Color c = ERROR_BAR_COLOURS.get(k % ERROR_BAR_COLOURS.size());
            line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            line.setLineColor(c);
            line.setLineWidth(2f);
            line.setMarker(k % 2 == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            line.setMarkerColor(c);
        }
        double pad = hi > lo ? 0.06 * (hi - lo) : Math.max(0.05 * Math.abs(hi), 0.5);
        styler.setYAxisMin(lo - pad);
        styler.setYAxisMax(hi + pad);
        return new ErrorBars(chart, csv);
    }

    // ------------------------------------------------------------------------------------------------ grids

    /**
     * {@link #chartGrid(Path, String, List, int, String, int, int)} with panels of the default size, side by side up
     * to {@value #MAX_DEFAULT_COLUMNS} to a row.
     */
    public static PlotFiles chartGrid(Path dir, String name, List<XYChart> charts, String title) {
        int columns = charts == null ? 1 : Math.max(1, Math.min(charts.size(), MAX_DEFAULT_COLUMNS));
        return chartGrid(dir, name, charts, columns, title);
    }

    /** Columns of {@link #chartGrid(Path, String, List, String)}. */
    public static final int MAX_DEFAULT_COLUMNS = 4;

    /** {@link #chartGrid(Path, String, List, int, String, int, int)} with panels of the default size. */
    public static PlotFiles chartGrid(Path dir, String name, List<XYChart> charts, int columns, String title) {
        return chartGrid(dir, name, charts, columns, title, PANEL_WIDTH, PANEL_HEIGHT);
    }

    /**
     * Tiles {@code charts} into one figure, {@code columns} to a row, each painted at
     * {@code panelWidth x panelHeight} under its own title (the chart's title, drawn as text), with
     * {@code title} above all. CSV: {@code panel,panel_title,series,x,y}, the data of every series of every
     * chart (panels numbered from 0 in the given order).
     *
     * @throws IllegalArgumentException for no charts, a null chart, columns below 1 or a panel size below
     *                                  100 x 100
     */
    public static PlotFiles chartGrid(
            Path dir, String name, List<XYChart> charts, int columns, String title, int panelWidth, int panelHeight) {
        if (charts == null || charts.isEmpty()) {
            throw new IllegalArgumentException("chart grid needs at least one chart but got none");
        }
        for (int i = 0; i < charts.size(); i++) {
            if (charts.get(i) == null) {
                throw new IllegalArgumentException("chart grid: chart " + i + " is null");
            }
        }
        if (columns < 1) {
            throw new IllegalArgumentException("chart grid columns must be >= 1 but was " + columns);
        }
        if (panelWidth < 100 || panelHeight < 100) {
            throw new IllegalArgumentException(
                    "chart grid panels must be at least 100x100 pixels but were " + panelWidth + "x" + panelHeight);
        }
        Csv csv = new Csv(List.of("panel", "panel_title", "series", "x", "y"));
        for (int p = 0; p < charts.size(); p++) {
            XYChart chart = charts.get(p);
            for (XYSeries s : chart.getSeriesMap().values()) {
                double[] xs = s.getXData();
                double[] ys = s.getYData();
                for (int i = 0; i < xs.length; i++) {
                    csv.row(p, chart.getTitle(), s.getName(), xs[i], ys[i]);
                }
            }
        }
        return writeCharts(
                dir,
                name,
                title,
                charts,
                Math.min(columns, charts.size()),
                panelWidth,
                panelHeight,
                true,
                csv.toString());
    }

    // ------------------------------------------------------------------------------------------------ shared

    /**
     * A white, readable XChart: large fonts, light grid, legend outside on the right. Public for charts of one's own
     * (e.g. several series against one axis), written with {@link #chartGrid}.
     */
    public static XYChart newChart(String title, String xLabel, String yLabel, int width, int height) {
        FigureWriter.init();
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title == null ? "" : title);
        chart.setXAxisTitle(xLabel == null ? "" : xLabel);
        chart.setYAxisTitle(yLabel == null ? "" : yLabel);
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(Palette.BORDER);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(Palette.GRID_LINES);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(FigureWriter.TEXT);
        s.setAxisTickLabelsColor(FigureWriter.TEXT);
        s.setChartTitleFont(FigureWriter.TITLE_FONT.deriveFont(15f));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(CHART_AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(CHART_TICK_FONT);
        s.setLegendFont(CHART_LEGEND_FONT);
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setChartPadding(12);
        s.setAntiAlias(true);
        s.setToolTipsEnabled(false);
        return chart;
    }

    /**
     * Sets the y range to the data's range plus 6% each side. Besides keeping points off the frame, this stops
     * XChart from putting ticks only at the data values, which it does when the distinct values (with the axis
     * ends) are equally spaced, e.g. a loss term with just two values.
     */
    static void padYAxis(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double v : s.getYData()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return;
        }
        double pad = max > min ? 0.06 * (max - min) : Math.max(0.05 * Math.abs(max), 0.5);
        chart.getStyler().setYAxisMin(min - pad);
        chart.getStyler().setYAxisMax(max + pad);
    }

    private static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /**
     * Tiles charts below a figure title; with {@code panelTitles} each chart's title is drawn as text above
     * its panel, otherwise (one chart) the figure title stands for it. XChart's own title is hidden while
     * painting either way, so every title in the SVG is text, not glyph outlines.
     */
    private static PlotFiles writeCharts(
            Path dir,
            String name,
            String title,
            List<XYChart> charts,
            int columns,
            int panelWidth,
            int panelHeight,
            boolean panelTitles,
            String csv) {
        int rows = (charts.size() + columns - 1) / columns;
        int band = panelTitles ? PANEL_TITLE_BAND : 0;
        int width = columns * panelWidth;
        long height = FIGURE_TITLE_BAND + (long) rows * (band + panelHeight);
        FigureWriter.checkSize(width, (int) Math.min(height, Integer.MAX_VALUE));
        charts.forEach(Figures::assignMissingColours);
        FigureWriter.Painter painter = (g, w, h) -> {
            drawFitted(g, title, FigureWriter.TITLE_FONT, w / 2.0, 29, w - 20);
            for (int i = 0; i < charts.size(); i++) {
                int x = (i % columns) * panelWidth;
                int y = FIGURE_TITLE_BAND + (i / columns) * (band + panelHeight);
                XYChart chart = charts.get(i);
                if (panelTitles) {
                    drawFitted(
                            g,
                            chart.getTitle(),
                            FigureWriter.LABEL_FONT.deriveFont(Font.BOLD, 14f),
                            x + panelWidth / 2.0,
                            y + band - 6,
                            panelWidth - 16);
                }
                // XChart draws its legend markers in the series' colour, alpha included, so a see-through
                // scatter gets a pale legend: draw the outside legend ourselves, opaque and as text.
                List<LegendEntry> legend = chart.getStyler().isLegendVisible()
                                && chart.getStyler().getLegendPosition() == LegendPosition.OutsideE
                        ? legendEntries(chart)
                        : List.of();
                int legendWidth = legendWidth(legend);
                // Save and restore transform and clip by hand: VectorGraphics2D mis-nests the SVG groups of
                // Graphics.create()/dispose(), and text drawn after a disposed child lands in its translated group.
                AffineTransform transform = g.getTransform();
                Shape clip = g.getClip();
                boolean titleVisible = chart.getStyler().isChartTitleVisible();
                boolean legendVisible = chart.getStyler().isLegendVisible();
                try {
                    g.translate(x, y + band);
                    g.clipRect(0, 0, panelWidth, panelHeight);
                    chart.getStyler().setChartTitleVisible(false);
                    chart.getStyler().setLegendVisible(legendVisible && legend.isEmpty());
                    chart.paint(g, panelWidth - legendWidth, panelHeight);
                    drawLegend(g, legend, panelWidth - legendWidth, panelHeight);
                } finally {
                    chart.getStyler().setChartTitleVisible(titleVisible);
                    chart.getStyler().setLegendVisible(legendVisible);
                    g.setTransform(transform);
                    g.setClip(clip);
                }
            }
        };
        return FigureWriter.write(dir, name, title, width, (int) height, painter, csv);
    }

    /**
     * XChart picks colours for series without one only while painting; our legend is laid out before that, so
     * such series (charts built by callers) get theirs here, from {@link Palette#TABLEAU_10} in series order.
     */
    private static void assignMissingColours(XYChart chart) {
        int i = 0;
        for (XYSeries s : chart.getSeriesMap().values()) {
            Color c = Palette.TABLEAU_10.get(i++ % Palette.TABLEAU_10.size());
            if (s.getMarkerColor() == null) {
                s.setMarkerColor(s.getLineColor() != null ? s.getLineColor() : c);
            }
            if (s.getLineColor() == null) {
                s.setLineColor(s.getMarkerColor());
            }
        }
    }

    private record LegendEntry(String name, Color color, boolean line, boolean marker) {}

    private static List<LegendEntry> legendEntries(XYChart chart) {
        List<LegendEntry> entries = new ArrayList<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            if (!s.isShowInLegend()) {
                continue;
            }
            boolean line = s.getXYSeriesRenderStyle() != XYSeriesRenderStyle.Scatter;
            boolean marker = s.getMarker() != null && s.getMarker() != SeriesMarkers.NONE;
            Color c = line && s.getLineColor() != null ? s.getLineColor() : s.getMarkerColor();
            if (c == null) {
                c = FigureWriter.TEXT;
            }
            entries.add(new LegendEntry(s.getName(), new Color(c.getRGB() & 0xFFFFFF), line, marker));
        }
        return entries;
    }

    private static final int LEGEND_ROW = 22;
    private static final int LEGEND_SYMBOL = 26;

    private static int legendWidth(List<LegendEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        int text = 0;
        for (LegendEntry e : entries) {
            text = Math.max(text, FigureWriter.textWidth(e.name(), CHART_LEGEND_FONT));
        }
        return LEGEND_SYMBOL + text + 24;
    }

    /** A column of legend entries right of the plot, centred vertically. */
    private static void drawLegend(Graphics2D g, List<LegendEntry> entries, int left, int height) {
        if (entries.isEmpty()) {
            return;
        }
        double top = (height - entries.size() * LEGEND_ROW) / 2.0;
        for (int i = 0; i < entries.size(); i++) {
            LegendEntry e = entries.get(i);
            double cy = top + i * LEGEND_ROW + LEGEND_ROW / 2.0;
            double sx = left + 4;
            g.setColor(e.color());
            if (e.line()) {
                g.setStroke(new BasicStroke(2f));
                g.draw(new Line2D.Double(sx, cy, sx + LEGEND_SYMBOL - 6, cy));
            }
            if (e.marker() || !e.line()) {
                double r = 5;
                double cx = sx + (LEGEND_SYMBOL - 6) / 2.0;
                g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
            }
            FigureWriter.drawLeft(g, e.name(), CHART_LEGEND_FONT, left + LEGEND_SYMBOL + 4, cy);
        }
    }

    /** Draws {@code text} centred, shrinking the font (down to 9 pt) until it fits {@code maxWidth}. */
    static void drawFitted(Graphics2D g, String text, Font font, double cx, double baseline, int maxWidth) {
        if (text == null || text.isEmpty()) {
            return;
        }
        Font f = font;
        while (f.getSize2D() > 9f && FigureWriter.textWidth(text, f) > maxWidth) {
            f = f.deriveFont(f.getSize2D() - 1f);
        }
        FigureWriter.drawCentered(g, text, f, cx, baseline);
    }
}
