package org.latentlab.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.config.JsonErrors;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.train.KeepModel;
import org.latentlab.train.TrainerConfig;

/**
 * {@link RunConfig} to and from JSON. The model part goes through the {@link ModelRegistry}
 * (type tag, defaults for missing keys, unknown keys named); the rest through Jackson, which
 * rejects unknown keys too.
 */
public final class RunConfigJson {
    /**
     * Trainer keys added after the first config.json files were written, with what their absence means: the mapper
     * rejects a missing number, so an older run folder is read with these filled in.
     */
    private static final Map<String, Object> TRAINER_KEYS_ADDED_LATER = Map.of(
            "sampleEvery",
            0,
            "likelihoodEvery",
            0,
            "likelihoodSamples",
            TrainerConfig.LIKELIHOOD_SAMPLES,
            "likelihoodImages",
            TrainerConfig.LIKELIHOOD_IMAGES,
            "keepCheckpoints",
            0,
            "keep",
            KeepModel.LAST.name());

    private final ModelRegistry registry;

    public RunConfigJson(ModelRegistry registry) {
        this.registry = registry;
    }

    public String toJson(RunConfig config) {
        try {
            return registry.mapper().writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write run config " + config, e);
        }
    }

    /** The config as a mutable JSON tree (for sweeps that set values by path). */
    public ObjectNode toTree(RunConfig config) {
        return (ObjectNode) registry.mapper().valueToTree(config);
    }

    public RunConfig fromJson(String json, String source) {
        try {
            return fromTree(registry.mapper().readTree(json), source);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(
                    source + ": not valid JSON: " + e.getOriginalMessage()
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    public RunConfig fromTree(JsonNode tree, String source) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(source + ": a run config must be a JSON object");
        }
        JsonNode model = tree.get("model");
        if (model == null) {
            throw new IllegalArgumentException(source + ": missing key 'model'");
        }
        ModelConfig modelConfig = registry.fromJson(model.toString(), source);
        ObjectMapper mapper = registry.mapper();
        ObjectNode rest = ((ObjectNode) tree).deepCopy();
        rest.remove("model");
        if (rest.get("trainer") instanceof ObjectNode trainer) {
            TRAINER_KEYS_ADDED_LATER.forEach((key, absent) -> {
                if (!trainer.has(key)) {
                    trainer.set(key, registry.mapper().valueToTree(absent));
                }
            });
        }
        try {
            Partial partial = mapper.treeToValue(rest, Partial.class);
            return new RunConfig(
                    partial.dataset(),
                    partial.validationFraction(),
                    modelConfig,
                    partial.trainer(),
                    partial.trainClasses(),
                    partial.trainSize() == null ? RunConfig.DEFAULT_TRAIN_SIZE : partial.trainSize());
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String detail = root instanceof IllegalArgumentException
                    ? root.getMessage()
                    : e instanceof JsonProcessingException j ? JsonErrors.describe(j) : e.getMessage();
            if (root instanceof InvalidConfigException bad) {
                throw new InvalidConfigException(bad.key(), source + ": invalid run config: " + detail);
            }
            throw new IllegalArgumentException(source + ": invalid run config: " + detail, e);
        }
    }

    public RunConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing run config " + file);
        }
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Everything in config.json but the model, which the registry reads; a config without trainSize is older. */
    private record Partial(
            String dataset,
            double validationFraction,
            TrainerConfig trainer,
            List<Integer> trainClasses,
            Integer trainSize) {}
}
