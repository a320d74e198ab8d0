package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through whatever OpenBLAS kernels this process loaded (CI exports
 * OPENBLAS_CORETYPE as ./latentlab does, so the forced AVX-512 kernels are the ones checked) against
 * a plain-Java double-precision product: the shapes of the MLP VAE's layers and their gradients,
 * every transpose combination, and odd sizes that exercise the kernels' edge loops.
 */
class BlasProductTest {

    @Test
    void gemmMatchesAPlainJavaProduct() {
        System.out.println("OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE"));
        int[][] shapes = {
            {128, 784, 400},
            {784, 128, 400},
            {400, 128, 784},
            {128, 400, 784},
            {128, 20, 400},
            {37, 53, 29},
            {1, 300, 17},
            {65, 1, 33}
        };
        Random random = new Random(3);
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                int m = s[0];
                int k = s[1];
                int n = s[2];
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) random.nextGaussian();
                }
                // A is m x k, B is k x n; stored transposed where the flag says so.
                INDArray aArr = ta
                        ? Nd4j.create(a, new long[] {m, k}, 'c').transpose().dup('c')
                        : Nd4j.create(a, new long[] {m, k}, 'c');
                INDArray bArr = tb
                        ? Nd4j.create(b, new long[] {k, n}, 'c').transpose().dup('c')
                        : Nd4j.create(b, new long[] {k, n}, 'c');
                INDArray c = Nd4j.create(DataType.FLOAT, m, n);
                Nd4j.gemm(aArr, bArr, c, ta, tb, 1.0, 0.0);
                double worst = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        double scale = 0;
                        for (int p = 0; p < k; p++) {
                            double term = (double) a[i * k + p] * b[p * n + j];
                            sum += term;
                            scale += Math.abs(term);
                        }
                        worst = Math.max(worst, Math.abs(c.getDouble(i, j) - sum) / Math.max(scale, 1e-6));
                    }
                }
                assertTrue(
                        worst < 1e-5,
                        String.format("%dx%dx%d ta=%b tb=%b: relative error %.2e", m, k, n, ta, tb, worst));
            }
        }
    }
}
