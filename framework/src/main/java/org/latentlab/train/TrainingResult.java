package org.latentlab.train;

import java.util.List;

/**
 * Outcome of a call to {@link Trainer#fit}.
 *
 * @param history       every epoch so far, including those before a resume
 * @param stoppedEarly  true if early stopping ended training
 * @param bestEpoch     epoch with the lowest validation loss (0 without validation)
 */
public record TrainingResult(List<EpochResult> history, boolean stoppedEarly, int bestEpoch) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    public EpochResult last() {
        return history.get(history.size() - 1);
    }

    /** Total gradient-step seconds over all epochs. */
    public double trainSeconds() {
        return history.stream().mapToDouble(EpochResult::trainSeconds).sum();
    }

    /** Training examples per second over all epochs. */
    public double samplesPerSecond(int trainSize) {
        double s = trainSeconds();
        return s > 0 ? (double) trainSize * history.size() / s : 0;
    }
}
