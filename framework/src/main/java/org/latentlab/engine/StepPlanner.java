package org.latentlab.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentlab.engine.CompiledStep.Compilation;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
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
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2DDerivative;
import org.nd4j.linalg.api.ops.impl.reduce.MmulBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes the plan of a {@link CompiledStep} from a SameDiff graph: the ops its gradient function
 * needs for the required variables, in topological order, each with its native op context and
 * output arrays allocated once (or a Java loop in its place, or an alias where the op would only
 * copy). Every op runs once while planning: later ops may take their shapes from its values.
 * One planner makes one plan.
 */
final class StepPlanner {
    private static final String GRAD_FN = "grad";

    private final SameDiff sd;
    private final SameDiff gradFn;
    private final Map<String, String> gradToParam;
    private final Set<String> required;
    private final List<String> placeholderNames;
    private final INDArray[] example;
    private final Collection<String> monitoredVariables;
    private final EngineOptions options;
    /** Whether subgraphs are fused into Java loops ({@link FusedBernoulli}); false after a fused loop did not fit. */
    private final boolean fuse;

    private final Map<String, INDArray> arrays = new HashMap<>();
    private final List<PlanNode> nodes = new ArrayList<>();
    /** Op name to input to output: element-wise functions of an array computed once ({@link OpTraits#sharable}). */
    private final Map<String, Map<INDArray, INDArray>> computed = new HashMap<>();
    /** Variables with the same values in every step, computed while planning. */
    private final Set<String> fixedVars = new HashSet<>();

    private final Map<String, FusedBernoulli.Saved> saved = new HashMap<>();
    /** Planned Java forward convolutions by op name, for their gradients ({@link #forwardConvolution}). */
    private final Map<String, JavaConv.Forward> forwardConvolutions = new HashMap<>();
    /** Whether some convolution runs as Java loops: the step then runs OpenBLAS on one thread ({@link CompiledStep}). */
    private boolean javaConvolutions;

    private Set<String> planned;
    private String[] phNames;
    private INDArray[] phArrays;

    private StepPlanner(
            SameDiff sd,
            SameDiff gradFn,
            Map<String, String> gradToParam,
            Set<String> required,
            List<String> placeholderNames,
            INDArray[] example,
            Collection<String> monitoredVariables,
            EngineOptions options,
            boolean fuse) {
        this.sd = sd;
        this.gradFn = gradFn;
        this.gradToParam = gradToParam;
        this.required = required;
        this.placeholderNames = placeholderNames;
        this.example = example;
        this.monitoredVariables = monitoredVariables;
        this.options = options;
        this.fuse = fuse;
    }

    /** A fresh planner for the same step as {@code other}, fusing or not. */
    private StepPlanner(StepPlanner other, boolean fuse) {
        this(
                other.sd,
                other.gradFn,
                other.gradToParam,
                other.required,
                other.placeholderNames,
                other.example,
                other.monitoredVariables,
                other.options,
                fuse);
    }

