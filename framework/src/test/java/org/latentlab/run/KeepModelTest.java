package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Datasets;
import org.latentlab.train.Checkpoints;
import org.latentlab.train.KeepModel;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** trainer.keep (best or last epoch as the run's model) and trainer.keepCheckpoints, with and without a resume. */
class KeepModelTest {
    @TempDir
    Path tmp;

    private static TrainingRun runner() {
        return new TrainingRun(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false);
    }

    /**
     * A huge minDelta makes epoch 1 the best on validation for good: no later epoch improves on it by that much. The
     * learning rate is constant, so the first epoch of a longer run is the whole of a one-epoch run.
     */
    private static RunConfig config(int epochs, KeepModel keep, int keepCheckpoints, double minDelta) {
        return new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                new TinyAutoencoder.Config(784, 4, 1.0),
                TrainerConfig.builder()
                        .epochs(epochs)
                        .batchSize(100)
                        .learningRate(1e-2)
                        .seed(3)
                        .checkpointEvery(1)
                        .minDelta(minDelta)
                        .keep(keep)
                        .keepCheckpoints(keepCheckpoints)
                        .build());
    }

    @Test
    void bestKeepsTheBestEpochOnValidationWhichIsTheModelOfARunStoppedThere() throws Exception {
        TrainingRun runs = runner();
        RunSummary best = runs.train(config(3, KeepModel.BEST, 0, 1e9), tmp.resolve("best"));
        RunSummary oneEpoch = runs.train(config(1, KeepModel.LAST, 0, 1e9), tmp.resolve("one"));
        RunSummary last = runs.train(config(3, KeepModel.LAST, 0, 1e9), tmp.resolve("last"));

        assertEquals(1, best.bestEpoch());
        assertEquals(1, best.modelEpoch(), "model/ is the best epoch's");
        assertEquals(3, last.modelEpoch(), "model/ is the last epoch's");
        assertEquals(1, oneEpoch.modelEpoch());
        assertEquals(params(tmp.resolve("one")), params(tmp.resolve("best")), "bit-identical to a run stopped there");
        assertEquals(oneEpoch.testMetrics(), best.testMetrics(), "the test metrics measure the kept model");
        assertNotEquals(best.testMetrics(), last.testMetrics(), "two more epochs change the model");
        // The summary still reports the last epoch's training and validation losses.
        assertEquals(last.finalValidation(), best.finalValidation());
        String json = Files.readString(tmp.resolve("best").resolve(RunSummary.FILE));
        assertTrue(json.contains("\"model_epoch\" : 1"), json);
        assertEquals(1, RunSummary.read(tmp.resolve("best")).modelEpoch());
    }

    @Test
    void theBestModelSurvivesAResumeAndLeavesTheRunAsAnUninterruptedOne() throws Exception {
        TrainingRun runs = runner();
        RunSummary whole = runs.train(config(3, KeepModel.BEST, 0, 1e9), tmp.resolve("whole"));
        Path cut = tmp.resolve("cut");
        runs.train(config(2, KeepModel.BEST, 0, 1e9), cut);
        RunSummary resumed = runs.resume(cut, Optional.of(3));

        assertEquals(1, resumed.modelEpoch());
        assertEquals(params(tmp.resolve("whole")), params(cut));
        assertEquals(whole.testMetrics(), resumed.testMetrics());
    }

    @Test
    void withRealImprovementsTheBestEpochIsTheOneWithTheLowestValidationLoss() throws Exception {
        RunSummary s = runner().train(config(3, KeepModel.BEST, 0, 0.0), tmp.resolve("run"));
        Map<Integer, Double> validation = new TreeMap<>();
        for (String line : Files.readAllLines(tmp.resolve("run").resolve(TrainingRun.METRICS_FILE))) {
            String[] cells = line.split(",");
            if (cells[0].matches("\\d+")) {
                validation.put(Integer.parseInt(cells[0]), Double.parseDouble(cells[validationLossColumn(tmp)]));
            }
        }
        int argmin = validation.entrySet().stream()
                .min(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        assertEquals(argmin, s.bestEpoch(), validation.toString());
        assertEquals(argmin, s.modelEpoch());
    }

    @Test
    void eachModelStateIsOneFileOnDiskTheBestTheCheckpointOfItsEpochAndTheRunsModel() throws Exception {
        Path run = tmp.resolve("run");
        RunSummary s = runner().train(config(3, KeepModel.BEST, 0, 0.0), run);
        Path checkpoints = run.resolve(TrainingRun.CHECKPOINT_DIR);
        Path best = graph(checkpoints.resolve(Checkpoints.BEST));
        assertTrue(Files.isSameFile(best, graph(checkpoints.resolve("epoch-000" + s.bestEpoch()))));
        assertTrue(Files.isSameFile(graph(run), graph(checkpoints.resolve("epoch-000" + s.modelEpoch()))));
        for (int a = 1; a <= 3; a++) {
            for (int b = a + 1; b <= 3; b++) {
                assertFalse(Files.isSameFile(
                        graph(checkpoints.resolve("epoch-000" + a)), graph(checkpoints.resolve("epoch-000" + b))));
            }
        }
        // a model kept from an earlier epoch than the last is still the file of that epoch
        RunSummary early = runner().train(config(3, KeepModel.BEST, 0, 1e9), tmp.resolve("early"));
        assertEquals(1, early.modelEpoch());
        assertTrue(Files.isSameFile(
                graph(tmp.resolve("early")),
                graph(tmp.resolve("early").resolve(TrainingRun.CHECKPOINT_DIR).resolve("epoch-0001"))));
    }

    private static Path graph(Path dir) {
        return dir.resolve(Checkpoints.MODEL).resolve("graph.sdz");
    }

    private int validationLossColumn(Path root) throws Exception {
        List<String> header = List.of(Files.readAllLines(root.resolve("run").resolve(TrainingRun.METRICS_FILE))
                .get(0)
                .split(","));
        int column = header.indexOf("val_loss");
        assertTrue(column > 0, "metrics.csv has a val_loss column: " + header);
        return column;
    }

    @Test
    void withoutAValidationSplitBestKeepsTheLastEpoch() throws Exception {
        RunConfig config = config(2, KeepModel.BEST, 0, 0.0).withValidationFraction(0);
        RunSummary s = runner().train(config, tmp.resolve("run"));
        assertEquals(0, s.bestEpoch());
        assertEquals(2, s.modelEpoch());
        assertFalse(Files.exists(
                tmp.resolve("run").resolve(TrainingRun.CHECKPOINT_DIR).resolve(Checkpoints.BEST)));
    }

    @Test
    void keepCheckpointsKeepsTheNewestNAlsoAcrossAResumeWhichStaysExact() throws Exception {
        TrainingRun runs = runner();
        RunSummary whole = runs.train(config(5, KeepModel.LAST, 0, 0.0), tmp.resolve("whole"));
        assertEquals(
                List.of("epoch-0001", "epoch-0002", "epoch-0003", "epoch-0004", "epoch-0005"),
                checkpoints(tmp.resolve("whole")),
                "0 keeps all");

        Path kept = tmp.resolve("kept");
        runs.train(config(4, KeepModel.LAST, 2, 0.0), kept);
        assertEquals(List.of("epoch-0003", "epoch-0004"), checkpoints(kept));
        RunSummary resumed = runs.resume(kept, Optional.of(5));
        assertEquals(List.of("epoch-0004", "epoch-0005"), checkpoints(kept));
        assertEquals(whole.testMetrics(), resumed.testMetrics(), "pruning leaves the resume exact");
        assertEquals(params(tmp.resolve("whole")), params(kept));
        try (Stream<Path> left = Files.list(kept.resolve(TrainingRun.CHECKPOINT_DIR))) {
            assertEquals(2, left.count(), "nothing left behind but the two checkpoints");
        }
    }

    @Test
    void theDefaultIsBestAndAConfigWithoutTheKeysReadsAsWhatOlderRunsDid() throws Exception {
        assertEquals(KeepModel.BEST, TrainerConfig.defaults().keep());
        assertEquals(0, TrainerConfig.defaults().keepCheckpoints());

        RunConfigJson json = new RunConfigJson(TinyAutoencoder.registry());
        RunConfig config = config(2, KeepModel.BEST, 3, 0.0);
        RunConfig back = json.fromJson(json.toJson(config), "config.json");
        assertEquals(KeepModel.BEST, back.trainer().keep());
        assertEquals(3, back.trainer().keepCheckpoints());

        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(json.toJson(config));
        ((ObjectNode) tree.get("trainer")).remove(List.of("keep", "keepCheckpoints"));
        RunConfig old = json.fromJson(tree.toString(), "old/config.json");
        assertEquals(KeepModel.LAST, old.trainer().keep(), "runs before the choice kept the last epoch");
        assertEquals(0, old.trainer().keepCheckpoints(), "and every checkpoint");

        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> TrainerConfig.builder().keepCheckpoints(-1).build());
        assertEquals("keepCheckpoints", e.key());
    }

    private static List<String> checkpoints(Path run) throws Exception {
        try (Stream<Path> entries = Files.list(run.resolve(TrainingRun.CHECKPOINT_DIR))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("epoch-"))
                    .sorted()
                    .toList();
        }
    }

    /** The trainable parameters of the run's saved model, by name. */
    private static Map<String, INDArray> params(Path run) {
        AutoencoderModel<?> model =
                AutoencoderModel.load(run.resolve(TrainingRun.MODEL_DIR), TinyAutoencoder.registry());
        Map<String, INDArray> params = new TreeMap<>();
        for (SDVariable v : model.graph().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                params.put(v.name(), v.getArr().dup());
            }
        }
        assertFalse(params.isEmpty());
        return params;
    }
}
