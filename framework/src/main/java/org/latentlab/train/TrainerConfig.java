package org.latentlab.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.latentlab.config.Describe;
import org.latentlab.config.InvalidConfigException;

/**
 * Hyperparameters of training, kept apart from the model's own.
 *
 * @param epochs            passes over the training set
 * @param batchSize         examples per gradient step
 * @param optimizer         ADAM or SGD
 * @param learningRate      step size
 * @param momentum          SGD momentum (Nesterov); ignored by Adam
 * @param weightDecay       decoupled weight decay coefficient (0 = off); applies to every
 *                          parameter, biases included (ND4J has no per-variable exclusion)
 * @param seed              seeds parameter init, shuffling and all noise; same seed, same run
 * @param checkpointEvery   save a checkpoint every N epochs (0 = only at the end)
 * @param patience          early stopping: stop after this many epochs without a validation
 *                          improvement of at least {@code minDelta} (0 = off)
 * @param minDelta          smallest validation-loss decrease that counts as an improvement
 * @param lrSchedule        how the learning rate decays over the run's steps (CONSTANT when
 *                          absent from an older config.json)
 * @param sampleEvery       write a sample grid ({@code samples/epoch-NNNN.png}) every N epochs
 *                          (0 = off, also when absent from an older config.json)
 * @param likelihoodEvery   estimate the test log-likelihood by importance sampling every N epochs and after the last
 *                          one, written to {@code likelihood.csv} (0 = off, also when absent from an older
 *                          config.json); only for models that have a likelihood
 * @param likelihoodSamples k of those estimates ({@value #LIKELIHOOD_SAMPLES} by default, also when absent)
 * @param likelihoodImages  the first N test images those estimates use, 0 = all ({@value #LIKELIHOOD_IMAGES} by
 *                          default, also when absent)
 * @param keepCheckpoints   keep only the newest N checkpoints, deleting older ones after each save (0 = keep all,
 *                          also when absent from an older config.json)
 * @param keep              which epoch's parameters become the run's model: {@link KeepModel#BEST} on validation
 *                          (the default of {@link #defaults()}) or {@link KeepModel#LAST} (also when absent from an
 *                          older config.json, which kept the last epoch)
 */
