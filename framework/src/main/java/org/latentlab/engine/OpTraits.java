package org.latentlab.engine;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * What the planner asks of an op before planning it: whether it can be planned at all, whether
 * its values are fixed for a plan, whether it may be shared or have its threads chosen by timing.
 */
final class OpTraits {
    /** Ops whose output shape depends on the values (not the shapes) of their inputs. */
    static final Set<String> VALUE_SHAPED = Set.of(
            "where_np",
            "Where",
            "where",
            "unique",
            "unique_with_counts",
            "boolean_mask",
            "dynamic_partition",
            "nonzero",
            "non_max_suppression",
            "non_max_suppression_v3",
            "listdiff",
            "choose",
            "sequence_mask",
            "range",
            "compare_and_bitpack",
            "bincount",
            "histogram_fixed_width");

    private OpTraits() {}

    /**
     * Legacy op types that compute each output element from the input elements at its index (or a
     * scalar, or a broadcast row).
     */
    static final Set<Op.Type> ELEMENT_WISE_TYPES = EnumSet.of(
            Op.Type.TRANSFORM_SAME,
            Op.Type.TRANSFORM_FLOAT,
            Op.Type.TRANSFORM_STRICT,
            Op.Type.TRANSFORM_ANY,
            Op.Type.TRANSFORM_BOOL,
            Op.Type.SCALAR,
            Op.Type.SCALAR_BOOL,
            Op.Type.PAIRWISE,
            Op.Type.PAIRWISE_BOOL,
            Op.Type.BROADCAST,
            Op.Type.BROADCAST_BOOL);
    /** Legacy transforms that reduce along the way, in case one is planned. */
    static final Set<String> REDUCING_TRANSFORMS =
            Set.of("softmax", "log_softmax", "ismax", "histogram", "old_softmax", "old_logsoftmax");
    /**
     * Custom ops that compute each output element on its own (element-wise functions and their
     * gradients, copies and moves of elements, broadcasts of a gradient back over the reduced
     * dimensions): however libnd4j splits them among threads, every element gets the same value.
     */
    static final Set<String> ELEMENT_WISE_CUSTOM = Set.of(
            "add",
            "subtract",
            "multiply",
            "divide",
            "realdiv",
            "maximum",
            "minimum",
            "squaredsubtract",
            "reversesubtract",
            "reversedivide",
            "floordiv",
            "floormod",
            "mod",
            "pow",
            "atan2",
            "biasadd",
            "relu",
            "relu6",
            "elu",
            "selu",
            "lrelu",
            "softplus",
            "softsign",
            "relu_bp",
            "relu6_bp",
            "elu_bp",
            "selu_bp",
            "lrelu_bp",
            "sigmoid_bp",
            "tanh_bp",
            "softplus_bp",
            "softsign_bp",
            "thresholdedrelu_bp",
            "cube_bp",
            "reshape",
            "transpose",
            "permute",
            "expand_dims",
            "squeeze",
            "concat",
            "stack",
            "unstack",
            "strided_slice",
            "slice",
            "ones_as",
            "zeros_as",
            "cast",
            "onehot",
            "identity",
            "assign",
            "select",
            "where",
            "clipbyvalue",
            "reduce_sum_bp",
            "reduce_mean_bp",
            "strided_slice_bp",
            "slice_bp",
            "concat_bp",
            "stack_bp",
            "unstack_bp",
            "permute_bp",
            "transpose_bp",
            "reshape_bp",
            "expand_dims_bp",
            "squeeze_bp");
    /** The gradients of element-wise ops: element-wise too when no input was broadcast (else they sum over it). */
    static final Set<String> ELEMENT_WISE_UNLESS_BROADCAST = Set.of(
            "add_bp",
            "subtract_bp",
            "multiply_bp",
            "divide_bp",
            "realdiv_bp",
            "squaredsubtract_bp",
            "maximum_bp",
            "minimum_bp",
            "reversesubtract_bp",
            "reversedivide_bp",
            "floordiv_bp",
            "floormod_bp",
            "mod_bp");

    /**
     * Whether libnd4j computes this op's outputs identically on any number of threads. Element-
     * wise ops do: each output element is computed on its own, whichever thread gets it. Ops that
     * sum (reductions, the gradients of broadcasts, products, convolutions) may split a sum among
     * threads and round differently; so does anything not known to be element-wise. Checked per
     * model by the contract tests, which force every tunable op to one thread and to two.
     */
    static boolean threadInvariant(DifferentialFunction df, INDArray[] args, List<LongShapeDescriptor> shapes) {
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
    static final Set<String> SHAPE_ONLY = Set.of("shape_of", "shapes_of", "rank", "size", "size_at");

    /**
     * Whether the op computes the same values in every step: it reads only shapes, or only
     * constants and values that are themselves fixed (parameters and placeholders change).
     */
    static boolean isFixedOp(DifferentialFunction df, String[] argNames, SameDiff g, Set<String> fixedVars) {
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
    static final Set<String> PURE_UNARY = Set.of(
            "exp",
            "log",
            "log1p",
            "expm1",
            "sigmoid",
            "tanh",
            "sqrt",
            "square",
            "abs",
            "sign",
            "neg",
            "softplus",
            "reciprocal",
            "erf");

    /**
     * Whether the op is a parameter-free element-wise function of one array whose output is not a
     * step result (a gradient or a monitored value, which must keep its own array).
     */
    static boolean sharable(DifferentialFunction df, INDArray[] args, List<String> outNames, Set<String> required) {
        if (!(df instanceof Op op)
                || df instanceof CustomOp
                || df instanceof ReduceOp
                || df instanceof ScalarOp
                || !PURE_UNARY.contains(df.opName())
                || args.length != 1
                || outNames.size() != 1
                || required.contains(outNames.get(0))
                || (op.extraArgs() != null && op.extraArgs().length > 0)) {
            return false;
        }
        return true;
    }

    /** A product without transposes or scaling: no non-zero int arguments, alpha 1 and beta 0 if given. */
    static boolean plainProduct(DynamicCustomOp op) {
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
    /**
     * Whether nothing reads the variable {@code name}: no op of the step and not an output the step returns (the
     * gradient of a convolution's input when that input is the data).
     */
    static boolean isUnread(String name, SameDiff g, Set<String> planned, Set<String> required) {
        if (required.contains(name) || !g.getVariables().containsKey(name)) {
            return false;
        }
        List<String> readers = g.getVariables().get(name).getInputsForOp();
        if (readers != null) {
            for (String r : readers) {
                if (planned.contains(r)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isWeightGradientOnly(
            DynamicCustomOp op,
            INDArray[] args,
            String inputGradient,
            SameDiff g,
            Set<String> planned,
            Set<String> required) {
        long[] t = op.iArgs();
        if (args.length != 3
                || args[0].rank() != 2
                || args[1].rank() != 2
                || args[2].rank() != 2
                || required.contains(inputGradient)) {
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

    static String unsupported(DifferentialFunction df) {
        String cls = df.getClass().getName();
        if (cls.contains(".controlflow.")
                || cls.contains(".shape.tensorops.")
                || cls.endsWith(".Invoke")
                || cls.endsWith(".ExternalErrorsFunction")
                || cls.endsWith(".Assert")
                || cls.endsWith(".CreateView")
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

    static boolean isFixed(SameDiff g, String var) {
        VariableType t = g.getVariable(var).getVariableType();
        return t == VariableType.CONSTANT;
    }

    static INDArray inputArray(SameDiff g, String name, Map<String, INDArray> arrays) {
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
}