    /** See {@link CompiledStep#compile(SameDiff, List, INDArray[], Collection, EngineOptions)}. */
    static Compilation training(
            SameDiff sd,
            List<String> placeholderNames,
            INDArray[] example,
            Collection<String> monitoredVariables,
            EngineOptions options) {
        checkPlaceholders(placeholderNames, example);
        if (sd.getFunction(GRAD_FN) == null) {
            OpDescriptors.preload();
            sd.createGradFunction();
        }
        SameDiff gradFn = sd.getFunction(GRAD_FN);

        // What the step must produce: the gradient of every trainable parameter, and the monitored values.
        Map<String, String> gradToParam = new LinkedHashMap<>();
        for (Variable v : sd.getVariables().values()) {
            SDVariable var = v.getVariable();
            if (var.getVariableType() != VariableType.VARIABLE
                    || !var.dataType().isFPType()) {
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
        return new StepPlanner(
                        sd,
                        gradFn,
                        gradToParam,
                        required,
                        placeholderNames,
                        example,
                        monitoredVariables,
                        options,
                        options.javaKernels())
                .plan();
    }

    /** See {@link CompiledStep#compileInference(SameDiff, List, INDArray[], Collection, EngineOptions)}. */
    static Compilation inference(
            SameDiff sd,
            List<String> placeholderNames,
            INDArray[] example,
            Collection<String> outputs,
            EngineOptions options) {
        checkPlaceholders(placeholderNames, example);
        for (String o : outputs) {
            if (!sd.hasVariable(o)) {
                throw new IllegalArgumentException("output '" + o + "' is not in the graph");
            }
        }
        return new StepPlanner(
                        sd,
                        sd,
                        Map.of(),
                        new LinkedHashSet<>(outputs),
                        placeholderNames,
                        example,
                        outputs,
                        options,
                        options.javaKernels())
                .plan();
    }

    private static void checkPlaceholders(List<String> placeholderNames, INDArray[] example) {
        if (placeholderNames.size() != example.length) {
            throw new IllegalArgumentException("expected " + placeholderNames.size() + " placeholder arrays "
                    + placeholderNames + ", got " + example.length);
        }
    }

    private Compilation plan() {
        // Subgraphs computed by one Java loop each instead of their ops (fuse == false: none).
        OpOrder.Fusions fusions = new OpOrder.Fusions(fuse ? FusedBernoulli.find(sd, gradFn) : List.of());
        List<String> order = new ArrayList<>();
        String reason = OpOrder.order(gradFn, fusions, required, order);
        if (reason != null) {
            return new Compilation(null, reason);
        }
        allocatePlaceholders();
        planned = new HashSet<>(order);
        for (String opName : order) {
            FusedBernoulli.Match fused = fusions.byName.get(opName);
            if (fused != null) {
                PlanNode node = fusedNode(opName, fused);
                if (node == null) { // not dense float arrays of one shape: plan SameDiff's ops instead
                    return new StepPlanner(this, false).plan();
                }
                node.exec(Nd4j.getExecutioner());
                nodes.add(node);
                continue;
            }
            String failure = planOp(opName);
            if (failure != null) {
                return new Compilation(null, failure);
            }
        }
        return finish();
    }

    /** Placeholder arrays, allocated once; each step copies the batch into them. */
    private void allocatePlaceholders() {
        phNames = placeholderNames.toArray(String[]::new);
        phArrays = new INDArray[phNames.length];
        for (int i = 0; i < phNames.length; i++) {
            // The placeholder's declared type (a double array fed to a float placeholder is cast, as sd.output does).
            DataType dt = gradFn.hasVariable(phNames[i])
                    ? gradFn.getVariable(phNames[i]).dataType()
                    : example[i].dataType();
            phArrays[i] = Nd4j.create(dt, example[i].shape(), 'c');
            phArrays[i].assign(example[i]);
            arrays.put(phNames[i], phArrays[i]);
        }
    }

    /** Plans one op of the graph; returns why it cannot be planned, or null. */
    private String planOp(String opName) {
        SameDiffOp sdo = gradFn.getOps().get(opName);
        DifferentialFunction df = sdo.getOp();
        String unsupported = OpTraits.unsupported(df);
        if (unsupported != null) {
            return "op '" + opName + "' (" + df.getClass().getSimpleName() + "): " + unsupported;
        }
        String[] argNames = df.argNames();
        INDArray[] args = new INDArray[argNames == null ? 0 : argNames.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = OpTraits.inputArray(gradFn, argNames[i], arrays);
            if (args[i] == null) {
                return "op '" + opName + "': no array for its input '" + argNames[i] + "'";
            }
        }
        List<String> outNames = sdo.getOutputsOfOp();
        // Values that are the same in every step: constants, shapes (fixed by the plan), and what
        // is computed from those alone. Their ops run once, here, and not in the step.
        boolean fixedOp = OpTraits.isFixedOp(df, argNames, gradFn, fixedVars);
        if (df instanceof Identity) {
            arrays.put(outNames.get(0), args[0]);
            if (fixedOp) {
                fixedVars.add(outNames.get(0));
            }
            return null; // an alias: nothing to execute
        }
        if (df instanceof GradientBackwardsMarker) {
            arrays.put(outNames.get(0), Nd4j.scalar(DataType.FLOAT, 1.0f));
            fixedVars.add(outNames.get(0));
            return null;
        }
        Map<INDArray, INDArray> sameFunction = OpTraits.sharable(df, args, outNames, required)
                ? computed.computeIfAbsent(df.opName(), k -> new IdentityHashMap<>())
                : null;
        if (sameFunction != null && sameFunction.containsKey(args[0])) {
            // The same element-wise function of the same array (exp's gradient recomputes exp):
            // reuse the first result. Planned ops never overwrite an output once written.
            arrays.put(outNames.get(0), sameFunction.get(args[0]));
            return null;
        }
        if (df instanceof MmulBp
                && OpTraits.isWeightGradientOnly(
                        (DynamicCustomOp) df, args, outNames.get(0), gradFn, planned, required)) {
            planWeightGradient(opName, df, args, outNames);
            return null;
        }
        return planNative(opName, df, argNames, args, outNames, fixedOp, sameFunction);
    }

    /**
     * {@code matmul_bp} always computes both products; here nothing reads the input's gradient
     * (the first layer, whose input is the data): compute only {@code dW = x^T dz}.
     */
    private void planWeightGradient(String opName, DifferentialFunction df, INDArray[] args, List<String> outNames) {
        INDArray dx = Nd4j.create(args[0].dataType(), args[0].shape(), 'c'); // stays zero: nothing reads it
        INDArray dw = Nd4j.create(args[1].dataType(), args[1].shape(), 'c');
        arrays.put(outNames.get(0), dx);
        arrays.put(outNames.get(1), dw);
        Runnable direct = options.javaKernels()
                ? OpKernels.weightGradient(args[0], args[2], dw, options.smallProductsInBlocks())
                : null;
        PlanNode node = direct != null
                ? PlanNode.java(opName, df, null, direct)
                : new PlanNode(opName, df, PlanNode.Kind.WEIGHT_GRADIENT, null, args[0], args[2], dw, null);
        node.exec(Nd4j.getExecutioner());
        nodes.add(node);
    }

    /** Plans a native op (or the Java loop or aliases that replace it); returns why it cannot be planned, or null. */
    private String planNative(
            String opName,
            DifferentialFunction df,
            String[] argNames,
            INDArray[] args,
            List<String> outNames,
            boolean fixedOp,
            Map<INDArray, INDArray> sameFunction) {
        OpContext oc = Nd4j.getExecutioner().buildContext();
        Prepared p = prepare(opName, df, argNames, args, oc);
        if (p.failure() != null) {
            return p.failure();
        }
        List<LongShapeDescriptor> shapes = p.shapes();
        if (shapes == null || shapes.size() != outNames.size()) {
            return "op '" + opName + "' (" + df.opName() + "): " + (shapes == null ? "no" : shapes.size())
                    + " output shapes for " + outNames.size() + " outputs";
        }
        OpKernels.Aliases aliases =
                options.javaKernels() ? OpKernels.aliases(df, args, outNames, shapes, required, gradFn) : null;
        if (aliases != null) {
            planAliases(opName, df, outNames, aliases, fixedOp);
            return null;
        }
        String failure = allocateOutputs(opName, oc, outNames, shapes);
        if (failure != null) {
            return failure;
        }
        if (sameFunction != null) {
            sameFunction.put(args[0], arrays.get(outNames.get(0)));
        }
        // conv2d_bp of the first layer: nothing reads the gradient of the data, so it is not computed (stays zero).
        boolean unreadInputGradient =
                df instanceof Conv2DDerivative && OpTraits.isUnread(outNames.get(0), gradFn, planned, required);
        INDArray tanhOutput = df instanceof TanhDerivative ? forwardTanhOutput(argNames[0]) : null;
        JavaConv.Forward forwardConv = forwardConvolution(df, argNames);
        Runnable kernel = options.javaKernels()
                ? OpKernels.javaKernel(
                        df,
                        args,
                        outNames,
                        arrays,
                        options.smallProductsInBlocks(),
                        unreadInputGradient,
                        tanhOutput,
                        forwardConv)
                : null;
        if (kernel instanceof JavaConv.Forward f) {
            forwardConvolutions.put(opName, f);
        }
        if (kernel != null && OpKernels.isConvolution(df)) {
            javaConvolutions = true;
        }
        PlanNode node = kernel != null ? PlanNode.java(opName, df, oc, kernel) : new PlanNode(opName, df, p.kind(), oc);
        node.tunable = kernel == null && OpTraits.threadInvariant(df, args, shapes);
        // Run it now: later ops may take their shapes from its values (a reshape's shape argument
        // computed from a shape op); with fixed placeholder shapes those values never change.
        try {
            node.exec(Nd4j.getExecutioner());
        } catch (RuntimeException e) {
            return "op '" + opName + "' (" + df.opName() + ") failed while planning: " + e.getMessage();
        }
        if (fixedOp && Collections.disjoint(outNames, required)) {
            fixedVars.addAll(outNames); // computed once above; its output arrays keep the values
        } else {
            nodes.add(node);
        }
        return null;
    }

    /**
     * The planned output of a {@code tanh} of {@code input}, which its gradient can use instead of computing
     * tanh again; null if no planned {@code tanh} reads that variable. Planned outputs are never overwritten.
     */
    private INDArray forwardTanhOutput(String input) {
        var meta = gradFn.getVariables().get(input);
        if (meta == null || meta.getInputsForOp() == null) {
            return null;
        }
        for (String consumer : meta.getInputsForOp()) {
            SameDiffOp op = gradFn.getOps().get(consumer);
            if (op != null
                    && op.getOp() instanceof Tanh
                    && planned.contains(consumer)
                    && op.getOutputsOfOp().size() == 1
                    && arrays.containsKey(op.getOutputsOfOp().get(0))) {
                return arrays.get(op.getOutputsOfOp().get(0));
            }
        }
        return null;
    }

    /**
     * The planned Java forward convolution whose gradient {@code df} is (a {@code conv2d} for {@code conv2d_bp}, a
     * {@code deconv2d} for {@code deconv2d_bp}) reading the same input and weights, or null. Its kernel runs before the
     * gradient's in every step and nothing else writes its matrix of the input, which the gradient then reuses.
     */
    private JavaConv.Forward forwardConvolution(DifferentialFunction df, String[] argNames) {
        boolean conv = df instanceof Conv2DDerivative;
        if ((!conv && !(df instanceof DeConv2DDerivative)) || argNames.length < 2) {
            return null;
        }
        var meta = gradFn.getVariables().get(argNames[0]);
        if (meta == null || meta.getInputsForOp() == null) {
            return null;
        }
        for (String consumer : meta.getInputsForOp()) {
            SameDiffOp op = gradFn.getOps().get(consumer);
            JavaConv.Forward f = forwardConvolutions.get(consumer);
            if (f != null
                    && op != null
                    && (conv ? op.getOp() instanceof Conv2D : op.getOp() instanceof DeConv2D)
                    && op.getInputsToOp().size() >= 2
                    && op.getInputsToOp().get(0).equals(argNames[0])
                    && op.getInputsToOp().get(1).equals(argNames[1])) {
                return f;
            }
        }
        return null;
    }

    /** A native op's kind and output shapes with its inputs set in its context, or why there are none. */
    private record Prepared(PlanNode.Kind kind, List<LongShapeDescriptor> shapes, String failure) {
        static Prepared failed(String why) {
            return new Prepared(null, null, why);
        }
    }

    private Prepared prepare(String opName, DifferentialFunction df, String[] argNames, INDArray[] args, OpContext oc) {
        try {
            if (df instanceof CustomOp) {
                DynamicCustomOp c = (DynamicCustomOp) df;
                oc.setArgs(args, c.iArgs(), c.dArgs(), c.tArgs(), c.bArgs());
                return new Prepared(PlanNode.Kind.CUSTOM, c.calculateOutputShape(oc), null);
            }
            Op op = (Op) df;
            boolean axisArg = false;
            if (op instanceof ReduceOp && ((ReduceOp) op).getOpType() != Op.Type.REDUCE3 && args.length == 2) {
                if (!OpTraits.isFixed(gradFn, argNames[1])) {
                    return Prepared.failed("op '" + opName + "': reduction axes computed in the graph");
                }
                INDArray axes = args[1];
                if (axes.isEmpty()) {
                    return Prepared.failed("op '" + opName + "': empty reduction axes");
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
            return new Prepared(PlanNode.Kind.LEGACY, df.calculateOutputShape(oc), null);
        } catch (RuntimeException e) {
            return Prepared.failed("op '" + opName + "' (" + df.opName() + "): output shapes: " + e.getMessage());
        }
    }

    private void planAliases(
            String opName, DifferentialFunction df, List<String> outNames, OpKernels.Aliases aliases, boolean fixedOp) {
        for (int i = 0; i < outNames.size(); i++) {
            arrays.put(outNames.get(i), aliases.outputs()[i]);
        }
        if (aliases.kernel() != null) {
            PlanNode node = PlanNode.java(opName, df, null, aliases.kernel());
            node.exec(Nd4j.getExecutioner());
            if (!fixedOp) {
                nodes.add(node);
            }
        }
        if (fixedOp) {
            fixedVars.addAll(outNames);
        }
    }

    /** The op's output arrays, allocated once and set in its context; returns why they cannot be, or null. */
    private String allocateOutputs(
            String opName, OpContext oc, List<String> outNames, List<LongShapeDescriptor> shapes) {
        for (int i = 0; i < shapes.size(); i++) {
            LongShapeDescriptor s = shapes.get(i);
            DataType dt = gradFn.getVariable(outNames.get(i)).dataType();
            if (s.dataType() != dt) {
                s = s.asDataType(dt);
            }
            if (s.isEmpty()) {
                return "op '" + opName + "': empty output " + outNames.get(i);
            }
            INDArray out = Nd4j.create(s.dataType(), s.getShape(), s.getOrder());
            oc.setOutputArray(i, out);
            arrays.put(outNames.get(i), out);
        }
        return null;
    }

    /** The node of a fused pseudo-op, its output array registered; null if its arrays do not suit the loop. */
    private PlanNode fusedNode(String name, FusedBernoulli.Match m) {
        INDArray logits = OpTraits.inputArray(gradFn, m.logits(), arrays);
        INDArray target = OpTraits.inputArray(gradFn, m.target(), arrays);
        if (logits == null || target == null) {
            return null;
        }
        if (name.equals(m.forwardName())) {
            if (!FusedBernoulli.applicable(logits, target)
                    || gradFn.getVariable(m.terms()).dataType() != DataType.FLOAT) {
                return null;
            }
            INDArray terms = Nd4j.create(DataType.FLOAT, logits.shape(), 'c');
            FusedBernoulli.Saved s = new FusedBernoulli.Saved((int) logits.length());
            saved.put(m.terms(), s);
            arrays.put(m.terms(), terms);
            return new PlanNode(
                    name,
                    null,
                    "fused_bernoulli_logits",
                    PlanNode.Kind.JAVA,
                    null,
                    null,
                    null,
                    null,
                    FusedBernoulli.forward(logits, target, terms, s));
        }
        INDArray termsGrad = arrays.get(m.termsGrad());
        FusedBernoulli.Saved s = saved.get(m.terms());
        if (termsGrad == null || s == null || !FusedBernoulli.applicable(termsGrad, logits, target)) {
            return null;
        }
        INDArray logitsGrad = Nd4j.create(DataType.FLOAT, logits.shape(), 'c');
        arrays.put(m.logitsGrad(), logitsGrad);
        return new PlanNode(
                name,
                null,
                "fused_bernoulli_logits_bp",
                PlanNode.Kind.JAVA,
                null,
                null,
                null,
                null,
                FusedBernoulli.backward(termsGrad, logits, target, logitsGrad, s));
    }

    /** The step, with its gradient and monitored arrays, or why a gradient does not fit its parameter. */
    private Compilation finish() {
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        gradToParam.forEach((grad, param) -> gradients.put(param, arrays.get(grad)));
        Map<String, INDArray> monitored = new LinkedHashMap<>();
        for (String m : monitoredVariables) {
            monitored.put(m, arrays.get(m));
        }
        for (Map.Entry<String, INDArray> g : gradients.entrySet()) {
            INDArray param = sd.getArrForVarName(g.getKey());
            if (g.getValue() == null || !Arrays.equals(g.getValue().shape(), param.shape())) {
                return new Compilation(
                        null,
                        "gradient of '" + g.getKey() + "' has shape "
                                + (g.getValue() == null
                                        ? "none"
                                        : Arrays.toString(g.getValue().shape())) + ", parameter "
                                + Arrays.toString(param.shape()));
            }
        }
        return new Compilation(
                new CompiledStep(
                        sd,
                        phNames,
                        phArrays,
                        nodes.toArray(PlanNode[]::new),
                        gradients,
                        monitored,
                        options,
                        javaConvolutions),
                null);
    }
}
