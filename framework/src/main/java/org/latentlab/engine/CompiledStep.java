package org.latentlab.engine;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.MmulBp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.PowDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.MulBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.AddBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
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
 * {@code SameDiff.fit}.
 */
public final class CompiledStep {
    private static final String GRAD_FN = "grad";
    /** Ops whose output shape depends on the values (not the shapes) of their inputs. */
    private static final Set<String> VALUE_SHAPED = Set.of("where_np", "Where", "where", "unique", "unique_with_counts",
            "boolean_mask", "dynamic_partition", "nonzero", "non_max_suppression", "non_max_suppression_v3",
            "listdiff", "choose", "sequence_mask", "range", "compare_and_bitpack", "bincount", "histogram_fixed_width");

    private final SameDiff sd;
    private final SameDiff gradFn;
    private final String[] placeholders;
    private final INDArray[] placeholderArrays;
    private final Node[] nodes;
    /** Trainable parameter name to its gradient array (overwritten by the update when stepping). */
    private final Map<String, INDArray> gradients;
    private final Map<String, INDArray> monitored;
    private final OpExecutioner executioner = Nd4j.getExecutioner();

    private CompiledStep(SameDiff sd, SameDiff gradFn, String[] placeholders, INDArray[] placeholderArrays, Node[] nodes,
                         Map<String, INDArray> gradients, Map<String, INDArray> monitored) {
        this.sd = sd;
        this.gradFn = gradFn;
        this.placeholders = placeholders;
        this.placeholderArrays = placeholderArrays;
        this.nodes = nodes;
        this.gradients = gradients;
        this.monitored = monitored;
    }

    /** A compiled step, or why the graph cannot be compiled. */
    public record Compilation(CompiledStep step, String unsupportedReason) {
        public boolean ok() {
            return step != null;
        }
    }

    private enum Kind { CUSTOM, LEGACY, WEIGHT_GRADIENT, JAVA }

    /** {@code LATENTLAB_JAVA_KERNELS=0}: run every op natively (for comparisons; see {@link JavaKernels}). */
    private static final boolean JAVA_KERNELS = !"0".equals(System.getenv("LATENTLAB_JAVA_KERNELS"));

    private static final class Node {
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
        /** libnd4j threads for this op ({@link #tuneThreads}); 0: as configured. Non-zero only if {@link #tunable}. */
        int threads;
        /**
         * Whether libnd4j computes every output element of this op the same way on any number of
         * threads ({@link #threadInvariant}), so that its thread count may be chosen by timing.
         * Ops that sum (reductions, the gradients of broadcasts, convolutions' bias gradients)
         * split their sums among threads and round differently; they always run on the
         * configured number.
         */
        boolean tunable;

        Node(String name, DifferentialFunction op, Kind kind, OpContext context) {
            this(name, op, kind, context, null, null, null, null);
        }

        Node(String name, DifferentialFunction op, Kind kind, OpContext context, INDArray a, INDArray dz, INDArray out,
             Runnable kernel) {
            this(name, op, op.opName(), kind, context, a, dz, out, kernel);
        }

        Node(String name, DifferentialFunction op, String opName, Kind kind, OpContext context, INDArray a, INDArray dz,
             INDArray out, Runnable kernel) {
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

        void exec(OpExecutioner executioner) {
            switch (kind) {
                case CUSTOM -> executioner.exec((CustomOp) op, context);
                case LEGACY -> executioner.exec((Op) op, context);
                case WEIGHT_GRADIENT -> Nd4j.gemm(a, dz, out, true, false, 1.0, 0.0);
                case JAVA -> kernel.run();
            }
        }
    }

    /**
     * Plans the training step of {@code sd} (its gradient function is created if missing) for
     * placeholder arrays shaped like {@code example}, one per name in {@code placeholderNames}.
     * {@code monitoredVariables} (loss terms) are computed too and readable after each step.
     */
    public static Compilation compile(SameDiff sd, List<String> placeholderNames, INDArray[] example,
                                      Collection<String> monitoredVariables) {
        if (placeholderNames.size() != example.length) {
            throw new IllegalArgumentException("expected " + placeholderNames.size() + " placeholder arrays "
                    + placeholderNames + ", got " + example.length);
        }
        if (sd.getFunction(GRAD_FN) == null) {
            sd.createGradFunction();
        }
        SameDiff gradFn = sd.getFunction(GRAD_FN);

        // What the step must produce: the gradient of every trainable parameter, and the monitored values.
        Map<String, String> gradToParam = new LinkedHashMap<>();
        for (Variable v : sd.getVariables().values()) {
            SDVariable var = v.getVariable();
            if (var.getVariableType() != VariableType.VARIABLE || !var.dataType().isFPType()) {
                continue;
            }
            SDVariable grad = gradFn.getVariable(var.name()).getGradient();
            if (grad != null) { // no gradient: the parameter does not affect the loss (as in TrainingSession)
                gradToParam.put(grad.name(), var.name());
            }
        }
        Set<String> required = new LinkedHashSet<>(gradToParam.keySet());
        for (String m : monitoredVariables) {
            if (!gradFn.hasVariable(m)) {
                throw new IllegalArgumentException("monitored variable '" + m + "' is not in the graph");
            }
            required.add(m);
        }
        return plan(sd, gradFn, gradToParam, required, placeholderNames, example, monitoredVariables, JAVA_KERNELS);
    }

