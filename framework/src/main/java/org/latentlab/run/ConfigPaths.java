package org.latentlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.latentlab.config.Describe;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.train.TrainerConfig;

/**
 * Sets keys of a {@link RunConfig} by name: the one mechanism behind {@code latentlab train --set KEY=VALUE}
 * and the parameters of a sweep. A key is
 * <ul>
 *   <li>a path: {@code trainer.learningRate}, {@code model.latentSize}, or a top-level key ({@code dataset},
 *       {@code validationFraction}, {@code trainClasses}, {@code trainSize});</li>
 *   <li>{@code model}: the model type by its registered name ({@code vae}); the model becomes that type's
 *       defaults, and the other keys given with it apply to the new model;</li>
 *   <li>a bare key that names exactly one of those ({@code learningRate}, {@code latentSize}, {@code seed});</li>
 *   <li>a key scoped to one model type, {@code TYPE.KEY} ({@code vae.beta}): it sets {@code model.KEY} when the
 *       model is of that type, and is left out otherwise (see {@link #appliesTo}).</li>
 * </ul>
 * Unknown and ambiguous keys are errors that name the key and the candidates; a value of the wrong type is an
 * error that names the key, the value and the type expected. Values may be strings (parsed by the type of the
 * key: numbers, {@code true}/{@code false}, enum names in any case, comma-separated lists) or Java values
 * (numbers, booleans, enum constants, lists). Every assignment of one call is validated together, as the
 * config's constructors do, so keys that only make sense together can be set together.
 */
public final class ConfigPaths {
    /** The key that selects the model type. */
    public static final String MODEL = "model";
    /** Prefix of the training settings. */
    public static final String TRAINER = "trainer";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ModelRegistry registry;
    private final RunConfigJson json;

    public ConfigPaths(ModelRegistry registry) {
        this.registry = registry;
        this.json = new RunConfigJson(registry);
    }

    /** Where a key lives. */
    public enum Section {
        /** A top-level key of the run config ({@code dataset}). */
        RUN,
        /** A key of the trainer config. */
        TRAINER,
        /** A key of the model config ({@code name} is null for the model type itself). */
        MODEL
    }

    /**
     * A key resolved against a model type.
     *
     * @param key     the key as written ({@code latentSize}, {@code vae.beta})
     * @param section where it lives
     * @param name    the record component it sets; null for {@link #MODEL} itself
     * @param scope   the model type a scoped key is for ({@code vae}), else null
     * @param type    the Java type of its value
     */
    public record Key(String key, Section section, String name, String scope, Type type) {
        /** The full path: {@code trainer.seed}, {@code model.latentSize}, {@code dataset}, {@code model}, or the
         * scoped key as written ({@code vae.beta}). */
        public String path() {
            if (scope != null) {
                return scope + "." + name;
            }
            return switch (section) {
                case RUN -> name;
                case TRAINER -> TRAINER + "." + name;
                case MODEL -> name == null ? MODEL : MODEL + "." + name;
            };
        }
    }

    /** Every unscoped path that can be set on a run of a model of {@code type}. */
    public List<String> paths(ModelType<?> type) {
        List<String> paths = new ArrayList<>();
        for (String k : runKeys()) {
            paths.add(k);
        }
        paths.add(MODEL);
        for (String k : registry.keysOf(type)) {
            paths.add(MODEL + "." + k);
        }
        for (RecordComponent c : TrainerConfig.class.getRecordComponents()) {
            paths.add(TRAINER + "." + c.getName());
        }
        return paths;
    }

