package org.latentlab.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.latentlab.config.JsonErrors;

/**
 * Model variants registered by class. The registry also owns the JSON mapping of configs, so a
 * config written by one run is read back as the same record type.
 */
public final class ModelRegistry {
    private final Map<String, ModelType<?>> byName = new LinkedHashMap<>();
    private final Map<Class<?>, ModelType<?>> byConfigClass = new LinkedHashMap<>();
    // Enum values in any case (cosine, COSINE), as the command line takes them: config files are written by hand.
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    public ModelRegistry register(ModelType<?> type) {
        if (byName.containsKey(type.name())) {
            throw new IllegalStateException("model type '" + type.name() + "' is registered twice");
        }
        byName.put(type.name(), type);
        byConfigClass.put(type.configClass(), type);
        mapper.registerSubtypes(new NamedType(type.configClass(), type.name()));
        return this;
    }

    public Collection<ModelType<?>> types() {
        return Collections.unmodifiableCollection(byName.values());
    }

    public Optional<ModelType<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The type called {@code name}, or an error that lists the registered names. */
    public ModelType<?> get(String name) {
        ModelType<?> type = byName.get(name);
        if (type == null) {
            throw new IllegalArgumentException(
                    "unknown model '" + name + "'; known models: " + String.join(", ", byName.keySet()));
        }
        return type;
    }

    public ModelType<?> typeOf(ModelConfig config) {
        ModelType<?> type = byConfigClass.get(config.getClass());
        if (type == null) {
            throw new IllegalArgumentException(
                    "config class " + config.getClass().getName() + " is not registered");
        }
        return type;
    }

    /** The config as JSON, tagged with its type name. */
    public String toJson(ModelConfig config) {
        try {
            return mapper.writerFor(ModelConfig.class).writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config " + config, e);
        }
    }

    /**
     * Reads a tagged config. Keys left out take the type's default values, so a hand-written
     * config can name only what it changes. {@code source} names where the JSON came from (a
     * file path) so errors can say which file holds the unknown key or type.
     */
    public ModelConfig fromJson(String json, String source) {
        try {
            JsonNode tree = mapper.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException(source + ": a model config must be a JSON object");
            }
            JsonNode typeNode = tree.get("type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw new IllegalArgumentException(
                        source + ": model config has no \"type\"; known types: " + String.join(", ", byName.keySet()));
            }
            ModelType<?> type = byName.get(typeNode.asText());
            if (type == null) {
                throw new IllegalArgumentException(source + ": unknown model type '" + typeNode.asText() + "'; known: "
                        + String.join(", ", byName.keySet()));
            }
            ObjectNode merged = (ObjectNode) mapper.readTree(toJson(type.defaults()));
            List<String> valid = keysOf(type);
            Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("type") && !valid.contains(field.getKey())) {
                    throw new IllegalArgumentException(source + ": unknown key '" + field.getKey() + "' for model '"
                            + type.name() + "'; valid keys: " + String.join(", ", valid));
                }
                merged.set(field.getKey(), field.getValue());
            }
            return mapper.treeToValue(merged, ModelConfig.class);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String detail = root instanceof IllegalArgumentException ? root.getMessage() : JsonErrors.describe(e);
            throw new IllegalArgumentException(source + ": invalid model config: " + detail, e);
        }
    }

    /** The config keys of a model type: the components of its config record. */
    public List<String> keysOf(ModelType<?> type) {
        return Arrays.stream(type.configClass().getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
