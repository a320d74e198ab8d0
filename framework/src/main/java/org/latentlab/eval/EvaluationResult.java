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
        ReconstructionClassifier classifier) {
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
     */
    public record ImportanceSampling(
            int samples, int images, double logLikelihood, double standardError, double meanLogWeight) {}

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
     * The headline numbers as one flat map, for tables and charts: recon_mse_per_pixel,
     * recon_bce_per_image, neg_elbo, is_log_likelihood (with is_samples), pca_mse_per_pixel,
     * linear_probe_accuracy, knn_accuracy, anomaly_auroc, active_units, code_mean_activation,
     * code_min_unit_activation, code_max_unit_activation, code_near_zero_fraction, jacobian_frobenius_sq,
     * classifier_real_accuracy, classifier_recon_accuracy; absent when skipped.
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
        return m;
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
