package org.latentlab.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.latentlab.engine.CompiledStep.ThreadCheck;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Chooses the libnd4j thread count of each op of a planned step ({@link PlanNode#threads}): by
 * timing one thread against the configured number, or as {@link EngineOptions#opThreads} forces
 * it. Only ops that compute the same bits on any number of threads ({@link PlanNode#tunable})
 * are ever changed, so the choice never changes the numbers.
 */
final class ThreadTuner {
    /** An op runs on one thread only if that was at least this much faster (a ratio of medians). */
    private static final double SINGLE_THREAD_MARGIN = 0.9;

    private final PlanNode[] nodes;
    private final EngineOptions.OpThreads setting;
    private final OpExecutioner executioner;
    private boolean tuned;
    private String report = "";

    ThreadTuner(PlanNode[] nodes, EngineOptions.OpThreads setting, OpExecutioner executioner) {
        this.nodes = nodes;
        this.setting = setting;
        this.executioner = executioner;
    }

    static Environment environment() {
        return Nd4j.getEnvironment();
    }

    /** Whether some op runs on a thread count other than the configured one. */
    boolean tuned() {
        return tuned;
    }

    /** One line per op with its median times on one and on the configured threads, from {@link #tune}. */
    String report() {
        return report;
    }

    /**
     * Chooses, for each tunable op, one thread or the configured number by timing both
     * ({@link CompiledStep#tuneThreads}); {@code feed} puts the inputs in place first.
     *
     * @return the number of ops set to one thread
     */
    int tune(Runnable feed, int reps) {
        int configured = environment().maxMasterThreads();
        if (setting == EngineOptions.OpThreads.CONFIGURED
                || configured <= 1
                || !environment().isCPU()
                || reps < 1) {
            return 0;
        }
        if (setting == EngineOptions.OpThreads.ONE) {
            forceThreadChoice(true);
            return (int) Arrays.stream(nodes).filter(n -> n.tunable).count();
        }
        feed.run();
        long[][] one = new long[nodes.length][2 * reps];
        long[][] many = new long[nodes.length][2 * reps];
        time(one, many, 2 * reps, configured);
        return choose(one, many, configured);
    }

    /** Runs every tunable op {@code runs} times on each setting, alternating them and their order. */
    private void time(long[][] one, long[][] many, int runs, int configured) {
        try {
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < nodes.length; i++) {
                    if (!nodes[i].tunable) {
                        continue;
                    }
                    boolean singleFirst = (r + i) % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        boolean single = (k == 0) == singleFirst;
                        environment().setMaxMasterThreads(single ? 1 : configured);
                        long t0 = System.nanoTime();
                        nodes[i].exec(executioner);
                        (single ? one : many)[i][r] = System.nanoTime() - t0;
                    }
                }
            }
        } finally {
            environment().setMaxMasterThreads(configured);
        }
    }

    /** Sets each op's threads from its timings and writes the report; returns the number set to one thread. */
    private int choose(long[][] one, long[][] many, int configured) {
        int singles = 0;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < nodes.length; i++) {
            PlanNode n = nodes[i];
            if (!n.tunable) {
                n.threads = 0;
                lines.append(String.format(
                        Locale.ROOT,
                        "%-28s %-20s %s%n",
                        n.name,
                        n.opName,
                        n.kind == PlanNode.Kind.JAVA || n.kind == PlanNode.Kind.WEIGHT_GRADIENT
                                ? "Java loop or OpenBLAS call: no libnd4j threads"
                                : "sums in an order that depends on the threads: fixed at " + configured + " threads"));
                continue;
            }
            long m1 = median(one[i]);
            long mn = median(many[i]);
            // A clear margin only: ops whose parallel part is a BLAS call (conv2d, deconv2d) timed alike
            // on both settings, yet ran slower on one thread within the step (see docs/PERFORMANCE.md).
            boolean single = m1 < SINGLE_THREAD_MARGIN * mn;
            n.threads = single ? 1 : 0;
            singles += single ? 1 : 0;
            lines.append(String.format(
                    Locale.ROOT,
                    "%-28s %-20s 1 thread %8.1f us, %d threads %8.1f us%s%n",
                    n.name,
                    n.opName,
                    m1 / 1e3,
                    configured,
                    mn / 1e3,
                    single ? "  -> 1" : ""));
        }
        report = lines.toString();
        tuned = singles > 0;
        return singles;
    }

    /** See {@link CompiledStep#forceThreadChoice}. */
    void forceThreadChoice(boolean single) {
        for (PlanNode n : nodes) {
            n.threads = n.tunable && single ? 1 : 0;
        }
        tuned = single && hasTunableOps();
    }

    /** See {@link CompiledStep#threadDependence}; the inputs must be in place. */
    List<ThreadCheck> threadDependence(int threads) {
        int configured = environment().maxMasterThreads();
        List<ThreadCheck> checks = new ArrayList<>();
        try {
            for (PlanNode n : nodes) {
                if (n.context == null || n.kind == PlanNode.Kind.JAVA) {
                    environment().setMaxMasterThreads(configured);
                    n.exec(executioner);
                    continue;
                }
                environment().setMaxMasterThreads(1);
                n.exec(executioner);
                List<INDArray> outs = n.context.getOutputArrays();
                List<byte[]> first = new ArrayList<>();
                for (INDArray o : outs) {
                    first.add(o.dup().data().asBytes());
                }
                environment().setMaxMasterThreads(threads);
                n.exec(executioner);
                boolean differs = false;
                for (int k = 0; k < outs.size(); k++) {
                    differs |= !Arrays.equals(
                            first.get(k), outs.get(k).dup().data().asBytes());
                }
                checks.add(new ThreadCheck(n.name, n.opName, n.tunable, differs));
            }
        } finally {
            environment().setMaxMasterThreads(configured);
        }
        return checks;
    }

    boolean hasTunableOps() {
        return Arrays.stream(nodes).anyMatch(n -> n.tunable);
    }

    /** Per op: 1 if one thread was chosen for it, 0 if it runs as configured. */
    int[] opThreads() {
        int[] t = new int[nodes.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = nodes[i].threads;
        }
        return t;
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
