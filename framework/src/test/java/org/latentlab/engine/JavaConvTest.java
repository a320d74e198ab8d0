package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link JavaConv} against libnd4j's own {@code conv2d}, {@code conv2d_bp}, {@code deconv2d} and {@code deconv2d_bp}
 * on the same arrays: outputs and all three gradients, SAME and VALID (explicit) padding, strides 1 and 2, odd and
 * even sizes, with and without a bias.
 */
class JavaConvTest {

    /** The three paths of {@link JavaConv}, as the flags that select them. */
    enum Path {
        /** Every path allowed: few taps take the direct loops ({@link DirectConv}). */
        DIRECT(true, true),
        /** Image by image ({@link ImageConv}) where its products are small enough, else the batch path. */
        PER_IMAGE(false, true),
        /** The whole batch's column matrix and one product. */
        BATCH(false, false);

        final boolean direct;
        final boolean perImage;

        Path(boolean direct, boolean perImage) {
            this.direct = direct;
            this.perImage = perImage;
        }
    }

    /** Each test runs on each path. */
    static Stream<Arguments> geometriesEveryPath() {
        return geometries().flatMap(a -> Stream.of(Path.values()).map(path -> {
            Object[] g = a.get();
            Object[] withPath = java.util.Arrays.copyOf(g, g.length + 1);
            withPath[g.length] = path;
            return Arguments.of(withPath);
        }));
    }

