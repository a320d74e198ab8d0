package org.latentlab.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latentlab.data.Corruption;
import org.latentlab.io.AtomicFiles;

/**
 * Everything {@link Evaluator#evaluate} measured, as one JSON document (keys in snake_case). A
 * section is null when it was skipped (by the options, or because the model cannot provide it:
 * no likelihood for a deterministic autoencoder). All per-image quantities are means over the
 * test images used; likelihoods are in nats per image.
 *
 * @param model               the model's class name
 * @param trainSet            name of the training set (PCA baseline and probes are fitted on it)
 * @param testSet             name of the test set every metric is measured on
 * @param trainSize           its images
 * @param testSize            its images
 * @param codeSize            the model's code width
 * @param options             the options used
 * @param reconstruction      reconstruction errors of {@code model.reconstruct} on the test set
 * @param testTerms           the model's own summary metrics (mean loss terms, and neg_elbo for a VAE) on the test set
 * @param negElbo             negative ELBO, nats per image (the {@code neg_elbo} of testTerms); null for non-VAEs
 * @param importanceSampling  the k-sample likelihood estimate; null if skipped
 * @param pca                 the PCA baseline with as many components as the code
 * @param probes              linear and k-NN probe accuracies; null if skipped
 * @param anomaly             anomaly-detection AUROC with every test score; null if skipped
 * @param activeUnits         active latent units on the test set
 * @param seconds             wall-clock seconds per metric
 * @param sparsity            the achieved sparsity of the code on the test set; null in files written before it existed
 * @param jacobian            the encoder's squared Jacobian norm on the test set; null if skipped
 * @param classifier          an independent classifier's accuracy on real and reconstructed test images; null if
 *                            skipped
 * @param samples             the classifier's verdict on generated images (prior samples, random codes decoded);
 *                            null if skipped (no classifier, or no sample images asked for)
 * @param denoising           reconstructions of corrupted test images against the clean ones; null if skipped
 * @param posterior           statistics of q(z|x) on the test set (LikelihoodModel only); null otherwise
 */
