package org.latentlab.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's inference through {@link CompiledStep#compileInference} plans, one per output and
 * input shape (a few kept, least recently used dropped): {@code sd.output} plans and allocates
 * every intermediate array on every call, and ND4J frees native memory only when the garbage
 * collector runs, so repeated calls grow the process (see docs/PERFORMANCE.md). Falls back to
 * {@code sd.output} for graphs that cannot be planned, for very large
 * inputs (a plan keeps its arrays) and with {@code LATENTLAB_ENGINE=samediff}.
 */
public final class PlannedOutputs {
    private static final Logger LOG = LoggerFactory.getLogger(PlannedOutputs.class);
    private static final int MAX_PLANS = 4;
    /** Inputs with more rows than this run through {@code sd.output}: a plan would keep arrays that large. */
    static final long MAX_ROWS = 16_384;

    private final EngineOptions options;
    private final boolean enabled;
    private final Map<String, CompiledStep> plans = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledStep> eldest) {
            return size() > MAX_PLANS;
        }
    };
    private final Set<String> unplannable = new HashSet<>();

    /** Planned inference with {@link EngineOptions#current()}. */
    public PlannedOutputs() {
        this(EngineOptions.current());
    }

    /** Planned inference with {@code options} ({@link TrainingEngine#SAMEDIFF}: always {@code sd.output}). */
    public PlannedOutputs(EngineOptions options) {
        this.options = options;
        this.enabled = options.engine() == TrainingEngine.PLANNED;
    }

    /** {@code output} of {@code sd} fed {@code x} at {@code placeholder}; a new array the caller owns. */
    public INDArray output(SameDiff sd, String placeholder, INDArray x, String output) {
        return outputs(sd, Map.of(placeholder, x), List.of(output)).get(output);
    }

    /**
     * {@code outputs} of {@code sd} fed {@code feeds} (placeholder name to array: batches of the same number of rows,
     * and scalars such as a loss weight); new arrays the caller owns. One plan per set of outputs and feed shapes.
     */
    public Map<String, INDArray> outputs(SameDiff sd, Map<String, INDArray> feeds, List<String> outputs) {
        List<String> names = new ArrayList<>(feeds.keySet());
        INDArray[] arrays = names.stream().map(feeds::get).toArray(INDArray[]::new);
        // the first batch among the feeds (a scalar placeholder has no rows)
        INDArray first =
                Arrays.stream(arrays).filter(a -> a.rank() > 0).findFirst().orElse(arrays[0]);
        String key = String.join(",", outputs) + "|"
                + names.stream()
                        .map(n -> n + Arrays.toString(feeds.get(n).shape()))
                        .collect(Collectors.joining(","));
        if (!enabled || first.rank() == 0 || first.size(0) > MAX_ROWS || unplannable.contains(key)) {
            return sd.output(feeds, outputs.toArray(String[]::new));
        }
        CompiledStep plan = plans.get(key);
        if (plan == null) {
            CompiledStep.Compilation c = CompiledStep.compileInference(sd, names, arrays, outputs, options);
            if (!c.ok()) {
                LOG.debug("{} run on sd.output: {}", outputs, c.unsupportedReason());
                unplannable.add(key);
                return sd.output(feeds, outputs.toArray(String[]::new));
            }
            plan = c.step();
            plans.put(key, plan); // planning ran every op once on the feeds: the outputs are ready
        } else {
            plan.computeGradients(arrays);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String o : outputs) {
            out.put(o, plan.output(o).dup());
        }
        return out;
    }
}
