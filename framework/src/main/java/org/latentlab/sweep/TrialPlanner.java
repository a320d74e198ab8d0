package org.latentlab.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.run.ConfigPaths;
import org.latentlab.run.RunConfig;

/**
 * Turns an experiment's base config and sweep into validated {@link Trial}s, setting each point's parameters with
 * {@link ConfigPaths}: a typo is an error that names it and lists the valid keys.
 *
 * <p>{@code model} is a parameter like any other: {@code over("model", "ae", "vae")} gives one trial per model type,
 * starting from that type's defaults with the base config's other settings (dataset, trainer). A key that a trial's
 * model lacks is an error when the trials are planned, unless it is scoped to the models that have it
 * ({@code vae.beta}): a scoped key is left out of the trials of other models, and a point that then repeats an
 * earlier trial exactly is planned once. Each trial's config is finally passed through
 * {@link Experiment#trialConfig}, which puts it on the experiment's dataset override.
 */
public final class TrialPlanner {
    private final ModelRegistry registry;
    private final ConfigPaths paths;

    public TrialPlanner(ModelRegistry registry) {
        this.registry = registry;
        this.paths = new ConfigPaths(registry);
    }

    /** The experiment's trials; for an adaptive search, those its first round(s) propose before any result. */
    public List<Trial> plan(Experiment experiment) {
        return plan(experiment, List.of());
    }

    /**
     * The experiment's trials; for an adaptive search ({@link Sweep#isAdaptive}), those it proposes given the ranking
     * values of its first trials ({@code results}, {@link Sweep#adaptivePoints}), which a grid or random sweep ignores.
     */
    public List<Trial> plan(Experiment experiment, List<Double> results) {
        RunConfig base = experiment.baseConfig();
        List<Trial> trials = new ArrayList<>();
        Set<Map<String, Object>> planned = new HashSet<>();
        Sweep sweep = experiment.sweep();
        List<Map<String, Object>> points = sweep.isAdaptive()
                ? sweep.adaptivePoints(results, base.trainer().epochs())
                : sweep.points();
        for (int p = 0; p < points.size(); p++) {
            Map<String, Object> point = new LinkedHashMap<>(points.get(p));
            Integer parent = (Integer) point.remove(Sweep.PARENT);
            String where = experiment.name() + " trial " + trials.size() + " " + point;
            ModelType<?> type = typeOf(base, point, where);
            Map<String, Object> resolved = new LinkedHashMap<>();
            Map<String, Object> values = new LinkedHashMap<>();
            boolean leftOut = false;
            for (Map.Entry<String, Object> e : point.entrySet()) {
                ConfigPaths.Key key;
                try {
                    key = paths.resolve(e.getKey(), type);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
                }
                if (!ConfigPaths.appliesTo(key, type)) {
                    leftOut = true;
                    continue;
                }
                resolved.put(key.path(), e.getValue());
                values.put(key.scope() == null ? key.path() : ConfigPaths.MODEL + "." + key.name(), e.getValue());
            }
            if (leftOut && planned.contains(resolved)) {
                continue; // the same trial as an earlier point, which only differed in another model's keys
            }
            RunConfig config;
            try {
                config = experiment.trialConfig(paths.setAll(base, values));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
            planned.add(resolved);
            int index = trials.size();
            trials.add(new Trial(index, trialId(index, resolved), resolved, config, parent));
        }
        return trials;
    }

    /** Every unscoped path that can be set on a run of the base config's model type. */
    public List<String> validPaths(RunConfig base) {
        return paths.paths(registry.typeOf(base.model()));
    }

    private ModelType<?> typeOf(RunConfig base, Map<String, Object> point, String where) {
        if (!point.containsKey(ConfigPaths.MODEL)) {
            return registry.typeOf(base.model());
        }
        try {
            return registry.typeOf(paths.set(base, ConfigPaths.MODEL, point.get(ConfigPaths.MODEL))
                    .model());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    static String trialId(int index, Map<String, Object> params) {
        StringBuilder id = new StringBuilder(String.format("%03d", index));
        params.forEach((path, value) -> {
            String key = path.substring(path.lastIndexOf('.') + 1);
            String v = String.valueOf(value).replaceAll("[^A-Za-z0-9.+-]", "_");
            id.append('-').append(key).append('=').append(v);
        });
        String s = id.toString();
        return s.length() > 120 ? s.substring(0, 120) : s;
    }
}