    /**
     * Plans the forward computation of {@code outputs} from the given placeholders (no gradients,
     * no updates): inference with arrays reused from call to call. Run it with
     * {@link #computeGradients} and read {@link #output}; {@link #step} is not for such a plan.
     */
    public static Compilation compileInference(SameDiff sd, List<String> placeholderNames, INDArray[] example,
                                               Collection<String> outputs) {
        if (placeholderNames.size() != example.length) {
            throw new IllegalArgumentException("expected " + placeholderNames.size() + " placeholder arrays "
                    + placeholderNames + ", got " + example.length);
        }
        for (String o : outputs) {
            if (!sd.hasVariable(o)) {
                throw new IllegalArgumentException("output '" + o + "' is not in the graph");
            }
        }
        return plan(sd, sd, Map.of(), new LinkedHashSet<>(outputs), placeholderNames, example, outputs, JAVA_KERNELS);
    }

    private static Compilation plan(SameDiff sd, SameDiff gradFn, Map<String, String> gradToParam, Set<String> required,
                                    List<String> placeholderNames, INDArray[] example,
                                    Collection<String> monitoredVariables, boolean fuse) {
        // Subgraphs computed by one Java loop each instead of their ops (fuse == false: none).
        Fusions fusions = new Fusions(fuse ? FusedBernoulli.find(sd, gradFn) : List.of());
        // Topological order of the ops the required variables depend on (iterative DFS, post-order).
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onStack = new HashSet<>();
        for (String var : required) {
            String reason = visitVariable(gradFn, fusions, var, order, done, onStack);
            if (reason != null) {
                return new Compilation(null, reason);
            }
        }

        // Placeholder arrays, allocated once; each step copies the batch into them.
        Map<String, INDArray> arrays = new HashMap<>();
        String[] phNames = placeholderNames.toArray(String[]::new);
        INDArray[] phArrays = new INDArray[phNames.length];
        for (int i = 0; i < phNames.length; i++) {
            // The placeholder's declared type (a double array fed to a float placeholder is cast, as sd.output does).
            DataType dt = gradFn.hasVariable(phNames[i]) ? gradFn.getVariable(phNames[i]).dataType() : example[i].dataType();
            phArrays[i] = Nd4j.create(dt, example[i].shape(), 'c');
            phArrays[i].assign(example[i]);
            arrays.put(phNames[i], phArrays[i]);
        }

        Set<String> planned = new HashSet<>(order);
        List<Node> nodes = new ArrayList<>();
        Map<String, Map<INDArray, INDArray>> computed = new HashMap<>(); // op name -> input -> output
        Set<String> fixedVars = new HashSet<>();
        Map<String, FusedBernoulli.Saved> saved = new HashMap<>();
        for (String opName : order) {
            FusedBernoulli.Match fused = fusions.byName.get(opName);
            if (fused != null) {
                Node node = fusedNode(opName, fused, gradFn, arrays, saved);
                if (node == null) { // not dense float arrays of one shape: plan SameDiff's ops instead
                    return plan(sd, gradFn, gradToParam, required, placeholderNames, example, monitoredVariables, false);
                }
                node.exec(Nd4j.getExecutioner());
                nodes.add(node);
                continue;
            }
            SameDiffOp sdo = gradFn.getOps().get(opName);
            DifferentialFunction df = sdo.getOp();
            String unsupported = unsupported(df);
            if (unsupported != null) {
                return new Compilation(null, "op '" + opName + "' (" + df.getClass().getSimpleName() + "): " + unsupported);
            }
            String[] argNames = df.argNames();
            INDArray[] args = new INDArray[argNames == null ? 0 : argNames.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = inputArray(gradFn, argNames[i], arrays);
                if (args[i] == null) {
                    return new Compilation(null, "op '" + opName + "': no array for its input '" + argNames[i] + "'");
                }
            }
            List<String> outNames = sdo.getOutputsOfOp();
            // Values that are the same in every step: constants, shapes (fixed by the plan), and what
            // is computed from those alone. Their ops run once, here, and not in the step.
            boolean fixedOp = isFixedOp(df, argNames, gradFn, fixedVars);
            if (df instanceof Identity) {
                arrays.put(outNames.get(0), args[0]);
                if (fixedOp) {
                    fixedVars.add(outNames.get(0));
                }
                continue; // an alias: nothing to execute
            }
            if (df instanceof GradientBackwardsMarker) {
                arrays.put(outNames.get(0), Nd4j.scalar(DataType.FLOAT, 1.0f));
                fixedVars.add(outNames.get(0));
                continue;
            }
            Map<INDArray, INDArray> sameFunction = sharable(df, args, outNames, required)
                    ? computed.computeIfAbsent(df.opName(), k -> new java.util.IdentityHashMap<>()) : null;
            if (sameFunction != null && sameFunction.containsKey(args[0])) {
                // The same element-wise function of the same array (exp's gradient recomputes exp):
                // reuse the first result. Planned ops never overwrite an output once written.
                arrays.put(outNames.get(0), sameFunction.get(args[0]));
                continue;
            }
            if (df instanceof MmulBp && isWeightGradientOnly((DynamicCustomOp) df, args, outNames.get(0), gradFn, planned,
                    required)) {
                // matmul_bp always computes both products; here nothing reads the input's gradient
                // (the first layer, whose input is the data): compute only dW = x^T dz.
                INDArray dx = Nd4j.create(args[0].dataType(), args[0].shape(), 'c'); // stays zero: nothing reads it
                INDArray dw = Nd4j.create(args[1].dataType(), args[1].shape(), 'c');
                arrays.put(outNames.get(0), dx);
                arrays.put(outNames.get(1), dw);
                Runnable direct = JAVA_KERNELS ? JavaKernels.gemm(args[0], true, args[2], false, dw) : null;
                if (direct != null && JavaKernels.smallProductsInBlocks()) {
                    Runnable blocks = JavaKernels.gemmOneThread(args[0], true, args[2], false, dw);
                    direct = blocks != null ? blocks : direct;
                }
                Node node = direct != null ? new Node(opName, df, Kind.JAVA, null, null, null, null, direct)
                        : new Node(opName, df, Kind.WEIGHT_GRADIENT, null, args[0], args[2], dw, null);
                node.exec(Nd4j.getExecutioner());
                nodes.add(node);
                continue;
            }
            OpContext oc = Nd4j.getExecutioner().buildContext();
            Kind kind;
            List<LongShapeDescriptor> shapes;
            try {
                if (df instanceof CustomOp) {
                    DynamicCustomOp c = (DynamicCustomOp) df;
                    oc.setArgs(args, c.iArgs(), c.dArgs(), c.tArgs(), c.bArgs());
                    shapes = c.calculateOutputShape(oc);
                    kind = Kind.CUSTOM;
                } else {
                    Op op = (Op) df;
                    boolean axisArg = false;
                    if (op instanceof ReduceOp && ((ReduceOp) op).getOpType() != Op.Type.REDUCE3 && args.length == 2) {
                        if (!isFixed(gradFn, argNames[1])) {
                            return new Compilation(null, "op '" + opName + "': reduction axes computed in the graph");
                        }
                        INDArray axes = args[1];
                        if (axes.isEmpty()) {
                            return new Compilation(null, "op '" + opName + "': empty reduction axes");
                        }
                        df.setDimensions(Shape.normalizeAxis(args[0].rank(), axes.toIntVector()));
                        ((BaseReduceOp) op).setEmptyReduce(false);
                        axisArg = true;
                    } else if (op instanceof ScalarOp && args.length == 2) {
                        ((ScalarOp) op).setScalar(args[1]); // a reference: reads the array's value at each step
                    }
                    if (args.length > 0) {
                        oc.setInputArray(0, args[0]);
                        if (args.length == 2 && !axisArg) {
                            oc.setInputArray(1, args[1]);
                        }
                    }
                    shapes = df.calculateOutputShape(oc);
                    kind = Kind.LEGACY;
                }
            } catch (RuntimeException e) {
                return new Compilation(null, "op '" + opName + "' (" + df.opName() + "): output shapes: " + e.getMessage());
            }
            if (shapes == null || shapes.size() != outNames.size()) {
                return new Compilation(null, "op '" + opName + "' (" + df.opName() + "): " + (shapes == null ? "no"
                        : shapes.size()) + " output shapes for " + outNames.size() + " outputs");
            }
            Aliases aliases = JAVA_KERNELS ? aliases(df, args, outNames, shapes, required, gradFn) : null;
            if (aliases != null) {
                for (int i = 0; i < outNames.size(); i++) {
                    arrays.put(outNames.get(i), aliases.outputs()[i]);
                }
                if (aliases.kernel() != null) {
                    Node node = new Node(opName, df, Kind.JAVA, null, null, null, null, aliases.kernel());
                    node.exec(Nd4j.getExecutioner());
                    if (!fixedOp) {
                        nodes.add(node);
                    }
                }
                if (fixedOp) {
                    fixedVars.addAll(outNames);
                }
                continue;
            }
            for (int i = 0; i < shapes.size(); i++) {
                LongShapeDescriptor s = shapes.get(i);
                DataType dt = gradFn.getVariable(outNames.get(i)).dataType();
                if (s.dataType() != dt) {
                    s = s.asDataType(dt);
                }
                if (s.isEmpty()) {
                    return new Compilation(null, "op '" + opName + "': empty output " + outNames.get(i));
                }
                INDArray out = Nd4j.create(s.dataType(), s.getShape(), s.getOrder());
                oc.setOutputArray(i, out);
                arrays.put(outNames.get(i), out);
            }
            if (sameFunction != null) {
                sameFunction.put(args[0], arrays.get(outNames.get(0)));
            }
            Runnable kernel = JAVA_KERNELS ? javaKernel(df, args, outNames, arrays) : null;
            Node node = kernel != null ? new Node(opName, df, Kind.JAVA, oc, null, null, null, kernel)
                    : new Node(opName, df, kind, oc);
            node.tunable = kernel == null && threadInvariant(df, args, shapes);
            // Run it now: later ops may take their shapes from its values (a reshape's shape argument
            // computed from a shape op); with fixed placeholder shapes those values never change.
            try {
                node.exec(Nd4j.getExecutioner());
            } catch (RuntimeException e) {
                return new Compilation(null, "op '" + opName + "' (" + df.opName() + ") failed while planning: " + e.getMessage());
            }
            if (fixedOp && Collections.disjoint(outNames, required)) {
                fixedVars.addAll(outNames); // computed once above; its output arrays keep the values
            } else {
                nodes.add(node);
            }
        }

        Map<String, INDArray> gradients = new LinkedHashMap<>();
        gradToParam.forEach((grad, param) -> gradients.put(param, arrays.get(grad)));
        Map<String, INDArray> monitored = new LinkedHashMap<>();
        for (String m : monitoredVariables) {
            monitored.put(m, arrays.get(m));
        }
        for (Map.Entry<String, INDArray> g : gradients.entrySet()) {
            INDArray param = sd.getArrForVarName(g.getKey());
            if (g.getValue() == null || !Arrays.equals(g.getValue().shape(), param.shape())) {
                return new Compilation(null, "gradient of '" + g.getKey() + "' has shape "
                        + (g.getValue() == null ? "none" : Arrays.toString(g.getValue().shape())) + ", parameter "
                        + Arrays.toString(param.shape()));
            }
        }
        return new Compilation(new CompiledStep(sd, gradFn, phNames, phArrays, nodes.toArray(Node[]::new),
                gradients, monitored), null);
    }

