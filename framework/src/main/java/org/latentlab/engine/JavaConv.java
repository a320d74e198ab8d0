package org.latentlab.engine;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-d convolutions and transposed convolutions (NCHW, weights {@code [kH, kW, in, out]} for
 * {@code conv2d} and {@code [kH, kW, out, in]} for {@code deconv2d}, no dilation) and their
 * backward passes as {@code im2col}/{@code col2im} loops in Java around OpenBLAS products, for a
 * planned step on the CPU backend.
 *
 * <p>Why: libnd4j's kernels took 74 ms of the convolutional autoencoder's 79 ms step at batch
 * 128 (about 1 GFLOP/s; {@code conv2d_bp} of the first layer, 15 MFLOP, took 9 ms), while the
 * same arithmetic as products runs at OpenBLAS's speed. The layout: one row per output pixel of
 * every image ({@code N * oH * oW} rows) and one column per kernel tap and channel, in the order
 * of the weights' memory ({@code kh, kw, channel}), so that the weights are a {@code [K, C]}
 * matrix without a copy.
 *
 * <p>SAME padding is libnd4j's: {@code (oH - 1) sH + kH - iH} rows in all, the smaller half
 * at the top ({@code ConvolutionUtils::calcPadding2D}); a transposed convolution pads as the
 * convolution it is the adjoint of. Factories return null for anything else (the native op then
 * runs), and the planner compares the output shapes it computed with libnd4j's.
 */
final class JavaConv {
    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();

    private JavaConv() {}

    /** The geometry of one layer: {@code in} channels at {@code h x w} to the grid {@code gh x gw}. */
    record Geometry(int n, int c, int h, int w, int gh, int gw, int kh, int kw, int sh, int sw, int pt, int pl) {
        int taps() {
            return kh * kw * c;
        }

        int gridPixels() {
            return gh * gw;
        }
    }

    /**
     * {@code iArgs}: kH, kW, sH, sW, pH, pW, dH, dW, same mode, NHWC (, weight format). Null if
     * not supported (dilation, NHWC, another weight format).
     */
    private static int[] params(long[] iArgs) {
        if (iArgs == null
                || iArgs.length < 10
                || iArgs[6] != 1
                || iArgs[7] != 1
                || iArgs[9] != 0
                || (iArgs.length > 10 && iArgs[10] != 0)) {
            return null;
        }
        int[] p = new int[9];
        for (int i = 0; i < 9; i++) {
            p[i] = (int) iArgs[i];
        }
        return p;
    }

    /** Padding before the first row for a convolution from {@code in} to {@code out} rows. */
    private static int pad(boolean same, int explicit, int in, int out, int k, int s) {
        return same ? Math.max(0, ((out - 1) * s + k - in) / 2) : explicit;
    }

