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
}