    /** The fused subgraphs of a plan, by the pseudo-op names that stand for them in its order. */
    private static final class Fusions {
        final Map<String, FusedBernoulli.Match> byName = new HashMap<>();
        /** Variable name to the pseudo-op that computes it. */
        final Map<String, String> producerOf = new HashMap<>();
        final Map<String, List<String>> inputsOf = new HashMap<>();

        Fusions(List<FusedBernoulli.Match> matches) {
            for (FusedBernoulli.Match m : matches) {
                byName.put(m.forwardName(), m);
                producerOf.put(m.terms(), m.forwardName());
                inputsOf.put(m.forwardName(), List.of(m.logits(), m.target()));
                if (m.logitsGrad() != null) {
                    byName.put(m.backwardName(), m);
                    producerOf.put(m.logitsGrad(), m.backwardName());
                    // terms: the forward loop, which keeps what the backward loop reads, runs first
                    inputsOf.put(m.backwardName(), List.of(m.termsGrad(), m.logits(), m.target(), m.terms()));
                }
            }
        }
    }

    /** The node of a fused pseudo-op, its output array registered in {@code arrays}; null if its arrays do not suit the loop. */
    private static Node fusedNode(String name, FusedBernoulli.Match m, SameDiff g, Map<String, INDArray> arrays,
                                  Map<String, FusedBernoulli.Saved> saved) {
        INDArray logits = inputArray(g, m.logits(), arrays);
        INDArray target = inputArray(g, m.target(), arrays);
        if (logits == null || target == null) {
            return null;
        }
        if (name.equals(m.forwardName())) {
            if (!FusedBernoulli.applicable(logits, target) || g.getVariable(m.terms()).dataType() != DataType.FLOAT) {
                return null;
            }
            INDArray terms = Nd4j.create(DataType.FLOAT, logits.shape(), 'c');
            FusedBernoulli.Saved s = new FusedBernoulli.Saved((int) logits.length());
            saved.put(m.terms(), s);
            arrays.put(m.terms(), terms);
            return new Node(name, null, "fused_bernoulli_logits", Kind.JAVA, null, null, null, null,
                    FusedBernoulli.forward(logits, target, terms, s));
        }
        INDArray termsGrad = arrays.get(m.termsGrad());
        FusedBernoulli.Saved s = saved.get(m.terms());
        if (termsGrad == null || s == null || !FusedBernoulli.applicable(termsGrad, logits, target)) {
            return null;
        }
        INDArray logitsGrad = Nd4j.create(DataType.FLOAT, logits.shape(), 'c');
        arrays.put(m.logitsGrad(), logitsGrad);
        return new Node(name, null, "fused_bernoulli_logits_bp", Kind.JAVA, null, null, null, null,
                FusedBernoulli.backward(termsGrad, logits, target, logitsGrad, s));
    }

