package org.latentlab.train;

import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a checkpoint (model with updater state, and the {@link TrainingState}) every {@code every} epochs and
 * after the last epoch, also when a stop was requested. Add it after every listener that may request a stop.
 */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);
    private final Checkpoints checkpoints;
    private final int every;

    /** Checkpoints into {@code checkpoints} every {@code every} epochs (0: only after the last epoch). */
    public CheckpointListener(Checkpoints checkpoints, int every) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + every);
        }
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.every = every;
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        int epoch = result.epoch();
        boolean due = every > 0 && epoch % every == 0;
        if (due || control.isLastEpoch(epoch)) {
            Path saved = checkpoints.save(control.model(), control.state());
            LOG.debug("checkpoint saved to {}", saved);
        }
    }
}
