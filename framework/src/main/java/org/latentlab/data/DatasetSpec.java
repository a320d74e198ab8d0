package org.latentlab.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A dataset name that points at the user's own files, split into its parts: {@code PREFIX LOCATION[?OPTIONS]}, where
 * the options are {@code key=value} pairs joined by {@code &} (as in {@code folder:/data/pets?size=28&channels=1}).
 * The location is everything up to the last {@code ?}; a leading {@code ~/} stands for the home folder. Unknown,
 * repeated and malformed options are errors that name the dataset and list the options it takes.
 */
final class DatasetSpec {

    private final String name;
    private final String location;
    private final Map<String, String> options = new LinkedHashMap<>();

    private DatasetSpec(String name, String location) {
        this.name = name;
        this.location = location;
    }

    /** Parses {@code name}, which starts with {@code prefix}; {@code allowed} are the option keys it takes. */
    static DatasetSpec parse(String name, String prefix, List<String> allowed) {
        String rest = name.substring(prefix.length());
        int q = rest.lastIndexOf('?');
        DatasetSpec spec = new DatasetSpec(name, (q < 0 ? rest : rest.substring(0, q)).trim());
        if (spec.location.isEmpty()) {
            throw new DataException("Dataset " + name + ": no path after '" + prefix + "'");
        }
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new DataException("Dataset " + name + ": option '" + pair + "' is not key=value (options: "
                            + String.join(", ", allowed) + ")");
                }
                String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                if (!allowed.contains(key)) {
                    throw new DataException("Dataset " + name + ": unknown option '" + key + "'; " + prefix
                            + " datasets take " + String.join(", ", allowed));
                }
                if (spec.options.put(key, pair.substring(eq + 1).trim()) != null) {
                    throw new DataException("Dataset " + name + ": option '" + key + "' is given twice");
                }
            }
        }
        return spec;
    }

    /** The dataset name as given. */
    String name() {
        return name;
    }

    /** What comes between the prefix and the options. */
    String location() {
        return location;
    }

    /** {@code location}, a path, with a leading {@code ~/} replaced by the home folder. */
    static Path path(String location) {
        if (location.equals("~") || location.startsWith("~/")) {
            return Paths.get(System.getProperty("user.home") + location.substring(1));
        }
        return Paths.get(location);
    }

    boolean has(String key) {
        return options.containsKey(key);
    }

    /** The option's value, or {@code fallback} when it is not given. */
    String string(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** A share in (0, 1). */
    double fraction(String key, double fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        double f;
        try {
            f = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f > 0 && f < 1)) {
            throw bad(key, v, "a share between 0 and 1 (exclusive), e.g. " + key + "=0.2");
        }
        return f;
    }

    long longValue(String key, long fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "a whole number");
        }
    }

    /**
     * The option as an image size {@code {height, width}}: {@code HxW} or {@code N} (N x N), each 1..4096; null when
     * not given.
     */
    int[] size(String key) {
        String v = options.get(key);
        if (v == null) {
            return null;
        }
        String[] parts = v.toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length > 2) {
            throw bad(key, v, "HEIGHTxWIDTH or one number for a square, e.g. " + key + "=28 or " + key + "=32x24");
        }
        try {
            int h = Integer.parseInt(parts[0].trim());
            int w = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : h;
            if (h >= 1 && w >= 1 && h <= 4096 && w <= 4096) {
                return new int[] {h, w};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(
                key,
                v,
                "HEIGHTxWIDTH or one number for a square, each 1 to 4096, e.g. " + key + "=28 or " + key + "=32x24");
    }

    /** The {@code channels} option: 1 (grey, the default) or 3 (RGB, stored as three planes, CHW). */
    int channels() {
        String v = options.getOrDefault("channels", "1");
        if (v.equals("1")) {
            return 1;
        }
        if (v.equals("3")) {
            return 3;
        }
        throw bad("channels", v, "1 (grey) or 3 (RGB)");
    }

    /** An error for option {@code key} whose value {@code value} is not {@code expected}. */
    DataException bad(String key, String value, String expected) {
        return new DataException("Dataset " + name + ": option " + key + "=" + value + " must be " + expected);
    }
}
