package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.DataException;
import org.latentlab.data.Datasets;
import org.latentlab.train.TrainerConfig;

/** {@link TrainingRun#preloadData}: the same run whether the data was loaded ahead or not; its errors come from train. */
class PreloadDataTest {

    private static final ModelRegistry REGISTRY = new ModelRegistry().register(TrainSizeTest.Recording.TYPE);

    @TempDir
    Path tmp;

    private static RunConfig config(String dataset) {
        return new RunConfig(
                        dataset,
                        0.1,
                        TrainSizeTest.Recording.TYPE.defaults(),
                        TrainerConfig.builder()
                                .epochs(1)
                                .batchSize(50)
                                .learningRate(1e-2)
                                .seed(5)
                                .checkpointEvery(0)
                                .build())
                .withTrainSize(200);
    }

    @Test
    void aRunOnPreloadedDataEqualsOneThatLoadedItself() {
        RunSummary plain = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false)
                .tensorBoard(false)
                .train(config(Datasets.MNIST_SAMPLE), tmp.resolve("plain"));
        RunSummary preloaded = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false)
                .tensorBoard(false)
                .preloadData(Datasets.MNIST_SAMPLE)
                .train(config(Datasets.MNIST_SAMPLE), tmp.resolve("preloaded"));
        // Another dataset preloaded is left unused: the run loads its own.
        RunSummary other = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false)
                .tensorBoard(false)
                .preloadData(Datasets.BINARIZED_MNIST_SAMPLE)
                .train(config(Datasets.MNIST_SAMPLE), tmp.resolve("other"));
        assertEquals(plain.testMetrics(), preloaded.testMetrics());
        assertEquals(plain.testMetrics(), other.testMetrics());
        assertEquals(plain.trainSize(), preloaded.trainSize());
        assertEquals(plain.provenance().dataFiles(), preloaded.provenance().dataFiles(), "the same files, hashed");
    }

    @Test
    void aPreloadThatFailsIsReportedByTrainBeforeAnythingIsWritten() {
        Path empty = tmp.resolve("no-data");
        TrainingRun runs = new TrainingRun(REGISTRY, empty, false).preloadData(Datasets.MNIST);
        Path dir = tmp.resolve("run");
        DataException e = assertThrows(DataException.class, () -> runs.train(config(Datasets.MNIST), dir));
        assertTrue(e.getMessage().contains("fetch-data mnist"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(TrainingRun.CONFIG_FILE)));
    }
}