    /**
     * Resolves {@code key} for a run whose model is of {@code type}.
     *
     * @throws IllegalArgumentException for an unknown or ambiguous key, naming it and the candidates
     */
    public Key resolve(String key, ModelType<?> type) {
        Objects.requireNonNull(key, "key");
        if (key.equals(MODEL)) {
            return new Key(key, Section.MODEL, null, null, String.class);
        }
        int dot = key.indexOf('.');
        if (dot > 0) {
            String prefix = key.substring(0, dot);
            String rest = key.substring(dot + 1);
            if (prefix.equals(TRAINER)) {
                RecordComponent c = component(TrainerConfig.class, rest);
                if (c == null) {
                    throw new IllegalArgumentException("unknown key '" + key + "'; trainer keys: "
                            + String.join(", ", componentNames(TrainerConfig.class)));
                }
                return new Key(key, Section.TRAINER, rest, null, c.getGenericType());
            }
            if (prefix.equals(MODEL)) {
                RecordComponent c = component(type.configClass(), rest);
                if (c == null) {
                    throw unknownModelKey(key, rest, type);
                }
                return new Key(key, Section.MODEL, rest, null, c.getGenericType());
            }
            ModelType<?> scope = registry.find(prefix).orElse(null);
            if (scope != null) {
                RecordComponent c = component(scope.configClass(), rest);
                if (c == null) {
                    throw new IllegalArgumentException("unknown key '" + key + "': model '" + prefix + "' has no key '"
                            + rest + "'; its keys: " + String.join(", ", registry.keysOf(scope)));
                }
                return new Key(key, Section.MODEL, rest, prefix, c.getGenericType());
            }
            throw new IllegalArgumentException("unknown key '" + key + "': '" + prefix + "' is neither " + MODEL + ", "
                    + TRAINER + " nor a model type (" + String.join(", ", typeNames()) + "); valid keys: "
                    + String.join(", ", paths(type)));
        }
        List<Key> matches = new ArrayList<>();
        RecordComponent run = component(RunConfig.class, key);
        if (run != null && runKeys().contains(key)) {
            matches.add(new Key(key, Section.RUN, key, null, run.getGenericType()));
        }
        RecordComponent trainer = component(TrainerConfig.class, key);
        if (trainer != null) {
            matches.add(new Key(key, Section.TRAINER, key, null, trainer.getGenericType()));
        }
        RecordComponent model = component(type.configClass(), key);
        if (model != null) {
            matches.add(new Key(key, Section.MODEL, key, null, model.getGenericType()));
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("key '" + key + "' is ambiguous: write "
                    + String.join(" or ", matches.stream().map(Key::path).toList()));
        }
        throw unknownModelKey(key, key, type);
    }

    /** Whether a resolved key applies to a run whose model is of {@code type}: every key but another type's. */
    public static boolean appliesTo(Key key, ModelType<?> type) {
        return key.scope() == null || key.scope().equals(type.name());
    }

    /** {@code config} with one key set; see {@link #setAll}. */
    public RunConfig set(RunConfig config, String key, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        return setAll(config, one);
    }