    /**
     * A Java loop or direct BLAS call for this op with these arrays (see {@link JavaKernels});
     * null if there is none. Products small enough run in one-thread blocks
     * ({@link JavaKernels#gemmOneThread}) with OpenBLAS's AVX-512 kernels
     * ({@link JavaKernels#smallProductsInBlocks}), chosen by their shapes alone: the blocks round
     * differently from the whole product, so choosing by timing would make results vary from run
     * to run.
     */
    private static Runnable javaKernel(DifferentialFunction df, INDArray[] args, List<String> outNames,
                                         Map<String, INDArray> arrays) {
        if (df instanceof ThresholdReluBp op && args.length == 2 && outNames.size() == 1) {
            double[] t = op.tArgs();
            Runnable k = JavaKernels.reluBackward(args[0], args[1], arrays.get(outNames.get(0)),
                    t.length > 0 ? t[0] : op.getCutoff());
            return k;
        }
        if (df instanceof RectifiedLinear op && args.length == 1 && outNames.size() == 1 && zeroScalar(op)) {
            Runnable k = JavaKernels.relu(args[0], arrays.get(outNames.get(0)));
            return k;
        }
        if (df instanceof AddOp && args.length == 2 && outNames.size() == 1) {
            INDArray out = arrays.get(outNames.get(0));
            Runnable k = JavaKernels.add(args[0], args[1], out);
            if (k == null) {
                k = JavaKernels.add(args[1], args[0], out); // the row first
            }
            return k;
        }
        if (df instanceof Square && args.length == 1 && outNames.size() == 1) {
            Runnable k = JavaKernels.scaled(args[0], arrays.get(outNames.get(0)), 1f, true);
            return k;
        }
        if (df instanceof PowDerivative op && args.length == 1 && outNames.size() == 1 && scalarIs(op, 2.0)) {
            Runnable k = JavaKernels.scaled(args[0], arrays.get(outNames.get(0)), 2f, false); // 2 x^1
            return k;
        }
        if (df instanceof MulBpOp && args.length == 3 && outNames.size() == 2) {
            INDArray dx = arrays.get(outNames.get(0));
            INDArray dy = arrays.get(outNames.get(1));
            Runnable k = JavaKernels.multiplyBackward(args[0], args[1], args[2], dx, dy);
            if (k == null) { // the row first: the same loop with the roles swapped
                k = JavaKernels.multiplyBackward(args[1], args[0], args[2], dy, dx);
            }
            return k;
        }
        if ((df instanceof Mean || df instanceof Sum) && args.length >= 1 && outNames.size() == 1) {
            Runnable k = JavaKernels.sumAll(args[0], arrays.get(outNames.get(0)), df instanceof Mean);
            return k;
        }
        if (df instanceof Mmul op && args.length == 2 && outNames.size() == 1 && plainProduct(op)) {
            INDArray out = arrays.get(outNames.get(0));
            Runnable k = JavaKernels.gemm(args[0], false, args[1], false, out);
            Runnable blocks = k == null || !JavaKernels.smallProductsInBlocks() ? null
                    : JavaKernels.gemmOneThread(args[0], false, args[1], false, out);
            return blocks != null ? blocks : k;
        }
        if (df instanceof MmulBp op && args.length == 3 && outNames.size() == 2 && plainProduct(op)) {
            // x [m,k], y [k,n], dz [m,n]: dx = dz y^T, dy = x^T dz
            INDArray dxOut = arrays.get(outNames.get(0));
            INDArray dyOut = arrays.get(outNames.get(1));
            Runnable dx = JavaKernels.gemm(args[2], false, args[1], true, dxOut);
            Runnable dy = JavaKernels.gemm(args[0], true, args[2], false, dyOut);
            if (dx != null && dy != null) {
                boolean inBlocks = JavaKernels.smallProductsInBlocks();
                Runnable dx1 = inBlocks ? JavaKernels.gemmOneThread(args[2], false, args[1], true, dxOut) : null;
                Runnable dy1 = inBlocks ? JavaKernels.gemmOneThread(args[0], true, args[2], false, dyOut) : null;
                Runnable first = dx1 != null ? dx1 : dx;
                Runnable second = dy1 != null ? dy1 : dy;
                return () -> {
                    first.run();
                    second.run();
                };
            }
        }
        return null;
    }