public record EvaluationResult(
        String model,
        String trainSet,
        String testSet,
        int trainSize,
        int testSize,
        int codeSize,
        EvaluationOptions options,
        Reconstruction reconstruction,
        Map<String, Double> testTerms,
        Double negElbo,
        ImportanceSampling importanceSampling,
        PcaBaseline pca,
        ProbeAccuracy probes,
        Anomaly anomaly,
        ActiveUnits activeUnits,
        Map<String, Double> seconds,
        Sparsity sparsity,
        Jacobian jacobian,
        ReconstructionClassifier classifier,
        SampleVerdict samples,
        DenoisingScore denoising,
        PosteriorStatistics posterior) {
    /** The file {@code latentlab evaluate} writes into a run folder. */
    public static final String FILE = "evaluation.json";

    /**
     * @param msePerPixel  mean over images and pixels of (r - x)^2
     * @param bcePerImage  mean over images of the binary cross-entropy summed over pixels (log clamped at -100)
     */
    public record Reconstruction(double msePerPixel, double bcePerImage) {}

    /**
     * @param samples        k per image
     * @param images         test images estimated on
     * @param logLikelihood  mean over images of log (1/k) sum_i w_i, nats (a stochastic lower bound on log p(x))
     * @param standardError  standard error of that mean over the images
     * @param meanLogWeight  mean of log w over all draws: the ELBO, from the same samples (never above logLikelihood)
     * @param dequantized    whether the test images were dequantized first (a model with a density over continuous
     *                       pixels: x' = (255 x + u) / 256, u ~ U(0, 1)), so that logLikelihood is a density on
     *                       [0, 1]^D that bounds the probability of the 8-bit image (Theis et al., ICLR 2016)
     * @param bitsPerDim     -log2 P(x) per dimension: (-logLikelihood + D ln 256) / (D ln 2) for a dequantized
     *                       estimate, -logLikelihood / (D ln 2) for a Bernoulli model on binary images; null when
     *                       neither applies (a Bernoulli model on grey levels) or in a file written before it existed
     */
    public record ImportanceSampling(
            int samples,
            int images,
            double logLikelihood,
            double standardError,
            double meanLogWeight,
            boolean dequantized,
            Double bitsPerDim) {

        /** Without dequantization or bits per dimension (files and callers from before they existed). */
        public ImportanceSampling(
                int samples, int images, double logLikelihood, double standardError, double meanLogWeight) {
            this(samples, images, logLikelihood, standardError, meanLogWeight, false, null);
        }
    }

    /**
     * @param components        k = the model's code size (capped at the input width)
     * @param msePerPixel       PCA reconstruction error per pixel on the test set
     * @param explainedVariance fraction of the training variance in the k components
     * @param modelMsePerPixel  the model's own error per pixel, for comparison
     */
    public record PcaBaseline(int components, double msePerPixel, double explainedVariance, double modelMsePerPixel) {}

    /**
     * @param trainCodes     codes the probes were fitted on
     * @param testCodes      codes they were scored on
     * @param linearAccuracy logistic-regression accuracy on the test codes
     * @param lambda         its L2 weight
     * @param knnK           neighbours of the k-NN probe
     * @param knnAccuracy    its accuracy on the test codes
     */
    public record ProbeAccuracy(
            int trainCodes, int testCodes, double linearAccuracy, double lambda, int knnK, double knnAccuracy) {}

    /**
     * @param normalClass  the class taken as normal; every other test image is an anomaly
     * @param score        what was scored: neg_elbo, bce or mse (higher = more anomalous)
     * @param auroc        area under the ROC curve of anomaly against normal (0.5 = chance)
     * @param normals      normal test images
     * @param anomalies    anomalous test images
     * @param scores       the score of every test image, in test-set order
     * @param labels       the class of every test image, in the same order
     */
    public record Anomaly(
            int normalClass, String score, double auroc, int normals, int anomalies, double[] scores, int[] labels) {}

    /**
     * @param active     units with variance above the threshold
     * @param total      code width
     * @param threshold  the threshold (0.01 in Burda et al.)
     * @param variances  Cov_x(E_q[z_u|x]) of every unit over the test set
     */
    public record ActiveUnits(int active, int total, double threshold, double[] variances) {}

    /**
     * The achieved sparsity of the code {@code encode(x)} over the test set: rho-hat_u, the mean activation of unit
     * u, is what a KL(rho || rho-hat) penalty drives towards rho on sigmoid codes; an L1 penalty on ReLU codes shows
     * as a large near-zero fraction.
     *
     * @param meanActivation    mean of rho-hat_u over the units (= the mean of every activation)
     * @param minUnitActivation the smallest rho-hat_u
     * @param maxUnitActivation the largest rho-hat_u
     * @param threshold         |a| below this counts as near zero
     * @param nearZeroFraction  share of all test activations (images x units) with |a| &lt; threshold
     * @param unitActivations   rho-hat_u of every unit
     */
    public record Sparsity(
            double meanActivation,
            double minUnitActivation,
            double maxUnitActivation,
            double threshold,
            double nearZeroFraction,
            double[] unitActivations) {}

    /**
     * The squared Frobenius norm ||d code / d x||_F^2 of the encoder's Jacobian, mean per test image, estimated
     * from forward passes only: (1/K) sum_k ||(f(x + h v_k) - f(x - h v_k)) / (2h)||^2 with v_k ~ N(0, I)
     * (Hutchinson's estimator of trace(J^T J) with central differences; see
     * {@code org.latentlab.loss.Contractive#finiteDifferenceEstimate} for the in-graph form).
     *
     * @param probes            K directions per image
     * @param step              h, in pixel units
     * @param images            test images estimated on (the first ones)
     * @param frobeniusSquared  the mean over images of the per-image estimate
     * @param standardError     its standard error over the images (Monte Carlo and image-to-image spread together)
     */
    public record Jacobian(int probes, double step, int images, double frobeniusSquared, double standardError) {}

    /**
     * An independent {@link ImageClassifier}, trained on real training images only, judging the model's
     * reconstructions: a reconstruction that keeps the digit keeps its class.
     *
     * @param source                 "trained" (for {@code epochs} epochs) or "loaded" (from a file)
     * @param epochs                 its training epochs (0 when loaded)
     * @param testImages             test images classified, real and reconstructed
     * @param realAccuracy           its accuracy on the real test images (how good the judge is)
     * @param reconstructionAccuracy its accuracy on the model's reconstructions of the same images
     */
    public record ReconstructionClassifier(
            String source, int epochs, int testImages, double realAccuracy, double reconstructionAccuracy) {}

    /**
     * What the {@link ImageClassifier} makes of images from one sampler. A digit the classifier recognises gets a
     * high maximum probability; a blur between classes, or no digit at all, a low one; a sampler that keeps producing
     * the same class shows in a low entropy of the predicted classes.
     *
     * @param images          images generated and classified
     * @param confidence      mean over the images of the classifier's largest softmax probability
     * @param confidentShare  share of the images whose largest probability is at least
     *                        {@value Evaluator#CONFIDENT_PROBABILITY}
     * @param classEntropy    entropy, nats, of the histogram of predicted classes (log 10 = every one of 10 classes
     *                        equally often; 0 = one class only)
     * @param classCounts     images predicted as each class
     */
    public record SamplerVerdict(
            int images, double confidence, double confidentShare, double classEntropy, int[] classCounts) {}

    /**
     * The reconstruction classifier's verdict on generated images: is the sampler's output digit-like? (Lecture 003:
     * an autoencoder's code space is not made for sampling, a VAE's is.)
     *
     * <p>Read the confidence together with the entropy and the confident share: a classifier trained on real digits
     * only can be confidently wrong about what is not a digit at all (an untrained decoder's grey blur may all go to
     * one class with a probability as high as real digits get), which then shows as an entropy near 0.
     *
     * @param images       images per sampler
     * @param real         the first as many real test images, for reference: what the classifier makes of digits
     * @param prior        decoded prior samples of a Generative model (its {@code sample}); null for other models
     * @param normal       codes drawn from N(0, I), decoded
     * @param fitted       codes drawn from a Gaussian fitted (mean, full covariance) to training codes, decoded
     * @param fittedCodes  training codes the Gaussian was fitted to
     * @param fitJitter    what the covariance needed on its diagonal to factorise (0 normally)
     */
    public record SampleVerdict(
            int images,
            SamplerVerdict real,
            SamplerVerdict prior,
            SamplerVerdict normal,
            SamplerVerdict fitted,
            int fittedCodes,
            double fitJitter) {}

    /**
     * The model's reconstructions of corrupted test images compared with the clean images (lectures 000 and 003: a
     * denoising autoencoder is trained for this, a plain one is not).
     *
     * @param corruption        the corruption applied (seeded by the options' seed)
     * @param images            test images corrupted
     * @param msePerPixel       mean over images and pixels of (reconstruct(noisy) - clean)^2
     * @param noisyMsePerPixel  mean over images and pixels of (noisy - clean)^2: what doing nothing scores
     */
    public record DenoisingScore(Corruption corruption, int images, double msePerPixel, double noisyMsePerPixel) {}

    /**
     * The diagonal Gaussian posterior q(z|x) = N(mu, diag(sigma^2)) on the test images (lecture 002: a VAE uses a
     * small subset of z; the other units keep sigma near 1 and mu near 0, and cost no KL).
     *
     * @param images          test images
     * @param meanSigma       mean of sigma over the images and units
     * @param unitMeanSigma   for each unit, the mean of sigma over the images
     * @param klPerImage      mean over the images of KL(q(z|x) || N(0, I)), nats
     * @param unitKl          for each unit, the mean over the images of its share of that KL, nats
     */
    public record PosteriorStatistics(
            int images, double meanSigma, double[] unitMeanSigma, double klPerImage, double[] unitKl) {}

    /**
     * The headline numbers as one flat map, for tables and charts: recon_mse_per_pixel,
     * recon_bce_per_image, neg_elbo, is_log_likelihood (with is_samples, and is_bits_per_dim where it applies),
     * pca_mse_per_pixel,
     * linear_probe_accuracy, knn_accuracy, anomaly_auroc, active_units, code_mean_activation,
     * code_min_unit_activation, code_max_unit_activation, code_near_zero_fraction, jacobian_frobenius_sq,
     * classifier_real_accuracy, classifier_recon_accuracy, samples_S_confidence, samples_S_confident_share and
     * samples_S_class_entropy for each sampler S of real (test images), prior, normal and fitted, denoising_mse,
     * denoising_noisy_mse, posterior_mean_sigma, kl_per_image; absent when skipped.
     */
    public LinkedHashMap<String, Double> headline() {
        var m = new LinkedHashMap<String, Double>();
        if (reconstruction != null) {
            m.put("recon_mse_per_pixel", reconstruction.msePerPixel());
            m.put("recon_bce_per_image", reconstruction.bcePerImage());
        }
        if (negElbo != null) {
            m.put("neg_elbo", negElbo);
        }
        if (importanceSampling != null) {
            m.put("is_log_likelihood", importanceSampling.logLikelihood());
            m.put("is_samples", (double) importanceSampling.samples());
            if (importanceSampling.bitsPerDim() != null) {
                m.put("is_bits_per_dim", importanceSampling.bitsPerDim());
            }
        }
        if (pca != null) {
            m.put("pca_mse_per_pixel", pca.msePerPixel());
        }
        if (probes != null) {
            m.put("linear_probe_accuracy", probes.linearAccuracy());
            m.put("knn_accuracy", probes.knnAccuracy());
        }
        if (anomaly != null) {
            m.put("anomaly_auroc", anomaly.auroc());
        }
        if (activeUnits != null) {
            m.put("active_units", (double) activeUnits.active());
        }
        if (sparsity != null) {
            m.put("code_mean_activation", sparsity.meanActivation());
            m.put("code_min_unit_activation", sparsity.minUnitActivation());
            m.put("code_max_unit_activation", sparsity.maxUnitActivation());
            m.put("code_near_zero_fraction", sparsity.nearZeroFraction());
        }
        if (jacobian != null) {
            m.put("jacobian_frobenius_sq", jacobian.frobeniusSquared());
        }
        if (classifier != null) {
            m.put("classifier_real_accuracy", classifier.realAccuracy());
            m.put("classifier_recon_accuracy", classifier.reconstructionAccuracy());
        }
        if (samples != null) {
            putSampler(m, "real", samples.real());
            putSampler(m, "prior", samples.prior());
            putSampler(m, "normal", samples.normal());
            putSampler(m, "fitted", samples.fitted());
        }
        if (denoising != null) {
            m.put("denoising_mse", denoising.msePerPixel());
            m.put("denoising_noisy_mse", denoising.noisyMsePerPixel());
        }
        if (posterior != null) {
            m.put("posterior_mean_sigma", posterior.meanSigma());
            m.put("kl_per_image", posterior.klPerImage());
        }
        return m;
    }

    private static void putSampler(Map<String, Double> m, String name, SamplerVerdict v) {
        if (v != null) {
            m.put("samples_" + name + "_confidence", v.confidence());
            m.put("samples_" + name + "_confident_share", v.confidentShare());
            m.put("samples_" + name + "_class_entropy", v.classEntropy());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Pretty-printed JSON, snake_case keys. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise evaluation result: " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #toJson()} wrote; {@code source} names the input in errors. */
    public static EvaluationResult fromJson(String json, String source) {
        try {
            return JSON.readValue(json, EvaluationResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not an evaluation result: " + source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to {@code file} atomically. */
    public void write(Path file) {
        AtomicFiles.writeString(file, toJson());
    }

    /** Reads a file written by {@link #write}. */
    public static EvaluationResult read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
