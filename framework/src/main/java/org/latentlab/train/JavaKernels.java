package org.latentlab.train;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Java loops that replace single native ops in a planned step where M2.1's kernel is slow for
 * what it does, on the CPU backend only (they read and write the arrays' host buffers).
 *
 * <p>{@code thresholdedrelu_bp} (the ReLU's backward pass: {@code dx = x > cutoff ? dy : 0})
 * applies a {@code std::function} per element inside an OpenMP region: on a 128x400 batch of
 * the MLP VAE it took about 450 us, eight times the forward ReLU on the same array, and the three
 * of them were the largest cost of a step after the matrix products (LATENTLAB_OP_TIMES=1): its
 * per-element branch mispredicts on random signs. The loop here copies chunks into Java arrays and
 * selects without branches.
 */
final class JavaKernels {
    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();
    private static final int CHUNK = 4096;
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[2][CHUNK]);

    private JavaKernels() {
    }

    /**
     * {@code out = x > 0 ? dy : 0} element by element (the ReLU's cutoff), or null if the cutoff is
     * not 0 or the arrays are not dense float arrays of one shape in host memory (the native op
     * then runs).
     *
     * <p>Branch-free on the float bits: with random signs a branch (or the native op's) mispredicts
     * half the time, about 5 ns per element here. {@code x > 0} exactly when its bits, read as an
     * int, are in {@code (0, 0x7F800000]} (positive finite numbers and +infinity; +0, -0,
     * negatives and NaN are not), which {@code ((-b) & (b - 0x7F800001)) >> 31} turns into a mask
     * of all ones or zeros; the gradient's bits are kept under the mask, so the result is the
     * native op's bit for bit.
     */
    static Runnable reluBackward(INDArray x, INDArray dy, INDArray out, double cutoff) {
        if (!HOST_MEMORY || cutoff != 0.0 || !dense(x) || !dense(dy) || !dense(out)
                || !java.util.Arrays.equals(x.shape(), out.shape()) || !java.util.Arrays.equals(dy.shape(), out.shape())) {
            return null;
        }
        IntBuffer xb = ints(x);
        IntBuffer db = ints(dy);
        IntBuffer ob = ints(out);
        int xo = (int) x.offset();
        int dof = (int) dy.offset();
        int oo = (int) out.offset();
        int n = (int) out.length();
        return () -> {
            int[][] s = SCRATCH.get();
            int[] xs = s[0];
            int[] ds = s[1];
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                xb.get(xo + start, xs, 0, len);
                db.get(dof + start, ds, 0, len);
                for (int i = 0; i < len; i++) {
                    int b = xs[i];
                    ds[i] &= ((-b) & (b - 0x7F800001)) >> 31;
                }
                ob.put(oo + start, ds, 0, len);
            }
        };
    }

    /**
     * {@code c = op(a) op(b)} by OpenBLAS's {@code cblas_sgemm}, called directly on the arrays'
     * buffers (row-major; {@code op} transposes when asked), or null if the arrays are not dense
     * 2-d float arrays at the start of their buffers in host memory with matching shapes, or
     * OpenBLAS cannot be called from Java.
     *
     * <p>Why: the same products through libnd4j's {@code matmul} and {@code matmul_bp} ops took
     * 15-25% longer than this call on the MLP VAE's shapes ([128, 784] x [784, 400] and the like;
     * the same OpenBLAS, the same kernel, bit-identical results), about 80 us per product.
     */
    static Runnable gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c) {
        if (!HOST_MEMORY || !Blas.AVAILABLE || a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || !dense(a) || !dense(b)
                || !dense(c) || a.offset() != 0 || b.offset() != 0 || c.offset() != 0) {
            return null;
        }
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        long n = transB ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n || m == 0 || n == 0 || k == 0) {
            return null;
        }
        return Blas.sgemm(a, transA, b, transB, c, (int) m, (int) n, (int) k);
    }

    /** OpenBLAS's CBLAS through JavaCPP's binding: the library instance libnd4j itself calls. */
    private static final class Blas {
        static final boolean AVAILABLE = available();

        private static boolean available() {
            try {
                org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
                return true;
            } catch (Throwable e) { // no binding on this platform: the native ops run instead
                return false;
            }
        }

        static Runnable sgemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k) {
            org.bytedeco.javacpp.FloatPointer pa = pointer(a);
            org.bytedeco.javacpp.FloatPointer pb = pointer(b);
            org.bytedeco.javacpp.FloatPointer pc = pointer(c);
            int lda = (int) a.size(1);
            int ldb = (int) b.size(1);
            int ta = transA ? org.bytedeco.openblas.global.openblas.CblasTrans : org.bytedeco.openblas.global.openblas.CblasNoTrans;
            int tb = transB ? org.bytedeco.openblas.global.openblas.CblasTrans : org.bytedeco.openblas.global.openblas.CblasNoTrans;
            return () -> org.bytedeco.openblas.global.openblas.cblas_sgemm(org.bytedeco.openblas.global.openblas.CblasRowMajor,
                    ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, n);
        }

        private static org.bytedeco.javacpp.FloatPointer pointer(INDArray x) {
            return new org.bytedeco.javacpp.FloatPointer(x.data().addressPointer());
        }
    }

    /** The array's whole buffer as native-order ints (absolute indexing; the array starts at its offset). */
    private static IntBuffer ints(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    /** A float array with c-order default strides whose elements fit int indexing. */
    static boolean dense(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.offset() < Integer.MAX_VALUE && a.length() < Integer.MAX_VALUE
                && a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
    }
}
