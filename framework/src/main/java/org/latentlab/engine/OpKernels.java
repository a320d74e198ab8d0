package org.latentlab.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2DDerivative;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.MmulBp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.PowDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;
import org.nd4j.linalg.api.ops.impl.shape.Tile;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.AddBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.MulBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/** The Java loops and direct BLAS calls ({@link JavaKernels}) that the planner puts in place of native ops. */
final class OpKernels {
    private OpKernels() {}

    /**
     * A Java loop or direct BLAS call for this op with these arrays (see {@link JavaKernels});
     * null if there is none. Products small enough run in one-thread blocks
     * ({@link JavaKernels#gemmOneThread}) with OpenBLAS's AVX-512 kernels
     * ({@code inBlocks}, {@link EngineOptions#smallProductsInBlocks}), chosen by their shapes alone:
     * the blocks round differently from the whole product, so choosing by timing would make results
     * vary from run to run.
     */
    static Runnable javaKernel(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            Map<String, INDArray> arrays,
            boolean inBlocks) {
        return javaKernel(df, args, outNames, arrays, inBlocks, false);
    }

    /**
     * {@link #javaKernel(DifferentialFunction, INDArray[], List, Map, boolean)}; with {@code unreadInputGradient}, a
     * convolution's backward pass leaves the gradient of its input (which nothing reads) as it is.
     */
    static Runnable javaKernel(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            Map<String, INDArray> arrays,
            boolean inBlocks,
            boolean unreadInputGradient) {
        return javaKernel(df, args, outNames, arrays, inBlocks, unreadInputGradient, null);
    }

    /**
     * {@link #javaKernel(DifferentialFunction, INDArray[], List, Map, boolean, boolean)}; {@code tanhOutput} is the
     * forward {@code tanh}'s output when {@code df} is the gradient of a planned {@code tanh} (null otherwise).
     */
    static Runnable javaKernel(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            Map<String, INDArray> arrays,
            boolean inBlocks,
            boolean unreadInputGradient,
            INDArray tanhOutput) {
        return javaKernel(df, args, outNames, arrays, inBlocks, unreadInputGradient, tanhOutput, null);
    }

