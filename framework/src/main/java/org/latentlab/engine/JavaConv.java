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

    /** Per-thread scratch for one image: [0] NCHW planes, [1] the image as [h, w, c] or as rows, [2] its columns. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    /**
     * Image {@code n}'s rows of the column matrix, {@code cols[(n, gy, gx), (ky, kx, c)] = src[n, c, gy sh + ky - pt,
     * gx sw + kx - pl]} (0 outside), written into {@code cols}; with {@code sums} not null, also
     * {@code sums[n C + c]} = the sum of the image's plane {@code c}. The image and its columns pass through
     * per-thread scratch arrays that stay in cache, so ND4J's buffers are read and written once.
     */
    static void im2colImage(FloatBuffer src, Geometry g, FloatBuffer cols, int n, float[] sums) {
        int size = g.gridPixels() * g.taps();
        cols.put(n * size, im2colRows(src, g, n, sums), 0, size);
    }

    /**
     * {@link #im2colImage}'s rows of image {@code n} in a per-thread scratch array ({@code gridPixels * taps} floats
     * at its start), valid until the thread's next call.
     */
    static float[] im2colRows(FloatBuffer src, Geometry g, int n, float[] sums) {
        int c = g.c;
        int plane = g.h * g.w;
        int k = g.taps();
        int size = c * plane;
        float[] img = scratch(0, size);
        src.get(n * size, img, 0, size);
        if (sums != null) {
            planeSums(img, c, plane, sums, n * c);
        }
        // The image as [h, w, c], so that each tap copies c contiguous values; read from the planes directly, a tap
        // would gather c values a plane apart.
        float[] hwc = img;
        if (c > 1) {
            hwc = scratch(1, size);
            for (int ch = 0; ch < c; ch++) {
                int from = ch * plane;
                for (int p = 0; p < plane; p++) {
                    hwc[p * c + ch] = img[from + p];
                }
            }
        }
        float[] rows = scratch(2, g.gridPixels() * k);
        int base = 0;
        for (int gy = 0; gy < g.gh; gy++) {
            for (int gx = 0; gx < g.gw; gx++, base += k) {
                for (int ky = 0; ky < g.kh; ky++) {
                    int y = gy * g.sh + ky - g.pt;
                    for (int kx = 0; kx < g.kw; kx++) {
                        int x = gx * g.sw + kx - g.pl;
                        int col = base + (ky * g.kw + kx) * c;
                        if (y < 0 || y >= g.h || x < 0 || x >= g.w) {
                            Arrays.fill(rows, col, col + c, 0f);
                        } else if (c == 1) {
                            rows[col] = hwc[y * g.w + x];
                        } else {
                            System.arraycopy(hwc, (y * g.w + x) * c, rows, col, c);
                        }
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The adjoint of {@link #im2colImage} for image {@code n}: its planes in {@code dst} set to the sum of every
     * column entry at its source, plus {@code bias[c]} (if not null).
     */
    static void col2imImage(FloatBuffer cols, Geometry g, FloatBuffer dst, int n, float[] bias) {
        int size = g.gridPixels() * g.taps();
        float[] rows = scratch(2, size);
        cols.get(n * size, rows, 0, size);
        col2imRows(rows, g, dst, n, bias);
    }

    /**
     * {@link #col2imImage} from image {@code n}'s rows already in a heap array ({@code gridPixels * taps} floats at its
     * start; it may be this thread's {@link #columnScratch}).
     */
    static void col2imRows(float[] rows, Geometry g, FloatBuffer dst, int n, float[] bias) {
        int c = g.c;
        int plane = g.h * g.w;
        int k = g.taps();
        int size = c * plane;
        // Summed as [h, w, c] (each entry gets its terms in the same order as summing into the planes would), then
        // written out plane by plane.
        float[] hwc = scratch(1, size);
        Arrays.fill(hwc, 0, size, 0f);
        int base = 0;
        for (int gy = 0; gy < g.gh; gy++) {
            for (int gx = 0; gx < g.gw; gx++, base += k) {
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
                            hwc[at + ch] += rows[col + ch];
                        }
                    }
                }
            }
        }
        float[] img = scratch(0, size);
        for (int ch = 0; ch < c; ch++) {
            int to = ch * plane;
            float b = bias == null ? 0f : bias[ch];
            for (int p = 0; p < plane; p++) {
                img[to + p] = hwc[p * c + ch] + b;
            }
        }
        dst.put(n * size, img, 0, size);
    }

    /** This thread's scratch array for one image's column rows, at least {@code size} floats. */
    static float[] columnScratch(int size) {
        return scratch(2, size);
    }

    /**
     * Image {@code n} of {@code nchw} as rows, {@code rows[(n, p), c] = nchw[n, c, p]}, for {@code channels} channels
     * of {@code pixels} pixels; with {@code sums} not null, also {@code sums[n channels + c]} = the plane's sum.
     */
    static void toRowsImage(FloatBuffer nchw, int n, int channels, int pixels, FloatBuffer rows, float[] sums) {
        int size = channels * pixels;
        float[] img = scratch(0, size);
        nchw.get(n * size, img, 0, size);
        if (sums != null) {
            planeSums(img, channels, pixels, sums, n * channels);
        }
        float[] r = scratch(1, size);
        for (int c = 0; c < channels; c++) {
            int src = c * pixels;
            for (int p = 0; p < pixels; p++) {
                r[p * channels + c] = img[src + p];
            }
        }
        rows.put(n * size, r, 0, size);
    }

    /** The inverse of {@link #toRowsImage} for image {@code n}, adding {@code bias[c]} (if not null). */
    static void fromRowsImage(FloatBuffer rows, int n, int channels, int pixels, float[] bias, FloatBuffer nchw) {
        int size = channels * pixels;
        float[] r = scratch(1, size);
        rows.get(n * size, r, 0, size);
        float[] img = scratch(0, size);
        for (int c = 0; c < channels; c++) {
            int dst = c * pixels;
            float b = bias == null ? 0f : bias[c];
            for (int p = 0; p < pixels; p++) {
                img[dst + p] = r[p * channels + c] + b;
            }
        }
        nchw.put(n * size, img, 0, size);
    }

    /** {@code sums[at + c]} = the sum of plane {@code c} of one image, its pixels added in order. */
    static void planeSums(float[] img, int channels, int pixels, float[] sums, int at) {
        for (int c = 0; c < channels; c++) {
            int src = c * pixels;
            float s = 0f;
            for (int p = 0; p < pixels; p++) {
                s += img[src + p];
            }
            sums[at + c] = s;
        }
    }

    /** {@code out[c]} = the sum over images of {@code perImage[n C + c]}, added in image order, written to {@code into}. */
    static void sumImages(float[] perImage, int n, int channels, float[] out, INDArray into) {
        Arrays.fill(out, 0f);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                out[c] += perImage[i * channels + c];
            }
        }
        into.data().asNioFloat().put(0, out, 0, channels);
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

    /**
     * Whether convolutions whose products for one image OpenBLAS runs on the calling thread run image by image
     * ({@link ImageConv}); tests switch it off to check the batch path on the same geometries.
     */
    static volatile boolean PER_IMAGE = true;

    /** Whether the planner may put these kernels in place of libnd4j's convolutions ({@link EngineOptions#JAVA_CONV_ENV}). */
    static final boolean ENABLED = EngineOptions.javaConvolutions() != EngineOptions.JavaConvolutions.OFF;

    private static final int PARALLELISM = EngineOptions.javaConvolutions() == EngineOptions.JavaConvolutions.ONE_THREAD
            ? 1
            : java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1;

    private static INDArray matrix(long rows, long cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
    }

    /**
     * A planned forward convolution: its kernel, and the matrix of its input that the backward pass of the same
     * convolution can take instead of making it again ({@code im2col} of x for {@code conv2d}, x as rows for
     * {@code deconv2d}; null for the direct loops). The planned step runs the forward kernel before the backward one
     * and nothing else writes that matrix.
     */
    static final class Forward implements Runnable {
        final INDArray x;
        final INDArray w;
        final long[] iArgs;
        final INDArray inputMatrix;
        private final Runnable body;

        Forward(INDArray x, INDArray w, long[] iArgs, INDArray inputMatrix, Runnable body) {
            this.x = x;
            this.w = w;
            this.iArgs = iArgs.clone();
            this.inputMatrix = inputMatrix;
            this.body = body;
        }

        @Override
        public void run() {
            body.run();
        }

        /** This forward's input matrix if {@code x}, {@code w} and {@code iArgs} are its own, else null. */
        INDArray inputMatrixFor(INDArray x, INDArray w, long[] iArgs) {
            return this.x == x && this.w == w && Arrays.equals(this.iArgs, iArgs) ? inputMatrix : null;
        }
    }

    private static float[] read(INDArray a, float[] into) {
        a.data().asNioFloat().get(0, into, 0, into.length);
        return into;
    }

    /** {@code conv2d(x, w, b) -> out}, or null if not supported. */
    static Forward conv2d(INDArray x, INDArray w, INDArray b, INDArray out, long[] iArgs) {
        Geometry g = usable(x, w, b, out) ? convGeometry(x, w, out, iArgs) : null;
        int oc = g == null ? 0 : (int) w.size(3);
        if (g == null || (b != null && b.length() != oc)) {
            return null;
        }
        if (DIRECT && DirectConv.applies(g)) {
            return new Forward(x, w, iArgs, null, DirectConv.conv2d(x, w, b, out, g));
        }
        if (PER_IMAGE && ImageConv.applies(g, oc)) {
            return new Forward(x, w, iArgs, null, ImageConv.conv2d(x, w, b, out, g));
        }
        int rows = g.n * g.gridPixels();
        INDArray cols = matrix(rows, g.taps());
        INDArray outRows = matrix(rows, oc);
        INDArray w2 = matrixView(w, g.taps(), oc);
        Runnable product = w2 == null ? null : JavaKernels.gemm(cols, false, w2, false, outRows);
        if (product == null) {
            return null;
        }
        float[] bias = b == null ? null : new float[oc];
        int pixels = g.gridPixels();
        return new Forward(x, w, iArgs, cols, () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer cb = cols.data().asNioFloat();
            FloatBuffer rb = outRows.data().asNioFloat();
            FloatBuffer ob = out.data().asNioFloat();
            if (bias != null) {
                read(b, bias);
            }
            forEachImage(g.n, i -> im2colImage(xb, g, cb, i, null));
            product.run();
            forEachImage(g.n, i -> fromRowsImage(rb, i, oc, pixels, bias, ob));
        });
    }

    /**
     * {@code conv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} (gradB null without a bias; gradX null when nothing
     * reads it, as for the first layer, and then not computed), or null.
     */
    static Runnable conv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, long[] iArgs) {
        return conv2dBackward(x, w, gradOut, gradX, gradW, gradB, iArgs, null);
    }

    /**
     * {@link #conv2dBackward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, long[])} with the planned
     * forward convolution of the same x and w (or null), whose column matrix it then reads instead of making it.
     */
    static Runnable conv2dBackward(
            INDArray x,
            INDArray w,
            INDArray gradOut,
            INDArray gradX,
            INDArray gradW,
            INDArray gradB,
            long[] iArgs,
            Forward forward) {
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
        if (PER_IMAGE && ImageConv.applies(g, oc)) {
            return ImageConv.conv2dBackward(x, w, gradOut, gradX, gradW, gradB, g);
        }
        int pixels = g.gridPixels();
        int rows = g.n * pixels;
        INDArray reused = forward == null ? null : forward.inputMatrixFor(x, w, iArgs);
        INDArray cols = reused != null ? reused : matrix(rows, g.taps());
        INDArray gradRows = matrix(rows, oc);
        INDArray gradCols = gradX == null ? null : matrix(rows, g.taps());
        INDArray w2 = matrixView(w, g.taps(), oc);
        INDArray gw2 = matrixView(gradW, g.taps(), oc);
        Runnable weightGrad = w2 == null || gw2 == null ? null : JavaKernels.gemm(cols, true, gradRows, false, gw2);
        Runnable colsGrad =
                w2 == null || gradCols == null ? null : JavaKernels.gemm(gradRows, false, w2, true, gradCols);
        if (weightGrad == null || (gradX != null && colsGrad == null)) {
            return null;
        }
        float[] sums = gradB == null ? null : new float[g.n * oc];
        float[] biasGrad = new float[oc];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer cb = cols.data().asNioFloat();
            FloatBuffer gb = gradOut.data().asNioFloat();
            FloatBuffer grb = gradRows.data().asNioFloat();
            if (reused == null) {
                forEachImage(g.n, i -> im2colImage(xb, g, cb, i, null));
            }
            forEachImage(g.n, i -> toRowsImage(gb, i, oc, pixels, grb, sums));
            weightGrad.run();
            if (gradX != null) {
                colsGrad.run();
                FloatBuffer gcb = gradCols.data().asNioFloat();
                FloatBuffer gxb = gradX.data().asNioFloat();
                forEachImage(g.n, i -> col2imImage(gcb, g, gxb, i, null));
            }
            if (gradB != null) {
                sumImages(sums, g.n, oc, biasGrad, gradB);
            }
        };
    }

    /** {@code deconv2d(x, w, b) -> out}, or null if not supported. */
    static Forward deconv2d(INDArray x, INDArray w, INDArray b, INDArray out, long[] iArgs) {
        Geometry g = usable(x, w, b, out) ? deconvGeometry(x, w, out, iArgs) : null;
        int ic = (int) x.size(1);
        if (g == null || (b != null && b.length() != g.c)) {
            return null;
        }
        if (DIRECT && DirectConv.applies(g)) {
            return new Forward(x, w, iArgs, null, DirectConv.deconv2d(x, w, b, out, g));
        }
        if (PER_IMAGE && ImageConv.applies(g, ic)) {
            return new Forward(x, w, iArgs, null, ImageConv.deconv2d(x, w, b, out, g));
        }
        int pixels = g.gridPixels();
        int rows = g.n * pixels;
        INDArray xRows = matrix(rows, ic);
        INDArray cols = matrix(rows, g.taps());
        // cols [rows, K] = xRows [rows, iC] w2^T, w2 = w as [K = kH kW oC, iC]
        INDArray w2 = matrixView(w, g.taps(), ic);
        Runnable product = w2 == null ? null : JavaKernels.gemm(xRows, false, w2, true, cols);
        if (product == null) {
            return null;
        }
        float[] bias = b == null ? null : new float[g.c];
        return new Forward(x, w, iArgs, xRows, () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer xrb = xRows.data().asNioFloat();
            FloatBuffer cb = cols.data().asNioFloat();
            FloatBuffer ob = out.data().asNioFloat();
            if (bias != null) {
                read(b, bias);
            }
            forEachImage(g.n, i -> toRowsImage(xb, i, ic, pixels, xrb, null));
            product.run();
            forEachImage(g.n, i -> col2imImage(cb, g, ob, i, bias));
        });
    }

    /** {@code deconv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} (gradB null without a bias), or null. */
    static Runnable deconv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, long[] iArgs) {
        return deconv2dBackward(x, w, gradOut, gradX, gradW, gradB, iArgs, null);
    }

    /**
     * {@link #deconv2dBackward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, long[])} with the planned
     * forward transposed convolution of the same x and w (or null), whose rows of x it then reads.
     */
    static Runnable deconv2dBackward(
            INDArray x,
            INDArray w,
            INDArray gradOut,
            INDArray gradX,
            INDArray gradW,
            INDArray gradB,
            long[] iArgs,
            Forward forward) {
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
        if (PER_IMAGE && ImageConv.applies(g, ic)) {
            return ImageConv.deconv2dBackward(x, w, gradOut, gradX, gradW, gradB, g);
        }
        int pixels = g.gridPixels();
        int rows = g.n * pixels;
        INDArray reused = forward == null ? null : forward.inputMatrixFor(x, w, iArgs);
        INDArray gradCols = matrix(rows, g.taps());
        INDArray xRows = reused != null ? reused : matrix(rows, ic);
        INDArray gradXRows = matrix(rows, ic);
        INDArray w2 = matrixView(w, g.taps(), ic);
        INDArray gw2 = matrixView(gradW, g.taps(), ic);
        Runnable inputGrad = w2 == null ? null : JavaKernels.gemm(gradCols, false, w2, false, gradXRows);
        Runnable weightGrad = gw2 == null ? null : JavaKernels.gemm(gradCols, true, xRows, false, gw2);
        if (inputGrad == null || weightGrad == null) {
            return null;
        }
        float[] sums = gradB == null ? null : new float[g.n * g.c];
        float[] biasGrad = new float[g.c];
        return () -> {
            FloatBuffer gb = gradOut.data().asNioFloat();
            FloatBuffer gcb = gradCols.data().asNioFloat();
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer xrb = xRows.data().asNioFloat();
            FloatBuffer gxrb = gradXRows.data().asNioFloat();
            FloatBuffer gxb = gradX.data().asNioFloat();
            forEachImage(g.n, i -> im2colImage(gb, g, gcb, i, sums));
            if (reused == null) {
                forEachImage(g.n, i -> toRowsImage(xb, i, ic, pixels, xrb, null));
            }
            inputGrad.run();
            weightGrad.run();
            forEachImage(g.n, i -> fromRowsImage(gxrb, i, ic, pixels, null, gxb));
            if (gradB != null) {
                sumImages(sums, g.n, g.c, biasGrad, gradB);
            }
        };
    }
}
