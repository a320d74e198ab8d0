package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.EvaluationResult.SamplerVerdict;
import org.latentlab.eval.RandomCodes;
import org.latentlab.models.Models;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

class LatentSpacesTest {
    @TempDir
    Path tmp;

    /** KL(N(m, S) || N(0, I)) in two dimensions from the sample mean and covariance, with det S written out. */
    private static double kl2d(double[][] z) {
        int n = z.length;
        double mx = 0;
        double my = 0;
        for (double[] p : z) {
            mx += p[0] / n;
            my += p[1] / n;
        }
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (double[] p : z) {
            sxx += (p[0] - mx) * (p[0] - mx) / (n - 1);
            syy += (p[1] - my) * (p[1] - my) / (n - 1);
            sxy += (p[0] - mx) * (p[1] - my) / (n - 1);
        }
        return 0.5 * (sxx + syy + mx * mx + my * my - 2 - Math.log(sxx * syy - sxy * sxy));
    }

    @Test
    void codeCloudMatchesAHandComputation() {
        double[][] codes = {{0, 0}, {2, 0}, {0, 2}, {2, 2}};
        LatentSpaces.CodeCloud c = LatentSpaces.cloud(codes);
        assertEquals(1, c.mean()[0], 1e-12);
        assertEquals(1, c.mean()[1], 1e-12);
        assertEquals(Math.sqrt(4 / 3.0), c.std()[0], 1e-12);
        // tr S = 8/3, |m|^2 = 2, det S = 16/9
        assertEquals(0.5 * (8 / 3.0 + 2 - 2 - Math.log(16 / 9.0)), c.klToPrior(), 1e-12);
        assertEquals(0.75, c.withinPriorRadius(), 1e-12, "(2, 2) lies outside radius 2, the rest on or inside");

        double[][] correlated = {{0, 0}, {1, 1.5}, {2, 3.5}, {3, 2}, {-1, -0.5}, {0.5, 1}};
        assertEquals(kl2d(correlated), LatentSpaces.cloud(correlated).klToPrior(), 1e-10);
        double[][] prior = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        // mean 0, S = diag(2/3, 2/3): KL = (4/3 - 2 - 2 log(2/3)) / 2
        assertEquals(
                0.5 * (4 / 3.0 - 2 - 2 * Math.log(2 / 3.0)),
                LatentSpaces.cloud(prior).klToPrior(),
                1e-12);
    }

    private static LatentSpaces.Verdict verdict(int d, double ae, double vae) {
        return new LatentSpaces.Verdict(d, ae, 1, 0, vae, ae == vae ? 1 : vae > ae ? 2 : 0.5);
    }

    @Test
    void theClaimIsWordedFromTheComparison() {
        assertEquals(
                "held at every code size compared",
                LatentSpaces.claim(List.of(verdict(8, 0.1, 0.5), verdict(16, 0.2, 0.6))));
        assertEquals("did not hold at any code size compared", LatentSpaces.claim(List.of(verdict(8, 0.5, 0.1))));
        assertEquals(
                "was not decided at any code size compared: the two measures disagreed or were equal",
                LatentSpaces.claim(List.of(verdict(8, 0, 0))));
        assertEquals(
                "held at 1, did not hold at 1 and was not decided at 1 of the 3 code sizes compared",
                LatentSpaces.claim(List.of(verdict(8, 0.1, 0.5), verdict(16, 0.5, 0.1), verdict(32, 0.3, 0.3))));
        // a VAE that is surer but of fewer classes does not decide it
        LatentSpaces.Verdict confidentButNarrow = new LatentSpaces.Verdict(8, 0.2, 2.0, 0, 0.6, 0.5);
        assertEquals(0, confidentButNarrow.outcome());
    }

    @Test
    void quickSweepTabulatesEverySamplerAndTheTwoCodeSpaces() throws Exception {
        LatentSpaces exp = new LatentSpaces();
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(6, 0, 0), runner.run(exp, tmp, new Shard(0, 1)), "2 models x 3 sizes");
        runner.collect(exp, tmp);
        QuickReports.writeAndCheck(tmp);