public record TrainerConfig(
        int epochs,
        int batchSize,
        Optimizer optimizer,
        double learningRate,
        double momentum,
        double weightDecay,
        long seed,
        int checkpointEvery,
        int patience,
        double minDelta,
        LrSchedule lrSchedule,
        int sampleEvery,

        @Describe("estimate the test NLL by importance sampling every N epochs and after the last, into"
                + " likelihood.csv (0 = off; likelihood models only)")
        int likelihoodEvery,

        @Describe("importance samples k of each likelihood estimate during training")
        int likelihoodSamples,

        @Describe("first N test images of each likelihood estimate during training (0 = all)")
        int likelihoodImages,

        @Describe("keep only the newest N checkpoints (0 = all)")
        int keepCheckpoints,

        @Describe("the run's model: the best epoch on validation (best) or the last epoch (last)")
        KeepModel keep) {

    /** Default k of the likelihood estimates during training. */
    public static final int LIKELIHOOD_SAMPLES = 1000;

    /** Default test images of the likelihood estimates during training (the first ones). */
    public static final int LIKELIHOOD_IMAGES = 1000;

    @JsonCreator
    public TrainerConfig {
        if (lrSchedule == null) {
            lrSchedule = LrSchedule.CONSTANT;
        }
        if (keep == null) {
            keep = KeepModel.LAST; // what every run kept before the choice existed
        }
        require(epochs >= 1, "epochs", "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batchSize", "batch size must be at least 1, got " + batchSize);
        require(optimizer != null, "optimizer", "optimizer must be set");
        require(
                learningRate > 0 && Double.isFinite(learningRate),
                "learningRate",
                "learning rate must be a positive number, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum", "momentum must be in [0, 1), got " + momentum);
        require(
                weightDecay >= 0 && Double.isFinite(weightDecay),
                "weightDecay",
                "weight decay must be >= 0, got " + weightDecay);
        require(checkpointEvery >= 0, "checkpointEvery", "checkpoint interval must be >= 0, got " + checkpointEvery);
        require(patience >= 0, "patience", "patience must be >= 0, got " + patience);
        require(minDelta >= 0 && Double.isFinite(minDelta), "minDelta", "min delta must be >= 0, got " + minDelta);
        require(sampleEvery >= 0, "sampleEvery", "sample interval must be >= 0 (0 = off), got " + sampleEvery);
        require(
                likelihoodEvery >= 0,
                "likelihoodEvery",
                "likelihood interval must be >= 0 (0 = off), got " + likelihoodEvery);
        require(
                likelihoodSamples >= 1,
                "likelihoodSamples",
                "likelihood samples must be at least 1, got " + likelihoodSamples);
        require(
                likelihoodImages >= 0,
                "likelihoodImages",
                "likelihood images must be >= 0 (0 = all), got " + likelihoodImages);
        require(
                keepCheckpoints >= 0,
                "keepCheckpoints",
                "checkpoints to keep must be >= 0 (0 = all), got " + keepCheckpoints);
    }

    /** A config that keeps every checkpoint and the last epoch's model (what every run did before those choices). */
    public TrainerConfig(
            int epochs,
            int batchSize,
            Optimizer optimizer,
            double learningRate,
            double momentum,
            double weightDecay,
            long seed,
            int checkpointEvery,
            int patience,
            double minDelta,
            LrSchedule lrSchedule,
            int sampleEvery,
            int likelihoodEvery,
            int likelihoodSamples,
            int likelihoodImages) {
        this(
                epochs,
                batchSize,
                optimizer,
                learningRate,
                momentum,
                weightDecay,
                seed,
                checkpointEvery,
                patience,
                minDelta,
                lrSchedule,
                sampleEvery,
                likelihoodEvery,
                likelihoodSamples,
                likelihoodImages,
                0,
                KeepModel.LAST);
    }

    /** A config without a likelihood curve during training. */
    public TrainerConfig(
            int epochs,
            int batchSize,
            Optimizer optimizer,
            double learningRate,
            double momentum,
            double weightDecay,
            long seed,
            int checkpointEvery,
            int patience,
            double minDelta,
            LrSchedule lrSchedule,
            int sampleEvery) {
        this(
                epochs,
                batchSize,
                optimizer,
                learningRate,
                momentum,
                weightDecay,
                seed,
                checkpointEvery,
                patience,
                minDelta,
                lrSchedule,
                sampleEvery,
                0,
                LIKELIHOOD_SAMPLES,
                LIKELIHOOD_IMAGES);
    }

    /** A config without sample grids during training. */
    public TrainerConfig(
            int epochs,
            int batchSize,
            Optimizer optimizer,
            double learningRate,
            double momentum,
            double weightDecay,
            long seed,
            int checkpointEvery,
            int patience,
            double minDelta,
            LrSchedule lrSchedule) {
        this(
                epochs,
                batchSize,
                optimizer,
                learningRate,
                momentum,
                weightDecay,
                seed,
                checkpointEvery,
                patience,
                minDelta,
                lrSchedule,
                0);
    }

    /** A config with a constant learning rate. */
    public TrainerConfig(
            int epochs,
            int batchSize,
            Optimizer optimizer,
            double learningRate,
            double momentum,
            double weightDecay,
            long seed,
            int checkpointEvery,
            int patience,
            double minDelta) {
        this(
                epochs,
                batchSize,
                optimizer,
                learningRate,
                momentum,
                weightDecay,
                seed,
                checkpointEvery,
                patience,
                minDelta,
                LrSchedule.CONSTANT);
    }

    /**
     * The pytorch/examples VAE setup: 10 epochs, batch 128, Adam 1e-3; seed 1, no momentum, weight decay or
     * early stopping, and a checkpoint after every epoch (so that a killed run can be resumed), all of them kept;
     * the model kept is the best epoch on validation. The command line's defaults are read from here.
     */
    public static TrainerConfig defaults() {
        return new TrainerConfig(10, 128, Optimizer.ADAM, 1e-3, 0.0, 0.0, 1L, 1, 0, 0.0)
                .toBuilder().keep(KeepModel.BEST).build();
    }

    public TrainerConfig withEpochs(int newEpochs) {
        return toBuilder().epochs(newEpochs).build();
    }

    /** A builder starting from {@link #defaults()}: {@code TrainerConfig.builder().epochs(5).build()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Sets fields by name instead of by position; {@link #build} validates as the constructor
     * does (an invalid value names its key).
     */
    public static final class Builder {
        private int epochs;
        private int batchSize;
        private Optimizer optimizer;
        private double learningRate;
        private double momentum;
        private double weightDecay;
        private long seed;
        private int checkpointEvery;
        private int patience;
        private double minDelta;
        private LrSchedule lrSchedule;
        private int sampleEvery;
        private int likelihoodEvery;
        private int likelihoodSamples;
        private int likelihoodImages;
        private int keepCheckpoints;
        private KeepModel keep;

        private Builder(TrainerConfig c) {
            epochs = c.epochs;
            batchSize = c.batchSize;
            optimizer = c.optimizer;
            learningRate = c.learningRate;
            momentum = c.momentum;
            weightDecay = c.weightDecay;
            seed = c.seed;
            checkpointEvery = c.checkpointEvery;
            patience = c.patience;
            minDelta = c.minDelta;
            lrSchedule = c.lrSchedule;
            sampleEvery = c.sampleEvery;
            likelihoodEvery = c.likelihoodEvery;
            likelihoodSamples = c.likelihoodSamples;
            likelihoodImages = c.likelihoodImages;
            keepCheckpoints = c.keepCheckpoints;
            keep = c.keep;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder minDelta(double v) {
            minDelta = v;
            return this;
        }

        public Builder lrSchedule(LrSchedule v) {
            lrSchedule = v;
            return this;
        }

        /** Write a sample grid every {@code v} epochs (0 = off). */
        public Builder sampleEvery(int v) {
            sampleEvery = v;
            return this;
        }

        /** Estimate the test log-likelihood every {@code v} epochs (0 = off). */
        public Builder likelihoodEvery(int v) {
            likelihoodEvery = v;
            return this;
        }

        /** k of the likelihood estimates during training. */
        public Builder likelihoodSamples(int v) {
            likelihoodSamples = v;
            return this;
        }

        /** The first {@code v} test images of the likelihood estimates during training (0 = all). */
        public Builder likelihoodImages(int v) {
            likelihoodImages = v;
            return this;
        }

        /** Keep only the newest {@code v} checkpoints (0 = all). */
        public Builder keepCheckpoints(int v) {
            keepCheckpoints = v;
            return this;
        }

        /** Which epoch's parameters become the run's model. */
        public Builder keep(KeepModel v) {
            keep = v;
            return this;
        }

        public TrainerConfig build() {
            return new TrainerConfig(
                    epochs,
                    batchSize,
                    optimizer,
                    learningRate,
                    momentum,
                    weightDecay,
                    seed,
                    checkpointEvery,
                    patience,
                    minDelta,
                    lrSchedule,
                    sampleEvery,
                    likelihoodEvery,
                    likelihoodSamples,
                    likelihoodImages,
                    keepCheckpoints,
                    keep);
        }
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new InvalidConfigException(key, message);
        }
    }
}
