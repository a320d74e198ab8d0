package org.latentlab.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.ModelRegistry;

/**
 * Run configs from files a researcher writes or copies: JSON or YAML ({@code .yaml}, {@code .yml}) with the keys of a
 * run's {@code config.json}. A file may give only some keys; the others come from the defaults given (for {@code
 * latentlab train}, its options' defaults). {@code trainer} and {@code model} are merged key by key; a {@code model}
 * with another {@code type} than the defaults' replaces the defaults' model, whose missing keys then take that type's
 * defaults. A run's own {@code config.json} gives every key, so it replays that run.
 *
 * <p>Every error is one line naming the file, the line where the key or the syntax error stands (when the parser
 * gives one), and the key: {@code sweep.yaml: line 4: unknown key 'trainer.lerningRate'; valid keys there: [...]}.
 */
public final class RunConfigFiles {
    private static final Pattern QUOTED_KEY = Pattern.compile("key '([^']+)'");
    private static final Pattern ANY_QUOTED = Pattern.compile("'([A-Za-z_][A-Za-z0-9_.]*)'");

    private final ModelRegistry registry;
    private final RunConfigJson json;

    public RunConfigFiles(ModelRegistry registry) {
        this.registry = registry;
        this.json = new RunConfigJson(registry);
    }

    /** Whether {@code file} is read as YAML (by its extension); anything else is read as JSON. */
    public static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** The file's tree, JSON or YAML, with a syntax error as one line naming the file, line and column. */
    public static JsonNode readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        ObjectMapper mapper = isYaml(file) ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        try {
            JsonNode tree = mapper.readTree(file.toFile());
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException(file + ": a run config must be a "
                        + (isYaml(file) ? "YAML mapping" : "JSON object") + " of keys (dataset, model, trainer, ...)");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1
                    ? ""
                    : " line " + at.getLineNr() + ", column " + at.getColumnNr() + ":";
            throw new IllegalArgumentException(
                    file + ":" + where + " not valid " + (isYaml(file) ? "YAML" : "JSON") + ": "
                            + e.getOriginalMessage().replace('\n', ' '),
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The run config of {@code file}, its missing keys taken from {@code defaults}. */
    public RunConfig read(Path file, RunConfig defaults) {
        return fromTree(file, (ObjectNode) readTree(file), defaults);
    }

    /**
     * The run config {@code tree} (read from {@code file}, where errors find their lines), its missing keys taken
     * from {@code defaults}.
     */
    public RunConfig fromTree(Path file, ObjectNode tree, RunConfig defaults) {
        ObjectNode merged = json.toTree(defaults);
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode base = merged.get(key);
            boolean sameModelType = ConfigPaths.MODEL.equals(key)
                    && value.isObject()
                    && base != null
                    && (!value.has("type") || value.get("type").equals(base.get("type")));
            boolean mergeKeys = (ConfigPaths.TRAINER.equals(key) || sameModelType)
                    && value.isObject()
                    && base != null
                    && base.isObject();
            if (mergeKeys) {
                ((ObjectNode) base).setAll((ObjectNode) value);
            } else {
                merged.set(key, value);
            }
        }
        try {
            return json.fromTree(merged, file.toString());
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(e.key(), withLine(file, e.getMessage(), e.key()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withLine(file, e.getMessage(), keyIn(e.getMessage())), e);
        }
    }

    /** {@code FILE: line N} where {@code key} stands in the file, or {@code FILE} when it is not found there. */
    public static String where(Path file, String key) {
        Optional<Integer> line = key == null ? Optional.empty() : lineOf(file, key);
        return line.isEmpty() ? file.toString() : file + ": line " + line.get();
    }

    /** The first key quoted in {@code message} ({@code ... key 'trainer.epochs' ...}, {@code 'latentSise'}). */
    public static String quotedKey(String message) {
        Matcher m = ANY_QUOTED.matcher(message == null ? "" : message);
        return m.find() ? m.group(1) : null;
    }

    /** {@code message} (which starts with the file's name) with the line of {@code key} in the file, if found. */
    private static String withLine(Path file, String message, String key) {
        if (key == null) {
            return message;
        }
        Optional<Integer> line = lineOf(file, key);
        if (line.isEmpty()) {
            return message;
        }
        String prefix = file.toString();
        return message.startsWith(prefix)
                ? prefix + ": line " + line.get() + message.substring(prefix.length())
                : prefix + ": line " + line.get() + ": " + message;
    }

    private static String keyIn(String message) {
        Matcher m = QUOTED_KEY.matcher(message == null ? "" : message);
        return m.find() ? m.group(1) : null;
    }

    /**
     * The line where {@code key} stands in the file: a path ({@code trainer.batchSize}) or a bare key ({@code
     * batchSize}, the first key of that name at any depth).
     */
    static Optional<Integer> lineOf(Path file, String key) {
        Map<String, Integer> lines = keyLines(file);
        Integer exact = lines.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        String last = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : key;
        return lines.entrySet().stream()
                .filter(e -> e.getKey().equals(last) || e.getKey().endsWith("." + last))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Every key path of the file with the line it starts on, in file order. */
    private static Map<String, Integer> keyLines(Path file) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        JsonFactory factory = isYaml(file) ? new YAMLFactory() : new JsonFactory();
        try (JsonParser p = factory.createParser(file.toFile())) {
            List<String> path = new ArrayList<>();
            Deque<Boolean> named = new ArrayDeque<>(); // per open object: whether it is the value of a key
            String pending = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        String full = path.isEmpty() ? pending : String.join(".", path) + "." + pending;
                        lines.putIfAbsent(full, p.currentTokenLocation().getLineNr());
                    }
                    case START_OBJECT -> {
                        named.push(pending != null);
                        if (pending != null) {
                            path.add(pending);
                        }
                        pending = null;
                    }
                    case END_OBJECT -> {
                        if (!named.isEmpty() && named.pop()) {
                            path.remove(path.size() - 1);
                        }
                    }
                    case START_ARRAY -> {
                        p.skipChildren();
                        pending = null;
                    }
                    default -> pending = null;
                }
            }
        } catch (IOException e) {
            // the file was readable moments ago; without lines the error still names the key
        }
        return lines;
    }
}
