package org.latentlab.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlab.io.AtomicFiles;

/**
 * What a finished run wrote to {@value #FILE}, with the keys it has always had ({@code model}, {@code train_size},
 * {@code test_<metric>}, ..., {@code provenance}), so that runs written by earlier versions still read.
 *
 * @param model            the model's type name
 * @param dataset          dataset name
 * @param trainSize        training examples the epochs trained on (the subset, with a {@code trainSize})
 * @param trainClasses     the classes trained on (empty = all; the key is then left out)
 * @param validationSize   validation examples
 * @param testSize         test examples
 * @param parameters       trainable parameters
 * @param epochsCompleted  epochs trained, over every resume
 * @param stoppedEarly     whether early stopping (or another stop request) ended training
 * @param bestEpoch        epoch of the lowest validation loss (0 without validation)
 * @param test             the model's summary metrics on the test set, written as {@code test_<name>}
 * @param finalTrain       the loss terms on the training examples after the last epoch
 * @param finalValidation  the loss terms on the validation examples after the last epoch (empty without)
 * @param trainSeconds     seconds of gradient steps over all epochs
 * @param pretrainSeconds  seconds of greedy pretraining before the epochs, or null (the key is then left out)
 * @param pretrainSize     training examples the pretraining saw (the whole training part, also with a subset), or
 *                         null without pretraining (the key is then left out)
 * @param samplesPerSecond training examples per second of {@code trainSeconds}
 * @param seed             the run's seed
 * @param started          when this process started the run's training
 * @param finished         when it wrote the summary
 * @param provenance       where the run came from (null in a summary without it)
 * @param binarization     how a binarized dataset's images were binarized ({@code Binarization.describe()}), or null
 *                         for grey-level data (the key is then left out)
 * @param modelEpoch       the epoch whose parameters {@code model/} holds and the test metrics measure (the best on
 *                         validation, or the last); null in a summary written before the choice, which kept the last
 * @param timings          where this process's wall time went, in seconds ({@code process_to_first_step},
 *                         {@code run_to_first_step}, {@code steps}, {@code epoch_evaluation}, ...; see
 *                         {@code TrainingRun}); empty in a summary written before they were recorded (the key is then
 *                         left out)
 */
