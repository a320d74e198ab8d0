package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.core.ModelConfig;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.io.AtomicFiles;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;
import org.slf4j.LoggerFactory;

/** trainer.likelihoodEvery: the curve of the test NLL during training, its resume, and that it leaves training alone. */
class LikelihoodCurveListenerTest {
    private static final int K = 4;
    private static final int IMAGES = 30;
    private static final long SEED = 5;

    @TempDir
    Path tmp;

    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(TrainingRun.class)).addAppender(logs);
        ((Logger) LoggerFactory.getLogger(LikelihoodCurveListener.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(TrainingRun.class)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger(LikelihoodCurveListener.class)).detachAppender(logs);
    }

    private static RunConfig config(ModelConfig model, int epochs, int likelihoodEvery) {
        return new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                model,
                TrainerConfig.builder()
                        .epochs(epochs)
                        .batchSize(100)
                        .learningRate(1e-2)
                        .seed(SEED)
                        .checkpointEvery(1)
                        .likelihoodEvery(likelihoodEvery)
                        .likelihoodSamples(K)
                        .likelihoodImages(IMAGES)
                        .build());
    }

    private static RunConfig config(int epochs, int likelihoodEvery) {
        return config(new TinyLikelihood.Config(784, 2, 0.5), epochs, likelihoodEvery);
    }

    private static TrainingRun runner() {
        return new TrainingRun(TinyLikelihood.registry(), Datasets.defaultDataDir(), false);
    }

    @Test
    void theCurveIsWrittenEveryNEpochsAndTheLastLeavesTrainingBitIdenticalAndIsRecomputedAfterAResume()
            throws Exception {
        TrainingRun runs = runner();
        Path with = tmp.resolve("with");
        Path without = tmp.resolve("without");
        Path again = tmp.resolve("again");
        Path resumed = tmp.resolve("resumed");
        RunSummary a = runs.train(config(3, 2), with);
        long estimatesLogged = logs.list.stream()
                .filter(e ->
                        e.getLevel() == Level.INFO && e.getFormattedMessage().contains("test NLL"))
                .count();
        RunSummary b = runs.train(config(3, 0), without);
        runs.train(config(3, 2), again);

        // Every 2 epochs and after the last, k = 4 on the first 30 test images.
        List<String[]> curve = cells(with);
        assertEquals(List.of(2, 3), epochs(curve));
        for (String[] row : curve) {
            assertEquals(String.valueOf(K), row[1]);
            assertEquals(String.valueOf(IMAGES), row[2]);
            double nll = Double.parseDouble(row[3]);
            assertTrue(nll > 0 && Double.isFinite(nll), Arrays.toString(row));
            assertTrue(Double.parseDouble(row[4]) > 0, "a standard error over 30 images: " + Arrays.toString(row));
        }
        assertFalse(Files.exists(LikelihoodCurveListener.file(without)), "likelihoodEvery=0 writes no curve");
        assertEquals(2, estimatesLogged, "one log line per estimate");

        // The curve takes no training randomness: the same losses and parameters, bit for bit, with and without.
        assertEquals(losses(without), losses(with));
        assertEquals(b.testMetrics(), a.testMetrics());
        assertParametersEqual(without, with);
        // The same epoch gives the same numbers on a rerun.
        assertEquals(withoutSeconds(with), withoutSeconds(again));

        // The last row is the saved model's estimate with the curve's own options.
        TrainingRun.Finished finished = runs.load(with);
        EvaluationResult.ImportanceSampling is = Evaluator.importanceSampling(
                (LikelihoodModel) finished.model(), finished.test(), LikelihoodCurveListener.options(K, IMAGES, SEED));
        assertEquals(String.format(Locale.ROOT, "%.6f", -is.logLikelihood()), curve.get(1)[3]);
        assertEquals(String.format(Locale.ROOT, "%.6f", is.standardError()), curve.get(1)[4]);
        assertEquals(String.format(Locale.ROOT, "%.6f", -is.meanLogWeight()), curve.get(1)[5]);
        assertTrue(-is.logLikelihood() <= -is.meanLogWeight(), "log-mean-exp >= mean (Jensen), image by image");

        // A run killed after epoch 3's estimate but before its checkpoint: it resumes from epoch 2, keeps the rows
        // up to 2 as they were, and recomputes 3 (here made wrong on purpose); a stray later row goes.
        runs.train(config(3, 1), resumed);
        String rowOne =
                Files.readAllLines(LikelihoodCurveListener.file(resumed)).get(1);
        AtomicFiles.deleteRecursively(
                resumed.resolve(TrainingRun.CHECKPOINT_DIR).resolve("epoch-0003"));
        AtomicFiles.deleteRecursively(resumed.resolve(TrainingRun.MODEL_DIR));
        Files.delete(resumed.resolve(TrainingRun.SUMMARY_FILE));
        List<String> lines = new ArrayList<>(Files.readAllLines(LikelihoodCurveListener.file(resumed)));
        lines.set(3, "3,4,30,999.000000,1.000000,999.000000,0.100");
        lines.add("4,4,30,999.000000,1.000000,999.000000,0.100");
        Files.write(LikelihoodCurveListener.file(resumed), lines);
        RunSummary c = runs.resume(resumed, Optional.empty());

        List<String[]> after = cells(resumed);
        assertEquals(List.of(1, 2, 3), epochs(after));
        assertEquals(
                rowOne,
                Files.readAllLines(LikelihoodCurveListener.file(resumed)).get(1),
                "kept as it was");
        assertEquals(
                withoutSeconds(with), withoutSeconds(resumed).stream().skip(1).toList());
        assertEquals(losses(without), losses(resumed));
        assertEquals(b.testMetrics(), c.testMetrics());
        assertParametersEqual(without, resumed);
    }

    @Test
    void aModelWithoutALikelihoodTrainsWithOneWarningAndNoCurve() throws Exception {
        Path run = tmp.resolve("ae");
        runner().train(config(new TinyAutoencoder.Config(784, 4, 1.0), 2, 1), run);
        assertFalse(Files.exists(LikelihoodCurveListener.file(run)));
        List<String> warnings = logs.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0).contains("likelihoodEvery=1") && warnings.get(0).contains("tiny"), warnings.get(0));
    }

    @Test
    void theKeysDefaultToOffAreValidatedAndSettableByPathAndAnOldConfigReadsWithTheCurveOff() throws Exception {
        TrainerConfig d = TrainerConfig.defaults();
        assertEquals(0, d.likelihoodEvery(), "off by default");
        assertEquals(1000, d.likelihoodSamples());
        assertEquals(1000, d.likelihoodImages());
        for (String key : List.of("likelihoodEvery", "likelihoodSamples", "likelihoodImages")) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> {
                TrainerConfig.Builder builder = TrainerConfig.builder();
                switch (key) {
                    case "likelihoodEvery" -> builder.likelihoodEvery(-1);
                    case "likelihoodSamples" -> builder.likelihoodSamples(0);
                    default -> builder.likelihoodImages(-1);
                }
                builder.build();
            });
            assertEquals(key, e.key());
        }

        ConfigPaths paths = new ConfigPaths(TinyLikelihood.registry());
        RunConfig set = paths.setAll(
                config(1, 0),
                List.of("trainer.likelihoodEvery=10", "trainer.likelihoodSamples=5000", "trainer.likelihoodImages=0"));
        assertEquals(10, set.trainer().likelihoodEvery());
        assertEquals(5000, set.trainer().likelihoodSamples());
        assertEquals(0, set.trainer().likelihoodImages());

        RunConfigJson json = new RunConfigJson(TinyLikelihood.registry());
        assertEquals(set, json.fromJson(json.toJson(set), "round trip"));
        // A config.json written before the curve (and the sample grids) existed: no such keys, the curve off, the
        // defaults behind it.
        ObjectNode tree = json.toTree(config(1, 0));
        ObjectNode trainer = (ObjectNode) tree.get("trainer");
        trainer.remove(List.of("sampleEvery", "likelihoodEvery", "likelihoodSamples", "likelihoodImages"));
        RunConfig old = json.fromJson(new ObjectMapper().writeValueAsString(tree), "old config.json");
        assertEquals(
                config(1, 0).trainer().toBuilder()
                        .likelihoodSamples(1000)
                        .likelihoodImages(1000)
                        .build(),
                old.trainer());
        assertEquals(0, old.trainer().likelihoodEvery());
        assertEquals(0, old.trainer().sampleEvery());
        assertEquals(TrainerConfig.LIKELIHOOD_SAMPLES, old.trainer().likelihoodSamples());
        assertEquals(TrainerConfig.LIKELIHOOD_IMAGES, old.trainer().likelihoodImages());
    }

    private static List<String[]> cells(Path run) throws Exception {
        List<String> lines = Files.readAllLines(LikelihoodCurveListener.file(run));
        assertEquals(LikelihoodCurveListener.HEADER, lines.get(0));
        return lines.stream().skip(1).map(l -> l.split(",", -1)).toList();
    }

    private static List<Integer> epochs(List<String[]> rows) {
        return rows.stream().map(r -> Integer.parseInt(r[0])).toList();
    }

    /** The curve's rows without their timing (the last column). */
    private static List<String> withoutSeconds(Path run) throws Exception {
        return Files.readAllLines(LikelihoodCurveListener.file(run)).stream()
                .skip(1)
                .map(l -> l.substring(0, l.lastIndexOf(',')))
                .toList();
    }

    /** metrics.csv without its timing columns (the last two). */
    private static String losses(Path run) throws Exception {
        return Files.readAllLines(run.resolve(TrainingRun.METRICS_FILE)).stream()
                .map(l -> {
                    String[] f = l.split(",");
                    return String.join(",", Arrays.copyOf(f, f.length - 2));
                })
                .collect(Collectors.joining("\n"));
    }

    private static void assertParametersEqual(Path expected, Path actual) {
        AutoencoderModel<?> e =
                AutoencoderModel.load(expected.resolve(TrainingRun.MODEL_DIR), TinyLikelihood.registry());
        AutoencoderModel<?> a = AutoencoderModel.load(actual.resolve(TrainingRun.MODEL_DIR), TinyLikelihood.registry());
        assertEquals(e.parameterNames(), a.parameterNames());
        for (String name : e.parameterNames()) {
            assertArrayEquals(
                    e.graph().getVariable(name).getArr().dup().data().asFloat(),
                    a.graph().getVariable(name).getArr().dup().data().asFloat(),
                    "parameter " + name + " is bit for bit the same");
        }
    }
}
