package org.latentlab.engine;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/** One op of a planned step: a native op with its context and arrays, a direct product, or a Java loop. */
final class PlanNode {
    /** How a node executes. */
    enum Kind {
        CUSTOM,
        LEGACY,
        WEIGHT_GRADIENT,
        JAVA
    }

    final String name;
    /** The native op, or null for a fused Java kernel (see {@link FusedBernoulli}). */
    final DifferentialFunction op;

    final String opName;
    final Kind kind;
    final OpContext context;

    /** For {@link Kind#WEIGHT_GRADIENT}: {@code out = a^T dz}. */
    final INDArray a;

    final INDArray dz;
    final INDArray out;
    /** For {@link Kind#JAVA}: the loop that replaces the native op. */
    final Runnable kernel;
    /** libnd4j threads for this op ({@link ThreadTuner}); 0: as configured. Non-zero only if {@link #tunable}. */
    int threads;
    /**
     * Whether libnd4j computes every output element of this op the same way on any number of
     * threads ({@link OpTraits#threadInvariant}), so that its thread count may be chosen by timing.
     * Ops that sum (reductions, the gradients of broadcasts, convolutions' bias gradients)
     * split their sums among threads and round differently; they always run on the
     * configured number.
     */
    boolean tunable;

    PlanNode(String name, DifferentialFunction op, Kind kind, OpContext context) {
        this(name, op, kind, context, null, null, null, null);
    }

    PlanNode(
            String name,
            DifferentialFunction op,
            Kind kind,
            OpContext context,
            INDArray a,
            INDArray dz,
            INDArray out,
            Runnable kernel) {
        this(name, op, op.opName(), kind, context, a, dz, out, kernel);
    }

    PlanNode(
            String name,
            DifferentialFunction op,
            String opName,
            Kind kind,
            OpContext context,
            INDArray a,
            INDArray dz,
            INDArray out,
            Runnable kernel) {
        this.name = name;
        this.op = op;
        this.opName = opName;
        this.kind = kind;
        this.context = context;
        this.a = a;
        this.dz = dz;
        this.out = out;
        this.kernel = kernel;
    }

    /** A Java loop standing for {@code op}. */
    static PlanNode java(String name, DifferentialFunction op, OpContext context, Runnable kernel) {
        return new PlanNode(name, op, Kind.JAVA, context, null, null, null, kernel);
    }

    void exec(OpExecutioner executioner) {
        switch (kind) {
            case CUSTOM -> executioner.exec((CustomOp) op, context);
            case LEGACY -> executioner.exec((Op) op, context);
            case WEIGHT_GRADIENT -> Nd4j.gemm(a, dz, out, true, false, 1.0, 0.0);
            case JAVA -> kernel.run();
        }
    }
}
