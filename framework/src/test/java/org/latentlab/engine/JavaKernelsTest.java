package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.PowDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class JavaKernelsTest {

    @Test
    void reluBackwardEqualsTheNativeOpBitForBit() {
        // Random signs and magnitudes plus every special value, over several chunks and a ragged end.
        int n = 3 * 4096 + 77;
        float[] specials = {
            0f,
            -0f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            1e-40f,
            -1e-40f,
            Float.intBitsToFloat(0x7FC00001),
            Float.intBitsToFloat(0xFFC00000),
            1f,
            -1f
        };
        Random random = new Random(7);
        float[] x = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < specials.length * specials.length
                    ? specials[i % specials.length]
                    : (float) random.nextGaussian();
            dy[i] = i < specials.length * specials.length
                    ? specials[i / specials.length]
                    : (float) random.nextGaussian();
        }
        INDArray xa = Nd4j.create(x, new long[] {1, n}, 'c');
        INDArray da = Nd4j.create(dy, new long[] {1, n}, 'c');
        INDArray viaJava = Nd4j.create(DataType.FLOAT, 1, n);
        INDArray viaNative = Nd4j.create(DataType.FLOAT, 1, n);
        Runnable kernel = JavaKernels.reluBackward(xa, da, viaJava, 0.0);
        assertNotNull(kernel);
        kernel.run();
        Nd4j.exec(new ThresholdReluBp(xa, da, viaNative, 0.0));
        for (int i = 0; i < n; i++) {
            assertEquals(
                    Float.floatToRawIntBits(viaNative.getFloat(0, i)),
                    Float.floatToRawIntBits(viaJava.getFloat(0, i)),
                    "element " + i + ": x=" + x[i] + " dy=" + dy[i]);
        }
    }

    @Test
    void otherCutoffsLayoutsAndTypesAreLeftToTheNativeOp() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray dy = Nd4j.rand(DataType.FLOAT, 4, 5);
        INDArray out = Nd4j.create(DataType.FLOAT, 4, 5);
        assertNull(JavaKernels.reluBackward(x, dy, out, 0.5), "cutoff other than 0");
        assertNull(JavaKernels.reluBackward(x, dy, Nd4j.create(DataType.FLOAT, 5, 4), 0.0), "another shape");
        assertNull(JavaKernels.reluBackward(x.castTo(DataType.DOUBLE), dy, out, 0.0), "double input");
        assertNull(JavaKernels.reluBackward(Nd4j.rand(DataType.FLOAT, 5, 4).transpose(), dy, out, 0.0), "strided view");
        assertNotNull(JavaKernels.reluBackward(x, dy, out, 0.0));
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void gemmEqualsNd4jsProduct(boolean transA, boolean transB) {
        Nd4j.getRandom().setSeed(3);
        int m = 37;
        int k = 129;
        int n = 65;
        INDArray a = transA ? Nd4j.randn(DataType.FLOAT, k, m) : Nd4j.randn(DataType.FLOAT, m, k);
        INDArray b = transB ? Nd4j.randn(DataType.FLOAT, n, k) : Nd4j.randn(DataType.FLOAT, k, n);
        INDArray direct = Nd4j.create(DataType.FLOAT, m, n).assign(Float.NaN); // beta 0: the old contents do not matter
        Runnable kernel = JavaKernels.gemm(a, transA, b, transB, direct);
        assertNotNull(kernel);
        kernel.run();
        INDArray expected = Nd4j.gemm(a, b, transA, transB);
        double diff = expected.sub(direct).amaxNumber().doubleValue();
        assertEquals(0.0, diff, 1e-4 * expected.amaxNumber().doubleValue(), "largest difference");
        // a second run writes the same values, not an accumulation
        kernel.run();
        assertEquals(
                0.0,
                expected.sub(direct).amaxNumber().doubleValue(),
                1e-4 * expected.amaxNumber().doubleValue());
    }

    /** Blocks of rows (m >= n) and of columns (m < n), every transpose combination, uneven last blocks. */
    @ParameterizedTest
    @CsvSource({
        "128,400,20,false,false",
        "20,128,400,true,false",
        "128,20,400,false,true",
        "400,128,20,true,false",
        "131,401,19,true,true",
        "19,401,131,false,true",
        "7,300,150,true,true"
    })
    void gemmInOneThreadBlocksEqualsTheWholeProduct(int m, int k, int n, boolean transA, boolean transB) {
        Nd4j.getRandom().setSeed(m + k + n);
        INDArray a = transA ? Nd4j.randn(DataType.FLOAT, k, m) : Nd4j.randn(DataType.FLOAT, m, k);
        INDArray b = transB ? Nd4j.randn(DataType.FLOAT, n, k) : Nd4j.randn(DataType.FLOAT, k, n);
        INDArray whole = Nd4j.create(DataType.FLOAT, m, n);
        INDArray blocks = Nd4j.create(DataType.FLOAT, m, n).assign(Float.NaN);
        JavaKernels.gemm(a, transA, b, transB, whole).run();
        Runnable oneThread = JavaKernels.gemmOneThread(a, transA, b, transB, blocks);
        assertNotNull(oneThread, "a product of " + (long) m * n * k + " multiply-adds");
        oneThread.run();
        Assertions.assertFalse(blocks.isNaN().any(), "every element written");
        double diff = whole.sub(blocks).amaxNumber().doubleValue();
        assertEquals(0.0, diff, 1e-5 * whole.amaxNumber().doubleValue(), "largest difference");
    }

    @Test
    void smallProductsRunInBlocksOnlyWithOpenBlasAvx512Kernels() {
        for (String core : new String[] {"SkylakeX", "skylakex", "Cooperlake", "SapphireRapids"}) {
            assertTrue(JavaKernels.avx512Kernels(core), core);
        }
        for (String core : new String[] {"Haswell", "Zen", "Prescott", "", null}) {
            Assertions.assertFalse(JavaKernels.avx512Kernels(core), String.valueOf(core));
        }
    }

    @Test
    void gemmInOneThreadIsOnlyForProductsOfAFewBlocks() {
        INDArray small = Nd4j.rand(DataType.FLOAT, 64, 64);
        assertNull(
                JavaKernels.gemmOneThread(small, false, small, false, Nd4j.create(DataType.FLOAT, 64, 64)),
                "one block already");
        INDArray a = Nd4j.rand(DataType.FLOAT, 128, 784);
        INDArray b = Nd4j.rand(DataType.FLOAT, 784, 400);
        assertNull(
                JavaKernels.gemmOneThread(a, false, b, false, Nd4j.create(DataType.FLOAT, 128, 400)),
                "40 million multiply-adds are for OpenBLAS's threads");
    }

    @Test
    void reluMatchesTheNativeOp() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 33, 257); // more than one chunk, odd sizes
        x.putScalar(0, Float.NaN);
        x.putScalar(1, Float.NEGATIVE_INFINITY);
        x.putScalar(2, Float.POSITIVE_INFINITY);
        INDArray expected = Nd4j.create(DataType.FLOAT, 33, 257);
        Nd4j.getExecutioner().exec(new RectifiedLinear(x, expected, 0.0));
        INDArray out = Nd4j.create(DataType.FLOAT, 33, 257);
        JavaKernels.relu(x, out).run();
        float[] e = expected.data().asFloat();
        float[] o = out.data().asFloat();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], o[i], 0f, "element " + i + " of relu(" + x.getFloat(i) + ")"); // NaN equals NaN here
        }
    }

    @Test
    void addOfARowAndOfSameShapedArraysMatchesNd4j() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 9, 5000); // rows longer than a chunk
        for (INDArray y : new INDArray[] {
            Nd4j.randn(DataType.FLOAT, 5000), Nd4j.randn(DataType.FLOAT, 1, 5000), Nd4j.randn(DataType.FLOAT, 9, 5000)
        }) {
            INDArray out = Nd4j.create(DataType.FLOAT, 9, 5000);
            JavaKernels.add(x, y, out).run();
            INDArray expected = y.rank() == 1 || y.size(0) == 1 ? x.addRowVector(y.reshape(1, 5000)) : x.add(y);
            assertEquals(expected, out, Arrays.toString(y.shape()));
        }
        assertNull(
                JavaKernels.add(x, Nd4j.randn(DataType.FLOAT, 9, 1), Nd4j.create(DataType.FLOAT, 9, 5000)),
                "a column is left to the native op");
    }

    @Test
    void columnSumsAndFullSumsMatchNd4j() {
        INDArray g = Nd4j.randn(DataType.FLOAT, 130, 4099);
        INDArray sums = Nd4j.create(DataType.FLOAT, 1, 4099);
        JavaKernels.columnSums(g, sums).run();
        INDArray expected = g.sum(0).reshape(1, 4099);
        assertTrue(
                expected.equalsWithEps(sums, 1e-4),
                "largest difference " + expected.sub(sums).amaxNumber());
        INDArray mean = Nd4j.scalar(DataType.FLOAT, Float.NaN);
        JavaKernels.sumAll(g, mean, true).run();
        INDArray exact = g.castTo(DataType.DOUBLE); // the kernel accumulates in double
        assertEquals(exact.meanNumber().doubleValue(), mean.getDouble(0), 1e-7);
        INDArray sum = Nd4j.create(DataType.FLOAT, 1);
        JavaKernels.sumAll(g, sum, false).run();
        assertEquals(exact.sumNumber().doubleValue(), sum.getDouble(0), 1e-4);
    }

    @Test
    void squareAndPowDerivativeMatchTheNativeOps() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 37, 301);
        INDArray square = Nd4j.create(DataType.FLOAT, 37, 301);
        JavaKernels.scaled(x, square, 1f, true).run();
        assertEquals(Nd4j.getExecutioner().exec(new Square(x.dup())), square);
        INDArray derivative = Nd4j.create(DataType.FLOAT, 37, 301);
        JavaKernels.scaled(x, derivative, 2f, false).run();
        INDArray expected = Nd4j.create(DataType.FLOAT, 37, 301);
        Nd4j.getExecutioner().exec(new PowDerivative(x, expected, 2.0));
        assertEquals(expected, derivative);
    }

    /** dx = g y, dy = g x: same shapes, and a row y (its gradient summed over rows), rows longer than a chunk. */
    @ParameterizedTest
    @ValueSource(ints = {1000, 5000})
    void multiplyBackwardMatchesTheNativeOp(int cols) {
        Nd4j.getRandom().setSeed(cols);
        INDArray x = Nd4j.randn(DataType.FLOAT, 7, cols);
        INDArray g = Nd4j.randn(DataType.FLOAT, 7, cols);
        for (INDArray y : new INDArray[] {Nd4j.randn(DataType.FLOAT, 7, cols), Nd4j.randn(DataType.FLOAT, 1, cols)}) {
            INDArray[] expected = {Nd4j.create(DataType.FLOAT, x.shape()), Nd4j.create(DataType.FLOAT, y.shape())};
            Nd4j.exec(DynamicCustomOp.builder("multiply_bp")
                    .addInputs(x, y, g)
                    .addOutputs(expected)
                    .build());
            INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
            INDArray dy = Nd4j.create(DataType.FLOAT, y.shape()).assign(Float.NaN);
            JavaKernels.multiplyBackward(x, y, g, dx, dy).run();
            assertEquals(expected[0], dx, "dx for y " + Arrays.toString(y.shape()));
            assertTrue(
                    expected[1].equalsWithEps(dy, 1e-4),
                    "dy for y " + Arrays.toString(y.shape()) + ": largest difference "
                            + expected[1].sub(dy).amaxNumber());
        }
    }

    /** A block repeated along leading dimensions: the IWAE's mu [N, L] + sigma eps [k, N, L], and its gradient. */
    @Test
    void addAndMultiplyBackwardBroadcastATrailingBlockLikeTheNativeOps() {
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.randn(DataType.FLOAT, 50, 20, 50);
        INDArray g = Nd4j.randn(DataType.FLOAT, 50, 20, 50);
        INDArray y = Nd4j.randn(DataType.FLOAT, 20, 50);
        INDArray sum = Nd4j.create(DataType.FLOAT, 50, 20, 50);
        JavaKernels.add(x, y, sum).run();
        assertEquals(x.add(y.reshape(1, 20, 50).broadcast(50, 20, 50)), sum);
        INDArray[] expected = {Nd4j.create(DataType.FLOAT, x.shape()), Nd4j.create(DataType.FLOAT, y.shape())};
        Nd4j.exec(DynamicCustomOp.builder("multiply_bp")
                .addInputs(x, y, g)
                .addOutputs(expected)
                .build());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
        INDArray dy = Nd4j.create(DataType.FLOAT, y.shape()).assign(Float.NaN);
        JavaKernels.multiplyBackward(x, y, g, dx, dy).run();
        assertEquals(expected[0], dx);
        assertTrue(
                expected[1].equalsWithEps(dy, 1e-4),
                "largest difference " + expected[1].sub(dy).amaxNumber());
        assertTrue(JavaKernels.trailing(Nd4j.create(DataType.FLOAT, 1, 1, 50), x));
        assertTrue(!JavaKernels.trailing(Nd4j.create(DataType.FLOAT, 50, 20), x), "leading, not trailing");
        assertTrue(!JavaKernels.trailing(Nd4j.create(DataType.FLOAT, 20, 1), Nd4j.create(DataType.FLOAT, 20, 7)));
        assertTrue(!JavaKernels.trailing(x, x), "same shape is not a broadcast");
    }

    @ParameterizedTest
    @CsvSource({"20,784,50,1", "3,5,2,3", "1,3,4,1", "7,9,1,1"})
    void tileEqualsTheNativeOp(int rows, int cols, int down, int across) {
        INDArray x = Nd4j.randn(DataType.FLOAT, rows, cols);
        x.putScalar(0, Float.NaN);
        x.putScalar(x.length() - 1, Float.NEGATIVE_INFINITY);
        INDArray out = Nd4j.create(DataType.FLOAT, (long) rows * down, (long) cols * across)
                .assign(-7f);
        Runnable tile = JavaKernels.tile(x, new long[] {down, across}, out);
        assertNotNull(tile, () -> "x " + x.shapeInfoToString() + ", out " + out.shapeInfoToString());
        tile.run();
        INDArray expected = Nd4j.tile(x, down, across);
        assertTrue(Arrays.equals(expected.shape(), out.shape()), Arrays.toString(expected.shape()));
        assertTrue(Arrays.equals(expected.data().asFloat(), out.data().asFloat()), "bit for bit, NaN included");
        assertNull(JavaKernels.tile(x, new long[] {down}, out), "reps of another rank");
        assertNull(JavaKernels.tile(x, new long[] {down + 1, across}, out), "an output of the wrong shape");
    }

    /** dy (1 - y^2) from the forward output against libnd4j's tanh_bp, which computes tanh(x) again. */
    @Test
    void tanhBackwardFromTheForwardOutputMatchesTheNativeOp() {
        Nd4j.getRandom().setSeed(5);
        int n = 2 * 4096 + 333;
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, n).muli(3);
        float[] special = {0f, -0f, 20f, -20f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, 0.5f};
        for (int i = 0; i < special.length; i++) {
            x.putScalar(i, special[i]);
        }
        INDArray dy = Nd4j.randn(DataType.FLOAT, 1, n);
        INDArray y = Nd4j.math().tanh(x.dup());
        INDArray expected = Nd4j.create(DataType.FLOAT, 1, n);
        Nd4j.exec(DynamicCustomOp.builder("tanh_bp")
                .addInputs(x, dy)
                .addOutputs(expected)
                .build());
        INDArray out = Nd4j.create(DataType.FLOAT, 1, n).assign(Float.NaN);
        JavaKernels.tanhBackward(y, dy, out).run();
        assertTrue(
                expected.equalsWithEps(out, 1e-5),
                "largest difference " + expected.sub(out).amaxNumber());
        for (int i = 0; i < special.length; i++) {
            assertEquals(expected.getFloat(i), out.getFloat(i), 1e-6f, "x = " + special[i]);
        }
        x.putScalar(0, Float.NaN);
        y.putScalar(0, Float.NaN);
        JavaKernels.tanhBackward(y, dy, out).run();
        assertTrue(Float.isNaN(out.getFloat(0)), "NaN propagates");
    }

    @Test
    void gemmDeclinesMismatchedShapesAndViews() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 5);
        assertNull(
                JavaKernels.gemm(a, false, Nd4j.rand(DataType.FLOAT, 6, 3), false, Nd4j.create(DataType.FLOAT, 4, 3)));
        assertNull(
                JavaKernels.gemm(a, false, Nd4j.rand(DataType.FLOAT, 5, 3), false, Nd4j.create(DataType.FLOAT, 5, 3)));
        INDArray big = Nd4j.rand(DataType.FLOAT, 8, 5);
        INDArray rows = big.get(NDArrayIndex.interval(4, 8), NDArrayIndex.all());
        assertNull(
                JavaKernels.gemm(
                        rows, false, Nd4j.rand(DataType.FLOAT, 5, 3), false, Nd4j.create(DataType.FLOAT, 4, 3)),
                "a view that does not start its buffer");
        assertNull(JavaKernels.gemm(
                Nd4j.rand(DataType.DOUBLE, 4, 5),
                false,
                Nd4j.rand(DataType.DOUBLE, 5, 3),
                false,
                Nd4j.create(DataType.DOUBLE, 4, 3)));
    }
}
