package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.Models;
import org.latentlab.models.ae.DenoisingAutoencoderConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialPlanner;

/**
 * The denoising experiment: nine trials (three kinds at three levels), each evaluated with its own corruption; a quick
 * sweep's table has the nine rows, its noisy-input errors agree with what each corruption must cost on these test
 * images (computed here from the clean pixels alone), the ratio column is denoised / noisy, and the figure tiles the
 * three medium levels.
 */
class DenoisingSweepTest {
    @TempDir
    Path tmp;

    @Test
    void trialsAreEveryKindAtThreeLevelsEvaluatedAsTrained() {
        DenoisingSweep exp = new DenoisingSweep();
        exp.atScale(Experiment.Scale.QUICK);
        List<Trial> trials = new TrialPlanner(Models.registry()).plan(exp);
        assertEquals(9, trials.size());
        for (int i = 0; i < 9; i++) {
            DenoisingAutoencoderConfig c =
                    (DenoisingAutoencoderConfig) trials.get(i).config().model();
            Corruption.Kind kind = DenoisingSweep.KINDS.get(i / 3);
            assertEquals(new Corruption(kind, DenoisingSweep.LEVELS.get(kind)[i % 3]), c.corruption());
            assertEquals(DenoisingSweep.architecture(), c.autoencoder());
            assertEquals(
                    c.corruption(),
                    exp.evaluation(trials.get(i).config()).orElseThrow().denoising());
        }
    }

    @Test
    void quickSweepTabulatesNoisyAgainstDenoisedErrors() throws Exception {
        DenoisingSweep exp = new DenoisingSweep();
        exp.atScale(Experiment.Scale.QUICK);
        Path dir = tmp.resolve("denoising");
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        runner.run(exp, dir, new Shard(0, 1));
        ResultsTable table = runner.collect(exp, dir);
        QuickReports.writeAndCheck(dir);
        assertEquals(9, table.rows().size());
        table.rows().forEach(r -> assertEquals("completed", r.status(), r.toString()));

        String analysis = Files.readString(dir.resolve(SweepAnalysis.FILE));
        List<String> lines = analysis.lines()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| noise"))
                .toList();
        assertEquals(9, lines.size(), analysis);

        // What each corruption costs on average, from the clean test pixels only: masking p zeroes a share p of the
        // pixels (p E[x^2]); salt and pepper sets p/2 to 0 and p/2 to 1 (p/2 E[x^2] + p/2 E[(1-x)^2]); Gaussian
        // noise of std s adds s^2.
        DataBundle data = Datasets.load(Datasets.MNIST_SAMPLE);
        double[] x = data.test().features().data().asDouble();
        double x2 = 0;
        double oneMinusX2 = 0;
        for (double v : x) {
            x2 += v * v;
            oneMinusX2 += (1 - v) * (1 - v);
        }
        x2 /= x.length;
        oneMinusX2 /= x.length;
        for (int i = 0; i < 9; i++) {
            ResultsTable.Row row = table.rows().get(i);
            EvaluationResult e = EvaluationResult.read(
                    dir.resolve("trials").resolve(row.trial()).resolve(EvaluationResult.FILE));
            Corruption c = e.denoising().corruption();
            double p = c.level();
            double expected =
                    switch (c.kind()) {
                        case MASKING -> p * x2;
                        case SALT_AND_PEPPER -> p / 2 * x2 + p / 2 * oneMinusX2;
                        case GAUSSIAN -> p * p;
                        default -> throw new AssertionError(c);
                    };
            double noisy = e.denoising().noisyMsePerPixel();
            assertEquals(expected, noisy, 0.03 * expected, c.format());
            String[] cells =
                    lines.get(i).substring(2, lines.get(i).length() - 2).split(" \\| ");
            assertEquals(c.kind().name().toLowerCase(Locale.ROOT), cells[0]);
            assertEquals(String.valueOf(p), cells[1]);
            assertEquals(List.of("mild", "medium", "strong").get(i % 3), cells[2]);
            assertEquals(SweepAnalysis.num(noisy), cells[3]);
            assertEquals(SweepAnalysis.num(e.denoising().msePerPixel()), cells[4]);
            assertEquals(SweepAnalysis.num(e.denoising().msePerPixel() / noisy), cells[5]);
            assertEquals(SweepAnalysis.num(e.reconstruction().msePerPixel()), cells[6]);
        }
        String panels = Files.readString(dir.resolve("plots").resolve("denoising_medium.csv"));
        assertEquals(4, panels.lines().count(), panels);
        for (Corruption.Kind kind : DenoisingSweep.KINDS) {
            assertTrue(panels.contains(DenoisingSweep.medium(kind).format()), panels);
            assertTrue(Files.isRegularFile(
                    dir.resolve("plots").resolve("denoising_" + kind.name().toLowerCase(Locale.ROOT) + ".png")));
        }
    }

    @Test
    void readingFollowsTheRatioAcrossLevels() {
        List<DenoisingSweep.Row> rows = List.of(
                new DenoisingSweep.Row(new Corruption(Corruption.Kind.MASKING, 0.1), 0.01, 0.008, 0.005),
                new DenoisingSweep.Row(new Corruption(Corruption.Kind.MASKING, 0.3), 0.03, 0.012, 0.006),
                new DenoisingSweep.Row(new Corruption(Corruption.Kind.MASKING, 0.5), 0.05, 0.010, 0.007),
                new DenoisingSweep.Row(new Corruption(Corruption.Kind.GAUSSIAN, 0.1), 0.01, 0.02, 0.005),
                new DenoisingSweep.Row(new Corruption(Corruption.Kind.GAUSSIAN, 0.3), 0.09, 0.03, 0.006));
        String reading = DenoisingSweep.reading(rows);
        assertTrue(reading.contains("closer to the clean image than the noisy input in 4 of 5 trials"), reading);
        assertTrue(reading.contains("Largest relative gain: masking:0.5 (denoised MSE 0.2000"), reading);
        assertTrue(reading.contains("smallest: gaussian:0.1 (2.000)"), reading);
        assertTrue(
                reading.contains(
                        "masking: as the level rises the ratio falls (0.1: 0.8000, 0.3: 0.4000, " + "0.5: 0.2000)"),
                reading);
        assertTrue(reading.contains("gaussian: as the level rises the ratio falls"), reading);
        assertEquals("medium", DenoisingSweep.levelName(new Corruption(Corruption.Kind.SALT_AND_PEPPER, 0.15)));
    }
}
