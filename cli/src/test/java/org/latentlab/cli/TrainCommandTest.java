package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.core.Generative;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.plot.ImageGrid;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.run.RunConfig;
import org.latentlab.run.SampleGridListener;
import org.latentlab.run.TrainingRun;
import org.latentlab.train.TrainerConfig;
import picocli.CommandLine.Model.CommandSpec;

/** End-to-end: the real CLI trains on the shipped MNIST sample and writes a complete run folder. */
@Tag("e2e")
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void trainWritesTheRunFolderAndEvaluateRecomputesTheTestMetrics() throws Exception {
        Path out = tmp.resolve("run");
        Result r = run(
                "train",
                "--model",
                "vae",
                "--dataset",
                "mnist-sample",
                "--epochs",
                "2",
                "--batch-size",
                "64",
                "--lr",
                "1e-3",
                "--seed",
                "3",
                "--set",
                "hiddenSizes=128",
                "--set",
                "latentSize=8",
                "--set",
                "trainer.sampleEvery=1",
                "--set",
                "trainer.likelihoodEvery=1",
                "--set",
                "trainer.likelihoodSamples=5",
                "--set",
                "trainer.likelihoodImages=20",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of(
                "config.json",
                "metrics.csv",
                "summary.json",
                "model/model.json",
                "model/graph.sdz",
                "reconstructions.png",
                "samples.png",
                "checkpoints/epoch-0001/state.json",
                "checkpoints/epoch-0002/model/graph.sdz")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), "missing " + f);
        }
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("vae", config.path("model").path("type").asText());
        assertEquals(8, config.path("model").path("latentSize").asInt());
        assertEquals(3, config.path("trainer").path("seed").asInt());

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        double negElbo = summary.path("test_neg_elbo").asDouble();
        assertTrue(negElbo > 50 && negElbo < 400, "test_neg_elbo " + negElbo);
        assertTrue(summary.path("samples_per_second").asDouble() > 0);
        assertTrue(summary.path("train_seconds").asDouble() > 0);
        JsonNode provenance = summary.path("provenance");
        assertEquals("1.0.0-M2.1", provenance.path("dl4j_version").asText());
        assertEquals("CpuBackend", provenance.path("backend").asText());
        assertTrue(provenance.path("git_commit").asText().matches("[0-9a-f]{40}|unknown"), provenance.toString());
        assertTrue(provenance.has("host") && provenance.has("jvm") && provenance.has("device"), provenance.toString());
        assertEquals(4, provenance.path("data_files").size(), provenance.toString());
        assertTrue(provenance.path("data_files").get(0).path("sha256").asText().matches("[0-9a-f]{64}"));
        // The model folder says where it came from, also when it is copied away from the run.
        assertEquals(
                provenance, JSON.readTree(out.resolve("model/provenance.json").toFile()));

        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).contains("train_kl") && csv.get(0).contains("val_recon"), csv.get(0));

        // trainer.sampleEvery=1: a grid of 64 prior samples per epoch; the last one is the final model's samples
        // with the grids' own noise, rendered here independently from the saved model.
        assertEquals(1, config.path("trainer").path("sampleEvery").asInt());
        assertTrue(Files.isRegularFile(SampleGridListener.file(out, 1)));
        TrainingRun.Finished finished = new TrainingRun(Models.registry(), Datasets.defaultDataDir(), false).load(out);
        Path expected = new ImageGrid(28, 28)
                .columns(8)
                .write(
                        tmp.resolve("expected-samples.png"),
                        ((Generative) finished.model())
                                .sample(
                                        SampleGridListener.SAMPLES,
                                        new NoiseSource(3 + SampleGridListener.SAMPLE_SEED_OFFSET)));
        BufferedImage want = ImageIO.read(expected.toFile());
        BufferedImage got = ImageIO.read(SampleGridListener.file(out, 2).toFile());
        assertEquals(8 * 56 + 7 * 2, got.getWidth());
        assertEquals(8 * 56 + 7 * 2, got.getHeight());
        for (int y = 0; y < want.getHeight(); y++) {
            for (int x = 0; x < want.getWidth(); x++) {
                assertEquals(want.getRGB(x, y), got.getRGB(x, y), "pixel " + x + "," + y + " of epoch-0002.png");
            }
        }

        // trainer.likelihoodEvery=1 through the generic --set: a row per epoch, the last the saved model's estimate.
        List<String> curve = Files.readAllLines(LikelihoodCurveListener.file(out));
        assertEquals(LikelihoodCurveListener.HEADER, curve.get(0));
        assertEquals(3, curve.size(), curve.toString());
        EvaluationResult.ImportanceSampling is = Evaluator.importanceSampling(
                (LikelihoodModel) finished.model(), finished.test(), LikelihoodCurveListener.options(5, 20, 3));
        assertTrue(
                curve.get(2).startsWith(String.format(Locale.ROOT, "2,5,20,%.6f,", -is.logLikelihood())), curve.get(2));

        BufferedImage recon = ImageIO.read(out.resolve("reconstructions.png").toFile());
        BufferedImage samples = ImageIO.read(out.resolve("samples.png").toFile());
        assertTrue(recon.getWidth() > 100 && recon.getHeight() > 100);
        assertTrue(samples.getWidth() > 100 && samples.getHeight() > 100);

        Result eval = run(
                "evaluate",
                out.toString(),
                "--is-samples",
                "20",
                "--is-images",
                "100",
                "--probe-size",
                "1000",
                "--anomaly-class",
                "1",
                "--classifier-epochs",
                "1",
                "--classifier",
                out.resolve("judge.sdz").toString(),
                "--jacobian-probes",
                "2",
                "--jacobian-images",
                "50",
                "--sample-images",
                "200",
                "--denoising",
                "masking:0.3");
        assertEquals(0, eval.exit(), eval.err());
        JsonNode evaluation = JSON.readTree(out.resolve("evaluation.json").toFile());
        // Another draw of the VAE's noise than the run's own test pass: close, not equal.
        assertEquals(negElbo, evaluation.path("neg_elbo").asDouble(), 0.02 * negElbo);
        assertEquals(20, evaluation.path("importance_sampling").path("samples").asInt());
        assertTrue(evaluation.path("importance_sampling").path("log_likelihood").asDouble() > -negElbo - 5);
        double auroc = evaluation.path("anomaly").path("auroc").asDouble();
        assertTrue(auroc > 0 && auroc < 1, "auroc " + auroc);
        // The code metrics: a VAE's code is the posterior mean, signed, so about half its activations are not small.
        JsonNode sparsity = evaluation.path("sparsity");
        assertEquals(0.01, sparsity.path("threshold").asDouble());
        assertTrue(sparsity.path("near_zero_fraction").asDouble() < 0.5, sparsity.toString());
        assertTrue(
                sparsity.path("min_unit_activation").asDouble()
                                <= sparsity.path("mean_activation").asDouble()
                        && sparsity.path("mean_activation").asDouble()
                                <= sparsity.path("max_unit_activation").asDouble(),
                sparsity.toString());
        assertEquals(2, evaluation.path("jacobian").path("probes").asInt());
        assertEquals(50, evaluation.path("jacobian").path("images").asInt());
        assertTrue(evaluation.path("jacobian").path("frobenius_squared").asDouble() > 0, evaluation.toString());
        // The judge, trained for 1 epoch on the 2,000 real training images and cached in --classifier.
        JsonNode judge = evaluation.path("classifier");
        assertEquals("trained", judge.path("source").asText());
        assertTrue(judge.path("real_accuracy").asDouble() > 0.5, judge.toString());
        // A VAE after 2 short epochs reconstructs blurred digits, so no bound on how well they classify.
        double reconAccuracy = judge.path("reconstruction_accuracy").asDouble();
        assertTrue(reconAccuracy >= 0 && reconAccuracy <= 1, judge.toString());
        assertTrue(Files.isRegularFile(out.resolve("judge.sdz")));
        // The judge on 200 images from each sampler: the VAE's prior, N(0, I) and fitted-Gaussian codes decoded.
        JsonNode verdict = evaluation.path("samples");
        assertEquals(200, verdict.path("images").asInt());
        for (String sampler : List.of("real", "prior", "normal", "fitted")) {
            JsonNode v = verdict.path(sampler);
            assertEquals(200, v.path("images").asInt(), sampler);
            assertEquals(10, v.path("class_counts").size(), sampler);
            assertTrue(v.path("class_entropy").asDouble() <= Math.log(10) + 1e-9, v.toString());
        }
        // Masked test images, reconstructed: the corruption as asked, seeded by the evaluation's seed.
        JsonNode denoising = evaluation.path("denoising");
        assertEquals("MASKING", denoising.path("corruption").path("kind").asText());
        assertEquals(0.3, denoising.path("corruption").path("level").asDouble());
        assertTrue(denoising.path("noisy_mse_per_pixel").asDouble() > 0, denoising.toString());
        // The VAE's posterior: the KL per image is the run's own KL term (no noise in either).
        JsonNode posterior = evaluation.path("posterior");
        assertEquals(
                evaluation.path("test_terms").path("kl").asDouble(),
                posterior.path("kl_per_image").asDouble(),
                1e-4 * posterior.path("kl_per_image").asDouble());
        assertEquals(8, posterior.path("unit_mean_sigma").size());
        Result cached = run(
                "evaluate",
                out.toString(),
                "--is-samples",
                "0",
                "--probe-size",
                "0",
                "--jacobian-probes",
                "0",
                "--classifier",
                out.resolve("judge.sdz").toString());
        assertEquals(0, cached.exit(), cached.err());
        assertTrue(cached.out().contains("classifier: loaded from"), cached.out());
        JsonNode loaded = JSON.readTree(out.resolve("evaluation.json").toFile()).path("classifier");
        assertEquals("loaded", loaded.path("source").asText());
        assertOneLineError(
                run(
                        "evaluate",
                        out.toString(),
                        "--classifier",
                        out.resolve("absent.sdz").toString()),
                "--classifier-epochs");
        assertEquals(
                judge.path("real_accuracy").asDouble(),
                loaded.path("real_accuracy").asDouble());
        // The same classifier on the same seeded reconstructions: the same share.
        assertEquals(reconAccuracy, loaded.path("reconstruction_accuracy").asDouble());
        for (String key : List.of(
                "recon_mse_per_pixel",
                "neg_elbo",
                "is_log_likelihood",
                "pca_mse_per_pixel",
                "linear_probe_accuracy",
                "knn_accuracy",
                "anomaly_auroc",
                "active_units",
                "code_mean_activation",
                "code_near_zero_fraction",
                "jacobian_frobenius_sq",
                "classifier_real_accuracy",
                "classifier_recon_accuracy",
                "samples_real_confidence",
                "samples_prior_confidence",
                "samples_normal_confidence",
                "samples_fitted_confidence",
                "samples_fitted_class_entropy",
                "denoising_mse",
                "denoising_noisy_mse",
                "posterior_mean_sigma",
                "kl_per_image")) {
            assertTrue(eval.out().contains(key), key + " missing from: " + eval.out());
        }

        // Retraining into the same folder would overwrite a finished run: refused.
        Result again = run("train", "--dataset", "mnist-sample", "--epochs", "1", "--out", out.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already holds a finished run"), again.err());

        // Resume extends the run to 3 epochs from its last checkpoint.
        Result resumed = run("train", "--resume", "--epochs", "3", "--out", out.toString());
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());
    }

    /** A checkpoint of a run evaluates like a run: the model at that epoch, evaluation.json beside it. */
    @Test
    void evaluateTakesACheckpointFolder() throws Exception {
        Path out = tmp.resolve("checkpointed");
        Result r = run(
                "train",
                "--dataset",
                "mnist-sample",
                "--epochs",
                "2",
                "--set",
                "hiddenSizes=64",
                "--set",
                "latentSize=4",
                "--checkpoint-every",
                "1",
                "--no-tensorboard",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        Path first = out.resolve("checkpoints").resolve("epoch-0001");
        assertTrue(Files.isDirectory(first), "checkpoint folder " + first);
        Result e = run(
                "evaluate",
                first.toString(),
                "--is-samples",
                "10",
                "--is-images",
                "20",
                "--probe-size",
                "200",
                "--jacobian-probes",
                "0",
                "--sample-images",
                "0");
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("evaluating the checkpoint"), e.out());
        JsonNode atFirst = JSON.readTree(first.resolve("evaluation.json").toFile());
        Result last = run(
                "evaluate",
                out.toString(),
                "--is-samples",
                "10",
                "--is-images",
                "20",
                "--probe-size",
                "200",
                "--jacobian-probes",
                "0",
                "--sample-images",
                "0");
        assertEquals(0, last.exit(), last.err());
        JsonNode atEnd = JSON.readTree(out.resolve("evaluation.json").toFile());
        double firstNll = atFirst.path("test_terms").path("loss").asDouble(Double.NaN);
        double endNll = atEnd.path("test_terms").path("loss").asDouble(Double.NaN);
        assertTrue(Double.isFinite(firstNll) && Double.isFinite(endNll), atFirst.toString());
        assertTrue(firstNll != endNll, "the checkpoint's model is epoch 1's, not the final one: " + firstNll);
        assertOneLineError(run("evaluate", out.resolve("checkpoints").toString()), "not a run folder");
    }

    @Test
    void trainClassesAndScheduleAreRecordedAndApplied() throws Exception {
        Path out = tmp.resolve("ones");
        Result r = run(
                "train",
                "--model",
                "ae",
                "--dataset",
                "mnist-sample",
                "--epochs",
                "1",
                "--train-classes",
                "1",
                "--validation-fraction",
                "0",
                "--lr-schedule",
                "cosine",
                "--set",
                "encoderSizes=32,4",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("[1]", config.path("trainClasses").toString());
        assertEquals("COSINE", config.path("trainer").path("lrSchedule").asText());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        int ones = (int) Arrays.stream(Datasets.load("mnist-sample").train().labels())
                .filter(l -> l == 1)
                .count();
        assertTrue(ones > 100, "sample has " + ones + " ones");
        assertEquals(ones, summary.path("train_size").asInt());
        assertEquals(500, summary.path("test_size").asInt(), "the test set keeps every class");
    }

    @Test
    void badInputGivesOneClearLineAndNonZeroExit() {
        assertOneLineError(
                run("train", "--train-classes", "12", "--out", tmp.resolve("k").toString()), "class 12 outside 0..9");
        Result schedule =
                run("train", "--lr-schedule", "step", "--out", tmp.resolve("l").toString());
        assertEquals(2, schedule.exit());
        assertTrue(schedule.err().contains("expected constant, cosine or linear, got 'step'"), schedule.err());
        Result keep = run("train", "--keep", "first", "--out", tmp.resolve("m").toString());
        assertEquals(2, keep.exit());
        assertTrue(keep.err().contains("expected best or last, got 'first'"), keep.err());
        assertOneLineError(
                run(
                        "train",
                        "--keep-checkpoints",
                        "-1",
                        "--out",
                        tmp.resolve("n").toString()),
                "checkpoints to keep must be >= 0 (0 = all), got -1");
        assertOneLineError(
                run("train", "--epochs", "-1", "--out", tmp.resolve("a").toString()),
                "epochs must be at least 1, got -1");
        assertOneLineError(
                run("train", "--batch-size", "0", "--out", tmp.resolve("b").toString()),
                "batch size must be at least 1, got 0");
        assertOneLineError(
                run("train", "--model", "nope", "--out", tmp.resolve("c").toString()), "unknown model 'nope'");
        assertOneLineError(
                run("train", "--dataset", "cifar", "--out", tmp.resolve("d").toString()), "unknown dataset 'cifar'");
        assertOneLineError(
                run("train", "--set", "latentSise=3", "--out", tmp.resolve("e").toString()), "latentSise");
        assertOneLineError(
                run("train", "--lr", "fast", "--out", tmp.resolve("f").toString()), "fast");
        assertOneLineError(run("evaluate", "--run", tmp.resolve("missing").toString()), "not a run folder");
        assertOneLineError(run("evaluate", tmp.toString()), "not a run folder");
        assertOneLineError(
                run("evaluate", tmp.toString(), "--denoising", "blur:0.3"),
                "--denoising=blur:0.3: unknown corruption kind 'blur'");
        assertOneLineError(run("evaluate", tmp.toString(), "--denoising", "masking"), "--denoising=masking");
        assertOneLineError(run("evaluate", tmp.toString(), "--denoising", "masking:2"), "fraction in [0, 1], got 2");
        assertOneLineError(run("evaluate", tmp.toString(), "--sample-images", "-1"), "--sample-images=-1");
        assertOneLineError(
                run("train", "--backend", "gpu", "--out", tmp.resolve("h").toString()), "unknown backend 'gpu'");
        // This machine (and CI) has the CPU build and no GPU: asking for CUDA fails fast and says why.
        assertOneLineError(
                run("train", "--backend", "cuda", "--out", tmp.resolve("i").toString()),
                "--backend cuda: this build has no CUDA backend");
        Result unknown = run("train", "--epoch", "3");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("error: ") && unknown.err().contains("--epoch"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), unknown.err());
        // Missing full MNIST names the folder and the command that fetches it.
        Result missing = run(
                "train",
                "--dataset",
                "mnist",
                "--data-dir",
                tmp.resolve("empty").toString(),
                "--out",
                tmp.resolve("g").toString());
        assertEquals(1, missing.exit());
        assertTrue(
                missing.err().contains("fetch-data mnist")
                        && missing.err().contains(tmp.resolve("empty").toString()),
                missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());
        assertFalse(Files.exists(tmp.resolve("g")), "a run that could not load its data leaves no folder behind");
    }

    @Test
    void optionDefaultsAreTheConfigDefaultsAndHelpShowsThem() {
        TrainerConfig d = TrainerConfig.defaults();
        CommandSpec train =
                LatentLab.commandLine().getSubcommands().get("train").getCommandSpec();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("--epochs", d.epochs());
        expected.put("--batch-size", d.batchSize());
        expected.put("--optimizer", d.optimizer().name().toLowerCase(Locale.ROOT));
        expected.put("--lr", d.learningRate());
        expected.put("--lr-schedule", d.lrSchedule().name().toLowerCase(Locale.ROOT));
        expected.put("--momentum", d.momentum());
        expected.put("--weight-decay", d.weightDecay());
        expected.put("--seed", d.seed());
        expected.put("--checkpoint-every", d.checkpointEvery());
        expected.put("--patience", d.patience());
        expected.put("--keep-checkpoints", d.keepCheckpoints());
        expected.put("--keep", "best");
        expected.put("--dataset", RunConfig.DEFAULT_DATASET);
        expected.put("--validation-fraction", RunConfig.DEFAULT_VALIDATION_FRACTION);
        expected.put("--train-size", RunConfig.DEFAULT_TRAIN_SIZE);
        // the option list of --help, one entry per option (an entry's wrapped lines do not start with a dash)
        List<String> entries = List.of(run("train", "--help").out().split("\n(?=\\s*-)"));
        expected.forEach((option, value) -> {
            assertNull(train.findOption(option).defaultValue(), option + " restates its default");
            assertEquals(String.valueOf(value), train.findOption(option).defaultValueString(), option);
            String entry = entries.stream()
                    .map(e -> e.strip().replaceAll("\\s+", " "))
                    .filter(e -> e.startsWith(option + "="))
                    .findFirst()
                    .orElse(option + " missing from --help");
            assertTrue(entry.contains("Default: " + value), entry);
        });
    }

    @Test
    void setReachesTrainerModelAndRunKeysByPathOrBareName() {
        Path out = tmp.resolve("set");
        Result r = run(
                "train",
                "--model",
                "vae",
                "--set",
                "trainer.learningRate=0.01",
                "--set",
                "seed=4",
                "--set",
                "model.latentSize=3",
                "--set",
                "hiddenSizes=16",
                "--set",
                "validationFraction=0.2",
                "--out",
                out.toString(),
                "--dry-run");
        assertEquals(0, r.exit(), r.err());
        String config = r.out().replaceAll("\\s+", " ");
        for (String expected : List.of(
                "\"learningRate\" : 0.01",
                "\"seed\" : 4",
                "\"latentSize\" : 3",
                "\"hiddenSizes\" : [ 16 ]",
                "\"validationFraction\" : 0.2",
                "\"checkpointEvery\" : 1")) {
            assertTrue(config.contains(expected), expected + " not in " + config);
        }
        assertOneLineError(
                run("train", "--set", "seed=x", "--out", out.toString()),
                "--set seed=x: expected a whole number, got 'x'");
        assertOneLineError(
                run("train", "--model", "ae", "--set", "beta=2", "--out", out.toString()),
                "--set beta=2: unknown key 'beta' for model 'ae'");
        assertOneLineError(
                run("train", "--set", "trainer.epochs=0", "--out", out.toString()),
                "--set trainer.epochs=0: epochs must be at least 1, got 0");
    }

    @Test
    void trainSizeSetsTheSubsetAndTheDataChecksIt() {
        Path out = tmp.resolve("subset");
        for (List<String> way : List.of(List.of("--train-size", "100"), List.of("--set", "trainSize=100"))) {
            List<String> args = new ArrayList<>(List.of("train", "--model", "ae", "--out", out.toString()));
            args.addAll(way);
            args.add("--dry-run");
            Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().replaceAll("\\s+", " ").contains("\"trainSize\" : 100"), way + ": " + r.out());
        }
        // mnist-sample: 2,000 training images, 1,800 after the default validation split
        assertOneLineError(
                run("train", "--model", "ae", "--train-size", "1801", "--out", out.toString(), "--dry-run"),
                "--train-size=1801: trainSize=1801 is more than the 1800 training examples available");
        assertOneLineError(
                run("train", "--model", "ae", "--set", "trainSize=5000", "--out", out.toString(), "--dry-run"),
                "--set trainSize=5000: trainSize=5000 is more than the 1800 training examples available");
        assertOneLineError(
                run("train", "--model", "ae", "--train-size", "-1", "--out", out.toString()),
                "--train-size=-1: trainSize must be >= 0");
        assertFalse(Files.exists(out), "nothing is written");
    }

    private static void assertOneLineError(Result r, String expected) {
        assertNotEquals(0, r.exit(), r.out());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(
                first.startsWith("error: ") && first.contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }
}
