package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.data.Batch;
import org.latentlab.data.Datasets;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.ImageGrid;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

/** trainer.sampleEvery: the grids written during training, their content, and that they leave training unchanged. */
class SampleGridListenerTest {
    @TempDir
    Path tmp;

    private static RunConfig config(int epochs, int sampleEvery) {
        return new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                new TinyAutoencoder.Config(784, 4, 1.0),
                TrainerConfig.builder()
                        .epochs(epochs)
                        .batchSize(100)
                        .learningRate(1e-2)
                        .seed(5)
                        .checkpointEvery(1)
                        .sampleEvery(sampleEvery)
                        .build());
    }

    private static TrainingRun runner() {
        return new TrainingRun(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false);
    }

    @Test
    void gridsAreWrittenEveryNEpochsAndTheLastAndLeaveTrainingBitIdenticalAlsoWhenResumed() throws Exception {
        TrainingRun runs = runner();
        Path withSamples = tmp.resolve("with");
        Path without = tmp.resolve("without");
        Path resumed = tmp.resolve("resumed");
        RunSummary a = runs.train(config(3, 2), withSamples);
        RunSummary b = runs.train(config(3, 0), without);
        runs.train(config(1, 2), resumed); // an interrupted run: one epoch, then continued to three
        RunSummary c = runs.resume(resumed, Optional.of(3));

        assertEquals(List.of("epoch-0002.png", "epoch-0003.png"), sampleFiles(withSamples));
        assertFalse(Files.exists(without.resolve(SampleGridListener.DIR)), "sampleEvery=0 writes no grids");
        assertEquals(List.of("epoch-0001.png", "epoch-0002.png", "epoch-0003.png"), sampleFiles(resumed));

        // Sample grids consume no training randomness: the same losses, bit for bit, with and without them,
        // and a resumed run equals the uninterrupted one.
        assertEquals(losses(without), losses(withSamples));
        assertEquals(losses(withSamples), losses(resumed));
        assertEquals(b.testMetrics(), a.testMetrics());
        assertEquals(a.testMetrics(), c.testMetrics());
        for (String epoch : List.of("epoch-0002.png", "epoch-0003.png")) {
            assertArrayEquals(
                    Files.readAllBytes(withSamples.resolve("samples").resolve(epoch)),
                    Files.readAllBytes(resumed.resolve("samples").resolve(epoch)),
                    epoch + " is the same in the resumed run");
        }

        // The last grid shows the final model: the first 16 test images above their reconstructions, with the
        // grid's own noise, rendered independently here from the saved model.
        TrainingRun.Finished finished = runs.load(withSamples);
        int[] first = new int[SampleGridListener.RECONSTRUCTIONS];
        Arrays.setAll(first, i -> i);
        Batch batch = finished.test().batch(first);
        Path expected = ImageGrid.writeReconstructions(
                tmp.resolve("expected.png"),
                batch.features(),
                finished.model().reconstruct(batch, new NoiseSource(5 + SampleGridListener.SAMPLE_SEED_OFFSET)),
                28,
                28,
                8);
        assertPixelsEqual(expected, SampleGridListener.file(withSamples, 3));
        BufferedImage grid =
                ImageIO.read(SampleGridListener.file(withSamples, 3).toFile());
        assertEquals(8 * 56 + 7 * 2, grid.getWidth()); // 8 columns of 28 px at scale 2, 2 px separators
        assertEquals(4 * 56 + 3 * 2, grid.getHeight()); // 2 input rows, 2 reconstruction rows
        assertFalse(
                Arrays.equals(
                        Files.readAllBytes(SampleGridListener.file(withSamples, 2)),
                        Files.readAllBytes(SampleGridListener.file(withSamples, 3))),
                "the model changed between epochs 2 and 3");
    }

    @Test
    void aNegativeIntervalNamesTheKey() {
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> TrainerConfig.builder().sampleEvery(-1).build());
        assertEquals("sampleEvery", e.key());
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
        assertEquals(0, TrainerConfig.defaults().sampleEvery(), "off by default");
    }

    @Test
    void sampleEveryIsSettableByPath() {
        RunConfig set =
                new ConfigPaths(TinyAutoencoder.registry()).setAll(config(1, 0), List.of("trainer.sampleEvery=3"));
        assertEquals(3, set.trainer().sampleEvery());
    }

    private static List<String> sampleFiles(Path run) throws Exception {
        try (Stream<Path> files = Files.list(run.resolve(SampleGridListener.DIR))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
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

    private static void assertPixelsEqual(Path expected, Path actual) throws Exception {
        BufferedImage e = ImageIO.read(expected.toFile());
        BufferedImage a = ImageIO.read(actual.toFile());
        assertEquals(e.getWidth(), a.getWidth());
        assertEquals(e.getHeight(), a.getHeight());
        for (int y = 0; y < e.getHeight(); y++) {
            for (int x = 0; x < e.getWidth(); x++) {
                assertEquals(e.getRGB(x, y), a.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }
}
