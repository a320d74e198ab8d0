package org.latentlab.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a checkpoint (model with updater state, and the {@link TrainingState}) every {@code every} epochs and
 * after the last epoch, also when a stop was requested, and keeps only the newest {@code keep} of them (0: all).
 * With {@link KeepModel#BEST} it also saves the model of each epoch that improves on the best validation loss, before
 * that epoch's checkpoint. Add it after every listener that may request a stop.
 */
public final class CheckpointListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);
    private final Checkpoints checkpoints;
    private final int every;
    private final int keep;
    private final KeepModel model;

    /** Checkpoints into {@code checkpoints} every {@code every} epochs (0: only after the last epoch), all kept. */
    public CheckpointListener(Checkpoints checkpoints, int every) {
        this(checkpoints, every, 0, KeepModel.LAST);
    }

    /**
     * Checkpoints into {@code checkpoints} every {@code every} epochs (0: only after the last epoch), keeping the
     * newest {@code keep} (0: all), and the best model on validation too when {@code model} is BEST.
     */
    public CheckpointListener(Checkpoints checkpoints, int every, int keep, KeepModel model) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + every);
        }
        if (keep < 0) {
            throw new IllegalArgumentException("checkpoints to keep must be >= 0 (0 = all), got " + keep);
        }
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.every = every;
        this.keep = keep;
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        int epoch = result.epoch();
        if (model == KeepModel.BEST
                && !result.validation().isEmpty()
                && control.state().bestEpoch() == epoch) {
            Path saved = checkpoints.saveBest(control.model(), epoch);
            LOG.debug("best model on validation (epoch {}) saved to {}", epoch, saved);
        }
        boolean due = every > 0 && epoch % every == 0;
        if (due || control.isLastEpoch(epoch)) {
            Path saved = checkpoints.save(control.model(), control.state());
            LOG.debug("checkpoint saved to {}", saved);
            if (keep > 0) {
                List<String> deleted = checkpoints.prune(keep);
                if (!deleted.isEmpty()) {
                    LOG.debug("deleted old checkpoints {} (keeping the newest {})", deleted, keep);
                }
            }
        }
    }
}