    /** {@code config} with {@code KEY=VALUE} assignments (values as typed on a command line) applied together. */
    public RunConfig setAll(RunConfig config, List<String> assignments) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(assignment + ": expected KEY=VALUE");
            }
            String key = assignment.substring(0, eq).trim();
            if (values.containsKey(key)) {
                values.remove(key); // the last assignment of a key wins, in its own position
            }
            values.put(key, assignment.substring(eq + 1).trim());
        }
        return setAll(config, values);
    }

    /**
     * {@code config} with every key set, validated once: {@link #MODEL} first (the model becomes that type's
     * defaults), then the other keys in order, resolved against the resulting model type.
     *
     * @throws IllegalArgumentException naming the key (as {@code KEY=VALUE}) for an unknown or ambiguous key, a
     *                                  value of the wrong type, a key scoped to another model, or a value the
     *                                  config rejects ({@link InvalidConfigException}, with the component's key,
     *                                  when a constructor rejected it)
     */
    public RunConfig setAll(RunConfig config, Map<String, ?> values) {
        RunConfig start = config;
        if (values.containsKey(MODEL)) {
            start = config.withModel(modelFor(values.get(MODEL)));
        }
        ModelType<?> type = registry.typeOf(start.model());
        ObjectNode tree = json.toTree(start);
        List<Map.Entry<String, Key>> applied = new ArrayList<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (e.getKey().equals(MODEL)) {
                continue;
            }
            String assignment = e.getKey() + "=" + text(e.getValue());
            Key key;
            try {
                key = resolve(e.getKey(), type);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(assignment + ": " + ex.getMessage(), ex);
            }
            if (!appliesTo(key, type)) {
                throw new IllegalArgumentException(assignment + ": the key is for model '" + key.scope()
                        + "', this run's model is '" + type.name() + "'");
            }
            JsonNode node = toNode(e.getValue(), key.type(), assignment);
            ObjectNode target =
                    switch (key.section()) {
                        case RUN -> tree;
                        case TRAINER -> (ObjectNode) tree.get(TRAINER);
                        case MODEL -> (ObjectNode) tree.get(MODEL);
                    };
            target.set(key.name(), node);
            applied.add(Map.entry(assignment, key));
        }
        if (applied.isEmpty()) {
            return start;
        }
        try {
            return json.fromTree(tree, "config");
        } catch (IllegalArgumentException e) {
            String detail = e.getMessage().replaceFirst("^config: (invalid (model|run) config: )?", "");
            String culprit = culprit(applied, e, detail);
            String message = culprit + ": " + detail;
            if (e instanceof InvalidConfigException bad) {
                throw new InvalidConfigException(bad.key(), message);
            }
            throw new IllegalArgumentException(message, e);
        }
    }

    /** The defaults of a model type with {@code KEY=VALUE} assignments of its keys applied together. */
    public ModelConfig model(ModelType<?> type, List<String> assignments) {
        return setAll(RunConfig.of(type.defaults()), assignments).model();
    }

    /** One line per key of a model type: name, default, description (for {@code --help}). */
    public static List<String> describe(ModelType<?> type) {
        List<String> lines = new ArrayList<>();
        for (RecordComponent c : type.configClass().getRecordComponents()) {
            Object def;
            try {
                def = c.getAccessor().invoke(type.defaults());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            Describe d = c.getAnnotation(Describe.class);
            lines.add(String.format("%-14s %-18s %s", c.getName(), "(" + def + ")", d == null ? "" : d.value()));
        }
        return lines;
    }

    private ModelConfig modelFor(Object value) {
        if (value instanceof ModelConfig m) {
            return m;
        }
        if (!(value instanceof CharSequence)) {
            throw new IllegalArgumentException(
                    MODEL + "=" + text(value) + ": expected a model name (" + String.join(", ", typeNames()) + ")");
        }
        String name = value.toString().trim();
        ModelType<?> type = registry.find(name).orElse(null);
        if (type == null) {
            throw new IllegalArgumentException(MODEL + "=" + name + ": unknown model '" + name + "'; known models: "
                    + String.join(", ", typeNames()));
        }
        return type.defaults();
    }

    /** The assignment a validation error is about: the last whose key the message names, else all of them. */
    private static String culprit(List<Map.Entry<String, Key>> applied, IllegalArgumentException e, String detail) {
        String culprit = null;
        for (Map.Entry<String, Key> a : applied) {
            String name = a.getValue().name();
            boolean named = e instanceof InvalidConfigException bad
                    ? name.equals(bad.key())
                    : Pattern.compile("\\b" + Pattern.quote(name) + "\\b")
                            .matcher(detail)
                            .find();
            if (named) {
                culprit = a.getKey();
            }
        }
        return culprit != null
                ? culprit
                : String.join(", ", applied.stream().map(Map.Entry::getKey).toList());
    }

    private IllegalArgumentException unknownModelKey(String key, String name, ModelType<?> type) {
        List<String> having = new ArrayList<>();
        for (ModelType<?> other : registry.types()) {
            if (component(other.configClass(), name) != null) {
                having.add(other.name());
            }
        }
        String hint = having.isEmpty()
                ? ""
                : "; models with key '" + name + "': " + String.join(", ", having) + " (scope it to them, e.g. "
                        + having.get(0) + "." + name + ")";
        return new IllegalArgumentException("unknown key '" + key + "' for model '" + type.name() + "'" + hint
                + "; valid keys: " + String.join(", ", paths(type)));
    }

    private List<String> typeNames() {
        return registry.types().stream().map(ModelType::name).toList();
    }

    /** The top-level keys of a run config that are values (not the nested model and trainer). */
    private static List<String> runKeys() {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : RunConfig.class.getRecordComponents()) {
            if (!c.getName().equals(MODEL) && !c.getName().equals(TRAINER)) {
                keys.add(c.getName());
            }
        }
        return keys;
    }

    private static RecordComponent component(Class<?> record, String name) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static List<String> componentNames(Class<?> record) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            names.add(c.getName());
        }
        return names;
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(ConfigPaths::text).toList());
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }

    /** The value as JSON of the key's type, or an error naming key, value and the type expected. */
    private static JsonNode toNode(Object value, Type type, String assignment) {
        JsonNode node = value instanceof CharSequence s ? parse(s.toString().trim(), type) : convert(value, type);
        if (node == null) {
            throw new IllegalArgumentException(assignment + ": expected " + expected(type) + ", got '" + text(value)
                    + "'"
                    + (value instanceof CharSequence || value == null
                            ? ""
                            : " (" + value.getClass().getSimpleName() + ")"));
        }
        return node;
    }

    /** A string as typed on a command line; null when it is not a value of {@code type}. */
    private static JsonNode parse(String value, Type type) {
        try {
            if (type == int.class || type == Integer.class) {
                return F.numberNode(Integer.parseInt(value));
            }
            if (type == long.class || type == Long.class) {
                return F.numberNode(Long.parseLong(value));
            }
            if (type == double.class || type == Double.class) {
                return F.numberNode(Double.parseDouble(value));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (type == boolean.class || type == Boolean.class) {
            return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                    ? F.booleanNode(Boolean.parseBoolean(value))
                    : null;
        }
        if (type instanceof Class<?> cls && cls.isEnum()) {
            String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
            for (Object constant : cls.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return F.textNode(name);
                }
            }
            return null;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            ArrayNode array = F.arrayNode();
            if (!value.isEmpty()) {
                for (String part : value.split(",", -1)) {
                    JsonNode element = parse(part.trim(), p.getActualTypeArguments()[0]);
                    if (element == null) {
                        return null;
                    }
                    array.add(element);
                }
            }
            return array;
        }
        return type == String.class ? F.textNode(value) : null;
    }

    /** A Java value (from a sweep); null when it is not a value of {@code type}. */
    private static JsonNode convert(Object value, Type type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            Long n = integral(value);
            if (n == null) {
                return null;
            }
            boolean isInt = type == int.class || type == Integer.class;
            if (isInt && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                return null;
            }
            return isInt ? F.numberNode(n.intValue()) : F.numberNode(n.longValue());
        }
        if (type == double.class || type == Double.class) {
            return value instanceof Number n ? F.numberNode(n.doubleValue()) : null;
        }
        if (type == boolean.class || type == Boolean.class) {
            return value instanceof Boolean b ? F.booleanNode(b) : null;
        }
        if (type instanceof Class<?> cls && cls.isEnum()) {
            return cls.isInstance(value) ? F.textNode(((Enum<?>) value).name()) : null;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (!(value instanceof List<?> list)) {
                return null;
            }
            ArrayNode array = F.arrayNode();
            for (Object element : list) {
                Type elementType = p.getActualTypeArguments()[0];
                JsonNode node = element instanceof CharSequence s
                        ? parse(s.toString().trim(), elementType)
                        : convert(element, elementType);
                if (node == null) {
                    return null;
                }
                array.add(node);
            }
            return array;
        }
        return null;
    }

    /** A whole number, from an integer type or a double without a fraction; else null. */
    private static Long integral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e18 ? (long) d : null;
        }
        return null;
    }

    private static String expected(Type type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type instanceof Class<?> cls && cls.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : cls.getEnumConstants()) {
                names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
            }
            return "one of " + String.join(", ", names);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "a comma-separated list of "
                    + expected(p.getActualTypeArguments()[0])
                            .replaceFirst("^an? ", "")
                            .replaceFirst("number$", "numbers");
        }
        return "text";
    }
}
