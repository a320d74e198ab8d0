package org.latentlab.train;

/** Hooks into the training loop; every method has a no-op default. */
public interface TrainingListener {

    /** Before the first epoch of this call to fit (also after a resume). */
    default void onTrainingStart(TrainingContext context) {
    }

    default void onEpochStart(int epoch, int batches) {
    }

    /** After every gradient step; {@code batch} is 1-based. */
    default void onBatchEnd(int epoch, int batch, int batchSize) {
    }

    /** After the last gradient step of an epoch, before the trainer evaluates and checkpoints. */
    default void onEpochBatchesEnd(int epoch) {
    }

    default void onEpochEnd(EpochResult result) {
    }

    default void onTrainingEnd(TrainingResult result) {
    }
}