@JsonSerialize(using = RunSummary.Writer.class)
@JsonDeserialize(using = RunSummary.Reader.class)
public record RunSummary(
        String model,
        String dataset,
        int trainSize,
        List<Integer> trainClasses,
        int validationSize,
        int testSize,
        long parameters,
        int epochsCompleted,
        boolean stoppedEarly,
        int bestEpoch,
        Map<String, Double> test,
        Map<String, Double> finalTrain,
        Map<String, Double> finalValidation,
        double trainSeconds,
        Double pretrainSeconds,
        Integer pretrainSize,
        double samplesPerSecond,
        long seed,
        Instant started,
        Instant finished,
        Provenance provenance,
        String binarization,
        Integer modelEpoch,
        Map<String, Double> timings) {
    public static final String FILE = "summary.json";
    private static final String TEST_PREFIX = "test_";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunSummary {
        trainClasses = trainClasses == null ? List.of() : List.copyOf(trainClasses);
        test = ordered(test);
        finalTrain = ordered(finalTrain);
        finalValidation = ordered(finalValidation);
        timings = ordered(timings);
    }

    /** A summary of a run on grey-level data: no {@code binarization}. */
    public RunSummary(
            String model,
            String dataset,
            int trainSize,
            List<Integer> trainClasses,
            int validationSize,
            int testSize,
            long parameters,
            int epochsCompleted,
            boolean stoppedEarly,
            int bestEpoch,
            Map<String, Double> test,
            Map<String, Double> finalTrain,
            Map<String, Double> finalValidation,
            double trainSeconds,
            Double pretrainSeconds,
            Integer pretrainSize,
            double samplesPerSecond,
            long seed,
            Instant started,
            Instant finished,
            Provenance provenance) {
        this(
                model,
                dataset,
                trainSize,
                trainClasses,
                validationSize,
                testSize,
                parameters,
                epochsCompleted,
                stoppedEarly,
                bestEpoch,
                test,
                finalTrain,
                finalValidation,
                trainSeconds,
                pretrainSeconds,
                pretrainSize,
                samplesPerSecond,
                seed,
                started,
                finished,
                provenance,
                null,
                null,
                Map.of());
    }

    /** This summary with {@code binarization} recorded (null: none). */
    public RunSummary withBinarization(String newBinarization) {
        return new RunSummary(
                model,
                dataset,
                trainSize,
                trainClasses,
                validationSize,
                testSize,
                parameters,
                epochsCompleted,
                stoppedEarly,
                bestEpoch,
                test,
                finalTrain,
                finalValidation,
                trainSeconds,
                pretrainSeconds,
                pretrainSize,
                samplesPerSecond,
                seed,
                started,
                finished,
                provenance,
                newBinarization,
                modelEpoch,
                timings);
    }

    /** This summary with the epoch of the kept model recorded. */
    public RunSummary withModelEpoch(int epoch) {
        return new RunSummary(
                model,
                dataset,
                trainSize,
                trainClasses,
                validationSize,
                testSize,
                parameters,
                epochsCompleted,
                stoppedEarly,
                bestEpoch,
                test,
                finalTrain,
                finalValidation,
                trainSeconds,
                pretrainSeconds,
                pretrainSize,
                samplesPerSecond,
                seed,
                started,
                finished,
                provenance,
                binarization,
                epoch,
                timings);
    }

    /** This summary with where the process's wall time went (seconds by phase). */
    public RunSummary withTimings(Map<String, Double> newTimings) {
        return new RunSummary(
                model,
                dataset,
                trainSize,
                trainClasses,
                validationSize,
                testSize,
                parameters,
                epochsCompleted,
                stoppedEarly,
                bestEpoch,
                test,
                finalTrain,
                finalValidation,
                trainSeconds,
                pretrainSeconds,
                pretrainSize,
                samplesPerSecond,
                seed,
                started,
                finished,
                provenance,
                binarization,
                modelEpoch,
                newTimings);
    }

    private static Map<String, Double> ordered(Map<String, Double> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The test metrics under their {@value #FILE} keys: {@code test_loss}, {@code test_neg_elbo}, ... */
    public Map<String, Double> testMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        test.forEach((k, v) -> m.put(TEST_PREFIX + k, v));
        return m;
    }

    /** Writes {@value #FILE} into {@code runDir} atomically. */
    public void write(Path runDir) {
        AtomicFiles.writeString(runDir.resolve(FILE), toJson());
    }

    /** The JSON of {@value #FILE}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the {@value #FILE} of {@code runDir}. */
    public static RunSummary read(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a finished run folder: " + runDir + " has no " + FILE);
        }
        try {
            return JSON.readValue(file.toFile(), RunSummary.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** As the JSON object of {@value #FILE}, keys in the order they have always been written. */
    public ObjectNode toTree() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("model", model);
        s.put("dataset", dataset);
        if (binarization != null) {
            s.put("binarization", binarization);
        }
        s.put("train_size", trainSize);
        if (!trainClasses.isEmpty()) {
            trainClasses.forEach(s.putArray("train_classes")::add);
        }
        s.put("validation_size", validationSize);
        s.put("test_size", testSize);
        s.put("parameters", parameters);
        s.put("epochs_completed", epochsCompleted);
        s.put("stopped_early", stoppedEarly);
        s.put("best_epoch", bestEpoch);
        if (modelEpoch != null) {
            s.put("model_epoch", modelEpoch);
        }
        testMetrics().forEach(s::put);
        ObjectNode train = s.putObject("final_train");
        finalTrain.forEach(train::put);
        ObjectNode validation = s.putObject("final_validation");
        finalValidation.forEach(validation::put);
        s.put("train_seconds", trainSeconds);
        if (pretrainSeconds != null) {
            // Greedy pretraining before the epochs; train_seconds counts the epochs only.
            s.put("pretrain_seconds", pretrainSeconds);
        }
        if (pretrainSize != null) {
            s.put("pretrain_size", pretrainSize);
        }
        s.put("samples_per_second", samplesPerSecond);
        s.put("seed", seed);
        s.put("started", started == null ? null : started.toString());
        s.put("finished", finished == null ? null : finished.toString());
        if (!timings.isEmpty()) {
            ObjectNode t = s.putObject("timings");
            timings.forEach(t::put);
        }
        if (provenance != null) {
            s.set("provenance", provenance.toTree());
        }
        return s;
    }

    /** Reads the JSON object of {@link #toTree()}; numbers it lacks are 0, texts null. */
    public static RunSummary fromTree(JsonNode s) {
        List<Integer> classes = new ArrayList<>();
        s.path("train_classes").forEach(c -> classes.add(c.asInt()));
        Map<String, Double> test = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith(TEST_PREFIX) && !f.getKey().equals("test_size")) {
                test.put(
                        f.getKey().substring(TEST_PREFIX.length()), f.getValue().asDouble());
            }
        }
        JsonNode pretrain = s.get("pretrain_seconds");
        JsonNode pretrainSize = s.get("pretrain_size");
        JsonNode provenance = s.get("provenance");
        return new RunSummary(
                text(s, "model"),
                text(s, "dataset"),
                s.path("train_size").asInt(),
                classes,
                s.path("validation_size").asInt(),
                s.path("test_size").asInt(),
                s.path("parameters").asLong(),
                s.path("epochs_completed").asInt(),
                s.path("stopped_early").asBoolean(),
                s.path("best_epoch").asInt(),
                test,
                terms(s.path("final_train")),
                terms(s.path("final_validation")),
                s.path("train_seconds").asDouble(),
                pretrain == null ? null : pretrain.asDouble(),
                pretrainSize == null || !pretrainSize.isNumber() ? null : pretrainSize.asInt(),
                s.path("samples_per_second").asDouble(),
                s.path("seed").asLong(),
                instant(s, "started"),
                instant(s, "finished"),
                provenance == null || !provenance.isObject() ? null : Provenance.fromTree(provenance),
                text(s, "binarization"),
                s.hasNonNull("model_epoch") ? s.get("model_epoch").asInt() : null,
                terms(s.path("timings")));
    }

    private static Map<String, Double> terms(JsonNode node) {
        Map<String, Double> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asDouble()));
        return m;
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String key) {
        String v = text(node, key);
        return v == null ? null : Instant.parse(v);
    }

    /** Jackson writes a summary as {@link #toTree()}. */
    static final class Writer extends JsonSerializer<RunSummary> {
        @Override
        public void serialize(RunSummary value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeTree(value.toTree());
        }
    }

    /** Jackson reads a summary with {@link #fromTree}. */
    static final class Reader extends JsonDeserializer<RunSummary> {
        @Override
        public RunSummary deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return fromTree(p.readValueAsTree());
        }
    }
}
