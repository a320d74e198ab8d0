package org.latentlab.eval;

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
        long seed) {

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
    }

    /**
     * Burda et al.'s k = 5,000 on every test image, probes on up to 10,000 training codes and all
     * test codes, k-NN with k = 5, no anomaly detection, seed 1.
     */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(
                500, 5000, 0, 100, 10_000, 0, 1.0, 5, -1, AnomalyScore.AUTO, Metrics.ACTIVE_UNIT_THRESHOLD, 1);
    }

    /**
     * The defaults of {@code latentlab evaluate}: {@link #defaults()} with the log-likelihood estimated with
     * k = 1,000 on the first 1,000 test images (the paper's setting takes hours on a CPU; the command's
     * {@code --is-samples 5000 --is-images 0} asks for it).
     */
    public static EvaluationOptions commandLine() {
        return defaults().withImportanceSampling(1000, 1000);
    }

    /** k importance samples (0 = skip) on the first {@code images} test images (0 = all). */
    public EvaluationOptions withImportanceSampling(int samples, int images) {
        return new EvaluationOptions(
                batchSize,
                samples,
                images,
                importanceBatchSize,
                probeTrainSize,
                probeTestSize,
                probeL2,
                knnK,
                anomalyClass,
                anomalyScore,
                activeUnitThreshold,
                seed);
    }

    /** Probe subset sizes: training codes (0 = skip the probes) and test codes (0 = all). */
    public EvaluationOptions withProbes(int trainSize, int testSize) {
        return new EvaluationOptions(
                batchSize,
                importanceSamples,
                importanceImages,
                importanceBatchSize,
                trainSize,
                testSize,
                probeL2,
                knnK,
                anomalyClass,
                anomalyScore,
                activeUnitThreshold,
                seed);
    }

    public EvaluationOptions withKnnK(int k) {
        return new EvaluationOptions(
                batchSize,
                importanceSamples,
                importanceImages,
                importanceBatchSize,
                probeTrainSize,
                probeTestSize,
                probeL2,
                k,
                anomalyClass,
                anomalyScore,
                activeUnitThreshold,
                seed);
    }

    /** Anomaly detection with {@code normalClass} as normal (-1 = skip), scored by {@code score}. */
    public EvaluationOptions withAnomaly(int normalClass, AnomalyScore score) {
        return new EvaluationOptions(
                batchSize,
                importanceSamples,
                importanceImages,
                importanceBatchSize,
                probeTrainSize,
                probeTestSize,
                probeL2,
                knnK,
                normalClass,
                score,
                activeUnitThreshold,
                seed);
    }

    public EvaluationOptions withBatchSize(int size) {
        return new EvaluationOptions(
                size,
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
                seed);
    }

    public EvaluationOptions withSeed(long newSeed) {
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
                newSeed);
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
