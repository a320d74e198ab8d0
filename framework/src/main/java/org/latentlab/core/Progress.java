package org.latentlab.core;

/**
 * Where training stands when a batch is fed, for hyperparameters that follow a schedule (a KL
 * warm-up, an annealed corruption level).
 *
 * @param epoch      0-based epoch
 * @param globalStep 0-based gradient step counted over all epochs
 */
public record Progress(int epoch, long globalStep) {

    /** Used outside training (evaluation, inference): every schedule at its final value. */
    public static final Progress DONE = new Progress(Integer.MAX_VALUE, Long.MAX_VALUE);

    public Progress {
        if (epoch < 0 || globalStep < 0) {
            throw new IllegalArgumentException("epoch and step must be >= 0, got " + epoch + ", " + globalStep);
        }
    }

    /** Linear warm-up from 0 to 1 over {@code steps} gradient steps (1 at once if steps is 0). */
    public double warmup(long steps) {
        return steps <= 0 ? 1.0 : Math.min(1.0, (double) globalStep / steps);
    }
}