    /** n, c, h, w, out channels, k, stride, pad, same. */
    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of(4, 1, 28, 28, 8, 3, 2, 0, true), // conv-ae's first layer
                Arguments.of(3, 8, 14, 14, 16, 3, 2, 0, true),
                Arguments.of(2, 3, 9, 7, 5, 3, 1, 0, true), // odd sizes, stride 1
                Arguments.of(2, 4, 11, 10, 6, 4, 2, 0, true), // even kernel: uneven SAME padding
                Arguments.of(2, 3, 10, 9, 4, 3, 2, 1, false), // explicit padding
                Arguments.of(2, 2, 8, 8, 3, 5, 1, 0, false), // VALID, no padding
                Arguments.of(20, 16, 14, 14, 32, 3, 2, 0, true), // conv-ae's second layer: 3 chunks, the last short
                Arguments.of(2, 32, 14, 14, 64, 4, 2, 0, true)); // conv-vae's second: too large for ImageConv
    }

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    private static long[] iArgs(int k, int s, int p, boolean same) {
        return new long[] {k, k, s, s, p, p, 1, 1, same ? 1 : 0, 0, 0};
    }

    private static INDArray[] nativeOp(String name, INDArray[] in, long[][] outShapes, long[] iArgs) {
        INDArray[] out = new INDArray[outShapes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Nd4j.create(DataType.FLOAT, outShapes[i]);
        }
        Nd4j.exec(DynamicCustomOp.builder(name)
                .addInputs(in)
                .addOutputs(out)
                .addIntegerArguments(
                        java.util.Arrays.stream(iArgs).mapToInt(v -> (int) v).toArray())
                .build());
        return out;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + ": shape");
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-5 * scale, what + ": max difference " + diff + " at scale " + scale);
    }

    private static int outSize(int in, int k, int s, int p, boolean same) {
        return same ? (in + s - 1) / s : (in + 2 * p - k) / s + 1;
    }

    @ParameterizedTest
    @MethodSource("geometriesEveryPath")
    void convolutionAndItsGradientsMatchLibnd4j(
            int n, int c, int h, int w, int oc, int k, int s, int p, boolean same, Path path) {
        JavaConv.DIRECT = path.direct;
        JavaConv.PER_IMAGE = path.perImage;
        try {
            convolutionMatchesLibnd4j(n, c, h, w, oc, k, s, p, same);
        } finally {
            JavaConv.DIRECT = true;
            JavaConv.PER_IMAGE = true;
        }
    }

    private void convolutionMatchesLibnd4j(int n, int c, int h, int w, int oc, int k, int s, int p, boolean same) {
        long[] args = iArgs(k, s, p, same);
        int oh = outSize(h, k, s, p, same);
        int ow = outSize(w, k, s, p, same);
        INDArray x = random(1, n, c, h, w);
        INDArray wt = random(2, k, k, c, oc);
        INDArray b = random(3, oc);
        INDArray gradOut = random(4, n, oc, oh, ow);
        for (boolean withBias : new boolean[] {true, false}) {
            INDArray[] in = withBias ? new INDArray[] {x, wt, b} : new INDArray[] {x, wt};
            INDArray expected = nativeOp("conv2d", in, new long[][] {{n, oc, oh, ow}}, args)[0];
            INDArray out = Nd4j.create(DataType.FLOAT, n, oc, oh, ow);
            JavaConv.Forward forward = JavaConv.conv2d(x, wt, withBias ? b : null, out, args);
            assertNotNull(forward, "supported");
            forward.run();
            assertClose(expected, out, "conv2d, bias " + withBias);
            if (!JavaConv.DIRECT && !JavaConv.PER_IMAGE) {
                assertNotNull(forward.inputMatrix, "the batch path keeps its column matrix for the backward pass");
            }

            INDArray[] inBp = withBias ? new INDArray[] {x, wt, b, gradOut} : new INDArray[] {x, wt, gradOut};
            long[][] shapes =
                    withBias ? new long[][] {x.shape(), wt.shape(), b.shape()} : new long[][] {x.shape(), wt.shape()};
            INDArray[] want = nativeOp("conv2d_bp", inBp, shapes, args);
            INDArray gx = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray gw = Nd4j.create(DataType.FLOAT, wt.shape());
            INDArray gb = withBias ? Nd4j.create(DataType.FLOAT, b.shape()) : null;
            Runnable backward = JavaConv.conv2dBackward(x, wt, gradOut, gx, gw, gb, args);
            assertNotNull(backward, "supported");
            backward.run();
            backward.run(); // a second run overwrites, it does not add
            assertClose(want[0], gx, "conv2d_bp gradient of the input, bias " + withBias);
            assertClose(want[1], gw, "conv2d_bp gradient of the weights, bias " + withBias);
            if (withBias) {
                assertClose(want[2], gb, "conv2d_bp gradient of the bias");
            }

            // The backward pass reading the forward's column matrix instead of making its own: the same gradients,
            // also after the forward has run again on other data and then on x (as in the next step).
            INDArray gxr = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray gwr = Nd4j.create(DataType.FLOAT, wt.shape());
            INDArray gbr = withBias ? Nd4j.create(DataType.FLOAT, b.shape()) : null;
            Runnable reusing = JavaConv.conv2dBackward(x, wt, gradOut, gxr, gwr, gbr, args, forward);
            INDArray saved = x.dup();
            x.assign(random(9, x.shape()));
            forward.run();
            x.assign(saved);
            forward.run();
            reusing.run();
            assertClose(want[0], gxr, "conv2d_bp reusing the columns: gradient of the input, bias " + withBias);
            assertClose(want[1], gwr, "conv2d_bp reusing the columns: gradient of the weights, bias " + withBias);
            if (withBias) {
                assertClose(want[2], gbr, "conv2d_bp reusing the columns: gradient of the bias");
            }

            // The first layer: nothing reads the gradient of the data, which is then not computed.
            INDArray gw1 = Nd4j.create(DataType.FLOAT, wt.shape());
            INDArray gb1 = withBias ? Nd4j.create(DataType.FLOAT, b.shape()) : null;
            Runnable weightsOnly = JavaConv.conv2dBackward(x, wt, gradOut, null, gw1, gb1, args);
            assertNotNull(weightsOnly, "supported without the input's gradient");
            weightsOnly.run();
            assertClose(want[1], gw1, "conv2d_bp gradient of the weights alone, bias " + withBias);
            if (withBias) {
                assertClose(want[2], gb1, "conv2d_bp gradient of the bias alone");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("geometriesEveryPath")
    void transposedConvolutionAndItsGradientsMatchLibnd4j(
            int n, int oc, int oh, int ow, int ic, int k, int s, int p, boolean same, Path path) {
        JavaConv.DIRECT = path.direct;
        JavaConv.PER_IMAGE = path.perImage;
        try {
            transposedMatchesLibnd4j(n, oc, oh, ow, ic, k, s, p, same);
        } finally {
            JavaConv.DIRECT = true;
            JavaConv.PER_IMAGE = true;
        }
    }

    private void transposedMatchesLibnd4j(int n, int oc, int oh, int ow, int ic, int k, int s, int p, boolean same) {
        // deconv2d maps x [n, ic, ih, iw] back onto the grid of the convolution it is the adjoint of
        long[] args = iArgs(k, s, p, same);
        int ih = outSize(oh, k, s, p, same);
        int iw = outSize(ow, k, s, p, same);
        int dh = same ? ih * s : s * (ih - 1) + k - 2 * p;
        int dw = same ? iw * s : s * (iw - 1) + k - 2 * p;
        INDArray x = random(5, n, ic, ih, iw);
        INDArray wt = random(6, k, k, oc, ic);
        INDArray b = random(7, oc);
        INDArray gradOut = random(8, n, oc, dh, dw);
        for (boolean withBias : new boolean[] {true, false}) {
            INDArray[] in = withBias ? new INDArray[] {x, wt, b} : new INDArray[] {x, wt};
            INDArray expected = nativeOp("deconv2d", in, new long[][] {{n, oc, dh, dw}}, args)[0];
            INDArray out = Nd4j.create(DataType.FLOAT, n, oc, dh, dw);
            JavaConv.Forward forward = JavaConv.deconv2d(x, wt, withBias ? b : null, out, args);
            assertNotNull(forward, "supported");
            forward.run();
            assertClose(expected, out, "deconv2d, bias " + withBias);

            INDArray[] inBp = withBias ? new INDArray[] {x, wt, b, gradOut} : new INDArray[] {x, wt, gradOut};
            long[][] shapes =
                    withBias ? new long[][] {x.shape(), wt.shape(), b.shape()} : new long[][] {x.shape(), wt.shape()};
            INDArray[] want = nativeOp("deconv2d_bp", inBp, shapes, args);
            INDArray gx = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray gw = Nd4j.create(DataType.FLOAT, wt.shape());
            INDArray gb = withBias ? Nd4j.create(DataType.FLOAT, b.shape()) : null;
            Runnable backward = JavaConv.deconv2dBackward(x, wt, gradOut, gx, gw, gb, args);
            assertNotNull(backward, "supported");
            backward.run();
            backward.run();
            assertClose(want[0], gx, "deconv2d_bp gradient of the input, bias " + withBias);
            assertClose(want[1], gw, "deconv2d_bp gradient of the weights, bias " + withBias);
            if (withBias) {
                assertClose(want[2], gb, "deconv2d_bp gradient of the bias");
            }

            // Reading the forward's rows of x instead of making them.
            if (!JavaConv.DIRECT && !JavaConv.PER_IMAGE) {
                assertNotNull(forward.inputMatrix, "the batch path keeps its rows of x for the backward pass");
            }
            INDArray gxr = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray gwr = Nd4j.create(DataType.FLOAT, wt.shape());
            INDArray gbr = withBias ? Nd4j.create(DataType.FLOAT, b.shape()) : null;
            Runnable reusing = JavaConv.deconv2dBackward(x, wt, gradOut, gxr, gwr, gbr, args, forward);
            INDArray saved = x.dup();
            x.assign(random(10, x.shape()));
            forward.run();
            x.assign(saved);
            forward.run();
            reusing.run();
            assertClose(want[0], gxr, "deconv2d_bp reusing the rows: gradient of the input, bias " + withBias);
            assertClose(want[1], gwr, "deconv2d_bp reusing the rows: gradient of the weights, bias " + withBias);
            if (withBias) {
                assertClose(want[2], gbr, "deconv2d_bp reusing the rows: gradient of the bias");
            }
        }
    }

    @Test
    void unsupportedLayoutsAreLeftToLibnd4j() {
        INDArray x = random(1, 2, 3, 8, 8);
        INDArray wt = random(2, 3, 3, 3, 4);
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 4, 8, 8);
        long[] dilated = {3, 3, 1, 1, 0, 0, 2, 2, 1, 0, 0};
        long[] nhwc = {3, 3, 1, 1, 0, 0, 1, 1, 1, 1, 0};
        long[] otherWeights = {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1};
        assertNull(JavaConv.conv2d(x, wt, null, out, dilated), "dilation");
        assertNull(JavaConv.conv2d(x, wt, null, out, nhwc), "NHWC");
        assertNull(JavaConv.conv2d(x, wt, null, out, otherWeights), "weights as [oC, iC, kH, kW]");
        assertNull(
                JavaConv.conv2d(x, wt, null, Nd4j.create(DataType.FLOAT, 2, 4, 7, 7), new long[] {
                    3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 0
                }),
                "an output shape that is not the convolution's");
        assertNull(
                JavaConv.conv2d(x.permute(0, 1, 3, 2), wt, null, out, new long[] {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 0}),
                "a view that is not dense in c order");
    }

    @Test
    void imageByImageOnlyWhereOpenBlasRunsOneImagesProductsOnTheCallingThread() {
        long[] same3 = {3, 3, 2, 2, 0, 0, 1, 1, 1, 0, 0};
        long[] same4 = {4, 4, 2, 2, 0, 0, 1, 1, 1, 0, 0};
        // conv-ae's second layer: 49 pixels x 144 taps x 32 channels = 225,792 multiply-adds per image
        JavaConv.Geometry convAe = JavaConv.convGeometry(
                Nd4j.create(DataType.FLOAT, 8, 16, 14, 14),
                Nd4j.create(DataType.FLOAT, 3, 3, 16, 32),
                Nd4j.create(DataType.FLOAT, 8, 32, 7, 7),
                same3);
        assertTrue(ImageConv.applies(convAe, 32), "conv-ae's second layer");
        // conv-vae's second layer: 49 x 512 x 64 = 1.6 million, which OpenBLAS would split across its threads
        JavaConv.Geometry convVae = JavaConv.convGeometry(
                Nd4j.create(DataType.FLOAT, 8, 32, 14, 14),
                Nd4j.create(DataType.FLOAT, 4, 4, 32, 64),
                Nd4j.create(DataType.FLOAT, 8, 64, 7, 7),
                same4);
        assertFalse(ImageConv.applies(convVae, 64), "conv-vae's second layer");
    }
}
