package org.latentlab.train;

/**
 * Stops training when the validation loss has not improved (by more than the trainer's {@code minDelta}) for
 * {@code patience} epochs in a row. The count survives a resume: it is part of the checkpointed
 * {@link TrainingState}.
 */
public final class EarlyStopping implements TrainingListener {
    private final int patience;

    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void onTrainingStart(TrainingControl control) {
        if (control.context().validationSize() == 0) {
            throw new IllegalArgumentException("early stopping (patience " + patience + ") needs a validation set");
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        TrainingState s = control.state();
        if (s.epochsWithoutImprovement() >= patience) {
            control.requestStop(String.format(
                    "validation loss has not improved for %d epochs (best %.4f at epoch %d)",
                    s.epochsWithoutImprovement(), s.bestValidationLoss(), s.bestEpoch()));
        }
    }
}
