package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.models.Models;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.sweep.TrialPlanner;

/** The pretraining experiment: its plan at both scales, its statistics and verdict, and a quick sweep end to end. */
class PretrainingTest {

    @TempDir
    Path tmp;

    @Test
    void fineTuningGetsAtLeastTheStepsAndPassesItIsPromised() {
        // 100 labels: 1 step an epoch; 1,000: 8; 60,000: 469 (the last partial batch counts as a step).
        assertEquals(500, Pretraining.finetuneEpochs(100, 128, 500, 5));
        assertEquals(63, Pretraining.finetuneEpochs(1000, 128, 500, 5));
        assertEquals(5, Pretraining.finetuneEpochs(60_000, 128, 500, 5));
        assertEquals(6, Pretraining.finetuneEpochs(2000, 128, 50, 6), "16 steps an epoch: passes decide");
        for (int n : new int[] {1, 99, 100, 128, 129, 1000, 59_999}) {
            int epochs = Pretraining.finetuneEpochs(n, 128, 500, 5);
            int steps = epochs * ((n + 127) / 128);
            int stepsOneEpochLess = (epochs - 1) * ((n + 127) / 128);
            assertTrue(steps >= 500 && epochs >= 5, n + ": " + epochs);
            assertTrue(epochs == 5 || stepsOneEpochLess < 500, n + ": no more epochs than needed");
        }
    }

    @Test
    void theFullSweepPairsEverySeedWithAndWithoutPretrainingOnTheWholeTrainingSet() {
        Experiment full = new Pretraining();
        RunConfig base = full.baseConfig();
        assertEquals(Datasets.MNIST, base.dataset());
        assertEquals(0.0, base.validationFraction(), "no labels spent on validation");
        assertEquals(0, base.trainer().checkpointEvery());
        assertEquals(0, base.trainer().patience());
        List<Map<String, Object>> points = full.sweep().points();
        assertEquals(16, points.size());
        Map<String, Integer> trialsPerCell = new TreeMap<>();
        for (Map<String, Object> p : points) {
            int labels = (Integer) p.get("trainSize");
            int epochs = (Integer) p.get("trainer.epochs");
            assertEquals(labels == 100 ? 500 : labels == 1000 ? 63 : 5, epochs, p.toString());
            trialsPerCell.merge(labels + "/" + p.get("model.pretrainEpochs"), 1, Integer::sum);
        }
        assertEquals(Map.of("0/0", 2, "0/1", 2, "100/0", 3, "100/1", 3, "1000/0", 3, "1000/1", 3), trialsPerCell);
        // Every key resolves against the stacked autoencoder's config.
        assertEquals(16, new TrialPlanner(Models.registry()).plan(full).size());

        Experiment quick = new Pretraining().atScale(Experiment.Scale.QUICK);
        assertEquals(Datasets.MNIST_SAMPLE, quick.baseConfig().dataset());
        assertEquals(8, new TrialPlanner(Models.registry()).plan(quick).size());
    }

