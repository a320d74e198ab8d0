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
    LINEAR,
    /**
     * The schedule of Burda, Grosse &amp; Salakhutdinov (<i>Importance Weighted Autoencoders</i>, ICLR 2016, Sec. 5):
     * 3^i passes at the configured rate times 10^(-i/7), for i = 0..7, 3,280 passes in all. A run of another length
     * keeps the stages' shares of it: stage i starts at (3^i - 1) / 2 of 3,280 of the run's steps.
     */
    BURDA;

    /** Passes over the data of the {@link #BURDA} schedule: sum of 3^i for i = 0..7. */
    public static final int BURDA_EPOCHS = 3280;

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
            case BURDA -> learningRate * Math.pow(10, -burdaStage(progress) / 7.0);
        };
    }

    /** The stage i (0..7) of the {@link #BURDA} schedule at {@code progress} (0..1) of the run. */
    static int burdaStage(double progress) {
        double epoch = progress * BURDA_EPOCHS;
        int stage = 0;
        // stage i + 1 starts after sum_{j <= i} 3^j = (3^(i+1) - 1) / 2 passes
        while (stage < 7 && epoch >= (Math.pow(3, stage + 1) - 1) / 2) {
            stage++;
        }
        return stage;
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
