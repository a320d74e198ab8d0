package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
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
