package org.latentlab.engine;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Java loops that replace single native ops in a planned step where M2.1's kernel is slow for
 * what it does, on the CPU backend only (they read and write the arrays' host buffers).
 *
 * <p>Each loop replaces a native op that was slow for its work on the models' shapes; the
 * timings behind each choice are in docs/PERFORMANCE.md ("Engine notes moved from the code").
 */
final class JavaKernels {
    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();
    private static final int CHUNK = 4096;
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[2][CHUNK]);

    private JavaKernels() {}

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
        if (!HOST_MEMORY
                || cutoff != 0.0
                || !dense(x)
                || !dense(dy)
                || !dense(out)
                || !Arrays.equals(x.shape(), out.shape())
                || !Arrays.equals(dy.shape(), out.shape())) {
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

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

    /**
     * Element-wise loops run on one thread; on arrays at least this long libnd4j's ops on two
     * threads were faster (see docs/PERFORMANCE.md).
     */
    static final long ELEMENTWISE_MAX = 1 << 20;

    /**
     * {@code out = max(x, 0)} (the ReLU with cutoff 0; NaN stays NaN like the native op's, and
     * {@code -0} becomes {@code +0}), or null if the arrays are not dense float arrays of one shape
     * in host memory, or longer than {@link #ELEMENTWISE_MAX}. Faster than libnd4j's scalar op (see
     * docs/PERFORMANCE.md).
     */
    static Runnable relu(INDArray x, INDArray out) {
        if (!HOST_MEMORY
                || !dense(x)
                || !dense(out)
                || !Arrays.equals(x.shape(), out.shape())
                || out.length() > ELEMENTWISE_MAX) {
            return null;
        }
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        int n = (int) out.length();
        return () -> {
            float[] xs = FLOATS.get()[0];
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                xb.get(xo + start, xs, 0, len);
                for (int i = 0; i < len; i++) {
                    xs[i] = Math.max(xs[i], 0f);
                }
                ob.put(oo + start, xs, 0, len);
            }
        };
    }

    /**
     * {@code out = scale * x * x} ({@code square}: scale 1) or {@code out = scale * x}
     * ({@code _powderivative} of a square: scale 2), chosen by {@code squared}; null if the
     * arrays do not fit (see {@link #relu}). Replaces libnd4j's {@code _powderivative}, which calls
     * {@code pow} per element (see docs/PERFORMANCE.md).
     */
    static Runnable scaled(INDArray x, INDArray out, float scale, boolean squared) {
        if (!HOST_MEMORY
                || !dense(x)
                || !dense(out)
                || !Arrays.equals(x.shape(), out.shape())
                || out.length() > ELEMENTWISE_MAX) {
            return null;
        }
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        int n = (int) out.length();
        return () -> {
            float[] xs = FLOATS.get()[0];
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                xb.get(xo + start, xs, 0, len);
                if (squared) {
                    for (int i = 0; i < len; i++) {
                        xs[i] = scale * (xs[i] * xs[i]);
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        xs[i] = scale * xs[i];
                    }
                }
                ob.put(oo + start, xs, 0, len);
            }
        };
    }

    /**
     * The backward pass of {@code z = x * y} for a matrix {@code x} and {@code y} of the same
     * shape or a row ({@code [n]} or {@code [1, n]}; more generally the trailing part of {@code x}'s
     * shape, see {@link #trailing}): {@code dx = g * y} (broadcast) and
     * {@code dy = g * x} (summed over rows for a row {@code y}); null if the arrays do not fit.
     * Replaces libnd4j's slow {@code multiply_bp} (see docs/PERFORMANCE.md).
     */
    static Runnable multiplyBackward(INDArray x, INDArray y, INDArray g, INDArray dx, INDArray dy) {
        if (!HOST_MEMORY
                || !dense(x)
                || !dense(y)
                || !dense(g)
                || !dense(dx)
                || !dense(dy)
                || !Arrays.equals(x.shape(), g.shape())
                || !Arrays.equals(dx.shape(), g.shape())
                || !Arrays.equals(dy.shape(), y.shape())
                || g.length() > ELEMENTWISE_MAX) {
            return null;
        }
        boolean same = Arrays.equals(y.shape(), g.shape());
        if (!same && !trailing(y, g)) {
            return null;
        }
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer yb = y.data().asNioFloat();
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer dxb = dx.data().asNioFloat();
        FloatBuffer dyb = dy.data().asNioFloat();
        int xo = (int) x.offset();
        int yo = (int) y.offset();
        int go = (int) g.offset();
        int dxo = (int) dx.offset();
        int dyo = (int) dy.offset();
        int n = (int) g.length();
        int cols = same ? CHUNK : (int) y.length();
        float[] yRow = same ? null : new float[cols];
        float[] dyRow = same ? null : new float[cols];
        return () -> {
            float[][] s = FLOATS.get();
            float[] xs = s[0];
            float[] ys = s[1];
            float[] gs = s[2];
            if (!same) {
                yb.get(yo, yRow, 0, cols);
                Arrays.fill(dyRow, 0f);
            }
            for (int rowStart = 0; rowStart < n; rowStart += cols) {
                int rowLen = Math.min(cols, n - rowStart);
                for (int c0 = 0; c0 < rowLen; c0 += CHUNK) {
                    int len = Math.min(CHUNK, rowLen - c0);
                    xb.get(xo + rowStart + c0, xs, 0, len);
                    gb.get(go + rowStart + c0, gs, 0, len);
                    if (same) {
                        yb.get(yo + rowStart + c0, ys, 0, len);
                    } else {
                        System.arraycopy(yRow, c0, ys, 0, len); // from index 0: an offset index stops the vectoriser
                    }
                    for (int i = 0; i < len; i++) {
                        float gi = gs[i];
                        ys[i] = gi * ys[i]; // dx
                        xs[i] = gi * xs[i]; // dy's terms
                    }
                    dxb.put(dxo + rowStart + c0, ys, 0, len);
                    if (same) {
                        dyb.put(dyo + rowStart + c0, xs, 0, len);
                    } else {
                        float[] acc = gs; // g is no longer needed: gather this chunk's sums from index 0
                        System.arraycopy(dyRow, c0, acc, 0, len);
                        for (int i = 0; i < len; i++) {
                            acc[i] += xs[i];
                        }
                        System.arraycopy(acc, 0, dyRow, c0, len);
                    }
                }
            }
            if (!same) {
                dyb.put(dyo, dyRow, 0, cols);
            }
        };
    }

    /**
     * {@code out[i, j] = x[i, j] + y[j]} for a matrix {@code x} and a row {@code y} (shape
     * {@code [n]} or {@code [1, n]}; more generally any {@code y} whose shape is the trailing part of
     * {@code x}'s, see {@link #trailing}), or {@code out = x + y} for arrays of one shape; null
     * otherwise (or if the arrays are not dense floats in host memory). The bias add of a dense
     * layer, faster than libnd4j's broadcast add (see docs/PERFORMANCE.md).
     * Not for arrays longer than {@link #ELEMENTWISE_MAX}.
     */
    static Runnable add(INDArray x, INDArray y, INDArray out) {
        if (!HOST_MEMORY
                || !dense(x)
                || !dense(y)
                || !dense(out)
                || !Arrays.equals(x.shape(), out.shape())
                || out.length() > ELEMENTWISE_MAX) {
            return null;
        }
        boolean same = Arrays.equals(y.shape(), out.shape());
        if (!same && !trailing(y, out)) {
            return null;
        }
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer yb = y.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int xo = (int) x.offset();
        int yo = (int) y.offset();
        int oo = (int) out.offset();
        int n = (int) out.length();
        int cols = same ? n : (int) y.length();
        float[] bias = new float[cols];
        return () -> {
            float[][] s = FLOATS.get();
            float[] xs = s[0];
            float[] ys = s[1];
            if (!same) {
                yb.get(yo, bias, 0, cols);
            }
            for (int rowStart = 0; rowStart < n; rowStart += cols) { // one pass when same
                for (int c0 = 0; c0 < cols; c0 += CHUNK) {
                    int len = Math.min(CHUNK, cols - c0);
                    xb.get(xo + rowStart + c0, xs, 0, len);
                    if (same) {
                        yb.get(yo + c0, ys, 0, len);
                    } else {
                        System.arraycopy(bias, c0, ys, 0, len); // from index 0: an offset index stops the vectoriser
                    }
                    for (int i = 0; i < len; i++) {
                        xs[i] += ys[i];
                    }
                    ob.put(oo + rowStart + c0, xs, 0, len);
                }
            }
        };
    }

    /**
     * {@code out[j] = sum over i of g[i, j]} for a matrix {@code g} and an output of shape
     * {@code [n]} or {@code [1, n]} (a bias gradient), or null if the arrays do not fit.
     */
    static Runnable columnSums(INDArray g, INDArray out) {
        if (!HOST_MEMORY
                || !dense(g)
                || !dense(out)
                || g.rank() != 2
                || out.length() != g.size(1)
                || !(out.rank() == 1 || (out.rank() == 2 && out.size(0) == 1))) {
            return null;
        }
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int go = (int) g.offset();
        int oo = (int) out.offset();
        int rows = (int) g.size(0);
        int cols = (int) g.size(1);
        return () -> {
            float[][] s = FLOATS.get();
            float[] gs = s[0];
            float[] acc = s[1];
            for (int c0 = 0; c0 < cols; c0 += CHUNK) {
                int len = Math.min(CHUNK, cols - c0);
                Arrays.fill(acc, 0, len, 0f);
                for (int r = 0; r < rows; r++) {
                    gb.get(go + r * cols + c0, gs, 0, len);
                    for (int i = 0; i < len; i++) {
                        acc[i] += gs[i];
                    }
                }
                ob.put(oo + c0, acc, 0, len);
            }
        };
    }

    /**
     * The sum (or mean) of all elements of {@code x} into the one-element {@code out}, accumulated
     * in double; null if the arrays do not fit. Faster than libnd4j's reduce op on a batch's losses
     * (see docs/PERFORMANCE.md).
     */
    static Runnable sumAll(INDArray x, INDArray out, boolean mean) {
        if (!HOST_MEMORY || !dense(x) || out.length() != 1 || out.dataType() != DataType.FLOAT || x.length() == 0) {
            return null;
        }
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        int n = (int) x.length();
        return () -> {
            float[] xs = FLOATS.get()[0];
            double sum = 0;
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                xb.get(xo + start, xs, 0, len);
                for (int i = 0; i < len; i++) {
                    sum += xs[i];
                }
            }
            ob.put(oo, (float) (mean ? sum / n : sum));
        };
    }

    /**
     * {@code c = op(a) op(b)} by OpenBLAS's {@code cblas_sgemm}, called directly on the arrays'
     * buffers (row-major; {@code op} transposes when asked), or null if the arrays are not dense
     * 2-d float arrays at the start of their buffers in host memory with matching shapes, or
     * OpenBLAS cannot be called from Java.
     *
     * <p>Faster than the same products through libnd4j's {@code matmul} and {@code matmul_bp} ops, with
     * bit-identical results (see docs/PERFORMANCE.md).
     */
    static Runnable gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c) {
        if (!HOST_MEMORY
                || !Cblas.AVAILABLE
                || a.rank() != 2
                || b.rank() != 2
                || c.rank() != 2
                || !dense(a)
                || !dense(b)
                || !dense(c)
                || a.offset() != 0
                || b.offset() != 0
                || c.offset() != 0) {
            return null;
        }
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        long n = transB ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n || m == 0 || n == 0 || k == 0) {
            return null;
        }
        return Cblas.sgemm(a, transA, b, transB, c, (int) m, (int) n, (int) k);
    }

    /**
     * OpenBLAS (0.3.x, {@code interface/gemm.c}) runs a product on the calling thread alone when
     * {@code m * n * k <= 65536 * GEMM_MULTITHREAD_THRESHOLD} (4 in this build), and otherwise on
     * all its threads.
     */
    static final double ONE_THREAD_MNK = 65536.0 * 4;
    /**
     * Products of at most this many such blocks run in blocks on the calling thread. The choice
     * is made from the shapes alone, never by timing: the blocks' sums round differently from
     * the whole product's, and a run must give the same numbers every time. Estimated from timings
     * (see docs/PERFORMANCE.md).
     */
    static final int MAX_BLOCKS = 4;

    /**
     * Whether {@code OPENBLAS_CORETYPE} names OpenBLAS's AVX-512 kernels (SkylakeX, Cooperlake,
     * SapphireRapids), whose small-matrix sgemm path makes products in one-thread blocks
     * ({@link #gemmOneThread}) pay; with its AVX2 kernels they were slower (docs/PERFORMANCE.md).
     * The rule behind {@link EngineOptions#smallProductsInBlocks}.
     */
    static boolean avx512Kernels(String coreType) {
        return coreType != null
                && Set.of("skylakex", "cooperlake", "sapphirerapids")
                        .contains(coreType.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The product of {@link #gemm} computed in blocks of rows (or columns) of {@code c}, each
     * small enough for OpenBLAS to run it on the calling thread ({@link #ONE_THREAD_MNK}); null
     * if {@link #gemm} has no kernel for these arrays, the product is that small already, or it
     * would take more than {@link #MAX_BLOCKS} blocks.
     *
     * <p>Why: OpenBLAS hands a product of more than about 262,000 multiply-adds to its second
     * thread, which on small products costs more than it saves (see docs/PERFORMANCE.md). A planned
     * step uses it wherever it exists when {@link EngineOptions#smallProductsInBlocks} (a rule of
     * shapes and BLAS kernels, see {@link #MAX_BLOCKS}). The results differ from the whole
     * product's by float rounding (OpenBLAS's kernels block the sums differently), so the choice
     * must not vary.
     */
    static Runnable gemmOneThread(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c) {
        if (gemm(a, transA, b, transB, c) == null) {
            return null;
        }
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (transA ? a.size(0) : a.size(1));
        double mnk = (double) m * n * k;
        int blocks = (int) Math.ceil(mnk / ONE_THREAD_MNK);
        if (blocks < 2 || blocks > MAX_BLOCKS) {
            return null;
        }
        boolean byRows = m >= n;
        int along = byRows ? m : n;
        int size = (along + blocks - 1) / blocks;
        if (size < 1 || (double) size * (byRows ? n : m) * k > ONE_THREAD_MNK) {
            return null;
        }
        List<Runnable> parts = new ArrayList<>();
        for (int start = 0; start < along; start += size) {
            int len = Math.min(size, along - start);
            parts.add(
                    byRows
                            ? Cblas.sgemmRows(a, transA, b, transB, c, start, len, n, k)
                            : Cblas.sgemmColumns(a, transA, b, transB, c, start, len, m, k));
        }
        Runnable[] p = parts.toArray(Runnable[]::new);
        return () -> {
            for (Runnable r : p) {
                r.run();
            }
        };
    }

    /**
     * Whether {@code y} broadcasts over {@code out} as a block repeated along the leading dimensions:
     * {@code y}'s shape, leading 1s removed, is the end of {@code out}'s shape, and shorter than it
     * (a row {@code [n]} or {@code [1, n]} of a matrix {@code [m, n]}; {@code [N, L]} of {@code [k, N, L]}).
     */
    static boolean trailing(INDArray y, INDArray out) {
        long[] ys = y.shape();
        long[] os = out.shape();
        int first = 0;
        while (first < ys.length && ys[first] == 1) {
            first++;
        }
        int len = ys.length - first;
        if (len > os.length || y.length() >= out.length() || y.length() == 0) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (ys[first + i] != os[os.length - len + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code out = tile(x, reps)} for a matrix {@code x} [n, d] and {@code reps} [a, b]: out [a n, b d] holds
     * {@code x} a times down and b times across, or null if the arrays are not dense floats in host memory of
     * those shapes. libnd4j's {@code tile} computed every element's source index: 11.8 ms for the IWAE's
     * [20, 784] by [50, 1], where these copies take well under a millisecond (docs/PERFORMANCE.md).
     */
    static Runnable tile(INDArray x, long[] reps, INDArray out) {
        if (!HOST_MEMORY
                || !dense(x)
                || !dense(out)
                || x.rank() != 2
                || out.rank() != 2
                || reps.length != 2
                || reps[0] < 1
                || reps[1] < 1
                || out.size(0) != x.size(0) * reps[0]
                || out.size(1) != x.size(1) * reps[1]) {
            return null;
        }
        FloatBuffer xb = x.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        int rows = (int) x.size(0);
        int cols = (int) x.size(1);
        int down = (int) reps[0];
        int across = (int) reps[1];
        float[] row = new float[cols];
        return () -> {
            int outCols = cols * across;
            for (int r = 0; r < rows; r++) {
                xb.get(xo + r * cols, row, 0, cols);
                for (int a = 0; a < down; a++) {
                    int start = oo + (a * rows + r) * outCols;
                    for (int b = 0; b < across; b++) {
                        ob.put(start + b * cols, row, 0, cols);
                    }
                }
            }
        };
    }

    /**
     * The gradient of {@code y = tanh(x)} from the forward output: {@code out = dy * (1 - y * y)}, or null if
     * the arrays are not dense floats of one shape in host memory, or longer than {@link #ELEMENTWISE_MAX}.
     * libnd4j's {@code tanh_bp} computes tanh again (1.4-1.6 ms for the IWAE's [1000, 200]).
     */
    static Runnable tanhBackward(INDArray y, INDArray dy, INDArray out) {
        if (!HOST_MEMORY
                || !dense(y)
                || !dense(dy)
                || !dense(out)
                || !Arrays.equals(y.shape(), out.shape())
                || !Arrays.equals(dy.shape(), out.shape())
                || out.length() > ELEMENTWISE_MAX) {
            return null;
        }
        FloatBuffer yb = y.data().asNioFloat();
        FloatBuffer gb = dy.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        int yo = (int) y.offset();
        int go = (int) dy.offset();
        int oo = (int) out.offset();
        int n = (int) out.length();
        return () -> {
            float[][] s = FLOATS.get();
            float[] ys = s[0];
            float[] gs = s[1];
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                yb.get(yo + start, ys, 0, len);
                gb.get(go + start, gs, 0, len);
                for (int i = 0; i < len; i++) {
                    float t = ys[i];
                    gs[i] = gs[i] * (1f - t * t);
                }
                ob.put(oo + start, gs, 0, len);
            }
        };
    }

    /** The array's whole buffer as native-order ints (absolute indexing; the array starts at its offset). */
    private static IntBuffer ints(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    /** A float array with c-order default strides whose elements fit int indexing. */
    static boolean dense(INDArray a) {
        return a.dataType() == DataType.FLOAT
                && a.offset() < Integer.MAX_VALUE
                && a.length() < Integer.MAX_VALUE
                && a.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(a);
    }
}
