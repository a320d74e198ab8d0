package org.latentlab.train;

/**
 * Hooks into the training loop; every method has a no-op default. The per-batch hooks take plain numbers (they run
 * after every gradient step); the others get the {@link TrainingControl}, through which a listener sees the model
 * and the {@link TrainingState} and may ask training to stop.
 */
public interface TrainingListener {

    /** Before the first epoch of this call to fit (also after a resume); a listener may keep {@code control}. */
    default void onTrainingStart(TrainingControl control) {}

    default void onEpochStart(int epoch, int batches) {}

    /** After every gradient step; {@code batch} is 1-based. */
    default void onBatchEnd(int epoch, int batch, int batchSize) {}

    /** After the last gradient step of an epoch, before the trainer evaluates it. */
    default void onEpochBatchesEnd(int epoch) {}

    /**
     * After the epoch was evaluated and recorded: {@code control.state()} already includes {@code result}.
     * Listeners are called in the order they were added; the trainer's early stopping and checkpointing come last.
     */
    default void onEpochEnd(EpochResult result, TrainingControl control) {}

    default void onTrainingEnd(TrainingResult result) {}
}
