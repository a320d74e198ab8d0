package org.latentlab.engine;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * OpenBLAS's CBLAS through JavaCPP's binding: the library instance libnd4j itself calls. The
 * direct products of {@link JavaKernels#gemm} and {@link JavaKernels#gemmOneThread}.
 */
final class Cblas {
    static final boolean AVAILABLE = available();

    private Cblas() {}

    private static boolean available() {
        try {
            Loader.load(openblas.class);
            return true;
        } catch (Throwable e) { // no binding on this platform: the native ops run instead
            return false;
        }
    }

    static Runnable sgemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k) {
        FloatPointer pa = pointer(a);
        FloatPointer pb = pointer(b);
        FloatPointer pc = pointer(c);
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        return () -> openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, n);
    }

    /** Rows {@code [r0, r0 + rows)} of {@code c = op(a) op(b)}: the same rows of {@code op(a)}. */
    static Runnable sgemmRows(
            INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int r0, int rows, int n, int k) {
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        // row r of op(a): row r of a, or column r of a (transposed)
        FloatPointer pa = pointer(a, transA ? r0 : (long) r0 * lda);
        FloatPointer pb = pointer(b, 0);
        FloatPointer pc = pointer(c, (long) r0 * n);
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        return () -> openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, rows, n, k, 1f, pa, lda, pb, ldb, 0f, pc, n);
    }

    /** Columns {@code [c0, c0 + cols)} of {@code c = op(a) op(b)}: the same columns of {@code op(b)}. */
    static Runnable sgemmColumns(
            INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int c0, int cols, int m, int k) {
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        int ldc = (int) c.size(1);
        FloatPointer pa = pointer(a, 0);
        // column j of op(b): column j of b, or row j of b (transposed)
        FloatPointer pb = pointer(b, transB ? (long) c0 * ldb : c0);
        FloatPointer pc = pointer(c, c0);
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        return () ->
                openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, cols, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
    }

    private static FloatPointer pointer(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }

    /** A pointer {@code elements} floats into the array's buffer (the array starts at offset 0). */
    private static FloatPointer pointer(INDArray x, long elements) {
        FloatPointer p = pointer(x);
        return elements == 0 ? p : new FloatPointer(p.position(elements));
    }

    /** A pointer to the start of {@code x}'s buffer (for {@link #sgemm(boolean, boolean, int, int, int, FloatPointer, long, int, FloatPointer, long, int, float, FloatPointer, long, int)}). */
    static FloatPointer base(INDArray x) {
        return pointer(x);
    }

    /**
     * {@code c = op(a) op(b) + beta c} (row-major), each matrix starting {@code aAt}, {@code bAt}, {@code cAt} floats
     * into its pointer's memory.
     */
    static void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            FloatPointer a,
            long aAt,
            int lda,
            FloatPointer b,
            long bAt,
            int ldb,
            float beta,
            FloatPointer c,
            long cAt,
            int ldc) {
        openblas.cblas_sgemm(
                openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m,
                n,
                k,
                1f,
                aAt == 0 ? a : new FloatPointer(a).position(aAt),
                lda,
                bAt == 0 ? b : new FloatPointer(b).position(bAt),
                ldb,
                beta,
                cAt == 0 ? c : new FloatPointer(c).position(cAt),
                ldc);
    }

    /**
     * Runs {@code body} with OpenBLAS set to one thread, restoring the previous setting after. Only for code beside
     * which no other thread calls OpenBLAS (a planned step's kernels run one after another on the training thread).
     */
    static void oneThreadEach(Runnable body) {
        if (!AVAILABLE) {
            body.run();
            return;
        }
        int before = openblas_nolapack.blas_get_num_threads();
        if (before <= 1) {
            body.run();
            return;
        }
        openblas_nolapack.blas_set_num_threads(1);
        try {
            body.run();
        } finally {
            openblas_nolapack.blas_set_num_threads(before);
        }
    }
}