    private static boolean zeroScalar(RectifiedLinear relu) {
        return scalarIs(relu, 0.0);
    }

    private static boolean scalarIs(ScalarOp op, double value) {
        INDArray s = op.scalar();
        return s != null && s.length() == 1 && s.getDouble(0) == value;
    }

    /**
     * Outputs that are their inputs' arrays, for ops that would only copy: a reshape of a dense
     * c-order array (a view), and {@code add_bp} of same-shaped arrays, whose input gradients
     * equal its output gradient (a bias's row gradient is then a Java column sum). Null if the
     * op is not one of these, or an output is a step result (a parameter gradient or monitored
     * value keeps its own array: updaters may change gradients in place; a bias gradient computed
     * by the kernel has its own). The kernel computes the outputs that are not aliases; null if
     * there are none.
     */
    private record Aliases(INDArray[] outputs, Runnable kernel) {
    }

    private static Aliases aliases(DifferentialFunction df, INDArray[] args, List<String> outNames,
                                   List<LongShapeDescriptor> shapes, Set<String> required, SameDiff g) {
        for (String out : outNames) {
            if (g.getVariable(out).dataType() != DataType.FLOAT) {
                return null;
            }
        }
        if (required.contains(outNames.get(0))) {
            return null;
        }
        if (df instanceof Reshape && args.length >= 1 && outNames.size() == 1 && JavaKernels.dense(args[0])
                && args[0].length() == org.nd4j.common.util.ArrayUtil.prodLong(shapes.get(0).getShape())) {
            INDArray view = args[0].reshape('c', shapes.get(0).getShape());
            boolean shared = view.data().addressPointer().address() == args[0].data().addressPointer().address()
                    && view.offset() == args[0].offset() && JavaKernels.dense(view);
            return shared ? new Aliases(new INDArray[] {view}, null) : null;
        }
        if (df instanceof AddBpOp && args.length == 3 && outNames.size() == 2) {
            INDArray x = args[0];
            INDArray y = args[1];
            INDArray grad = args[2];
            if (!JavaKernels.dense(grad) || !Arrays.equals(x.shape(), grad.shape())) {
                return null;
            }
            if (Arrays.equals(y.shape(), grad.shape())) {
                return required.contains(outNames.get(1)) ? null : new Aliases(new INDArray[] {grad, grad}, null);
            }
            INDArray dy = Nd4j.create(DataType.FLOAT, shapes.get(1).getShape(), 'c');
            Runnable sums = Arrays.equals(dy.shape(), y.shape()) ? JavaKernels.columnSums(grad, dy) : null;
            return sums == null ? null : new Aliases(new INDArray[] {grad, dy}, sums);
        }
        return null;
    }

    /** Legacy op types that compute each output element from the input elements at its index (or a scalar, or a broadcast row). */
    private static final Set<Op.Type> ELEMENT_WISE_TYPES = java.util.EnumSet.of(Op.Type.TRANSFORM_SAME,
            Op.Type.TRANSFORM_FLOAT, Op.Type.TRANSFORM_STRICT, Op.Type.TRANSFORM_ANY, Op.Type.TRANSFORM_BOOL, Op.Type.SCALAR,
            Op.Type.SCALAR_BOOL, Op.Type.PAIRWISE, Op.Type.PAIRWISE_BOOL, Op.Type.BROADCAST, Op.Type.BROADCAST_BOOL);
    /** Legacy transforms that reduce along the way, in case one is planned. */
    private static final Set<String> REDUCING_TRANSFORMS = Set.of("softmax", "log_softmax", "ismax", "histogram",
            "old_softmax", "old_logsoftmax");
    /**
     * Custom ops that compute each output element on its own (element-wise functions and their
     * gradients, copies and moves of elements, broadcasts of a gradient back over the reduced
     * dimensions): however libnd4j splits them among threads, every element gets the same value.
     */
    private static final Set<String> ELEMENT_WISE_CUSTOM = Set.of("add", "subtract", "multiply", "divide", "realdiv",
            "maximum", "minimum", "squaredsubtract", "reversesubtract", "reversedivide", "floordiv", "floormod", "mod",
            "pow", "atan2", "biasadd", "relu", "relu6", "elu", "selu", "lrelu", "softplus", "softsign", "relu_bp",
            "relu6_bp", "elu_bp", "selu_bp", "lrelu_bp", "sigmoid_bp", "tanh_bp", "softplus_bp", "softsign_bp",
            "thresholdedrelu_bp", "cube_bp", "reshape", "transpose", "permute", "expand_dims", "squeeze", "concat",
            "stack", "unstack", "strided_slice", "slice", "ones_as", "zeros_as", "cast", "onehot", "identity", "assign",
            "select", "where", "clipbyvalue", "reduce_sum_bp", "reduce_mean_bp", "strided_slice_bp", "slice_bp",
            "concat_bp", "stack_bp", "unstack_bp", "permute_bp", "transpose_bp", "reshape_bp", "expand_dims_bp",
            "squeeze_bp");
    /** The gradients of element-wise ops: element-wise too when no input was broadcast (else they sum over it). */
    private static final Set<String> ELEMENT_WISE_UNLESS_BROADCAST = Set.of("add_bp", "subtract_bp", "multiply_bp",
            "divide_bp", "realdiv_bp", "squaredsubtract_bp", "maximum_bp", "minimum_bp", "reversesubtract_bp",
            "reversedivide_bp", "floordiv_bp", "floormod_bp", "mod_bp");

