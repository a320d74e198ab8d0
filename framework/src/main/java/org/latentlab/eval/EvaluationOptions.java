package org.latentlab.eval;

import org.latentlab.data.Corruption;

/**
 * What {@link Evaluator#evaluate} computes and how much of the data it uses. Start from
 * {@link #defaults()} and change what a run needs with the {@code with...} methods.
 *
 * @param batchSize            test images per graph call for reconstructions, codes and the ELBO
 * @param importanceSamples    k of the importance-sampled log-likelihood (Burda et al. 2016 use 5,000);
 *                             0 skips it; ignored for models that are not a LikelihoodModel
 * @param importanceImages     test images the likelihood is estimated on (the first ones); 0 = all.
 *                             Cost grows with images * k: full MNIST at k = 5,000 is 50 million encoder and
 *                             decoder passes, at about 4,000 per second for the default VAE (784-400-20) and
 *                             700 for the default conv-VAE on 2 busy cores: hours. Use fewer images or a smaller k
 *                             for a quick look
 * @param importanceBatchSize  images per call of LikelihoodModel.logImportanceWeights
 * @param probeTrainSize       training codes the probes are fitted on (a seeded random subset); 0 skips the probes
 * @param probeTestSize        test codes the probes are scored on (a seeded random subset); 0 = all
 * @param probeL2              L2 weight lambda of the linear probe (1 = scikit-learn's default C = 1)
 * @param knnK                 neighbours of the k-NN probe
 * @param anomalyClass         the normal class of the anomaly-detection AUROC; -1 skips it
 * @param anomalyScore         the per-image score (AUTO: negative ELBO for a LikelihoodModel, else BCE)
 * @param activeUnitThreshold  Cov_x(E_q[z_u|x]) above which unit u counts as active (Burda et al.: 0.01)
 * @param seed                 seeds every random draw (noise, subsets), so an evaluation repeats exactly
 * @param sparsityThreshold    a code activation a counts as near zero when |a| &lt; this (0.01 by default)
 * @param jacobianProbes       random directions v per image of the encoder-Jacobian estimate
 *                             E_v ||J v||^2 (Hutchinson); 0 skips it. Its relative standard deviation per image
 *                             is at most sqrt(2 / probes)
 * @param jacobianStep         step h of the central difference J v ~ (f(x + h v) - f(x - h v)) / (2 h), in pixel
 *                             units (pixels in [0, 1]); ignored when jacobianProbes is 0
 * @param jacobianImages       test images the Jacobian is estimated on (the first ones); 0 = all
 * @param classifierEpochs     training epochs of the independent {@link ImageClassifier} that is scored on the
 *                             model's reconstructions of the test images beside the real ones; 0 skips it
 * @param sampleImages         images generated per sampler (prior samples of a Generative model; codes from N(0, I)
 *                             and from a Gaussian fitted to training codes, decoded) that the classifier judges
 *                             (max softmax probability, share of confident samples, entropy of the predicted
 *                             classes); 0 skips it, as does the absence of a classifier
 * @param denoising            the corruption applied to the test images whose reconstructions are compared with the
 *                             clean images (for any model); {@link Corruption#NONE} skips it
 */
