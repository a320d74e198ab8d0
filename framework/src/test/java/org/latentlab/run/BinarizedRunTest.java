package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.Binarization;
import org.latentlab.data.Datasets;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

/** A run on {@code binarized-mnist-sample}: its summary names the binarization, and a resumed run is exact. */
class BinarizedRunTest {
    private static final ModelRegistry REGISTRY = TinyAutoencoder.registry();

    @TempDir
    Path tmp;

    private static RunConfig config(String dataset, int epochs) {
        return new RunConfig(
                        dataset,
                        0.1,
                        TinyAutoencoder.TYPE.defaults(),
                        TrainerConfig.builder()
                                .epochs(epochs)
                                .batchSize(50)
                                .learningRate(1e-2)
                                .seed(5)
                                .checkpointEvery(1)
                                .build())
                .withTrainSize(300);
    }

    @Test
    void theSummaryRecordsTheBinarizationAndAResumedRunEqualsTheUninterruptedOne() throws Exception {
        TrainingRun runs = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false);
        Path straight = tmp.resolve("straight");
        RunSummary a = runs.train(config(Datasets.BINARIZED_MNIST_SAMPLE, 2), straight);
        Path resumed = tmp.resolve("resumed");
        runs.train(config(Datasets.BINARIZED_MNIST_SAMPLE, 1), resumed);
        RunSummary b = runs.resume(resumed, Optional.of(2));

        assertEquals(Binarization.describe(), a.binarization());
        assertTrue(a.binarization().contains("test set binarized once with seed " + Binarization.TEST_SEED));
        assertEquals(a.binarization(), RunSummary.read(straight).binarization(), "written to summary.json");
        assertTrue(
                Files.readString(straight.resolve(RunSummary.FILE)).contains("\"binarization\" : \"dynamic"),
                "summary.json names the binarization beside the dataset");

        assertEquals(2, b.epochsCompleted());
        assertEquals(a.test(), b.test());
        assertEquals(a.finalTrain(), b.finalTrain());
        assertEquals(a.finalValidation(), b.finalValidation());
        assertEquals(withoutTimes(straight), withoutTimes(resumed), "metrics.csv");
    }

    @Test
    void aRunOnGreyDataRecordsNoBinarization() throws Exception {
        TrainingRun runs = new TrainingRun(REGISTRY, Datasets.defaultDataDir(), false);
        Path dir = tmp.resolve("grey");
        RunSummary s = runs.train(config(Datasets.MNIST_SAMPLE, 1), dir);
        assertNull(s.binarization());
        assertTrue(!Files.readString(dir.resolve(RunSummary.FILE)).contains("binarization"));
    }

    /** metrics.csv without the columns that hold timings. */
    private static List<String> withoutTimes(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve(TrainingRun.METRICS_FILE));
        List<String> header = List.of(lines.get(0).split(","));
        return lines.stream()
                .map(l -> {
                    String[] cells = l.split(",");
                    StringBuilder kept = new StringBuilder();
                    for (int i = 0; i < cells.length; i++) {
                        String column = header.get(i);
                        if (!column.contains("second") && !column.contains("time")) {
                            kept.append(cells[i]).append(',');
                        }
                    }
                    return kept.toString();
                })
                .toList();
    }
}