    /**
     * {@link #javaKernel(DifferentialFunction, INDArray[], List, Map, boolean, boolean, INDArray)}; {@code forward} is
     * the planned forward convolution of the same input and weights when {@code df} is a convolution's gradient (null
     * otherwise): its matrix of the input is then reused.
     */
    static Runnable javaKernel(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            Map<String, INDArray> arrays,
            boolean inBlocks,
            boolean unreadInputGradient,
            INDArray tanhOutput,
            JavaConv.Forward forward) {
        if (df instanceof TanhDerivative && tanhOutput != null && args.length == 2 && outNames.size() == 1) {
            return JavaKernels.tanhBackward(tanhOutput, args[1], arrays.get(outNames.get(0)));
        }
        if (df instanceof Tile op && (args.length == 1 || args.length == 2) && outNames.size() == 1) {
            long[] reps = op.iArgs();
            if (reps.length == 0 && args.length == 2) {
                reps = args[1].toLongVector(); // reps as an input: fixed by the plan like every shape
            }
            return JavaKernels.tile(args[0], reps, arrays.get(outNames.get(0)));
        }
        if (df instanceof ThresholdReluBp op && args.length == 2 && outNames.size() == 1) {
            double[] t = op.tArgs();
            Runnable k = JavaKernels.reluBackward(
                    args[0], args[1], arrays.get(outNames.get(0)), t.length > 0 ? t[0] : op.getCutoff());
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
        Runnable conv = convolutionKernel(df, args, outNames, arrays, unreadInputGradient, forward);
        if (conv != null) {
            return conv;
        }
        return productKernel(df, args, outNames, arrays, inBlocks);
    }

    /** Whether {@code df} is a 2-d convolution, a transposed one or the gradient of either. */
    static boolean isConvolution(DifferentialFunction df) {
        return df instanceof Conv2D
                || df instanceof DeConv2D
                || df instanceof Conv2DDerivative
                || df instanceof DeConv2DDerivative;
    }

    /**
     * {@code conv2d}, {@code deconv2d} and their gradients as im2col/col2im loops around OpenBLAS products
     * ({@link JavaConv}); null for a layout or geometry it does not handle (the native op then runs).
     */
    private static Runnable convolutionKernel(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            Map<String, INDArray> arrays,
            boolean unreadInputGradient,
            JavaConv.Forward forwardConv) {
        boolean backward = df instanceof Conv2DDerivative || df instanceof DeConv2DDerivative;
        boolean forward = !backward && (df instanceof Conv2D || df instanceof DeConv2D);
        if ((!forward && !backward) || !JavaConv.ENABLED) {
            return null;
        }
        long[] iArgs = ((DynamicCustomOp) df).iArgs();
        boolean deconv = df instanceof DeConv2D;
        if (forward && (args.length == 2 || args.length == 3) && outNames.size() == 1) {
            INDArray b = args.length == 3 ? args[2] : null;
            INDArray out = arrays.get(outNames.get(0));
            return deconv
                    ? JavaConv.deconv2d(args[0], args[1], b, out, iArgs)
                    : JavaConv.conv2d(args[0], args[1], b, out, iArgs);
        }
        if (backward && (args.length == 3 || args.length == 4) && outNames.size() == args.length - 1) {
            INDArray gradOut = args[args.length - 1];
            INDArray gradX = unreadInputGradient && !deconv ? null : arrays.get(outNames.get(0));
            INDArray gradW = arrays.get(outNames.get(1));
            INDArray gradB = args.length == 4 ? arrays.get(outNames.get(2)) : null;
            return deconv
                    ? JavaConv.deconv2dBackward(args[0], args[1], gradOut, gradX, gradW, gradB, iArgs, forwardConv)
                    : JavaConv.conv2dBackward(args[0], args[1], gradOut, gradX, gradW, gradB, iArgs, forwardConv);
        }
        return null;
    }

    /** {@code matmul} and {@code matmul_bp} of plain 2-d matrices by direct OpenBLAS calls; null otherwise. */
    private static Runnable productKernel(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            Map<String, INDArray> arrays,
            boolean inBlocks) {
        if (df instanceof Mmul op && args.length == 2 && outNames.size() == 1 && OpTraits.plainProduct(op)) {
            INDArray out = arrays.get(outNames.get(0));
            Runnable k = JavaKernels.gemm(args[0], false, args[1], false, out);
            Runnable blocks =
                    k == null || !inBlocks ? null : JavaKernels.gemmOneThread(args[0], false, args[1], false, out);
            return blocks != null ? blocks : k;
        }
        if (df instanceof MmulBp op && args.length == 3 && outNames.size() == 2 && OpTraits.plainProduct(op)) {
            // x [m,k], y [k,n], dz [m,n]: dx = dz y^T, dy = x^T dz
            INDArray dxOut = arrays.get(outNames.get(0));
            INDArray dyOut = arrays.get(outNames.get(1));
            Runnable dx = JavaKernels.gemm(args[2], false, args[1], true, dxOut);
            Runnable dy = JavaKernels.gemm(args[0], true, args[2], false, dyOut);
            if (dx != null && dy != null) {
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

    /**
     * {@code dW = x^T dz} by a direct OpenBLAS call (in one-thread blocks if {@code inBlocks} and
     * the product is small enough), or null if there is no direct call for these arrays.
     */
    static Runnable weightGradient(INDArray x, INDArray dz, INDArray dw, boolean inBlocks) {
        Runnable direct = JavaKernels.gemm(x, true, dz, false, dw);
        if (direct != null && inBlocks) {
            Runnable blocks = JavaKernels.gemmOneThread(x, true, dz, false, dw);
            direct = blocks != null ? blocks : direct;
        }
        return direct;
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
    record Aliases(INDArray[] outputs, Runnable kernel) {}

    static Aliases aliases(
            DifferentialFunction df,
            INDArray[] args,
            List<String> outNames,
            List<LongShapeDescriptor> shapes,
            Set<String> required,
            SameDiff g) {
        for (String out : outNames) {
            if (g.getVariable(out).dataType() != DataType.FLOAT) {
                return null;
            }
        }
        if (required.contains(outNames.get(0))) {
            return null;
        }
        if (df instanceof Reshape
                && args.length >= 1
                && outNames.size() == 1
                && JavaKernels.dense(args[0])
                && args[0].length() == ArrayUtil.prodLong(shapes.get(0).getShape())) {
            INDArray view = args[0].reshape('c', shapes.get(0).getShape());
            boolean shared = view.data().addressPointer().address()
                            == args[0].data().addressPointer().address()
                    && view.offset() == args[0].offset()
                    && JavaKernels.dense(view);
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
}
