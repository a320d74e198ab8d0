package org.latentlab.core;

import org.latentlab.config.Describe;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns {@code KEY=VALUE} strings from the command line into a model config: the type's
 * defaults with those keys replaced, validated like any config. Values are parsed by the type
 * of the record component: numbers, booleans, enum names (any case) and comma-separated lists.
 */
public final class ConfigOverrides {
    private ConfigOverrides() {
    }

    public static ModelConfig apply(ModelRegistry registry, ModelType<?> type, List<String> assignments) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", type.name());
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + assignment + "'");
            }
            String key = assignment.substring(0, eq).trim();
            String value = assignment.substring(eq + 1).trim();
            RecordComponent component = component(registry, type, key);
            node.set(key, parse(component.getGenericType(), value, assignment));
        }
        try {
            return registry.fromJson(node.toString(), "--set");
        } catch (IllegalArgumentException e) {
            // Name the assignment the rejected value came from: the last one whose key the message names.
            String detail = e.getMessage().replaceFirst("^--set: (invalid model config: )?", "");
            String culprit = null;
            for (String assignment : assignments) {
                String key = assignment.substring(0, assignment.indexOf('=')).trim();
                if (java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(key) + "\\b").matcher(detail).find()) {
                    culprit = assignment;
                }
            }
            String where = culprit != null ? "--set " + culprit
                    : assignments.isEmpty() ? "--set" : "--set " + String.join(" --set ", assignments);
            throw new IllegalArgumentException(where + ": " + detail, e);
        }
    }

    /** One line per hyperparameter: name, default, description. */
    public static List<String> describe(ModelRegistry registry, ModelType<?> type) {
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

    private static RecordComponent component(ModelRegistry registry, ModelType<?> type, String key) {
        for (RecordComponent c : type.configClass().getRecordComponents()) {
            if (c.getName().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--set " + key + ": unknown key for model '" + type.name() + "'; valid keys: "
                + String.join(", ", registry.keysOf(type)));
    }

    private static JsonNode parse(Type type, String value, String assignment) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            if (type == int.class || type == Integer.class) {
                return f.numberNode(Integer.parseInt(value));
            }
            if (type == long.class || type == Long.class) {
                return f.numberNode(Long.parseLong(value));
            }
            if (type == double.class || type == Double.class) {
                return f.numberNode(Double.parseDouble(value));
            }
            if (type == boolean.class || type == Boolean.class) {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("--set " + assignment + ": expected true or false");
                }
                return f.booleanNode(Boolean.parseBoolean(value));
            }
            if (type instanceof Class<?> cls && cls.isEnum()) {
                String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
                for (Object constant : cls.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(name)) {
                        return f.textNode(name);
                    }
                }
                List<String> names = new ArrayList<>();
                for (Object constant : cls.getEnumConstants()) {
                    names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
                }
                throw new IllegalArgumentException("--set " + assignment + ": expected one of " + String.join(", ", names));
            }
            if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
                ArrayNode array = f.arrayNode();
                if (!value.isEmpty()) {
                    for (String part : value.split(",")) {
                        array.add(parse(p.getActualTypeArguments()[0], part.trim(), assignment));
                    }
                }
                return array;
            }
            return f.textNode(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--set " + assignment + ": '" + value + "' is not a valid "
                    + (type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName()));
        }
    }
}