    @Test
    void meanAndStandardDeviationMatchTheTextbookValues() {
        List<Double> xs = List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0);
        assertEquals(5.0, Pretraining.mean(xs), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), Pretraining.sd(xs), 1e-12, "sample sd, divisor n - 1");
        assertTrue(Double.isNaN(Pretraining.sd(List.of(3.0))), "no sd from one seed");
        assertEquals("30.00 ± 1.41 (n = 2)", Pretraining.meanSd(List.of(0.29, 0.31)));
        assertEquals("12.50 (n = 1)", Pretraining.meanSd(List.of(0.125)));
    }

    private static Pretraining.Cell cell(int examples, double... errors) {
        TreeMap<Long, Double> bySeed = new TreeMap<>();
        for (int i = 0; i < errors.length; i++) {
            bySeed.put((long) i + 1, errors[i]);
        }
        return new Pretraining.Cell(examples, 10_000, bySeed);
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Pretraining.LabelRow all = new Pretraining.LabelRow(0, cell(60_000, 0.020, 0.021), cell(60_000, 0.019, 0.021));
        String yes = Pretraining.verdict(
                List.of(new Pretraining.LabelRow(100, cell(100, 0.30, 0.32, 0.28), cell(100, 0.20, 0.25, 0.27)), all));
        assertTrue(yes.contains("Yes: pretraining helped with few labels, in every seed"), yes);
        assertTrue(yes.contains("from 30.00% to 24.00%") && yes.contains("better in 3 of 3 seeds"), yes);
        assertTrue(yes.contains("the benefit shrinks"), yes);

        String partly = Pretraining.verdict(
                List.of(new Pretraining.LabelRow(100, cell(100, 0.30, 0.20), cell(100, 0.22, 0.21)), all));
        assertTrue(partly.contains("Only partly"), partly);

        String no = Pretraining.verdict(
                List.of(new Pretraining.LabelRow(100, cell(100, 0.20, 0.21), cell(100, 0.25, 0.22)), all));
        assertTrue(no.contains("No: pretraining did not lower"), no);
        assertTrue(no.contains("does not show the benefit shrinking"), no);
    }

    @Tag("e2e")
    @Test
    void aQuickSweepTabulatesAndDrawsTheTestErrorsOfItsTrials() throws Exception {
        Pretraining exp = new Pretraining();
        exp.atScale(Experiment.Scale.QUICK);
        Path dir = tmp.resolve("pretraining");
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        runner.run(exp, dir, new Shard(0, 1));
        ResultsTable table = runner.collect(exp, dir);
        QuickReports.writeAndCheck(dir);
        assertEquals(8, table.rows().size());
        for (ResultsTable.Row r : table.rows()) {
            assertEquals("completed", r.status(), r.toString());
        }

        // Independently: group results.csv's test errors by (labels, pretraining) in percent.
        List<String> csv = Files.readAllLines(dir.resolve(ResultsTable.CSV));
        List<String> header = List.of(csv.get(0).split(","));
        Map<String, List<Double>> groups = new TreeMap<>();
        Map<String, List<Long>> seeds = new TreeMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            String key = f[header.indexOf("trainSize")] + "/" + f[header.indexOf("pretrainEpochs")];
            groups.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(Double.parseDouble(f[header.indexOf("test_error_rate")]));
            seeds.computeIfAbsent(key, k -> new ArrayList<>()).add(Long.parseLong(f[header.indexOf("seed")]));
        }
        assertEquals(List.of("0/0", "0/1", "100/0", "100/1"), List.copyOf(groups.keySet()));
        String analysis = Files.readString(dir.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("(quick run)") && analysis.contains("on the 500 test images"), analysis);
        for (String labels : List.of("100", "0")) {
            List<Double> without = groups.get(labels + "/0");
            List<Double> with = groups.get(labels + "/1");
            assertEquals(seeds.get(labels + "/0"), seeds.get(labels + "/1"), "the same seeds in both settings");
            List<Double> gains = new ArrayList<>();
            for (int i = 0; i < without.size(); i++) {
                gains.add(without.get(i) - with.get(i));
            }
            String row = "| " + (labels.equals("0") ? "all (2000)" : "100") + " | " + cellText(without) + " | "
                    + cellText(with) + " | " + cellText(gains) + " | "
                    + gains.stream().filter(g -> g > 0).count() + " of 2 |";
            assertTrue(analysis.contains(row), row + "\nnot in\n" + analysis);
        }
        assertTrue(analysis.contains("**Did the lecture's claim hold in this run?**"), analysis);

        // The figure's numbers are the same means and standard deviations, in percent, at the subset sizes.
        Path figureCsv = dir.resolve(SweepAnalysis.PLOTS_DIR).resolve("test_error_vs_labels.csv");
        assertTrue(Files.isRegularFile(dir.resolve(SweepAnalysis.PLOTS_DIR).resolve("test_error_vs_labels.png")));
        List<String> points = Files.readAllLines(figureCsv);
        assertEquals("series,x,mean,sd,n", points.get(0));
        assertEquals(5, points.size(), "two series of two points");
        for (String p : points.subList(1, points.size())) {
            String[] f = p.split(",");
            double x = Double.parseDouble(f[1]);
            assertTrue(x == 100 || x == 2000, "x: the examples fine-tuned on, all 2,000 for trainSize 0: " + p);
            List<Double> errors =
                    groups.get((x == 100 ? "100" : "0") + (f[0].equals("with pretraining") ? "/1" : "/0"));
            // results.csv keeps 6 significant digits
            assertEquals(100 * mean(errors), Double.parseDouble(f[2]), 1e-4, p);
            assertEquals(100 * sd(errors), Double.parseDouble(f[3]), 1e-4, p);
            assertEquals("2", f[4]);
        }
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    /** Sample standard deviation of two values: |a - b| / sqrt(2). */
    private static double sd(List<Double> xs) {
        assertEquals(2, xs.size());
        return Math.abs(xs.get(0) - xs.get(1)) / Math.sqrt(2);
    }

    private static String cellText(List<Double> xs) {
        return String.format(Locale.ROOT, "%.2f ± %.2f (n = %d)", 100 * mean(xs), 100 * sd(xs), xs.size());
    }
}
