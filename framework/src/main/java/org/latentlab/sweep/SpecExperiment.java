package org.latentlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentlab.core.ModelRegistry;
import org.latentlab.run.ConfigPaths;
import org.latentlab.run.RunConfig;
import org.latentlab.run.RunConfigFiles;

/**
 * An experiment written as a file instead of a class: {@code latentlab sweep --spec FILE.yaml} (or {@code .json}).
 * Keys:
 *
 * <pre>
 * name: vae-grid                  # optional; default: the file name without its extension
 * description: what it asks       # optional, one line for 'latentlab experiments'-style listings
 * base:                           # the run config every trial starts from, as for 'train --config'
 *   dataset: mnist-sample         #   (keys left out take the defaults; model.type is required)
 *   model: {type: vae, latentSize: 8}
 *   trainer: {epochs: 3}
 * grid:                           # every combination of these values ...
 *   trainer.learningRate: [0.001, 0.003]
 *   model.latentSize: [2, 8]
 * random:                         # ... or a seeded random search (not both)
 *   trials: 8
 *   seed: 1
 *   params:
 *     trainer.learningRate: {logUniform: [0.0001, 0.01]}
 *     model.beta: {uniform: [0.5, 4]}
 *     model.latentSize: {choice: [2, 8, 16]}
 * tpe:                            # ... or an adaptive TPE search (one of the three), with the params of random,
 *   trials: 20                    #   batch (points per round, default 1) and startup (prior draws, default 10)
 *   seed: 1
 *   batch: 2
 *   halving: {minEpochs: 1, eta: 3}   # optional successive halving: the best 1/eta continue, eta times longer
 *   params: {...}
 * seeds: [1, 2]                   # optional: every point with each seed
 * metric: test_loss               # optional: the summary metric that ranks the trials (default test_loss)
 * minimize: true                  # optional (default true)
 * quick:                          # optional: what --quick changes in the base config
 *   trainer.epochs: 1
 * </pre>
 *
 * Parameter keys are those of {@code train --set} ({@link ConfigPaths}): {@code trainer.learningRate}, {@code
 * model.latentSize}, a bare key that names one of them, or {@code model} for the model type. Every error names the
 * file, the line where the parser gives one, and the key.
 */
public final class SpecExperiment extends Experiment {
    private static final Set<String> KEYS =
            Set.of("name", "description", "base", "grid", "random", "tpe", "seeds", "metric", "minimize", "quick");
    private static final Set<String> RANDOM_KEYS = Set.of("trials", "seed", "params");
    private static final Set<String> TPE_KEYS = Set.of("trials", "seed", "params", "batch", "startup", "halving");

    private final Path file;
    private final String name;
    private final String description;
    private final RunConfig base;
    private final RunConfig quickBase;
    private final JsonNode spec;
    private final String metric;
    private final boolean minimize;

