package org.latentlab.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.run.RunConfig;
import org.latentlab.run.RunConfigJson;
import org.latentlab.train.TrainerConfig;

/**
 * Turns an experiment's base config and sweep into validated {@link Trial}s. Parameter names are
 * checked against the config records: a typo is an error that names it and lists the valid keys.
 */
public final class TrialPlanner {
    private final ModelRegistry registry;
    private final RunConfigJson json;

    public TrialPlanner(ModelRegistry registry) {
        this.registry = registry;
        this.json = new RunConfigJson(registry);
    }

    public List<Trial> plan(Experiment experiment) {
        RunConfig base = experiment.baseConfig();
        List<String> valid = validPaths(base);
        List<Trial> trials = new ArrayList<>();
        List<Map<String, Object>> points = experiment.sweep().points();
        for (int i = 0; i < points.size(); i++) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            points.get(i).forEach((name, value) -> resolved.put(resolve(name, valid), value));
            ObjectNode tree = json.toTree(base);
            resolved.forEach((path, value) -> {
                String[] parts = path.split("\\.", 2);
                ObjectNode node = parts.length == 1 ? tree : (ObjectNode) tree.get(parts[0]);
                node.set(parts[parts.length - 1], registry.mapper().valueToTree(value));
            });
            RunConfig config = json.fromTree(tree, experiment.name() + " trial " + i + " " + resolved);
            trials.add(new Trial(i, trialId(i, resolved), resolved, config));
        }
        return trials;
    }

    /** Every settable path of a run config: top-level keys, model.KEY, trainer.KEY. */
    public List<String> validPaths(RunConfig base) {
        List<String> paths = new ArrayList<>(List.of("dataset", "validationFraction"));
        ModelType<?> type = registry.typeOf(base.model());
        for (String key : registry.keysOf(type)) {
            paths.add("model." + key);
        }
        for (RecordComponent c : TrainerConfig.class.getRecordComponents()) {
            paths.add("trainer." + c.getName());
        }
        return paths;
    }

    private static String resolve(String name, List<String> valid) {
        if (valid.contains(name)) {
            return name;
        }
        List<String> matches = valid.stream().filter(p -> p.endsWith("." + name)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("sweep parameter '" + name + "' is ambiguous: " + String.join(" or ", matches));
        }
        throw new IllegalArgumentException("unknown sweep parameter '" + name + "'; valid: " + String.join(", ", valid));
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
