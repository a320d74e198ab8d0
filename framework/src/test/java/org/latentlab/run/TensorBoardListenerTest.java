package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.RandomCodes;
import org.latentlab.plot.ImageGrid;
import org.latentlab.tensorboard.EventFile;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

/** A run's TensorBoard events: what is written each epoch and at the end, across a resume, and switched off. */
class TensorBoardListenerTest {
    @TempDir
    Path tmp;

    private static RunConfig config(int epochs) {
        return new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                new TinyAutoencoder.Config(784, 4, 1.0),
                TrainerConfig.builder()
                        .epochs(epochs)
                        .batchSize(100)
                        .learningRate(1e-2)
                        .seed(4)
                        .checkpointEvery(1)
                        .sampleEvery(2)
                        .build());
    }

    private static TrainingRun runner() {
        return new TrainingRun(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false);
    }

    /** (step, tag) of each event after the version record. */
    private static List<String> tagsAndSteps(Path run) throws Exception {
        Path file = EventFile.find(run.resolve(TensorBoardListener.DIR)).orElseThrow();
        List<String> out = new ArrayList<>();
        List<byte[]> events = EventFile.readEvents(file);
        for (byte[] event : events.subList(1, events.size())) {
            out.add(EventFile.stepOf(event) + " " + EventFile.tagOf(event));
        }
        return out;
    }

    @Test
    void eachEpochWritesEveryMetricsColumnAndTheEndTheTestMetricsProjectorAndSession() throws Exception {
        Path run = tmp.resolve("run");
        RunSummary summary = runner().train(config(3), run);
        List<String> events = tagsAndSteps(run);
        assertEquals("0 _hparams_/session_start_info", events.get(0));
        assertEquals("0 _hparams_/session_end_info", events.get(events.size() - 1));
        List<String> header = List.of(
                Files.readAllLines(run.resolve(TrainingRun.METRICS_FILE)).get(0).split(","));
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (String column : header.subList(1, header.size())) {
                assertTrue(events.contains(epoch + " " + TensorBoardListener.tagOf(column)), epoch + " " + column);
            }
            assertTrue(events.contains(epoch + " optim/learning_rate"));
        }
        assertTrue(
                events.contains("2 images/reconstructions") && events.contains("3 images/reconstructions"),
                "every sampleEvery = 2 epochs and after the last: " + events);
        assertFalse(events.contains("1 images/reconstructions"));
        for (String metric : summary.test().keySet()) {
            assertTrue(events.contains("3 test/" + metric), metric);
        }
        Path projector = run.resolve(TensorBoardListener.DIR);
        assertTrue(Files.readString(projector.resolve("projector_config.pbtxt")).contains("projector/tensors.tsv"));
        List<String> tensors = Files.readAllLines(projector.resolve("projector/tensors.tsv"));
        List<String> metadata = Files.readAllLines(projector.resolve("projector/metadata.tsv"));
        assertEquals(500, tensors.size(), "every test image of the sample (500 < 1,000)");
        assertEquals(4, tensors.get(0).split("\t").length, "one column per code unit");
        assertEquals("label\tclass", metadata.get(0));
        assertEquals(501, metadata.size());
        assertTrue(Files.size(projector.resolve("projector/sprite.png")) > 0);
        // The codes read back as the very floats the model gives.
        AutoencoderModel<?> model =
                AutoencoderModel.load(run.resolve(TrainingRun.MODEL_DIR), TinyAutoencoder.registry());
        ImageDataset test = Datasets.load(Datasets.MNIST_SAMPLE).test();
        float[][] codes = RandomCodes.encode(model, test).toFloatMatrix();
        for (int i = 0; i < codes.length; i++) {
            String[] cells = tensors.get(i).split("\t");
            for (int j = 0; j < codes[i].length; j++) {
                assertEquals(codes[i][j], Float.parseFloat(cells[j]), 0f, "row " + i + ", column " + j);
            }
        }
    }

    @Test
    void theSpriteShowsTheImagesGivenAndIsMadeOnceForTheSameImages() throws Exception {
        ImageDataset test = Datasets.load(Datasets.MNIST_SAMPLE).test();
        ImageDataset first = test.subset(IntStream.range(0, 100).toArray());
        ImageDataset again = test.subset(IntStream.range(0, 100).toArray());
        ImageDataset other = test.subset(IntStream.range(1, 101).toArray());
        byte[] a = TensorBoardListener.sprite(first);
        assertSame(a, TensorBoardListener.sprite(again), "the same images: the sprite made before");
        byte[] b = TensorBoardListener.sprite(other);
        assertFalse(Arrays.equals(a, b), "other images: another sprite");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(a));
        // 10 columns of 28 pixels, no separators: the projector config's single_image_dim (28) tiles it
        assertEquals(10 * 28, image.getWidth());
        assertEquals(10 * 28, image.getHeight());
        BufferedImage expected =
                new ImageGrid(1, 28, 28).columns(10).separator(0).scale(1).render(first.features());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                assertEquals(expected.getRGB(x, y), image.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void aResumedRunHasTheEventsOfAnUninterruptedOne() throws Exception {
        TrainingRun runs = runner();
        Path whole = tmp.resolve("whole");
        runs.train(config(3), whole);
        Path cut = tmp.resolve("cut");
        runs.train(config(2), cut);
        runs.resume(cut, Optional.of(3));
        List<String> a = tagsAndSteps(whole);
        List<String> b = tagsAndSteps(cut);
        // The interrupted run ended its first session at epoch 2 (its last then); the resumed one keeps epochs 1-2,
        // not the end of that session nor its test metrics, and writes 3 as the uninterrupted run did.
        assertEquals(a, b);
    }

    @Test
    void switchedOffWritesNothing() throws Exception {
        Path run = tmp.resolve("off");
        runner().tensorBoard(false).train(config(1), run);
        assertFalse(Files.exists(run.resolve(TensorBoardListener.DIR)));
    }
}