    private SpecExperiment(Path file, JsonNode spec, ModelRegistry registry) {
        this.file = file;
        this.spec = spec;
        for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw error(
                        key,
                        "unknown key '" + key + "'; valid keys: "
                                + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        this.name = text("name", stem);
        this.description = text("description", "");
        this.metric = text("metric", "test_loss");
        JsonNode min = spec.get("minimize");
        if (min != null && !min.isBoolean()) {
            throw error("minimize", "key 'minimize' must be true or false, got " + min);
        }
        this.minimize = min == null || min.asBoolean();
        JsonNode baseNode = spec.get("base");
        if (baseNode == null || !baseNode.isObject()) {
            throw error(
                    "base",
                    "key 'base' (the run config every trial starts from) is "
                            + (baseNode == null ? "missing" : "not a mapping of keys"));
        }
        String type = baseNode.path(ConfigPaths.MODEL).path("type").asText("");
        if (type.isEmpty()) {
            throw error("base", "key 'base.model.type' is missing: name the model to train (see 'latentlab models')");
        }
        RunConfig defaults;
        try {
            defaults = RunConfig.of(registry.get(type).defaults());
        } catch (IllegalArgumentException e) {
            throw error("type", "base.model.type: " + e.getMessage());
        }
        RunConfigFiles files = new RunConfigFiles(registry);
        this.base = files.fromTree(file, (ObjectNode) baseNode, defaults);
        JsonNode quick = spec.get("quick");
        if (quick != null) {
            if (!quick.isObject()) {
                throw error("quick", "key 'quick' must be a mapping of config keys to values");
            }
            List<String> assignments = new ArrayList<>();
            quick.fields().forEachRemaining(f -> assignments.add(f.getKey() + "=" + scalarOrList(f.getValue())));
            try {
                this.quickBase = new ConfigPaths(registry).setAll(base, assignments);
            } catch (IllegalArgumentException e) {
                throw error(firstKey(quick), "quick: " + e.getMessage());
            }
        } else {
            this.quickBase = base;
        }
        // Plans the trials now, so that a bad spec fails before anything runs, naming the line of the bad key.
        try {
            new TrialPlanner(registry).plan(this);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(
                    RunConfigFiles.where(file, RunConfigFiles.quotedKey(e.getMessage())) + ": " + e.getMessage(), e);
        }
    }

    /** Reads the spec in {@code file} (YAML for .yaml and .yml, else JSON). */
    public static SpecExperiment read(Path file, ModelRegistry registry) {
        return new SpecExperiment(file, RunConfigFiles.readTree(file), registry);
    }

    /** Whether {@code arg} names a spec file (by its extension) rather than an experiment. */
    public static boolean isSpecFile(String arg) {
        String a = arg.toLowerCase(java.util.Locale.ROOT);
        return a.endsWith(".yaml") || a.endsWith(".yml") || a.endsWith(".json");
    }

    /** The spec file this experiment was read from. */
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public RunConfig baseConfig() {
        return quick() ? quickBase : base;
    }

    @Override
    public String metric() {
        return metric;
    }

    @Override
    public boolean minimize() {
        return minimize;
    }

    @Override
    public Sweep sweep() {
        JsonNode grid = spec.get("grid");
        JsonNode random = spec.get("random");
        JsonNode tpe = spec.get("tpe");
        if ((grid != null ? 1 : 0) + (random != null ? 1 : 0) + (tpe != null ? 1 : 0) > 1) {
            throw error(tpe != null ? "tpe" : "random", "give one of 'grid', 'random' and 'tpe', not both");
        }
        Sweep sweep;
        if (random != null) {
            sweep = searchSweep("random", random, RANDOM_KEYS);
        } else if (tpe != null) {
            sweep = tpeSweep(tpe);
        } else {
            sweep = Sweep.grid();
            if (grid != null) {
                if (!grid.isObject()) {
                    throw error("grid", "key 'grid' must map parameters to lists of values");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> axis = it.next();
                    if (!axis.getValue().isArray() || axis.getValue().isEmpty()) {
                        throw error(
                                axis.getKey(),
                                "grid." + axis.getKey() + ": expected a list of values, got " + axis.getValue());
                    }
                    sweep.over(axis.getKey(), values(axis.getValue()));
                }
            }
        }
        JsonNode seeds = spec.get("seeds");
        if (seeds != null && tpe != null) {
            throw error("seeds", "'seeds' does not combine with 'tpe': its points are all distinct");
        }
        if (seeds != null) {
            if (!seeds.isArray() || seeds.isEmpty()) {
                throw error("seeds", "key 'seeds' must be a list of whole numbers, got " + seeds);
            }
            long[] s = new long[seeds.size()];
            for (int i = 0; i < s.length; i++) {
                if (!seeds.get(i).canConvertToLong() || !seeds.get(i).isIntegralNumber()) {
                    throw error("seeds", "key 'seeds' must be a list of whole numbers, got " + seeds);
                }
                s[i] = seeds.get(i).asLong();
            }
            sweep.seeds(s);
        }
        return sweep;
    }

    private Sweep tpeSweep(JsonNode tpe) {
        Sweep sweep = searchSweep("tpe", tpe, TPE_KEYS);
        JsonNode halving = tpe.get("halving");
        if (halving != null) {
            JsonNode min = halving.get("minEpochs");
            JsonNode eta = halving.get("eta");
            boolean ok = halving.isObject()
                    && halving.size() == 2
                    && min != null
                    && min.isIntegralNumber()
                    && eta != null
                    && eta.isIntegralNumber();
            if (!ok) {
                throw error("halving", "tpe.halving: expected {minEpochs: N, eta: M}, whole numbers, got " + halving);
            }
            try {
                sweep.halving(min.asInt(), eta.asInt());
            } catch (IllegalArgumentException e) {
                throw error("halving", "tpe.halving: " + e.getMessage());
            }
        }
        for (String key : List.of("batch", "startup")) {
            JsonNode v = tpe.get(key);
            if (v == null) {
                continue;
            }
            try {
                if (!v.isIntegralNumber()) {
                    throw new IllegalArgumentException("expected a whole number, got " + v);
                }
                if (key.equals("batch")) {
                    sweep.batch(v.asInt());
                } else {
                    sweep.startup(v.asInt());
                }
            } catch (IllegalArgumentException e) {
                throw error(key, "tpe." + key + ": " + e.getMessage());
            }
        }
        return sweep;
    }

    /** A random or TPE search ({@code search}): its trials, seed and params with their distributions. */
    private Sweep searchSweep(String search, JsonNode random, Set<String> keys) {
        if (!random.isObject()) {
            throw error(search, "key '" + search + "' must be a mapping with trials, seed and params");
        }
        random.fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                throw error(
                        k,
                        search + ": unknown key '" + k + "'; valid keys: "
                                + String.join(", ", keys.stream().sorted().toList()));
            }
        });
        JsonNode trials = random.get("trials");
        if (trials == null || !trials.isIntegralNumber() || trials.asInt() < 1) {
            throw error("trials", search + ".trials: expected a whole number of at least 1, got " + trials);
        }
        JsonNode seed = random.get("seed");
        if (seed != null && !seed.isIntegralNumber()) {
            throw error("seed", search + ".seed: expected a whole number, got " + seed);
        }
        long s = seed == null ? 1 : seed.asLong();
        Sweep sweep = search.equals("tpe") ? Sweep.tpe(trials.asInt(), s) : Sweep.random(trials.asInt(), s);
        JsonNode params = random.get("params");
        if (params == null || !params.isObject() || params.isEmpty()) {
            throw error(
                    "params",
                    search + ".params: expected parameters with their distributions (uniform, "
                            + "logUniform or choice)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String key = p.getKey();
            JsonNode d = p.getValue();
            if (!d.isObject() || d.size() != 1) {
                throw error(
                        key,
                        search + ".params." + key + ": expected one of {uniform: [lo, hi]}, {logUniform: [lo, "
                                + "hi]} or {choice: [values]}, got " + d);
            }
            String kind = d.fieldNames().next();
            JsonNode args = d.get(kind);
            try {
                switch (kind) {
                    case "uniform" -> sweep.uniform(key, bound(key, args, 0), bound(key, args, 1));
                    case "logUniform" -> sweep.logUniform(key, bound(key, args, 0), bound(key, args, 1));
                    case "choice" -> {
                        if (!args.isArray() || args.isEmpty()) {
                            throw new IllegalArgumentException("choice needs a list of values, got " + args);
                        }
                        sweep.choice(key, values(args));
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "unknown distribution '" + kind + "'; expected uniform, logUniform or choice");
                }
            } catch (IllegalArgumentException e) {
                throw error(key, search + ".params." + key + ": " + e.getMessage());
            }
        }
        return sweep;
    }

    private static double bound(String key, JsonNode args, int i) {
        if (!args.isArray() || args.size() != 2 || !args.get(i).isNumber()) {
            throw new IllegalArgumentException("expected [lo, hi], two numbers, got " + args);
        }
        return args.get(i).asDouble();
    }

    /** JSON values as the Java values a sweep axis takes: numbers, booleans, strings, lists. */
    private static Object[] values(JsonNode array) {
        Object[] out = new Object[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(array.get(i));
        }
        return out;
    }

    private static Object value(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.canConvertToInt() ? (Object) v.asInt() : (Object) v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(value(x)));
            return list;
        }
        return v.asText();
    }

    private static String scalarOrList(JsonNode v) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            return String.join(",", parts);
        }
        return v.asText();
    }

    private static String firstKey(JsonNode node) {
        Iterator<String> names = node.fieldNames();
        return names.hasNext() ? names.next() : null;
    }

    private String text(String key, String absent) {
        JsonNode v = spec.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(key, "key '" + key + "' must be a non-empty text, got " + v);
        }
        return v.asText();
    }

    /** One error line: the file, the line of {@code key} when found, the message. */
    private IllegalArgumentException error(String key, String message) {
        return new IllegalArgumentException(RunConfigFiles.where(file, key) + ": " + message);
    }
}
