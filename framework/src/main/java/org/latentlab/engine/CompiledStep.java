package org.latentlab.engine;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * One training step of a SameDiff graph (forward pass, backward pass, updater) for fixed
 * placeholder shapes, executed from a plan made once: the ops SameDiff's gradient function needs
 * for the parameter gradients, in topological order, each with its native op context and
 * output arrays allocated once and reused by every step.
 *
 * <p>Why: M2.1's {@code SameDiff.fit} re-plans every iteration (dependency maps, hash lookups,
 * output-shape calculation per op) and allocates every intermediate array afresh, which on a
 * small MLP costs more than the arithmetic (profiled with async-profiler, see docs/BENCHMARKS.md):
 * the new arrays also fault in fresh pages and leave native memory to the garbage collector.
 * The plan runs the same native ops on the same inputs, so its gradients are SameDiff's
 * (checked for every registered model in the tests); the updater and regularisation are
 * applied exactly as M2.1's {@code TrainingSession} applies them.
 *
 * <p>Graphs with control flow, tensor arrays or other ops whose execution SameDiff special-cases
 * cannot be planned: {@link #compile} then says why and the trainer falls back to
 * cannot be planned: {@link #compile} then says why and the trainer falls back to
 * {@code SameDiff.fit}.
 *
 * <p>{@link StepPlanner} makes the plan, this class runs it, and {@link ThreadTuner} chooses the
 * libnd4j thread count of its ops.
 */
public final class CompiledStep {
    private final SameDiff sd;
    private final String[] placeholders;
    private final INDArray[] placeholderArrays;
    private final PlanNode[] nodes;
    /** Trainable parameter name to its gradient array (overwritten by the update when stepping). */
    private final Map<String, INDArray> gradients;

    private final Map<String, INDArray> monitored;
    private final OpExecutioner executioner = Nd4j.getExecutioner();
    private final ThreadTuner tuner;
    /**
     * Whether the step runs OpenBLAS on one thread ({@link Cblas#oneThreadEach}): a plan with convolutions as Java
     * loops ({@link JavaConv}), which use both cores themselves; OpenBLAS's worker, spinning after each product, would
     * take turns with their second thread (conv-vae 2,655-2,725 -> 2,986-3,105 samples/s, docs/PERFORMANCE.md). A rule
     * of the graph, so the numbers do not vary with the loops' threads; they differ from two-thread products' in the
     * last bits (OpenBLAS blocks a product differently on one thread).
     */
    private final boolean oneBlasThread;

    private long[] opNanos;
    private long timedSteps;

    CompiledStep(
            SameDiff sd,
            String[] placeholders,
            INDArray[] placeholderArrays,
            PlanNode[] nodes,
            Map<String, INDArray> gradients,
            Map<String, INDArray> monitored,
            EngineOptions options,
            boolean oneBlasThread) {
        this.oneBlasThread = oneBlasThread;
        this.sd = sd;
        this.placeholders = placeholders;
        this.placeholderArrays = placeholderArrays;
        this.nodes = nodes;
        this.gradients = gradients;
        this.monitored = monitored;
        this.tuner = new ThreadTuner(nodes, options.opThreads(), executioner);
    }

    /** A compiled step, or why the graph cannot be compiled. */
    public record Compilation(CompiledStep step, String unsupportedReason) {
        public boolean ok() {
            return step != null;
        }
    }

    /** {@link #compile(SameDiff, List, INDArray[], Collection, EngineOptions)} with {@link EngineOptions#current()}. */
    public static Compilation compile(
            SameDiff sd, List<String> placeholderNames, INDArray[] example, Collection<String> monitoredVariables) {
        return compile(sd, placeholderNames, example, monitoredVariables, EngineOptions.current());
    }

    /**
     * Plans the training step of {@code sd} (its gradient function is created if missing) for
     * placeholder arrays shaped like {@code example}, one per name in {@code placeholderNames}.
     * {@code monitoredVariables} (loss terms) are computed too and readable after each step.
     * {@code options} say whether Java kernels replace native ops and how threads are chosen.
     */
    public static Compilation compile(
            SameDiff sd,
            List<String> placeholderNames,
            INDArray[] example,
            Collection<String> monitoredVariables,
            EngineOptions options) {
        return StepPlanner.training(sd, placeholderNames, example, monitoredVariables, options);
    }

    /**
     * {@link #compileInference(SameDiff, List, INDArray[], Collection, EngineOptions)} with
     * {@link EngineOptions#current()}.
     */
    public static Compilation compileInference(
            SameDiff sd, List<String> placeholderNames, INDArray[] example, Collection<String> outputs) {
        return compileInference(sd, placeholderNames, example, outputs, EngineOptions.current());
    }

    /**
     * Plans the forward computation of {@code outputs} from the given placeholders (no gradients,
     * no updates): inference with arrays reused from call to call. Run it with
     * {@link #computeGradients} and read {@link #output}; {@link #step} is not for such a plan.
     */
    public static Compilation compileInference(
            SameDiff sd,
            List<String> placeholderNames,
            INDArray[] example,
            Collection<String> outputs,
            EngineOptions options) {
        return StepPlanner.inference(sd, placeholderNames, example, outputs, options);
    }

    /** Copies {@code feeds} (in the order of the placeholder names) into the step's arrays. */
    private void feed(INDArray[] feeds) {
        if (feeds.length != placeholderArrays.length) {
            throw new IllegalArgumentException("expected " + placeholderArrays.length + " arrays for "
                    + Arrays.toString(placeholders) + ", got " + feeds.length);
        }
        for (int i = 0; i < feeds.length; i++) {
            if (!Arrays.equals(feeds[i].shape(), placeholderArrays[i].shape())) {
                throw new IllegalArgumentException("placeholder '" + placeholders[i]
                        + "': this step was compiled for shape "
                        + Arrays.toString(placeholderArrays[i].shape()) + ", got " + Arrays.toString(feeds[i].shape()));
            }
            placeholderArrays[i].assign(feeds[i]);
        }
    }

    /** Shapes of the placeholders this step was compiled for. */
    public long[][] placeholderShapes() {
        long[][] s = new long[placeholderArrays.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = placeholderArrays[i].shape();
        }
        return s;
    }

    /** Whether this step runs OpenBLAS on one thread (a plan with Java convolutions). */
    boolean oneBlasThread() {
        return oneBlasThread;
    }

    /** Runs the forward and backward pass on {@code feeds}; the gradients are then in {@link #gradients()}. */
    public void computeGradients(INDArray[] feeds) {
        if (oneBlasThread) {
            Cblas.oneThreadEach(() -> runNodes(feeds));
        } else {
            runNodes(feeds);
        }
    }

    private void runNodes(INDArray[] feeds) {
        feed(feeds);
        boolean timed = opNanos != null;
        if (timed) {
            timedSteps++;
        }
        boolean tunedThreads = tuner.tuned();
        int configured = tunedThreads ? ThreadTuner.environment().maxMasterThreads() : 0;
        int current = configured;
        try {
            for (int i = 0; i < nodes.length; i++) {
                PlanNode n = nodes[i];
                if (tunedThreads) {
                    int want = n.threads == 0 ? configured : n.threads;
                    if (want != current) {
                        ThreadTuner.environment().setMaxMasterThreads(want);
                        current = want;
                    }
                }
                run(n, i, timed);
            }
        } finally {
            if (current != configured) {
                ThreadTuner.environment().setMaxMasterThreads(configured);
            }
        }
    }

    private void run(PlanNode n, int i, boolean timed) {
        try {
            if (timed) {
                long t0 = System.nanoTime();
                n.exec(executioner);
                opNanos[i] += System.nanoTime() - t0;
            } else {
                n.exec(executioner);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("op '" + n.name + "' (" + n.opName + ") failed: " + e.getMessage(), e);
        }
    }

    /** One line per op with its median times on one and on the configured threads, from {@link #tuneThreads}. */
    public String tuningReport() {
        return tuner.report();
    }

    /**
     * Chooses, for each op, whether libnd4j runs it on one thread or on its configured number
     * ({@code Environment.maxMasterThreads}), by timing both on {@code feeds}: every op is run
     * {@code 2 * reps} times, alternating the two settings and their order, and runs on one
     * thread if its median time there was at least 10% lower. Only ops that compute the same bits
     * on any number of threads are timed ({@code tunable}): the choice, which varies with
     * the machine's load, must not change the results. CPU backend only; nothing happens with one
     * configured thread. With {@link EngineOptions.OpThreads#CONFIGURED} nothing is timed or
     * changed; with {@link EngineOptions.OpThreads#ONE} every tunable op is set to one thread.
     *
     * <p>Why: waking libnd4j's pool threads costs more than most small element-wise ops take on
     * one thread (see docs/PERFORMANCE.md). Running an op again is harmless: planned ops write
     * only their own output arrays, which are overwritten with the same values.
     *
     * @return the number of ops set to one thread
     */
    public int tuneThreads(INDArray[] feeds, int reps) {
        return tuner.tune(() -> feed(feeds), reps);
    }

    /**
     * Sets every op whose thread count may be tuned ({@code tunable}) to one thread
     * ({@code single}) or to the configured number, as {@link #tuneThreads} might: results must
     * not change (the determinism test forces both and compares the bits).
     */
    public void forceThreadChoice(boolean single) {
        tuner.forceThreadChoice(single);
    }

    /** One libnd4j op of a step run on one thread and on several: whether any output bit differed. */
    public record ThreadCheck(String name, String op, boolean tunable, boolean differs) {}

    /**
     * Runs every libnd4j op of the step on one thread and then on {@code threads}, on
     * {@code feeds}, in step order, and says per op whether its outputs differed in any bit
     * (Java loops and direct OpenBLAS calls do not use libnd4j's threads and are left out). For
     * the determinism tests: an op marked tunable must never differ.
     */
    public List<ThreadCheck> threadDependence(INDArray[] feeds, int threads) {
        feed(feeds);
        return tuner.threadDependence(threads);
    }

    /** Whether any op of this step may have its libnd4j thread count chosen by timing. */
    public boolean hasTunableOps() {
        return tuner.hasTunableOps();
    }

    /** Per op: 1 if {@link #tuneThreads} chose one thread for it, 0 if it runs as configured. */
    int[] opThreads() {
        return tuner.opThreads();
    }

    /**
     * A training iteration: gradients, then for each parameter the configured regularisation and
     * updater (as M2.1's TrainingSession applies them) and the in-place parameter update.
     */
    public void step(INDArray[] feeds, TrainingConfig config) {
        computeGradients(feeds);
        int iteration = config.getIterationCount();
        int epoch = config.getEpochCount();
        Map<String, GradientUpdater> updaters = updaters(sd);
        List<Regularization> regularization = config.getRegularization();
        double lr = config.getUpdater().hasLearningRate() ? config.getUpdater().getLearningRate(iteration, epoch) : 1.0;
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray grad = e.getValue();
            INDArray param = sd.getArrForVarName(e.getKey());
            GradientUpdater u = updaters.get(e.getKey());
            if (u == null) {
                throw new IllegalStateException("no updater for parameter '" + e.getKey() + "'");
            }
            boolean plain = regularization == null || regularization.isEmpty();
            if (plain && config.isMinimize() && FusedAdam.apply(u, grad, param, iteration, epoch)) {
                continue; // updater step and parameter update in one pass
            }
            if (regularization != null) {
                for (Regularization r : regularization) {
                    if (r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER) {
                        r.apply(param, grad, lr, iteration, epoch);
                    }
                }
            }
            u.applyUpdater(grad, iteration, epoch);
            if (regularization != null) {
                for (Regularization r : regularization) {
                    if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) {
                        r.apply(param, grad, lr, iteration, epoch);
                    }
                }
            }
            if (config.isMinimize()) {
                param.subi(grad);
            } else {
                param.addi(grad);
            }
        }
    }

    /** Parameter name to the array its gradient is computed into (valid after {@link #computeGradients}). */
    public Map<String, INDArray> gradients() {
        return gradients;
    }

    /**
     * The array of a monitored variable after the last run: the plan's own array, overwritten by
     * the next run (copy it to keep it).
     */
    public INDArray output(String name) {
        INDArray a = monitored.get(name);
        if (a == null) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not an output of this plan; outputs: " + monitored.keySet());
        }
        return a;
    }

    /** The value of a monitored scalar after the last step (a sum for a non-scalar). */
    public double monitoredValue(String name) {
        INDArray a = monitored.get(name);
        if (a == null) {
            throw new IllegalArgumentException("'" + name + "' is not monitored; monitored: " + monitored.keySet());
        }
        return a.isScalar() ? a.getDouble(0) : a.sumNumber().doubleValue();
    }

    /** Starts timing every op of every following step (a few nanoTime calls per op). */
    public void startTimingOps() {
        opNanos = new long[nodes.length];
        timedSteps = 0;
    }

    /**
     * The ops that took longest since {@link #startTimingOps()}: name, native op, microseconds per
     * step and share of the timed total, one per line; empty if timing was not started.
     */
    public List<String> opTimes(int top) {
        if (opNanos == null || timedSteps == 0) {
            return List.of();
        }
        long total = LongStream.of(opNanos).sum();
        Integer[] idx = new Integer[nodes.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(opNanos[b], opNanos[a]));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%d ops, %.0f us per step over %d steps",
                nodes.length,
                total / 1e3 / timedSteps,
                timedSteps));
        for (int k = 0; k < Math.min(top, idx.length); k++) {
            int i = idx[k];
            lines.add(String.format(
                    Locale.ROOT,
                    "%-40s %-22s %8.0f us %5.1f%%",
                    nodes[i].name,
                    nodes[i].opName,
                    opNanos[i] / 1e3 / timedSteps,
                    100.0 * opNanos[i] / total));
        }
        return lines;
    }

    /** The names of the ops one step executes, in order. */
    List<String> opNames() {
        List<String> names = new ArrayList<>(nodes.length);
        for (PlanNode n : nodes) {
            names.add(n.name);
        }
        return names;
    }

    /** The names of the ops one step runs as Java loops or direct BLAS calls instead of libnd4j's kernels. */
    List<String> javaOpNames() {
        List<String> names = new ArrayList<>();
        for (PlanNode n : nodes) {
            if (n.kind == PlanNode.Kind.JAVA) {
                names.add(n.name);
            }
        }
        return names;
    }

    /** Number of native ops one step executes. */
    public int opCount() {
        return nodes.length;
    }

    /** The updater state of every trainable parameter, created as SameDiff's fit creates it on first use. */
    private static Map<String, GradientUpdater> updaters(SameDiff sd) {
        if (!sd.isInitializedTraining()) {
            try {
                Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
                init.setAccessible(true);
                init.invoke(sd);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot initialise SameDiff's updater state: " + e, e);
            }
        }
        return sd.getUpdaterMap();
    }
}
