package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;

/** The control object listeners get, and the early stopping and checkpoint listeners built on it. */
class TrainingControlTest {
    @TempDir
    Path tmp;

    private static AutoencoderModel<?> model() {
        return TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 2, 1.0), 1);
    }

    private static TrainingControl control(int epochs, int validationSize, double minDelta) {
        return new TrainingControl(
                new TrainingContext("tiny", List.of("loss"), 100, validationSize, 1, epochs),
                model(),
                TrainingState.initial(),
                minDelta);
    }

    private static EpochResult epoch(int epoch, double validationLoss) {
        return new EpochResult(epoch, Map.of("loss", 1.0), Map.of("loss", validationLoss), 1, 100);
    }

    @Test
    void theFirstStopRequestIsKeptAndEndsTrainingAfterTheEpoch() {
        TrainingControl c = control(10, 0, 0);
        assertFalse(c.stopRequested());
        assertFalse(c.isLastEpoch(3));
        assertThrows(IllegalArgumentException.class, () -> c.requestStop(" "));
        c.requestStop("enough");
        c.requestStop("later");
        assertTrue(c.stopRequested());
        assertEquals(Optional.of("enough"), c.stopReason());
        assertTrue(c.isLastEpoch(3));
        assertTrue(c.result().stoppedEarly());
        assertEquals("tiny", c.model().typeName());
    }

    @Test
    void recordedEpochsTrackTheBestValidationLossAndTheEpochsSince() {
        TrainingControl c = control(10, 20, 0.05);
        c.recordEpoch(epoch(1, 1.0));
        c.recordEpoch(epoch(2, 0.8));
        c.recordEpoch(epoch(3, 0.78)); // within minDelta: no improvement
        TrainingState s = c.state();
        assertEquals(3, s.epochsCompleted());
        assertEquals(3, s.history().size());
        assertEquals(0.8, s.bestValidationLoss());
        assertEquals(2, s.bestEpoch());
        assertEquals(1, s.epochsWithoutImprovement());
        assertEquals(2, c.result().bestEpoch());
        assertFalse(c.result().stoppedEarly());
    }

    @Test
    void earlyStoppingRequestsAStopOncePatienceRunsOut() {
        TrainingControl c = control(10, 20, 0);
        EarlyStopping stopping = new EarlyStopping(2);
        stopping.onTrainingStart(c);
        double[] losses = {1.0, 0.9, 0.95, 0.91, 0.5};
        int stoppedAt = 0;
        for (int e = 1; e <= losses.length && stoppedAt == 0; e++) {
            EpochResult r = epoch(e, losses[e - 1]);
            c.recordEpoch(r);
            stopping.onEpochEnd(r, c);
            stoppedAt = c.stopRequested() ? e : 0;
        }
        assertEquals(4, stoppedAt);
        assertEquals(
                "validation loss has not improved for 2 epochs (best 0.9000 at epoch 2)",
                c.stopReason().get());
        assertThrows(IllegalArgumentException.class, () -> stopping.onTrainingStart(control(10, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0));
    }

    @Test
    void checkpointsAreSavedWhenDueAndAfterTheLastEpochOrAStop() {
        Checkpoints cps = new Checkpoints(tmp.resolve("cp"), TinyAutoencoder.registry());
        CheckpointListener listener = new CheckpointListener(cps, 3);
        TrainingControl c = control(7, 20, 0);
        List<String> saved = new ArrayList<>();
        for (int e = 1; e <= 7; e++) {
            EpochResult r = epoch(e, 1.0 / e);
            c.recordEpoch(r);
            if (e == 5) {
                c.requestStop("test");
            }
            listener.onEpochEnd(r, c);
            if (Files.isDirectory(cps.dir().resolve(String.format("epoch-%04d", e)))) {
                saved.add("epoch-" + e);
            }
            if (c.stopRequested()) {
                break;
            }
        }
        assertEquals(List.of("epoch-3", "epoch-5"), saved);
        Checkpoints.Loaded loaded = cps.load(cps.latest().orElseThrow());
        assertEquals(5, loaded.state().epochsCompleted());
        assertEquals(c.state(), loaded.state());
        assertEquals("tiny", loaded.model().typeName());
    }
}
