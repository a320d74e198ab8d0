package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.latentlab.eval.Metrics;
import org.latentlab.eval.RocCurve;
import org.latentlab.train.CsvMetricsListener;
import org.latentlab.train.EpochResult;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainingContext;
import org.latentlab.train.TrainingControl;
import org.latentlab.train.TrainingState;
import org.w3c.dom.Document;

class FiguresTest {

    @TempDir
    Path tmp;

    /** Three Gaussian blobs labelled 1, 4 and 8; coordinates with many digits, to test exact round trips. */
    private static double[][] blobs(int n, int[] labels, long seed) {
        Random r = new Random(seed);
        int[] classes = {1, 4, 8};
        double[][] xy = new double[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = classes[i % 3];
            xy[i] = new double[] {labels[i] + r.nextGaussian() / 3, -labels[i] * 0.5 + r.nextGaussian() / 7};
        }
        return xy;
    }

    @Test
    void latentScatterWritesPngSvgAndExactCsv() throws Exception {
        int n = 600;
        int[] labels = new int[n];
        double[][] xy = blobs(n, labels, 3);
        String title = "VAE latent space <test> & more";
        PlotFiles f = Figures.latentScatter(tmp, "latent", title, xy, labels, "z1", "z2");
        PlotChecks.checkFiles(f, tmp, "latent");

        BufferedImage img = PlotChecks.png(f);
        assertEquals(Figures.CHART_WIDTH, img.getWidth());
        assertTrue(img.getHeight() > Figures.CHART_HEIGHT && img.getHeight() < Figures.CHART_HEIGHT + 100);
        // the legend marks each class in its opaque palette colour; a class that is absent has none
        for (int label : new int[] {1, 4, 8}) {
            assertTrue(
                    PlotChecks.count(img, Palette.classColor(label).getRGB()) >= 10,
                    "class " + label + " colour appears");
        }
        assertEquals(0, PlotChecks.count(img, Palette.classColor(2).getRGB()), "no class 2 colour");
        // the figure is white around the plot
        assertEquals(0xFFFFFF, img.getRGB(1, 1) & 0xFFFFFF);

        Document svg = PlotChecks.svg(f);
        List<String> texts = PlotChecks.svgTexts(svg);
        assertTrue(texts.contains(title), "SVG has the title as text (escaped correctly): " + texts);
        for (String legend : List.of("1", "4", "8")) {
            assertTrue(texts.contains(legend), "legend entry " + legend + " is SVG text");
        }
        assertFalse(Files.readString(f.svg()).contains("<!DOCTYPE"), "no DOCTYPE that would send readers online");

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("x", "y", "label"), csv.get(0));
        assertEquals(n + 1, csv.size());
        for (int i = 0; i < n; i++) {
            List<String> row = csv.get(i + 1);
            assertEquals(xy[i][0], Double.parseDouble(row.get(0)));
            assertEquals(xy[i][1], Double.parseDouble(row.get(1)));
            assertEquals(labels[i], Integer.parseInt(row.get(2)));
        }
    }

    @Test
    void plotsAreMadeHeadless() {
        Figures.latentScatterChart("t", new double[][] {{0, 0}}, new int[] {0}, "x", "y");
        assertNotNull(System.getProperty("java.awt.headless"), "headless mode chosen before AWT is used");
        if (System.getenv("DISPLAY") == null) {
            assertTrue(GraphicsEnvironment.isHeadless());
        }
    }

    @Test
    void latentScatterOfTenThousandPointsIsQuick() throws Exception {
        int n = 10_000;
        int[] labels = new int[n];
        double[][] xy = new double[n][];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            xy[i] = new double[] {r.nextGaussian() + labels[i], r.nextGaussian()};
        }
        // No wall-clock bound: a test must not depend on the machine's load (issue 14).
        PlotFiles f = Figures.latentScatter(tmp, "big", "10,000 points", xy, labels, "pc1", "pc2");
        BufferedImage img = PlotChecks.png(f);
        for (int label = 0; label < 10; label++) {
            assertTrue(PlotChecks.count(img, Palette.classColor(label).getRGB()) > 0, "class " + label + " colour");
        }
        assertEquals(n + 1, PlotChecks.csv(f).size());
    }

    @Test
    void latentScatterRejectsBadInput() {
        double[][] two = {{0, 1}, {2, 3}};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.latentScatter(tmp, "s", "t", two, new int[] {1}, "x", "y"));
        assertTrue(e.getMessage().contains("2 points and 1 labels"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.latentScatter(
                        tmp, "s", "t", new double[][] {{0, 1}, {Double.NaN, 3}}, new int[2], "x", "y"));
        assertTrue(e.getMessage().contains("point 1") && e.getMessage().contains("non-finite"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.latentScatter(tmp, "s", "t", new double[0][], new int[0], "x", "y"));
        assertTrue(e.getMessage().contains("at least one point"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.latentScatter(tmp, "s", "t", new double[][] {{0, 1, 2}}, new int[1], "x", "y"));
        assertTrue(e.getMessage().contains("2 coordinates"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.latentScatter(tmp, "../escape", "t", two, new int[2], "x", "y"));
        assertTrue(e.getMessage().contains("../escape"), e.getMessage());
    }

    /** A metrics.csv written by the trainer's own listener, so a change of its format breaks this test. */
    private Path metricsCsv() {
        Path file = tmp.resolve("run").resolve("metrics.csv");
        CsvMetricsListener listener = new CsvMetricsListener(file);
        TrainingControl control = new TrainingControl(
                new TrainingContext("vae", List.of("loss", "recon", "kl"), 100, 20, 1, 4),
                TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 2, 1.0), 1),
                TrainingState.initial(),
                0);
        listener.onTrainingStart(control);
        for (int epoch = 1; epoch <= 4; epoch++) {
            Map<String, Double> train = new LinkedHashMap<>();
            Map<String, Double> val = new LinkedHashMap<>();
            train.put("loss", 200.0 / epoch + 0.123456);
            train.put("recon", 180.0 / epoch);
            train.put("kl", 20.0 + epoch);
            val.put("loss", 210.0 / epoch);
            val.put("recon", 185.0 / epoch);
            val.put("kl", 21.0 + epoch);
            EpochResult result = new EpochResult(epoch, train, val, 1.5, 900.0);
            control.recordEpoch(result);
            listener.onEpochEnd(result, control);
        }
        return file;
    }

    @Test
    void lossCurvesDrawOnePanelPerTermAndKeepTheColumnsUsed() throws Exception {
        Path metrics = metricsCsv();
        PlotFiles f = Figures.lossCurves(tmp, "loss", metrics);
        PlotChecks.checkFiles(f, tmp, "loss");
        BufferedImage img = PlotChecks.png(f);
        assertEquals(3 * Figures.LOSS_PANEL_WIDTH, img.getWidth(), "three terms side by side");
        assertTrue(PlotChecks.count(img, Palette.TRAIN.getRGB()) > 50, "train curves drawn");
        assertTrue(PlotChecks.count(img, Palette.VALIDATION.getRGB()) > 50, "validation curves drawn");
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        assertTrue(texts.containsAll(List.of("loss", "recon", "kl", "Loss terms by epoch: run")), texts.toString());

        List<List<String>> csv = PlotChecks.csv(f);
        List<String> original = Files.readAllLines(metrics);
        List<String> header = List.of(original.get(0).split(","));
        assertEquals(
                List.of("epoch", "train_loss", "val_loss", "train_recon", "val_recon", "train_kl", "val_kl"),
                csv.get(0));
        assertEquals(5, csv.size());
        for (int r = 1; r <= 4; r++) {
            List<String> source = List.of(original.get(r).split(","));
            for (int c = 0; c < csv.get(0).size(); c++) {
                String column = csv.get(0).get(c);
                assertEquals(source.get(header.indexOf(column)), csv.get(r).get(c), column + " row " + r);
            }
        }
    }

    @Test
    void lossCurvesSkipMissingValidationCells() throws Exception {
        Path metrics = tmp.resolve("m.csv");
        Files.writeString(
                metrics,
                "epoch,train_loss,val_loss,train_seconds,samples_per_second\n"
                        + "1,3.5,,1.0,10.0\n2,2.5,2.75,1.0,10.0\n");
        PlotFiles f = Figures.lossCurves(tmp, "l", metrics, "one term");
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("epoch", "train_loss", "val_loss"), csv.get(0));
        assertEquals(List.of("1", "3.5", ""), csv.get(1));
        assertEquals(Figures.LOSS_PANEL_WIDTH, PlotChecks.png(f).getWidth());
    }

    @Test
    void lossCurvesRejectBadFiles() throws Exception {
        Path missing = tmp.resolve("nope.csv");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Figures.lossCurves(tmp, "l", missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path noEpoch = tmp.resolve("a.csv");
        Files.writeString(noEpoch, "step,train_loss\n1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.lossCurves(tmp, "l", noEpoch));
        assertTrue(e.getMessage().contains("'epoch'"), e.getMessage());
        Path text = tmp.resolve("b.csv");
        Files.writeString(text, "epoch,train_loss\n1,2\n2,abc\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.lossCurves(tmp, "l", text));
        assertTrue(
                e.getMessage().contains("line 3")
                        && e.getMessage().contains("train_loss")
                        && e.getMessage().contains("abc"),
                e.getMessage());
        Path ragged = tmp.resolve("c.csv");
        Files.writeString(ragged, "epoch,train_loss\n1,2,3\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.lossCurves(tmp, "l", ragged));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Path empty = tmp.resolve("d.csv");
        Files.writeString(empty, "epoch,train_loss\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.lossCurves(tmp, "l", empty));
        assertTrue(e.getMessage().contains("no epochs"), e.getMessage());
    }

    @Test
    void likelihoodCurveDrawsTheNllWithStandardErrorBarsBesideTheElboOfTheSameDraws() throws Exception {
        Path file = tmp.resolve("likelihood.csv");
        Files.writeString(
                file,
                "epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds\n"
                        + "10,5000,1000,95.250000,0.800000,99.500000,12.000\n"
                        + "20,5000,1000,91.000000,0.750000,94.250000,11.500\n"
                        + "25,5000,1000,90.500000,0.700000,93.750000,11.000\n");
        PlotFiles f = Figures.likelihoodCurve(tmp, "lik", file, "Test NLL by epoch: run");
        PlotChecks.checkFiles(f, tmp, "lik");
        BufferedImage img = PlotChecks.png(f);
        assertTrue(PlotChecks.count(img, Palette.TRAIN.getRGB()) > 50, "the NLL line drawn");
        assertTrue(PlotChecks.count(img, Palette.VALIDATION.getRGB()) > 50, "the ELBO line drawn");
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        assertTrue(texts.contains("Test NLL by epoch: run"), texts.toString());
        assertTrue(texts.containsAll(List.of(Figures.NLL_SERIES, Figures.ELBO_SERIES)), texts.toString());
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("epoch", "samples", "images", "nll", "standard_error", "neg_elbo_same_draws"), csv.get(0));
        assertEquals(List.of("20", "5000", "1000", "91.000000", "0.750000", "94.250000"), csv.get(2));
        assertEquals(4, csv.size());

        Path missing = tmp.resolve("none.csv");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Figures.likelihoodCurve(tmp, "l", missing, "t"));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path noNll = tmp.resolve("a.csv");
        Files.writeString(noNll, "epoch,samples,images,standard_error,neg_elbo_same_draws\n1,2,3,4,5\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.likelihoodCurve(tmp, "l", noNll, "t"));
        assertTrue(e.getMessage().contains("'nll'"), e.getMessage());
        Path empty = tmp.resolve("b.csv");
        Files.writeString(empty, "epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.likelihoodCurve(tmp, "l", empty, "t"));
        assertTrue(e.getMessage().contains("no estimates"), e.getMessage());
        Path text = tmp.resolve("c.csv");
        Files.writeString(
                text, "epoch,samples,images,nll,standard_error,neg_elbo_same_draws,seconds\n1,2,3,abc,1,2,3\n");
        e = assertThrows(IllegalArgumentException.class, () -> Figures.likelihoodCurve(tmp, "l", text, "t"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("abc"), e.getMessage());
    }

    private static List<Map<String, Object>> seedRows(double[] lrs, int seeds) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double lr : lrs) {
            for (int s = 0; s < seeds; s++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("lr", lr);
                row.put("test_loss", 100 + 7 * Math.abs(Math.log10(lr) + 2.5) + s * 1.25);
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void metricVsHyperparameterShowsEveryTrialAndTheMeanOnALogAxis() throws Exception {
        double[] lrs = {1e-4, 1e-3, 1e-2, 1e-1};
        List<Map<String, Object>> rows = seedRows(lrs, 3);
        XYChart chart = Figures.metricVsHyperparameterChart(rows, "lr", "test_loss");
        assertTrue(chart.getStyler().isXAxisLogarithmic(), "four decades: log axis");
        XYSeries trials = chart.getSeriesMap().get("trial");
        XYSeries mean = chart.getSeriesMap().get("mean");
        assertEquals(12, trials.getXData().length);
        assertEquals(4, mean.getXData().length);
        for (int i = 0; i < lrs.length; i++) {
            double expected = 0;
            for (int s = 0; s < 3; s++) {
                expected += (double) rows.get(3 * i + s).get("test_loss") / 3;
            }
            assertEquals(lrs[i], mean.getXData()[i]);
            assertEquals(expected, mean.getYData()[i], 1e-12);
        }

        PlotFiles f = Figures.metricVsHyperparameter(tmp, "lr", rows, "lr", "test_loss");
        PlotChecks.checkFiles(f, tmp, "lr");
        BufferedImage img = PlotChecks.png(f);
        assertTrue(PlotChecks.count(img, Palette.MEAN.getRGB()) > 20, "mean line drawn");
        assertTrue(PlotChecks.svgTexts(PlotChecks.svg(f)).contains("test_loss vs lr"));
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("lr", "test_loss"), csv.get(0));
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(
                    (double) rows.get(i).get("lr"),
                    Double.parseDouble(csv.get(i + 1).get(0)));
            assertEquals(
                    (double) rows.get(i).get("test_loss"),
                    Double.parseDouble(csv.get(i + 1).get(1)));
        }
    }

    @Test
    void metricVsHyperparameterUsesLinearOrCategoricalAxesWhenThatFits() {
        XYChart linear = Figures.metricVsHyperparameterChart(seedRows(new double[] {1, 10, 50}, 1), "lr", "test_loss");
        assertFalse(linear.getStyler().isXAxisLogarithmic(), "1..50 spans less than two decades");
        assertNotNull(linear.getSeriesMap().get("trial"));
        assertEquals(null, linear.getSeriesMap().get("mean"), "no mean line without repeated x");

        List<Map<String, Object>> rows = new ArrayList<>();
        for (String act : List.of("RELU", "TANH", "RELU", "SIGMOID")) {
            rows.add(Map.of("activation", act, "test_loss", act.length() + 0.5));
        }
        rows.add(new LinkedHashMap<>(Map.of("activation", "TANH"))); // a failed trial: no metric, left out
        XYChart categorical = Figures.metricVsHyperparameterChart(rows, "activation", "test_loss");
        XYSeries trials = categorical.getSeriesMap().get("trial");
        assertEquals(
                List.of(0.0, 1.0, 0.0, 2.0),
                Arrays.stream(trials.getXData()).boxed().toList(),
                "categories in order of first appearance");
        var labels = categorical.getStyler().getxAxisTickLabelsFormattingFunction();
        assertEquals("RELU", labels.apply(0.0));
        assertEquals("SIGMOID", labels.apply(2.0));
        assertEquals("", labels.apply(0.5));
    }

    @Test
    void metricVsHyperparameterRejectsRowsItCannotPlot() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.metricVsHyperparameter(tmp, "m", List.of(Map.of("beta", 1.0)), "lr", "test_loss"));
        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.metricVsHyperparameter(tmp, "m", List.of(Map.of("lr", 1.0)), "lr", "test_loss"));
        assertTrue(e.getMessage().contains("test_loss"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.metricVsHyperparameter(
                        tmp, "m", List.of(Map.of("lr", 1.0, "test_loss", "n/a")), "lr", "test_loss"));
        assertTrue(e.getMessage().contains("n/a"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Figures.metricVsHyperparameter(tmp, "m", List.of(), "lr", "test_loss"));
        assertTrue(e.getMessage().contains("no trials"), e.getMessage());
    }

    @Test
    void chartGridTilesChartsIntoOneFigureWithTheirDataInOneCsv() throws Exception {
        List<XYChart> charts = new ArrayList<>();
        List<double[][]> points = new ArrayList<>();
        List<int[]> labelSets = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int[] labels = new int[90];
            double[][] xy = blobs(90, labels, 10 + p);
            points.add(xy);
            labelSets.add(labels);
            charts.add(Figures.latentScatterChart("beta=" + (p + 1) + ", seed=7", xy, labels, "z1", "z2"));
        }
        PlotFiles f = Figures.chartGrid(tmp, "grid", charts, 2, "Latent spaces by trial");
        PlotChecks.checkFiles(f, tmp, "grid");
        BufferedImage img = PlotChecks.png(f);
        assertEquals(2 * Figures.PANEL_WIDTH, img.getWidth());
        assertTrue(img.getHeight() > 2 * Figures.PANEL_HEIGHT && img.getHeight() < 2 * Figures.PANEL_HEIGHT + 150);
        // the empty fourth panel stays white
        assertEquals(0xFFFFFF, img.getRGB(img.getWidth() * 3 / 4, img.getHeight() * 3 / 4) & 0xFFFFFF);
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        for (String t : List.of("Latent spaces by trial", "beta=1, seed=7", "beta=2, seed=7", "beta=3, seed=7")) {
            assertTrue(texts.contains(t), t + " in " + texts);
        }
        // the panels' own titles are shown again by XChart after painting
        assertTrue(charts.get(0).getStyler().isChartTitleVisible());

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("panel", "panel_title", "series", "x", "y"), csv.get(0));
        assertEquals(1 + 3 * 90, csv.size());
        for (int p = 0; p < 3; p++) {
            // rows of one panel are grouped by series (label); compare as sets of (label, x, y)
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                expected.add(labelSets.get(p)[i] + " " + points.get(p)[i][0] + " " + points.get(p)[i][1]);
            }
            List<String> actual = new ArrayList<>();
            for (List<String> row : csv.subList(1, csv.size())) {
                if (row.get(0).equals(String.valueOf(p))) {
                    assertEquals("beta=" + (p + 1) + ", seed=7", row.get(1), "quoted title with a comma");
                    actual.add(
                            row.get(2) + " " + Double.parseDouble(row.get(3)) + " " + Double.parseDouble(row.get(4)));
                }
            }
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual);
        }
    }

    @Test
    void shortFormsUseAxesZ1Z2AndUpToFourColumns() throws Exception {
        int[] labels = new int[60];
        double[][] xy = blobs(60, labels, 3);
        XYChart chart = Figures.latentScatterChart("codes", xy, labels);
        assertEquals("z1", chart.getXAxisTitle());
        assertEquals("z2", chart.getYAxisTitle());
        PlotFiles two = Figures.chartGrid(tmp, "two", List.of(chart, chart), "two runs");
        assertEquals(2 * Figures.PANEL_WIDTH, PlotChecks.png(two).getWidth());
        List<XYChart> six = List.of(chart, chart, chart, chart, chart, chart);
        PlotFiles many = Figures.chartGrid(tmp, "six", six, "six runs");
        assertEquals(
                Figures.MAX_DEFAULT_COLUMNS * Figures.PANEL_WIDTH,
                PlotChecks.png(many).getWidth());
    }

    @Test
    void chartGridTakesChartsBuiltElsewhereWithTheSameLegendInPngAndSvg() throws Exception {
        XYChart own = new XYChart(400, 300);
        own.setTitle("own chart");
        own.addSeries("series a", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        PlotFiles f = Figures.chartGrid(tmp, "own", List.of(own), 1, "caller's chart");
        BufferedImage img = PlotChecks.png(f);
        assertTrue(PlotChecks.count(img, Palette.TABLEAU_10.get(0).getRGB()) > 10, "series coloured from the palette");
        String svg = Files.readString(f.svg());
        assertTrue(svg.contains("rgb(78,121,167)"), "the SVG uses the same colour");
        assertTrue(PlotChecks.svgTexts(PlotChecks.svg(f)).contains("series a"));
        assertEquals(
                List.of("0", "own chart", "series a", "1.0", "3.0"),
                PlotChecks.csv(f).get(1));
    }

    @Test
    void chartGridRejectsBadInput() {
        XYChart chart = Figures.latentScatterChart("t", new double[][] {{0, 0}}, new int[] {0}, "x", "y");
        assertThrows(IllegalArgumentException.class, () -> Figures.chartGrid(tmp, "g", List.of(), 2, "t"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Figures.chartGrid(tmp, "g", List.of(chart), 0, "t"));
        assertTrue(e.getMessage().contains("columns"), e.getMessage());
        List<XYChart> withNull = new ArrayList<>();
        withNull.add(chart);
        withNull.add(null);
        e = assertThrows(IllegalArgumentException.class, () -> Figures.chartGrid(tmp, "g", withNull, 2, "t"));
        assertTrue(e.getMessage().contains("chart 1"), e.getMessage());
    }

    @Test
    void rewritingAPlotReplacesItsFiles() throws Exception {
        double[][] xy = {{0, 0}, {1, 1}};
        PlotFiles first = Figures.latentScatter(tmp, "again", "t", xy, new int[] {0, 1}, "x", "y");
        PlotFiles second = Figures.latentScatter(tmp, "again", "t", new double[][] {{5, 5}}, new int[] {3}, "x", "y");
        assertEquals(first, second);
        assertEquals(2, PlotChecks.csv(second).size());
    }

    @Test
    void rocCurveWritesItsPointsAndTheAurocInTheLegend() throws Exception {
        // positives 0.9, 0.7; negatives 0.8, 0.7, 0.2: points (0,0) (0,.5) (1/3,.5) (2/3,1) (1,1), area 0.75
        double[] scores = {0.9, 0.8, 0.7, 0.7, 0.2};
        boolean[] positive = {true, false, true, false, false};
        RocCurve roc = RocCurve.of(scores, positive);
        double auroc = Metrics.auroc(scores, positive);
        PlotFiles f = Figures.rocCurve(tmp, "roc", "ROC of anomaly detection", roc, auroc);
        PlotChecks.checkFiles(f, tmp, "roc");
        BufferedImage img = PlotChecks.png(f);
        assertTrue(PlotChecks.count(img, Figures.ROC_LINE.getRGB()) > 100, "the curve is drawn in its colour");
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        assertTrue(texts.contains("AUROC = 0.7500"), "legend names the AUROC: " + texts);
        assertTrue(texts.contains("ROC of anomaly detection"));

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("threshold", "fpr", "tpr"), csv.get(0));
        double[][] expected = {
            {Double.POSITIVE_INFINITY, 0, 0}, {0.9, 0, 0.5}, {0.8, 1 / 3.0, 0.5}, {0.7, 2 / 3.0, 1}, {0.2, 1, 1}
        };
        assertEquals(expected.length + 1, csv.size());
        double area = 0;
        for (int k = 0; k < expected.length; k++) {
            List<String> row = csv.get(k + 1);
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[k][c], Double.parseDouble(row.get(c)), 1e-15, "row " + k + " column " + c);
            }
            if (k > 0) {
                area += (expected[k][1] - expected[k - 1][1]) * (expected[k][2] + expected[k - 1][2]) / 2;
            }
        }
        assertEquals(auroc, area, 1e-15, "the area under the written points is the AUROC");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Figures.rocCurve(tmp, "bad", "t", roc, 1.5))
                .getMessage()
                .contains("1.5"));
    }

    @Test
    void rocCurvesChartDrawsEveryCurveInItsOwnColourNamedInTheLegend() throws Exception {
        List<double[]> fpr = List.of(new double[] {0, 0.2, 1}, new double[] {0, 0.5, 1});
        List<double[]> tpr = List.of(new double[] {0, 0.9, 1}, new double[] {0, 0.6, 1});
        XYChart chart = Figures.rocCurvesChart("two detectors", List.of("a (AUROC 0.85)", "b (AUROC 0.55)"), fpr, tpr);
        assertEquals(
                List.of("chance (AUROC = 0.5)", "a (AUROC 0.85)", "b (AUROC 0.55)"),
                List.copyOf(chart.getSeriesMap().keySet()));
        assertNotEquals(
                chart.getSeriesMap().get("a (AUROC 0.85)").getLineColor(),
                chart.getSeriesMap().get("b (AUROC 0.55)").getLineColor());
        assertArrayEquals(
                new double[] {0, 0.9, 1},
                chart.getSeriesMap().get("a (AUROC 0.85)").getYData());
        PlotFiles f = Figures.chartGrid(tmp, "rocs", List.of(chart), "ROC curves");
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        assertTrue(texts.contains("a (AUROC 0.85)") && texts.contains("b (AUROC 0.55)"), "legend: " + texts);

        assertThrows(
                IllegalArgumentException.class,
                () -> Figures.rocCurvesChart("t", List.of("a"), fpr, tpr),
                "as many names as curves");
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Figures.rocCurvesChart(
                                "t", List.of("a"), List.of(new double[] {0, 1.5}), List.of(new double[] {0, 1})))
                .getMessage()
                .contains("1.5"));
    }

    @Test
    void meanWithErrorBarsDrawsOneLinePerSeriesWithItsBarsAndWritesTheNumbers() throws Exception {
        Figures.ErrorBarSeries a = new Figures.ErrorBarSeries(
                "without",
                new double[] {60_000, 100, 1000},
                new double[] {2, 30, 10},
                new double[] {Double.NaN, 4, 1},
                new int[] {1, 3, 3});
        Figures.ErrorBarSeries b = new Figures.ErrorBarSeries(
                "with",
                new double[] {100, 1000, 60_000},
                new double[] {20, 8, 1.9},
                new double[] {3, 0.5, 0.1},
                new int[] {3, 3, 2});
        PlotFiles f = Figures.meanWithErrorBars(
                tmp, "errors", "Test error vs labels", "labels", "test error (%)", List.of(a, b), true);
        PlotChecks.checkFiles(f, tmp, "errors");
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        for (String t : List.of("Test error vs labels", "without", "with")) {
            assertTrue(texts.contains(t), t + " in " + texts);
        }
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("series", "x", "mean", "sd", "n"), csv.get(0));
        assertEquals(List.of("without", "100.0", "30.0", "4.0", "3"), csv.get(1), "points in x order");
        assertEquals(List.of("without", "60000.0", "2.0", "", "1"), csv.get(3), "no sd for a single repeat");
        assertEquals(List.of("with", "60000.0", "1.9", "0.1", "2"), csv.get(6));

        PlotChecks.png(f);

        // The bars are the standard deviations (0 where undefined), the y axis holds every bar, and the two
        // series are drawn a little apart in x around the true values.
        XYChart chart = Figures.meanWithErrorBarsChart("t", "labels", "error", List.of(a, b), true);
        XYSeries without = chart.getSeriesMap().get("without");
        XYSeries with = chart.getSeriesMap().get("with");
        assertEquals(
                List.of(4.0, 1.0, 0.0),
                Arrays.stream(without.getExtraValues()).boxed().toList());
        assertEquals(
                List.of(30.0, 10.0, 2.0),
                Arrays.stream(without.getYData()).boxed().toList());
        assertEquals(
                List.of(3.0, 0.5, 0.1),
                Arrays.stream(with.getExtraValues()).boxed().toList());
        assertTrue(chart.getStyler().getYAxisMin() < 1.8 && chart.getStyler().getYAxisMax() > 34);
        for (int i = 0; i < 3; i++) {
            double x = new double[] {100, 1000, 60_000}[i];
            assertTrue(without.getXData()[i] < x && with.getXData()[i] > x, "dodged around " + x);
            assertEquals(x, Math.sqrt(without.getXData()[i] * with.getXData()[i]), 1e-9 * x, "symmetric on a log axis");
        }

        assertThrows(
                IllegalArgumentException.class,
                () -> Figures.meanWithErrorBars(
                        tmp,
                        "bad",
                        "t",
                        "x",
                        "y",
                        List.of(new Figures.ErrorBarSeries(
                                "zero", new double[] {0}, new double[] {1}, new double[] {0}, new int[] {1})),
                        true),
                "a log axis needs x > 0");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Figures.ErrorBarSeries(
                        "short", new double[] {1, 2}, new double[] {1}, new double[] {0}, new int[] {1}));
    }

    @Test
    void classColoursAreTableauForTenClassesAndNeverRepeatForEmnistsFortySeven() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int label = 0; label < 47; label++) {
            assertTrue(seen.add(Palette.classColor(label).getRGB()), "class " + label + " repeats a colour");
        }
        for (int label = 0; label < 10; label++) {
            assertEquals(Palette.TABLEAU_10.get(label), Palette.classColor(label));
        }
    }
}
