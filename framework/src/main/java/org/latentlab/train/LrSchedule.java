package org.latentlab.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * How the learning rate changes over a run, per gradient step. The step count is the graph's
 * own iteration counter, saved with checkpoints, so a resumed run continues the same curve.
 */
public enum LrSchedule {
    /** The configured rate throughout. */
    CONSTANT,
    /** Half a cosine from the configured rate to 0 at the last step (Loshchilov &amp; Hutter, SGDR, 2017, without restarts). */
    COSINE,
    /** A straight line from the configured rate to 0 at the last step. */
    LINEAR;

    /** The ND4J schedule for {@code totalSteps} steps starting at {@code learningRate}; null for {@link #CONSTANT}. */
    ISchedule schedule(double learningRate, long totalSteps) {
        return this == CONSTANT ? null : new Decay(this, learningRate, Math.max(1, totalSteps));
    }

    /** The rate at step {@code step} (0-based) of {@code totalSteps}; after the last step it stays at 0. */
    public double valueAt(double learningRate, long step, long totalSteps) {
        double progress = Math.min(1.0, Math.max(0.0, step / (double) Math.max(1, totalSteps)));
        return switch (this) {
            case CONSTANT -> learningRate;
            case COSINE -> learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
            case LINEAR -> learningRate * (1 - progress);
        };
    }

    /** The ND4J side: serialisable into the checkpoint's training config (Jackson, shaded by ND4J). */
    public static final class Decay implements ISchedule {
        private final LrSchedule kind;
        private final double initialValue;
        private final long totalSteps;

        @JsonCreator
        public Decay(
                @JsonProperty("kind") LrSchedule kind,
                @JsonProperty("initialValue") double initialValue,
                @JsonProperty("totalSteps") long totalSteps) {
            this.kind = kind;
            this.initialValue = initialValue;
            this.totalSteps = totalSteps;
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return kind.valueAt(initialValue, iteration, totalSteps);
        }

        @Override
        public ISchedule clone() {
            return new Decay(kind, initialValue, totalSteps);
        }

        @JsonProperty("kind")
        public LrSchedule getKind() {
            return kind;
        }

        @JsonProperty("initialValue")
        public double getInitialValue() {
            return initialValue;
        }

        @JsonProperty("totalSteps")
        public long getTotalSteps() {
            return totalSteps;
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase() + " decay from " + initialValue + " over " + totalSteps + " steps";
        }
    }
}