        Map<String, EvaluationResult> byTrial = new LinkedHashMap<>();
        Map<String, ResultsTable.Row> rows = new LinkedHashMap<>();
        for (ResultsTable.Row row : ResultsTable.collect(tmp).rows()) {
            EvaluationResult e = EvaluationResult.read(
                    tmp.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial()).resolve(EvaluationResult.FILE));
            String key = row.params().get("model") + e.codeSize();
            byTrial.put(key, e);
            rows.put(key, row);
        }
        assertEquals(6, byTrial.size());

        List<List<List<String>>> tables = AnalysisTables.read(tmp.resolve(SweepAnalysis.FILE));
        // the 2-d code spaces: the KL column against a hand computation on the same codes
        List<List<String>> spaces = tables.get(0);
        assertEquals("model", spaces.get(0).get(0));
        assertEquals(
                List.of("AE", "VAE"),
                List.of(spaces.get(1).get(0), spaces.get(2).get(0)));
        TrainingRun runs = new TrainingRun(Models.registry(), Datasets.defaultDataDir(), false);
        for (int i = 0; i < 2; i++) {
            String model = i == 0 ? "ae" : "vae";
            TrainingRun.Finished run = runs.load(tmp.resolve(SweepRunner.TRIALS_DIR)
                    .resolve(rows.get(model + 2).trial()));
            int n = Math.min(LatentSpaces.SCATTER_POINTS, run.test().size());
            int[] first = new int[n];
            Arrays.setAll(first, k -> k);
            ImageDataset shown = run.test().subset(first);
            double[][] codes = RandomCodes.encode(run.model(), shown).toDoubleMatrix();
            double kl = kl2d(codes);
            assertEquals(kl, Double.parseDouble(spaces.get(i + 1).get(3)), 1e-3 * Math.abs(kl), model);
        }

        // every sampler of every trial, with the evaluation's numbers, and the real images once
        List<List<String>> sampling = tables.get(1);
        assertEquals(
                List.of("model", "code size", "sampler", "confidence", "share >= 0.9", "class entropy"),
                sampling.get(0));
        assertEquals(1 + 3 * 2 + 3 * 3 + 1, sampling.size(), "AE: 2 samplers, VAE: 3, per size; real images");
        for (List<String> r : sampling.subList(1, sampling.size() - 1)) {
            EvaluationResult e = byTrial.get(r.get(0).toLowerCase() + r.get(1));
            SamplerVerdict v =
                    switch (r.get(2)) {
                        case "prior" -> e.samples().prior();
                        case "N(0, I) codes" -> e.samples().normal();
                        case "fitted-Gaussian codes" -> e.samples().fitted();
                        default -> throw new AssertionError("unknown sampler " + r);
                    };
            assertEquals(v.confidence(), Double.parseDouble(r.get(3)), 1e-3 * v.confidence(), r.toString());
            assertEquals(v.classEntropy(), Double.parseDouble(r.get(5)), 1e-3 * v.classEntropy() + 1e-9);
            assertEquals(300, v.images());
        }
        assertEquals("real test images", sampling.get(sampling.size() - 1).get(0));

        // the claim, recomputed from the evaluations
        List<LatentSpaces.Verdict> expected = new ArrayList<>();
        for (int d : new int[] {8, 32}) {
            expected.add(new LatentSpaces.Verdict(
                    d,
                    byTrial.get("ae" + d).samples().normal().confidentShare(),
                    byTrial.get("ae" + d).samples().normal().classEntropy(),
                    byTrial.get("ae" + d).samples().fitted().confidentShare(),
                    byTrial.get("vae" + d).samples().prior().confidentShare(),
                    byTrial.get("vae" + d).samples().prior().classEntropy()));
        }
        String analysis = Files.readString(tmp.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("claim** (") && analysis.contains(LatentSpaces.claim(expected)), analysis);
        for (String figure : List.of("latent_2d_ae_vs_vae.png", "random_code_samples.png")) {
            assertTrue(Files.size(tmp.resolve(SweepAnalysis.PLOTS_DIR).resolve(figure)) > 0, figure);
        }
    }

    @Test
    void quickSweepOnFashionMnistNamesTheClassesAndJudgesWithAFashionClassifier() throws Exception {
        Path data = FashionFixture.write(tmp.resolve("data"));
        Path out = tmp.resolve("fashion");
        LatentSpaces exp = new LatentSpaces();
        exp.atScale(Experiment.Scale.QUICK).onDataset(Datasets.FASHION_MNIST);
        SweepRunner runner = new SweepRunner(Models.registry(), data, false);
        assertEquals(new SweepRunner.Outcome(6, 0, 0), runner.run(exp, out, new Shard(0, 1)));
        runner.collect(exp, out);
        QuickReports.writeAndCheck(out, data);

        TrainingRun runs = new TrainingRun(Models.registry(), data, false);
        try (var trials = Files.list(out.resolve(SweepRunner.TRIALS_DIR))) {
            for (Path trial : trials.toList()) {
                assertEquals(Datasets.FASHION_MNIST, runs.readConfig(trial).dataset(), trial.toString());
                assertEquals(
                        GalleryExperiment.QUICK_TRAIN_SIZE,
                        runs.readConfig(trial).trainSize());
            }
        }
        try (var judges = Files.list(out.resolve("judges"))) {
            assertTrue(
                    judges.anyMatch(f -> f.getFileName().toString().startsWith(Datasets.FASHION_MNIST + "-e")),
                    "the judge is trained on the sweep's dataset");
        }
        String analysis = Files.readString(out.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.startsWith("# Analysis of latent-spaces on fashion-mnist (quick run)"), analysis);
        assertTrue(analysis.contains("do the fashion-mnist items cluster?"), analysis);
        assertTrue(analysis.contains("not fashion-mnist items, a VAE's prior samples are"), analysis);
        assertTrue(
                !analysis.contains("do the digits") && !analysis.contains("every digit"),
                "no digits on Fashion-MNIST: " + analysis);
        for (String figure : List.of("latent_2d_ae_vs_vae.png", "random_code_samples.png")) {
            assertTrue(Files.size(out.resolve(SweepAnalysis.PLOTS_DIR).resolve(figure)) > 0, figure);
        }
    }
}
