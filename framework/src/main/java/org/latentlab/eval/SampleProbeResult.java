package org.latentlab.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.latentlab.io.AtomicFiles;

/**
 * What a probe of generated samples measured ({@code latentlab probe-samples}): how many images a
 * conditional model generated for each class an independent {@link ImageClassifier} assigns to
 * that class. Serialises to JSON with snake_case keys.
 *
 * @param run              the run folder whose model generated the images
 * @param model            the model's registered type name, e.g. {@code cvae}
 * @param dataset          the dataset the classifier was trained and tested on
 * @param samplesPerClass  images generated per class (decoder means, z ~ N(0, I))
 * @param seed             the seed of the classifier's training and of the generator's noise
 * @param classifier       the judge and its accuracy on real test images
 * @param perClass         per class c, the share of its generated images classified as c
 * @param overall          the mean of {@code perClass}
 */
public record SampleProbeResult(
        String run,
        String model,
        String dataset,
        int samplesPerClass,
        long seed,
        Classifier classifier,
        List<Double> perClass,
        double overall) {

    /**
     * @param source        {@code trained}, or {@code loaded} from {@code file}
     * @param file          the classifier file read or written; null if none
     * @param hidden        hidden units of the MLP (when trained here; 0 when loaded)
     * @param epochs        training epochs (when trained here; 0 when loaded)
     * @param trainImages   real training images it was trained on (0 when loaded)
     * @param testAccuracy  share of the real test images it classifies correctly
     * @param testImages    real test images {@code testAccuracy} is measured on
     */
    public record Classifier(
            String source, String file, int hidden, int epochs, int trainImages, double testAccuracy, int testImages) {}

    /** The result for per-class shares {@code shares}; {@code overall} is their mean. */
    public static SampleProbeResult of(
            String run,
            String model,
            String dataset,
            int samplesPerClass,
            long seed,
            Classifier classifier,
            double[] shares) {
        return new SampleProbeResult(
                run,
                model,
                dataset,
                samplesPerClass,
                seed,
                classifier,
                Arrays.stream(shares).boxed().toList(),
                Arrays.stream(shares).average().orElse(Double.NaN));
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Pretty-printed JSON, snake_case keys. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise sample probe result: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to {@code file} atomically. */
    public void write(Path file) {
        AtomicFiles.writeString(file, toJson());
    }
}
