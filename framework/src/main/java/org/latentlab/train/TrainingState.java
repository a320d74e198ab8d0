package org.latentlab.train;

import java.util.List;

/**
 * Where a run stands, saved beside each checkpoint so training can resume exactly.
 *
 * @param epochsCompleted          epochs finished so far
 * @param history                  their results
 * @param bestValidationLoss       lowest validation loss seen (NaN if none)
 * @param bestEpoch                epoch of that loss (0 if none)
 * @param epochsWithoutImprovement epochs since it last improved by at least minDelta
 */
public record TrainingState(
        int epochsCompleted,
        List<EpochResult> history,
        double bestValidationLoss,
        int bestEpoch,
        int epochsWithoutImprovement) {
    public TrainingState {
        history = List.copyOf(history);
    }

    public static TrainingState initial() {
        return new TrainingState(0, List.of(), Double.NaN, 0, 0);
    }
}
