package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    private static final ModelRegistry REGISTRY = TinyAutoencoder.registry();
    private static ImageDataset train;
    private static ImageDataset validation;

    @BeforeAll
    static void data() {
        ImageDataset all = Datasets.load(Datasets.MNIST_SAMPLE).train();
        train = all.head(400);
        validation = all.subset(IntStream.range(1000, 1200).toArray());
    }

    private static TrainerConfig config(int epochs, int checkpointEvery, int patience, double lr) {
        return new TrainerConfig(epochs, 50, Optimizer.ADAM, lr, 0, 0, 11, checkpointEvery, patience, 0);
    }

    private static AutoencoderModel<?> model() {
        return TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 8, 1.0), 11);
    }

    @Test
    void lossFallsAndEveryEpochReportsTermsAndThroughput() {
        TrainingResult r = new Trainer(config(3, 0, 0, 1e-2)).fit(model(), train, validation);
        assertEquals(3, r.history().size());
        EpochResult first = r.history().get(0);
        EpochResult last = r.last();
        assertEquals(List.of("loss", "mse"), List.copyOf(last.train().keySet()));
        assertTrue(last.train().get("loss") < first.train().get("loss"));
        assertTrue(last.validation().get("loss") < first.validation().get("loss"));
        assertTrue(last.samplesPerSecond() > 0);
        assertEquals(last.train().get("loss"), last.train().get("mse"), 1e-6);
    }

    @Test
    void scheduleValuesFollowTheirCurves() {
        assertEquals(1e-3, LrSchedule.CONSTANT.valueAt(1e-3, 70, 100), 0);
        assertEquals(1e-3, LrSchedule.COSINE.valueAt(1e-3, 0, 100), 1e-15);
        assertEquals(0.5e-3, LrSchedule.COSINE.valueAt(1e-3, 50, 100), 1e-15);
        assertEquals(0.5e-3 * (1 + Math.cos(Math.PI * 0.25)), LrSchedule.COSINE.valueAt(1e-3, 25, 100), 1e-15);
        assertEquals(0.0, LrSchedule.COSINE.valueAt(1e-3, 100, 100), 1e-18);
        assertEquals(0.0, LrSchedule.COSINE.valueAt(1e-3, 150, 100), 1e-18);
        assertEquals(0.25e-3, LrSchedule.LINEAR.valueAt(1e-3, 75, 100), 1e-15);
    }

    @Test
    void aDecayingScheduleDrivesTheUpdaterAndSurvivesACheckpoint(@TempDir Path dir) {
        // 400 examples / 50 = 8 steps per epoch, 2 epochs = 16 steps; linear decay to 0 at step 16.
        TrainerConfig linear = new TrainerConfig(2, 50, Optimizer.ADAM, 1e-2, 0, 0, 11, 1, 0, 0, LrSchedule.LINEAR);
        Checkpoints cps = new Checkpoints(dir, REGISTRY);
        AutoencoderModel<?> m = model();
        new Trainer(linear.withEpochs(1)).checkpointTo(cps).fit(m, train, null);
        var tc = m.graph().getTrainingConfig();
        assertEquals(8, tc.getIterationCount());
        // The 1-epoch config decays over 8 steps: the rate at step 4 is half the initial one.
        assertEquals(5e-3, tc.getUpdater().getLearningRate(4, 0), 1e-12);

        // Resumed with the 2-epoch config: the saved step counter and the new 16-step curve.
        Checkpoints.Loaded loaded = cps.load(cps.latest().orElseThrow());
        AutoencoderModel<?> resumed = loaded.model();
        assertEquals(8, resumed.graph().getTrainingConfig().getIterationCount());
        new Trainer(linear).fit(resumed, train, null, loaded.state());
        var after = resumed.graph().getTrainingConfig();
        assertEquals(16, after.getIterationCount());
        assertEquals(5e-3, after.getUpdater().getLearningRate(8, 1), 1e-12);
        assertEquals(0.0, after.getUpdater().getLearningRate(16, 2), 1e-12);
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRun(@TempDir Path dir) {
        TrainingResult straight = new Trainer(config(3, 1, 0, 1e-2))
                .checkpointTo(new Checkpoints(dir.resolve("a"), REGISTRY))
                .fit(model(), train, validation);

        // Train 1 epoch, then resume from its checkpoint in a fresh model object up to epoch 3.
        Checkpoints cps = new Checkpoints(dir.resolve("b"), REGISTRY);
        new Trainer(config(1, 1, 0, 1e-2)).checkpointTo(cps).fit(model(), train, validation);
        Checkpoints.Loaded loaded = cps.load(cps.latest().orElseThrow());
        assertEquals(1, loaded.state().epochsCompleted());
        TrainingResult resumed = new Trainer(config(3, 1, 0, 1e-2))
                .checkpointTo(cps)
                .fit(loaded.model(), train, validation, loaded.state());

        assertEquals(3, resumed.history().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    straight.history().get(i).train(), resumed.history().get(i).train(), "epoch " + (i + 1));
            assertEquals(
                    straight.history().get(i).validation(),
                    resumed.history().get(i).validation());
        }
        assertTrue(Files.isDirectory(dir.resolve("b/epoch-0003/model")));
    }

    @Test
    void earlyStoppingStopsWhenValidationStallsAndNeedsValidation() {
        // A learning rate this small cannot improve the validation loss by the min delta.
        TrainerConfig stalling = new TrainerConfig(10, 50, Optimizer.SGD, 1e-9, 0, 0, 11, 0, 2, 1.0);
        TrainingResult r = new Trainer(stalling).fit(model(), train, validation);
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.history().size()); // epoch 1 sets the best, epochs 2 and 3 do not improve
        assertEquals(1, r.bestEpoch());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Trainer(stalling).fit(model(), train, null));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }

    @Test
    void nonFiniteLossStopsWithAClearMessage() {
        AutoencoderModel<?> exploding =
                TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 8, Double.POSITIVE_INFINITY), 1);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> new Trainer(config(2, 0, 0, 1e-2))
                .fit(exploding, train, validation));
        assertTrue(e.getMessage().contains("'") && e.getMessage().contains("epoch 1"), e.getMessage());
    }

    @Test
    void csvHoldsEveryTermForTrainAndValidation(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metrics.csv");
        new Trainer(config(2, 0, 0, 1e-2))
                .addListener(new CsvMetricsListener(csv))
                .fit(model(), train, validation);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,train_loss,train_mse,val_loss,val_mse,train_seconds,samples_per_second", lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("2,"));
        assertEquals(7, lines.get(2).split(",").length);
    }

    @Test
    void invalidSettingsNameTheValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TrainerConfig(-1, 10, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0));
        assertTrue(e.getMessage().contains("-1"));
        e = assertThrows(
                IllegalArgumentException.class, () -> new TrainerConfig(1, 0, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0));
        assertTrue(e.getMessage().contains("batch size"));
    }

    @Test
    void savedModelReloadsWithIdenticalCodes(@TempDir Path dir) {
        AutoencoderModel<?> m = model();
        new Trainer(config(1, 0, 0, 1e-2)).fit(m, train, null);
        m.save(dir.resolve("m"), REGISTRY);
        AutoencoderModel<?> back = AutoencoderModel.load(dir.resolve("m"), REGISTRY);
        INDArray x = validation.features(new int[] {0, 1});
        assertEquals(m.encode(x), back.encode(x));
        assertEquals(m.decode(m.encode(x)), back.decode(back.encode(x)));
    }
}
