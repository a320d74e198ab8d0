package org.latentlab.train;

/**
 * Where the wall time of one {@link Trainer#fit} call went, outside and inside the gradient steps.
 *
 * @param firstStepEndNanos   {@link System#nanoTime()} when the first gradient step of this call ended (planning and
 *                            the first step's cold start included), or -1 if it took no step
 * @param stepSeconds         wall time of the gradient steps of this call (its epochs only, not those before a resume)
 * @param evaluationSeconds   the loss terms on the training probe and the validation set after each epoch
 * @param epochEndSeconds     the end-of-epoch listeners: checkpoints, the metrics file, sample grids, TensorBoard
 * @param prepareSeconds      the optimizer, schedule and gradient function set up before the first epoch
 */
public record FitTimings(
        long firstStepEndNanos,
        double stepSeconds,
        double evaluationSeconds,
        double epochEndSeconds,
        double prepareSeconds) {
    /** Nothing measured yet. */
    static final FitTimings NONE = new FitTimings(-1, 0, 0, 0, 0);
}
