package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;

class JavaKernelsTest {

    @Test
    void reluBackwardEqualsTheNativeOpBitForBit() {
        // Random signs and magnitudes plus every special value, over several chunks and a ragged end.
        int n = 3 * 4096 + 77;
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f, -1e-40f, Float.intBitsToFloat(0x7FC00001),
                Float.intBitsToFloat(0xFFC00000), 1f, -1f};
        Random random = new Random(7);
        float[] x = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < specials.length * specials.length ? specials[i % specials.length] : (float) random.nextGaussian();
            dy[i] = i < specials.length * specials.length ? specials[i / specials.length] : (float) random.nextGaussian();
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
            assertEquals(Float.floatToRawIntBits(viaNative.getFloat(0, i)), Float.floatToRawIntBits(viaJava.getFloat(0, i)),
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

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"false,false", "true,false", "false,true", "true,true"})
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
        assertEquals(0.0, expected.sub(direct).amaxNumber().doubleValue(), 1e-4 * expected.amaxNumber().doubleValue());
    }

    @Test
    void gemmDeclinesMismatchedShapesAndViews() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 5);
        assertNull(JavaKernels.gemm(a, false, Nd4j.rand(DataType.FLOAT, 6, 3), false, Nd4j.create(DataType.FLOAT, 4, 3)));
        assertNull(JavaKernels.gemm(a, false, Nd4j.rand(DataType.FLOAT, 5, 3), false, Nd4j.create(DataType.FLOAT, 5, 3)));
        INDArray big = Nd4j.rand(DataType.FLOAT, 8, 5);
        INDArray rows = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertNull(JavaKernels.gemm(rows, false, Nd4j.rand(DataType.FLOAT, 5, 3), false, Nd4j.create(DataType.FLOAT, 4, 3)),
                "a view that does not start its buffer");
        assertNull(JavaKernels.gemm(Nd4j.rand(DataType.DOUBLE, 4, 5), false, Nd4j.rand(DataType.DOUBLE, 5, 3), false,
                Nd4j.create(DataType.DOUBLE, 4, 3)));
    }
}