    private static boolean usable(INDArray... arrays) {
        if (!HOST_MEMORY) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a != null && (!contiguous(a) || a.offset() != 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A float array in c order whose elements lie one after another: {@link JavaKernels#dense}, except that the
     * stride of a dimension of size 1 does not matter (ND4J gives such dimensions strides of its own choosing).
     */
    static boolean contiguous(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.length() >= Integer.MAX_VALUE || a.ordering() != 'c') {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** {@code a} as a [rows, cols] matrix on the same memory, or null if ND4J would copy it. */
    private static INDArray matrixView(INDArray a, long rows, long cols) {
        INDArray m = a.reshape('c', rows, cols);
        boolean sameMemory = m.data().address() == a.data().address() && m.offset() == a.offset();
        return sameMemory && JavaKernels.dense(m) ? m : null;
    }

    /** Geometry of {@code conv2d} on x [N, C, H, W] with weights [kH, kW, C, oC], or null. */
    static Geometry convGeometry(INDArray x, INDArray w, INDArray out, long[] iArgs) {
        int[] p = params(iArgs);
        if (p == null
                || x.rank() != 4
                || w.rank() != 4
                || out.rank() != 4
                || w.size(0) != p[0]
                || w.size(1) != p[1]
                || w.size(2) != x.size(1)
                || out.size(1) != w.size(3)
                || out.size(0) != x.size(0)) {
            return null;
        }
        boolean same = p[8] == 1;
        int h = (int) x.size(2);
        int wd = (int) x.size(3);
        int oh = same ? (h + p[2] - 1) / p[2] : (h + 2 * p[4] - p[0]) / p[2] + 1;
        int ow = same ? (wd + p[3] - 1) / p[3] : (wd + 2 * p[5] - p[1]) / p[3] + 1;
        if (out.size(2) != oh || out.size(3) != ow) {
            return null;
        }
        return new Geometry(
                (int) x.size(0),
                (int) x.size(1),
                h,
                wd,
                oh,
                ow,
                p[0],
                p[1],
                p[2],
                p[3],
                pad(same, p[4], h, oh, p[0], p[2]),
                pad(same, p[5], wd, ow, p[1], p[3]));
    }

    /**
     * Geometry of {@code deconv2d} on x [N, iC, H, W] with weights [kH, kW, oC, iC] to out
     * [N, oC, oH, oW], seen as the convolution of out's grid onto x's grid (the one it is the
     * adjoint of), or null.
     */
    static Geometry deconvGeometry(INDArray x, INDArray w, INDArray out, long[] iArgs) {
        int[] p = params(iArgs);
        if (p == null
                || x.rank() != 4
                || w.rank() != 4
                || out.rank() != 4
                || w.size(0) != p[0]
                || w.size(1) != p[1]
                || w.size(3) != x.size(1)
                || out.size(1) != w.size(2)
                || out.size(0) != x.size(0)) {
            return null;
        }
        boolean same = p[8] == 1;
        int ih = (int) x.size(2);
        int iw = (int) x.size(3);
        int oh = same ? ih * p[2] : p[2] * (ih - 1) + p[0] - 2 * p[4];
        int ow = same ? iw * p[3] : p[3] * (iw - 1) + p[1] - 2 * p[5];
        if (out.size(2) != oh || out.size(3) != ow) {
            return null;
        }
        // the adjoint convolution reads out's oC channels at oH x oW onto x's grid ih x iw
        return new Geometry(
                (int) x.size(0),
                (int) out.size(1),
                oh,
                ow,
                ih,
                iw,
                p[0],
                p[1],
                p[2],
                p[3],
                pad(same, p[4], oh, ih, p[0], p[2]),
                pad(same, p[5], ow, iw, p[1], p[3]));
    }

    /** {@code cols[(n, gy, gx), (ky, kx, c)] = src[n, c, gy sh + ky - pt, gx sw + kx - pl]} (0 outside). */
    static void im2col(float[] src, Geometry g, float[] cols) {
        forEachImage(g.n, n -> im2col(src, g, cols, n));
    }

    private static void im2col(float[] src, Geometry g, float[] cols, int n) {
        int c = g.c;
        int plane = g.h * g.w;
        int k = g.taps();
        int imageBase = n * c * plane;
        // This image as [h, w, c] (in a scratch array that stays in cache), so that each tap copies c contiguous
        // values; read from the planes directly, a tap would gather c values a plane apart.
        float[] hwc = c == 1 ? src : imageScratch(c * plane);
        int hwcBase = c == 1 ? imageBase : 0;
        if (c > 1) {
            for (int ch = 0; ch < c; ch++) {
                int from = imageBase + ch * plane;
                for (int p = 0; p < plane; p++) {
                    hwc[p * c + ch] = src[from + p];
                }
            }
        }
        int row = n * g.gridPixels();
        for (int gy = 0; gy < g.gh; gy++) {
            for (int gx = 0; gx < g.gw; gx++, row++) {
                int base = row * k;
                for (int ky = 0; ky < g.kh; ky++) {
                    int y = gy * g.sh + ky - g.pt;
                    for (int kx = 0; kx < g.kw; kx++) {
                        int x = gx * g.sw + kx - g.pl;
                        int col = base + (ky * g.kw + kx) * c;
                        if (y < 0 || y >= g.h || x < 0 || x >= g.w) {
                            Arrays.fill(cols, col, col + c, 0f);
                        } else if (c == 1) {
                            cols[col] = hwc[hwcBase + y * g.w + x];
                        } else {
                            System.arraycopy(hwc, (y * g.w + x) * c, cols, col, c);
                        }
                    }
                }
            }
        }
    }

    private static final ThreadLocal<float[][]> IMAGE = ThreadLocal.withInitial(() -> new float[1][0]);

    /** A per-thread scratch array of at least {@code size} floats (one image). */
    private static float[] imageScratch(int size) {
        float[][] holder = IMAGE.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /** The adjoint of {@link #im2col}: {@code dst} set to the sum of every column entry at its source. */
    static void col2im(float[] cols, Geometry g, float[] dst) {
        forEachImage(g.n, n -> col2im(cols, g, dst, n));
    }

    private static void col2im(float[] cols, Geometry g, float[] dst, int n) {
        int c = g.c;
        int plane = g.h * g.w;
        int k = g.taps();
        int imageBase = n * c * plane;
        // Summed as [h, w, c] in a scratch array (each entry gets its terms in the same order as summing into the
        // planes would), then written out plane by plane.
        float[] hwc = imageScratch(c * plane);
        Arrays.fill(hwc, 0, c * plane, 0f);
        int row = n * g.gridPixels();
        for (int gy = 0; gy < g.gh; gy++) {
            for (int gx = 0; gx < g.gw; gx++, row++) {
                int base = row * k;
                for (int ky = 0; ky < g.kh; ky++) {
                    int y = gy * g.sh + ky - g.pt;
                    if (y < 0 || y >= g.h) {
                        continue;
                    }
                    for (int kx = 0; kx < g.kw; kx++) {
                        int x = gx * g.sw + kx - g.pl;
                        if (x < 0 || x >= g.w) {
                            continue;
                        }
                        int col = base + (ky * g.kw + kx) * c;
                        int at = (y * g.w + x) * c;
                        for (int ch = 0; ch < c; ch++) {
                            hwc[at + ch] += cols[col + ch];
                        }
                    }
                }
            }
        }
        for (int ch = 0; ch < c; ch++) {
            int to = imageBase + ch * plane;
            for (int p = 0; p < plane; p++) {
                dst[to + p] = hwc[p * c + ch];
            }
        }
    }

    /** {@code rows[(n, p), c] = nchw[n, c, p]} for {@code channels} channels of {@code pixels} pixels. */
    static void toRows(float[] nchw, int n, int channels, int pixels, float[] rows) {
        forEachImage(n, i -> {
            int img = i * channels * pixels;
            for (int c = 0; c < channels; c++) {
                int src = img + c * pixels;
                int dst = i * pixels * channels + c;
                for (int p = 0; p < pixels; p++) {
                    rows[dst + p * channels] = nchw[src + p];
                }
            }
        });
    }

    /** The inverse of {@link #toRows}, adding {@code bias[c]} (if not null). */
    static void fromRows(float[] rows, int n, int channels, int pixels, float[] bias, float[] nchw) {
        forEachImage(n, i -> {
            int img = i * channels * pixels;
            for (int c = 0; c < channels; c++) {
                int dst = img + c * pixels;
                int src = i * pixels * channels + c;
                float b = bias == null ? 0f : bias[c];
                for (int p = 0; p < pixels; p++) {
                    nchw[dst + p] = rows[src + p * channels] + b;
                }
            }
        });
    }

    /**
     * Runs {@code body} for images 0 to n - 1 on the common fork-join pool and the calling thread. Each image's
     * entries are written by one thread in a fixed order, so the results do not depend on the threads.
     */
    static void forEachImage(int n, java.util.function.IntConsumer body) {
        if (n < 2 || PARALLELISM < 2) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        java.util.stream.IntStream.range(0, n).parallel().forEach(body);
    }

    /**
     * Whether convolutions with few taps run as {@link DirectConv}'s loops (tests switch it off to check the im2col
     * path on the same geometries).
     */
    static volatile boolean DIRECT = true;

    /** Whether the planner may put these kernels in place of libnd4j's convolutions ({@link EngineOptions#JAVA_CONV_ENV}). */
    static final boolean ENABLED = EngineOptions.javaConvolutions() != EngineOptions.JavaConvolutions.OFF;

    private static final int PARALLELISM = EngineOptions.javaConvolutions() == EngineOptions.JavaConvolutions.ONE_THREAD
            ? 1
            : java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1;

    /** {@code out[c] = sum over n and pixels of nchw[n, c, p]}. */
    static void channelSums(float[] nchw, int n, int channels, int pixels, float[] out) {
        Arrays.fill(out, 0f);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int src = (i * channels + c) * pixels;
                float s = 0f;
                for (int p = 0; p < pixels; p++) {
                    s += nchw[src + p];
                }
                out[c] += s;
            }
        }
    }

    /**
     * A heap scratch array of a kernel, taken from the calling thread's pool when the kernel runs: the convolutions of
     * a step run one after another on the training thread and keep nothing in these arrays between runs, so all of
     * them (and the plans of every batch size) share one set, sized for the largest.
     */
    private record Slot(int index, int length) {
        float[] get() {
            if (length < 0) {
                return null;
            }
            float[][] pool = POOL.get();
            if (pool[index] == null || pool[index].length < length) {
                pool[index] = new float[length];
            }
            return pool[index];
        }
    }

    private static final ThreadLocal<float[][]> POOL = ThreadLocal.withInitial(() -> new float[8][]);

    /** Copies {@code a}'s elements into the start of {@code into} (which may be longer: a pooled array). */
    private static float[] read(INDArray a, float[] into) {
        a.data().asNioFloat().get(0, into, 0, (int) a.length());
        return into;
    }

    /** Copies the start of {@code from} (which may be longer: a pooled array) into {@code a}. */
    private static void write(float[] from, INDArray a) {
        FloatBuffer b = a.data().asNioFloat();
        b.put(0, from, 0, (int) a.length());
    }

    private static INDArray matrix(long rows, long cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
    }

    /** {@code conv2d(x, w, b) -> out}, or null if not supported. */
    static Runnable conv2d(INDArray x, INDArray w, INDArray b, INDArray out, long[] iArgs) {
        Geometry g = usable(x, w, b, out) ? convGeometry(x, w, out, iArgs) : null;
        int oc = g == null ? 0 : (int) w.size(3);
        if (g == null || (b != null && b.length() != oc)) {
            return null;
        }
        if (DIRECT && DirectConv.applies(g)) {
            return DirectConv.conv2d(x, w, b, out, g);
        }
        int rows = g.n * g.gridPixels();
        INDArray cols = matrix(rows, g.taps());
        INDArray outRows = matrix(rows, oc);
        INDArray w2 = matrixView(w, g.taps(), oc);
        Runnable product = w2 == null ? null : JavaKernels.gemm(cols, false, w2, false, outRows);
        if (product == null) {
            return null;
        }
        Slot xsSlot = new Slot(0, (int) x.length());
        Slot csSlot = new Slot(1, (int) cols.length());
        Slot rsSlot = new Slot(2, (int) outRows.length());
        Slot osSlot = new Slot(3, (int) out.length());
        Slot bsSlot = new Slot(4, b == null ? -1 : oc);
        return () -> {
            float[] xs = xsSlot.get();
            float[] cs = csSlot.get();
            float[] rs = rsSlot.get();
            float[] os = osSlot.get();
            float[] bs = bsSlot.get();
            im2col(read(x, xs), g, cs);
            write(cs, cols);
            product.run();
            fromRows(read(outRows, rs), g.n, oc, g.gridPixels(), b == null ? null : read(b, bs), os);
            write(os, out);
        };
    }

    /**
     * {@code conv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} (gradB null without a bias; gradX null when nothing
     * reads it, as for the first layer, and then not computed), or null.
     */
    static Runnable conv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, long[] iArgs) {
        Geometry g = usable(x, w, gradOut, gradX, gradW, gradB) ? convGeometry(x, w, gradOut, iArgs) : null;
        if (g == null
                || (gradX != null && !Arrays.equals(gradX.shape(), x.shape()))
                || !Arrays.equals(gradW.shape(), w.shape())
                || (gradB != null && gradB.length() != w.size(3))) {
            return null;
        }
        if (DIRECT && DirectConv.applies(g)) {
            return DirectConv.conv2dBackward(x, w, gradOut, gradX, gradW, gradB, g);
        }
        int oc = (int) w.size(3);
        int rows = g.n * g.gridPixels();
        INDArray cols = matrix(rows, g.taps());
        INDArray gradRows = matrix(rows, oc);
        INDArray gradCols = matrix(rows, g.taps());
        INDArray w2 = matrixView(w, g.taps(), oc);
        INDArray gw2 = matrixView(gradW, g.taps(), oc);
        Runnable weightGrad = w2 == null || gw2 == null ? null : JavaKernels.gemm(cols, true, gradRows, false, gw2);
        Runnable colsGrad = w2 == null ? null : JavaKernels.gemm(gradRows, false, w2, true, gradCols);
        if (weightGrad == null || colsGrad == null) {
            return null;
        }
        Slot xsSlot = new Slot(0, (int) x.length());
        Slot csSlot = new Slot(1, (int) cols.length());
        Slot gsSlot = new Slot(2, (int) gradOut.length());
        Slot grsSlot = new Slot(3, (int) gradRows.length());
        Slot gcsSlot = new Slot(4, gradX == null ? 0 : (int) gradCols.length());
        Slot gxsSlot = new Slot(5, gradX == null ? 0 : (int) gradX.length());
        Slot gbsSlot = new Slot(6, oc);
        return () -> {
            float[] xs = xsSlot.get();
            float[] cs = csSlot.get();
            float[] gs = gsSlot.get();
            float[] grs = grsSlot.get();
            float[] gcs = gcsSlot.get();
            float[] gxs = gxsSlot.get();
            float[] gbs = gbsSlot.get();
            im2col(read(x, xs), g, cs);
            write(cs, cols);
            read(gradOut, gs);
            toRows(gs, g.n, oc, g.gridPixels(), grs);
            write(grs, gradRows);
            weightGrad.run();
            if (gradX != null) {
                colsGrad.run();
                col2im(read(gradCols, gcs), g, gxs);
                write(gxs, gradX);
            }
            if (gradB != null) {
                channelSums(gs, g.n, oc, g.gridPixels(), gbs);
                write(gbs, gradB);
            }
        };
    }

    /** {@code deconv2d(x, w, b) -> out}, or null if not supported. */
    static Runnable deconv2d(INDArray x, INDArray w, INDArray b, INDArray out, long[] iArgs) {
        Geometry g = usable(x, w, b, out) ? deconvGeometry(x, w, out, iArgs) : null;
        int ic = (int) x.size(1);
        if (g == null || (b != null && b.length() != g.c)) {
            return null;
        }
        if (DIRECT && DirectConv.applies(g)) {
            return DirectConv.deconv2d(x, w, b, out, g);
        }
        int rows = g.n * g.gridPixels();
        INDArray xRows = matrix(rows, ic);
        INDArray cols = matrix(rows, g.taps());
        // cols [rows, K] = xRows [rows, iC] w2^T, w2 = w as [K = kH kW oC, iC]
        INDArray w2 = matrixView(w, g.taps(), ic);
        Runnable product = w2 == null ? null : JavaKernels.gemm(xRows, false, w2, true, cols);
        if (product == null) {
            return null;
        }
        Slot xsSlot = new Slot(0, (int) x.length());
        Slot xrsSlot = new Slot(1, (int) xRows.length());
        Slot csSlot = new Slot(2, (int) cols.length());
        Slot osSlot = new Slot(3, (int) out.length());
        Slot bsSlot = new Slot(4, b == null ? -1 : g.c);
        int outPixels = g.h * g.w;
        return () -> {
            float[] xs = xsSlot.get();
            float[] xrs = xrsSlot.get();
            float[] cs = csSlot.get();
            float[] os = osSlot.get();
            float[] bs = bsSlot.get();
            toRows(read(x, xs), g.n, ic, g.gridPixels(), xrs);
            write(xrs, xRows);
            product.run();
            col2im(read(cols, cs), g, os);
            if (b != null) {
                read(b, bs);
                for (int i = 0; i < g.n; i++) {
                    for (int c = 0; c < g.c; c++) {
                        int at = (i * g.c + c) * outPixels;
                        float bias = bs[c];
                        for (int p = 0; p < outPixels; p++) {
                            os[at + p] += bias;
                        }
                    }
                }
            }
            write(os, out);
        };
    }

    /** {@code deconv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} (gradB null without a bias), or null. */
    static Runnable deconv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, long[] iArgs) {
        Geometry g = usable(x, w, gradOut, gradX, gradW, gradB) ? deconvGeometry(x, w, gradOut, iArgs) : null;
        if (g == null
                || !Arrays.equals(gradX.shape(), x.shape())
                || !Arrays.equals(gradW.shape(), w.shape())
                || (gradB != null && gradB.length() != g.c)) {
            return null;
        }
        if (DIRECT && DirectConv.applies(g)) {
            return DirectConv.deconv2dBackward(x, w, gradOut, gradX, gradW, gradB, g);
        }
        int ic = (int) x.size(1);
        int rows = g.n * g.gridPixels();
        INDArray gradCols = matrix(rows, g.taps());
        INDArray xRows = matrix(rows, ic);
        INDArray gradXRows = matrix(rows, ic);
        INDArray w2 = matrixView(w, g.taps(), ic);
        INDArray gw2 = matrixView(gradW, g.taps(), ic);
        Runnable inputGrad = w2 == null ? null : JavaKernels.gemm(gradCols, false, w2, false, gradXRows);
        Runnable weightGrad = gw2 == null ? null : JavaKernels.gemm(gradCols, true, xRows, false, gw2);
        if (inputGrad == null || weightGrad == null) {
            return null;
        }
        Slot gsSlot = new Slot(0, (int) gradOut.length());
        Slot gcsSlot = new Slot(1, (int) gradCols.length());
        Slot xsSlot = new Slot(2, (int) x.length());
        Slot xrsSlot = new Slot(3, (int) xRows.length());
        Slot gxrsSlot = new Slot(4, (int) gradXRows.length());
        Slot gxsSlot = new Slot(5, (int) gradX.length());
        Slot gbsSlot = new Slot(6, g.c);
        return () -> {
            float[] gs = gsSlot.get();
            float[] gcs = gcsSlot.get();
            float[] xs = xsSlot.get();
            float[] xrs = xrsSlot.get();
            float[] gxrs = gxrsSlot.get();
            float[] gxs = gxsSlot.get();
            float[] gbs = gbsSlot.get();
            im2col(read(gradOut, gs), g, gcs);
            write(gcs, gradCols);
            toRows(read(x, xs), g.n, ic, g.gridPixels(), xrs);
            write(xrs, xRows);
            inputGrad.run();
            weightGrad.run();
            fromRows(read(gradXRows, gxrs), g.n, ic, g.gridPixels(), null, gxs);
            write(gxs, gradX);
            if (gradB != null) {
                channelSums(gs, g.n, g.c, g.h * g.w, gbs);
                write(gbs, gradB);
            }
        };
    }
}