    /**
     * Whether libnd4j computes this op's outputs identically on any number of threads. Element-
     * wise ops do: each output element is computed on its own, whichever thread gets it. Ops that
     * sum (reductions, the gradients of broadcasts, products, convolutions) may split a sum among
     * threads and round differently; so does anything not known to be element-wise. Checked per
     * model by the contract tests, which force every tunable op to one thread and to two.
     */
    private static boolean threadInvariant(DifferentialFunction df, INDArray[] args, List<LongShapeDescriptor> shapes) {
        String name = df.opName();
        if (!(df instanceof CustomOp)) {
            return df instanceof Op && ELEMENT_WISE_TYPES.contains(df.opType()) && !REDUCING_TRANSFORMS.contains(name);
        }
        if (ELEMENT_WISE_CUSTOM.contains(name)) {
            return true;
        }
        if (ELEMENT_WISE_UNLESS_BROADCAST.contains(name)) {
            for (INDArray a : args) {
                if (!Arrays.equals(a.shape(), args[0].shape())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Ops whose outputs depend only on their inputs' shapes, which a plan fixes. */
    private static final Set<String> SHAPE_ONLY = Set.of("shape_of", "shapes_of", "rank", "size", "size_at");

    /**
     * Whether the op computes the same values in every step: it reads only shapes, or only
     * constants and values that are themselves fixed (parameters and placeholders change).
     */
    private static boolean isFixedOp(DifferentialFunction df, String[] argNames, SameDiff g, Set<String> fixedVars) {
        if (SHAPE_ONLY.contains(df.opName())) {
            return true;
        }
        if (argNames == null || argNames.length == 0 || df instanceof GradientBackwardsMarker) {
            return false;
        }
        for (String a : argNames) {
            if (!fixedVars.contains(a) && !isFixed(g, a)) {
                return false;
            }
        }
        return true;
    }

    /** Element-wise functions of one array without parameters, safe to compute once per step and share. */
    private static final Set<String> PURE_UNARY = Set.of("exp", "log", "log1p", "expm1", "sigmoid", "tanh", "sqrt",
            "square", "abs", "sign", "neg", "softplus", "reciprocal", "erf");

    /**
     * Whether the op is a parameter-free element-wise function of one array whose output is not a
     * step result (a gradient or a monitored value, which must keep its own array).
     */
    private static boolean sharable(DifferentialFunction df, INDArray[] args, List<String> outNames, Set<String> required) {
        if (!(df instanceof Op op) || df instanceof CustomOp || df instanceof ReduceOp || df instanceof ScalarOp
                || !PURE_UNARY.contains(df.opName()) || args.length != 1 || outNames.size() != 1
                || required.contains(outNames.get(0)) || (op.extraArgs() != null && op.extraArgs().length > 0)) {
            return false;
        }
        return true;
    }

    /** A product without transposes or scaling: no non-zero int arguments, alpha 1 and beta 0 if given. */
    private static boolean plainProduct(DynamicCustomOp op) {
        for (long flag : op.iArgs()) {
            if (flag != 0) {
                return false;
            }
        }
        double[] t = op.tArgs();
        return t.length == 0 || (t.length == 2 && t[0] == 1.0 && t[1] == 0.0);
    }

    /**
     * Whether a {@code matmul_bp} of plain 2-d matrices (no transposes) has an input gradient
     * that no planned op and no requested output reads.
     */
    private static boolean isWeightGradientOnly(DynamicCustomOp op, INDArray[] args, String inputGradient, SameDiff g,
                                                Set<String> planned, Set<String> required) {
        long[] t = op.iArgs();
        if (args.length != 3 || args[0].rank() != 2 || args[1].rank() != 2 || args[2].rank() != 2 || required.contains(inputGradient)) {
            return false;
        }
        for (long flag : t) {
            if (flag != 0) {
                return false;
            }
        }
        List<String> readers = g.getVariables().get(inputGradient).getInputsForOp();
        if (readers != null) {
            for (String r : readers) {
                if (planned.contains(r)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String visitVariable(SameDiff g, Fusions fusions, String var, List<String> order, Set<String> done,
                                        Set<String> onStack) {
        String pseudo = fusions.producerOf.get(var);
        if (pseudo != null) {
            if (done.contains(pseudo)) {
                return null;
            }
            for (String in : fusions.inputsOf.get(pseudo)) {
                String reason = visitVariable(g, fusions, in, order, done, onStack);
                if (reason != null) {
                    return reason;
                }
            }
            done.add(pseudo);
            order.add(pseudo);
            return null;
        }
        Variable v = g.getVariables().get(var);
        if (v == null) {
            return "variable '" + var + "' is not in the gradient function";
        }
        if (v.getControlDeps() != null && !v.getControlDeps().isEmpty()) {
            return "variable '" + var + "' has control dependencies";
        }
        String op = v.getOutputOfOp();
        if (op == null) {
            return null; // placeholder, constant or parameter
        }
        return visitOp(g, fusions, op, order, done, onStack);
    }

    private static String visitOp(SameDiff g, Fusions fusions, String opName, List<String> order, Set<String> done,
                                  Set<String> onStack) {
        if (done.contains(opName)) {
            return null;
        }
        if (!onStack.add(opName)) {
            return "the graph has a cycle through op '" + opName + "'";
        }
        SameDiffOp op = g.getOps().get(opName);
        if (op.getControlDeps() != null && !op.getControlDeps().isEmpty()) {
            return "op '" + opName + "' has control dependencies";
        }
        if (op.getInputsToOp() != null) {
            for (String in : op.getInputsToOp()) {
                String reason = visitVariable(g, fusions, in, order, done, onStack);
                if (reason != null) {
                    return reason;
                }
            }
        }
        onStack.remove(opName);
        done.add(opName);
        order.add(opName);
        return null;
    }

    private static String unsupported(DifferentialFunction df) {
        String cls = df.getClass().getName();
        if (cls.contains(".controlflow.") || cls.contains(".shape.tensorops.") || cls.endsWith(".Invoke")
                || cls.endsWith(".ExternalErrorsFunction") || cls.endsWith(".Assert") || cls.endsWith(".CreateView")
                || cls.endsWith(".Assign")) {
            return "special-cased by SameDiff's executor";
        }
        String name = df.opName();
        if (VALUE_SHAPED.contains(name)) {
            return "its output shape depends on its input values";
        }
        if (cls.contains(".random.")) {
            return "random op (draws per call; feed noise as a placeholder instead)";
        }
        if (df instanceof Identity || df instanceof GradientBackwardsMarker || df instanceof CustomOp) {
            return null;
        }
        if (df instanceof Op) {
            return null;
        }
        return "unknown op type";
    }

    private static boolean isFixed(SameDiff g, String var) {
        VariableType t = g.getVariable(var).getVariableType();
        return t == VariableType.CONSTANT;
    }

    private static INDArray inputArray(SameDiff g, String name, Map<String, INDArray> arrays) {
        INDArray a = arrays.get(name);
        if (a != null) {
            return a;
        }
        SDVariable v = g.getVariable(name);
        if (v.getVariableType() == VariableType.CONSTANT || v.getVariableType() == VariableType.VARIABLE) {
            return v.getArr();
        }
        return null;
    }

    /** Copies {@code feeds} (in the order of the placeholder names) into the step's arrays. */
    private void feed(INDArray[] feeds) {
        if (feeds.length != placeholderArrays.length) {
            throw new IllegalArgumentException("expected " + placeholderArrays.length + " arrays for "
                    + Arrays.toString(placeholders) + ", got " + feeds.length);
        }
        for (int i = 0; i < feeds.length; i++) {
            if (!Arrays.equals(feeds[i].shape(), placeholderArrays[i].shape())) {
                throw new IllegalArgumentException("placeholder '" + placeholders[i] + "': this step was compiled for shape "
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

    /** Runs the forward and backward pass on {@code feeds}; the gradients are then in {@link #gradients()}. */
    public void computeGradients(INDArray[] feeds) {
        feed(feeds);
        boolean timed = opNanos != null;
        if (timed) {
            timedSteps++;
        }
        int configured = tunedThreads ? environment().maxMasterThreads() : 0;
        int current = configured;
        try {
            for (int i = 0; i < nodes.length; i++) {
                Node n = nodes[i];
                if (tunedThreads) {
                    int want = n.threads == 0 ? configured : n.threads;
                    if (want != current) {
                        environment().setMaxMasterThreads(want);
                        current = want;
                    }
                }
                run(n, i, timed);
            }
        } finally {
            if (current != configured) {
                environment().setMaxMasterThreads(configured);
            }
        }
    }

    private void run(Node n, int i, boolean timed) {
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

    private static org.nd4j.linalg.factory.Environment environment() {
        return Nd4j.getEnvironment();
    }

    /**
     * {@code LATENTLAB_OP_THREADS}: unset, the tunable ops' threads are chosen by timing; {@code 0},
     * every op runs on libnd4j's configured threads; {@code 1}, every tunable op runs on one.
     * The three give the same numbers (the determinism tests run all three); they are for
     * comparing speeds.
     */
    private static final String OP_THREADS = opThreadsSetting(System.getenv("LATENTLAB_OP_THREADS"));

    static String opThreadsSetting(String value) {
        if (value == null || value.isEmpty()) {
            return "timed";
        }
        if (!value.equals("0") && !value.equals("1")) {
            throw new IllegalArgumentException("LATENTLAB_OP_THREADS='" + value + "': expected 0 (libnd4j's configured "
                    + "threads for every op) or 1 (one thread for every element-wise op), or unset (chosen by timing)");
        }
        return value;
    }
    private boolean tunedThreads;
    /** An op runs on one thread only if that was at least this much faster (a ratio of medians). */
    private static final double SINGLE_THREAD_MARGIN = 0.9;
    private String tuningReport = "";

    /** One line per op with its median times on one and on the configured threads, from {@link #tuneThreads}. */
    public String tuningReport() {
        return tuningReport;
    }

    /**
     * Chooses, for each op, whether libnd4j runs it on one thread or on its configured number
     * ({@code Environment.maxMasterThreads}), by timing both on {@code feeds}: every op is run
     * {@code 2 * reps} times, alternating the two settings and their order, and runs on one
     * thread if its median time there was at least 10% lower. Only ops that compute the same bits
     * on any number of threads are timed ({@link Node#tunable}): the choice, which varies with
     * the machine's load, must not change the results. CPU backend only; nothing happens with one
     * configured thread.
     *
     * <p>Why: libnd4j hands an op to its thread pool whenever the output has more than about a
     * thousand elements, and waking a pool thread cost 30-50 us on this project's 2-core VM, more
     * than most of the MLP VAE's element-wise ops take on one thread (a [128, 20] add: 4 us on one
     * thread, 36 us on two). Large transcendental ops ({@code exp} and {@code log1p} of a
     * [128, 784] array) are still faster on two. Running an op again is harmless: planned ops
     * write only their own output arrays, which are overwritten with the same values.
     *
     * @return the number of ops set to one thread
     */
    public int tuneThreads(INDArray[] feeds, int reps) {
        int configured = environment().maxMasterThreads();
        if (OP_THREADS.equals("0") || configured <= 1 || !environment().isCPU() || reps < 1) {
            return 0;
        }
        if (OP_THREADS.equals("1")) {
            forceThreadChoice(true);
            return (int) Arrays.stream(nodes).filter(n -> n.tunable).count();
        }
        feed(feeds);
        long[][] one = new long[nodes.length][2 * reps];
        long[][] many = new long[nodes.length][2 * reps];
        try {
            for (int r = 0; r < 2 * reps; r++) {
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
        int singles = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < nodes.length; i++) {
            if (!nodes[i].tunable) {
                nodes[i].threads = 0;
                report.append(String.format(java.util.Locale.ROOT, "%-28s %-20s %s%n", nodes[i].name, nodes[i].opName,
                        nodes[i].kind == Kind.JAVA || nodes[i].kind == Kind.WEIGHT_GRADIENT
                                ? "Java loop or OpenBLAS call: no libnd4j threads"
                                : "sums in an order that depends on the threads: fixed at " + configured + " threads"));
                continue;
            }
            long m1 = median(one[i]);
            long mn = median(many[i]);
            // A clear margin only: ops whose parallel part is a BLAS call (conv2d, deconv2d) timed alike
            // on both settings here, yet ran slower on one thread within the step.
            boolean single = m1 < SINGLE_THREAD_MARGIN * mn;
            nodes[i].threads = single ? 1 : 0;
            singles += single ? 1 : 0;
            report.append(String.format(java.util.Locale.ROOT, "%-28s %-20s 1 thread %8.1f us, %d threads %8.1f us%s%n",
                    nodes[i].name, nodes[i].opName, m1 / 1e3, configured, mn / 1e3, single ? "  -> 1" : ""));
        }
        tuningReport = report.toString();
        tunedThreads = singles > 0;
        return singles;
    }

    /**
     * Sets every op whose thread count may be tuned ({@link Node#tunable}) to one thread
     * ({@code single}) or to the configured number, as {@link #tuneThreads} might: results must
     * not change (the determinism test forces both and compares the bits).
     */
    public void forceThreadChoice(boolean single) {
        for (Node n : nodes) {
            n.threads = n.tunable && single ? 1 : 0;
        }
        tunedThreads = single && Arrays.stream(nodes).anyMatch(n -> n.tunable);
    }

    /** One libnd4j op of a step run on one thread and on several: whether any output bit differed. */
    public record ThreadCheck(String name, String op, boolean tunable, boolean differs) {
    }

    /**
     * Runs every libnd4j op of the step on one thread and then on {@code threads}, on
     * {@code feeds}, in step order, and says per op whether its outputs differed in any bit
     * (Java loops and direct OpenBLAS calls do not use libnd4j's threads and are left out). For
     * the determinism tests: an op marked tunable must never differ.
     */
    public List<ThreadCheck> threadDependence(INDArray[] feeds, int threads) {
        feed(feeds);
        int configured = environment().maxMasterThreads();
        List<ThreadCheck> checks = new ArrayList<>();
        try {
            for (Node n : nodes) {
                if (n.context == null || n.kind == Kind.JAVA) {
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
                    differs |= !Arrays.equals(first.get(k), outs.get(k).dup().data().asBytes());
                }
                checks.add(new ThreadCheck(n.name, n.opName, n.tunable, differs));
            }
        } finally {
            environment().setMaxMasterThreads(configured);
        }
        return checks;
    }

    /** Whether any op of this step may have its libnd4j thread count chosen by timing. */
    public boolean hasTunableOps() {
        return Arrays.stream(nodes).anyMatch(n -> n.tunable);
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Per op: 1 if {@link #tuneThreads} chose one thread for it, 0 if it runs as configured. */
    int[] opThreads() {
        int[] t = new int[nodes.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = nodes[i].threads;
        }
        return t;
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
            throw new IllegalArgumentException("'" + name + "' is not an output of this plan; outputs: " + monitored.keySet());
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

    private long[] opNanos;
    private long timedSteps;

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
        long total = java.util.stream.LongStream.of(opNanos).sum();
        Integer[] idx = new Integer[nodes.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(opNanos[b], opNanos[a]));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "%d ops, %.0f us per step over %d steps", nodes.length,
                total / 1e3 / timedSteps, timedSteps));
        for (int k = 0; k < Math.min(top, idx.length); k++) {
            int i = idx[k];
            lines.add(String.format(java.util.Locale.ROOT, "%-40s %-22s %8.0f us %5.1f%%", nodes[i].name, nodes[i].opName,
                    opNanos[i] / 1e3 / timedSteps, 100.0 * opNanos[i] / total));
        }
        return lines;
    }

    /** The names of the ops one step executes, in order. */
    List<String> opNames() {
        List<String> names = new ArrayList<>(nodes.length);
        for (Node n : nodes) {
            names.add(n.name);
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