public record EvaluationOptions(
        int batchSize,
        int importanceSamples,
        int importanceImages,
        int importanceBatchSize,
        int probeTrainSize,
        int probeTestSize,
        double probeL2,
        int knnK,
        int anomalyClass,
        AnomalyScore anomalyScore,
        double activeUnitThreshold,
        long seed,
        double sparsityThreshold,
        int jacobianProbes,
        double jacobianStep,
        int jacobianImages,
        int classifierEpochs,
        int sampleImages,
        Corruption denoising) {

    /** Near-zero code activations: |a| below this ({@link #sparsityThreshold}). */
    public static final double SPARSITY_THRESHOLD = 0.01;
    /** Default directions per image of the Jacobian estimate: relative standard deviation at most 0.5 per image. */
    public static final int JACOBIAN_PROBES = 8;
    /**
     * Default finite-difference step, in pixel units: the codes are FLOAT, whose rounding (about 1e-7 of a code of
     * unit scale, divided by 2h) stays below 1e-5 at this step, while the O(h^2) bias of a smooth encoder is small.
     */
    public static final double JACOBIAN_STEP = 1e-2;
    /** Default test images of the Jacobian estimate (2 x probes encoder passes each): the first 1,000. */
    public static final int JACOBIAN_IMAGES = 1000;
    /** Default classifier epochs: the same as {@code latentlab probe-samples}; seconds on the MNIST sample. */
    public static final int CLASSIFIER_EPOCHS = 5;
    /** Default images per sampler judged by the classifier. */
    public static final int SAMPLE_IMAGES = 1000;

    /** Which per-image score ranks anomalies. */
    public enum AnomalyScore {
        /** NEG_ELBO for a LikelihoodModel, otherwise BCE. */
        AUTO,
        /** The negative ELBO of one z ~ q(z|x) per image (LikelihoodModel only). */
        NEG_ELBO,
        /** Binary cross-entropy of the reconstruction, summed over pixels. */
        BCE,
        /** Mean squared error of the reconstruction per pixel. */
        MSE
    }

    public EvaluationOptions {
        positive(batchSize, "batchSize");
        atLeastZero(importanceSamples, "importanceSamples");
        atLeastZero(importanceImages, "importanceImages");
        positive(importanceBatchSize, "importanceBatchSize");
        atLeastZero(probeTrainSize, "probeTrainSize");
        atLeastZero(probeTestSize, "probeTestSize");
        if (!(probeL2 >= 0) || Double.isInfinite(probeL2)) {
            throw new IllegalArgumentException("probeL2 must be a finite number >= 0, got " + probeL2);
        }
        positive(knnK, "knnK");
        if (anomalyClass < -1) {
            throw new IllegalArgumentException("anomalyClass must be a class index or -1 (skip), got " + anomalyClass);
        }
        if (anomalyScore == null) {
            throw new IllegalArgumentException("anomalyScore must be set (AUTO, NEG_ELBO, BCE or MSE)");
        }
        if (!(activeUnitThreshold >= 0) || Double.isInfinite(activeUnitThreshold)) {
            throw new IllegalArgumentException(
                    "activeUnitThreshold must be a finite number >= 0, got " + activeUnitThreshold);
        }
        // 0 in the fields below is what an evaluation.json written before they existed reads as: valid, and "skipped".
        if (!(sparsityThreshold >= 0) || Double.isInfinite(sparsityThreshold)) {
            throw new IllegalArgumentException(
                    "sparsityThreshold must be a finite number >= 0, got " + sparsityThreshold);
        }
        atLeastZero(jacobianProbes, "jacobianProbes");
        if (jacobianProbes > 0 ? !(jacobianStep > 0) || Double.isInfinite(jacobianStep) : !(jacobianStep >= 0)) {
            throw new IllegalArgumentException("jacobianStep must be a finite number > 0, got " + jacobianStep);
        }
        atLeastZero(jacobianImages, "jacobianImages");
        atLeastZero(classifierEpochs, "classifierEpochs");
        atLeastZero(sampleImages, "sampleImages");
        // null is what an evaluation.json written before the denoising section existed reads as: none.
        denoising = denoising == null ? Corruption.NONE : denoising;
    }

    /**
     * Burda et al.'s k = 5,000 on every test image, probes on up to 10,000 training codes and all
     * test codes, k-NN with k = 5, no anomaly detection, seed 1; near zero below {@value #SPARSITY_THRESHOLD};
     * the encoder Jacobian with {@value #JACOBIAN_PROBES} directions and step {@value #JACOBIAN_STEP} on the first
     * {@value #JACOBIAN_IMAGES} test images; the reconstruction classifier trained for {@value #CLASSIFIER_EPOCHS}
     * epochs, and {@value #SAMPLE_IMAGES} images per sampler judged by it; no denoising.
     */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(
                500,
                5000,
                0,
                100,
                10_000,
                0,
                1.0,
                5,
                -1,
                AnomalyScore.AUTO,
                Metrics.ACTIVE_UNIT_THRESHOLD,
                1,
                SPARSITY_THRESHOLD,
                JACOBIAN_PROBES,
                JACOBIAN_STEP,
                JACOBIAN_IMAGES,
                CLASSIFIER_EPOCHS,
                SAMPLE_IMAGES,
                Corruption.NONE);
    }

    /**
     * The defaults of {@code latentlab evaluate}: {@link #defaults()} with the log-likelihood estimated with
     * k = 1,000 on the first 1,000 test images (the paper's setting takes hours on a CPU; the command's
     * {@code --is-samples 5000 --is-images 0} asks for it), and without the reconstruction classifier, which trains
     * a network of its own ({@code --classifier-epochs 5} asks for it).
     */
    public static EvaluationOptions commandLine() {
        return defaults().withImportanceSampling(1000, 1000).withClassifierEpochs(0);
    }

    /** k importance samples (0 = skip) on the first {@code images} test images (0 = all). */
    public EvaluationOptions withImportanceSampling(int samples, int images) {
        return toBuilder().importanceSamples(samples).importanceImages(images).build();
    }

    /** Probe subset sizes: training codes (0 = skip the probes) and test codes (0 = all). */
    public EvaluationOptions withProbes(int trainSize, int testSize) {
        return toBuilder().probeTrainSize(trainSize).probeTestSize(testSize).build();
    }

    public EvaluationOptions withKnnK(int k) {
        return toBuilder().knnK(k).build();
    }

    /** Anomaly detection with {@code normalClass} as normal (-1 = skip), scored by {@code score}. */
    public EvaluationOptions withAnomaly(int normalClass, AnomalyScore score) {
        return toBuilder().anomalyClass(normalClass).anomalyScore(score).build();
    }

    public EvaluationOptions withBatchSize(int size) {
        return toBuilder().batchSize(size).build();
    }

    public EvaluationOptions withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    /** |a| below {@code threshold} counts as a near-zero code activation. */
    public EvaluationOptions withSparsityThreshold(double threshold) {
        return toBuilder().sparsityThreshold(threshold).build();
    }

    /** The encoder-Jacobian estimate: directions per image (0 = skip), step, and test images (0 = all). */
    public EvaluationOptions withJacobian(int probes, double step, int images) {
        return toBuilder()
                .jacobianProbes(probes)
                .jacobianStep(step)
                .jacobianImages(images)
                .build();
    }

    /** Training epochs of the reconstruction classifier; 0 skips it. */
    public EvaluationOptions withClassifierEpochs(int epochs) {
        return toBuilder().classifierEpochs(epochs).build();
    }

    /** Images per sampler judged by the classifier (0 = skip). */
    public EvaluationOptions withSampleImages(int images) {
        return toBuilder().sampleImages(images).build();
    }

    /** The corruption of the denoising measurement ({@link Corruption#NONE} = skip). */
    public EvaluationOptions withDenoising(Corruption corruption) {
        return toBuilder().denoising(corruption).build();
    }

    /** A builder holding these options, to change several by name. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link EvaluationOptions} by name; {@link #build()} validates. */
    public static final class Builder {
        private int batchSize;
        private int importanceSamples;
        private int importanceImages;
        private int importanceBatchSize;
        private int probeTrainSize;
        private int probeTestSize;
        private double probeL2;
        private int knnK;
        private int anomalyClass;
        private AnomalyScore anomalyScore;
        private double activeUnitThreshold;
        private long seed;
        private double sparsityThreshold;
        private int jacobianProbes;
        private double jacobianStep;
        private int jacobianImages;
        private int classifierEpochs;
        private int sampleImages;
        private Corruption denoising;

        private Builder(EvaluationOptions o) {
            batchSize = o.batchSize;
            importanceSamples = o.importanceSamples;
            importanceImages = o.importanceImages;
            importanceBatchSize = o.importanceBatchSize;
            probeTrainSize = o.probeTrainSize;
            probeTestSize = o.probeTestSize;
            probeL2 = o.probeL2;
            knnK = o.knnK;
            anomalyClass = o.anomalyClass;
            anomalyScore = o.anomalyScore;
            activeUnitThreshold = o.activeUnitThreshold;
            seed = o.seed;
            sparsityThreshold = o.sparsityThreshold;
            jacobianProbes = o.jacobianProbes;
            jacobianStep = o.jacobianStep;
            jacobianImages = o.jacobianImages;
            classifierEpochs = o.classifierEpochs;
            sampleImages = o.sampleImages;
            denoising = o.denoising;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder importanceSamples(int v) {
            importanceSamples = v;
            return this;
        }

        public Builder importanceImages(int v) {
            importanceImages = v;
            return this;
        }

        public Builder importanceBatchSize(int v) {
            importanceBatchSize = v;
            return this;
        }

        public Builder probeTrainSize(int v) {
            probeTrainSize = v;
            return this;
        }

        public Builder probeTestSize(int v) {
            probeTestSize = v;
            return this;
        }

        public Builder probeL2(double v) {
            probeL2 = v;
            return this;
        }

        public Builder knnK(int v) {
            knnK = v;
            return this;
        }

        public Builder anomalyClass(int v) {
            anomalyClass = v;
            return this;
        }

        public Builder anomalyScore(AnomalyScore v) {
            anomalyScore = v;
            return this;
        }

        public Builder activeUnitThreshold(double v) {
            activeUnitThreshold = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder sparsityThreshold(double v) {
            sparsityThreshold = v;
            return this;
        }

        public Builder jacobianProbes(int v) {
            jacobianProbes = v;
            return this;
        }

        public Builder jacobianStep(double v) {
            jacobianStep = v;
            return this;
        }

        public Builder jacobianImages(int v) {
            jacobianImages = v;
            return this;
        }

        public Builder classifierEpochs(int v) {
            classifierEpochs = v;
            return this;
        }

        public Builder sampleImages(int v) {
            sampleImages = v;
            return this;
        }

        public Builder denoising(Corruption v) {
            denoising = v;
            return this;
        }

        public EvaluationOptions build() {
            return new EvaluationOptions(
                    batchSize,
                    importanceSamples,
                    importanceImages,
                    importanceBatchSize,
                    probeTrainSize,
                    probeTestSize,
                    probeL2,
                    knnK,
                    anomalyClass,
                    anomalyScore,
                    activeUnitThreshold,
                    seed,
                    sparsityThreshold,
                    jacobianProbes,
                    jacobianStep,
                    jacobianImages,
                    classifierEpochs,
                    sampleImages,
                    denoising);
        }
    }

    private static void positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + v);
        }
    }

    private static void atLeastZero(int v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        }
    }
}
