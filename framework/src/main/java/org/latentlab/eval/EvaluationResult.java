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
        Map<String, Double> seconds) {
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
     * The headline numbers as one flat map, for tables and charts: recon_mse_per_pixel,
     * recon_bce_per_image, neg_elbo, is_log_likelihood (with is_samples), pca_mse_per_pixel,
     * linear_probe_accuracy, knn_accuracy, anomaly_auroc, active_units; absent when skipped.
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
