package org.latentlab.engine;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.latentlab.engine.JavaConv.Geometry;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolutions whose products for one image are small ({@code gridPixels * taps * channels <= }
 * {@link JavaKernels#ONE_THREAD_MNK}, which OpenBLAS runs on the calling thread) computed one image at a time: the
 * image's {@code im2col} rows ({@code [P, K]}) are made in a per-thread array that stays in cache, copied to a
 * per-thread native array, and multiplied with the weights by one {@code cblas_sgemm} whose result lands in the NCHW
 * output directly ({@code out_n [oC, P] = w2^T cols_n^T}: the products' transposes take the place of the batch path's
 * transposes between NCHW and one row per pixel).
 *
 * <p>Why: in the batch path ({@link JavaConv}) the whole batch's column matrix (3.6 MB for the conv-ae's second
 * layer) goes through memory twice, and its Java loops on the fork-join pool and OpenBLAS's second thread take turns
 * on the cores: the conv-ae's second layer took 1.5-1.6 ms that way and 0.5-0.6 ms per image (AMD EPYC, SkylakeX
 * kernels, docs/PERFORMANCE.md). Here both cores run whole images, and OpenBLAS never wakes its second thread.
 *
 * <p>Sums over the batch (weight and bias gradients) are made per chunk of {@link DirectConv#CHUNK_IMAGES} images in
 * image order (the products accumulate with {@code beta = 1}) and the chunks are added in order, so the results do
 * not depend on the threads. Geometry and weight layouts as {@link JavaConv}.
 */
final class ImageConv {
    private ImageConv() {}

    /** Whether one image's products of a layer with {@code channels} on the other side of {@code g} are that small. */
    static boolean applies(Geometry g, int channels) {
        return Cblas.AVAILABLE && (double) g.gridPixels() * g.taps() * channels <= JavaKernels.ONE_THREAD_MNK;
    }

    /** Per-thread native scratch: [0] one image's column rows, [1] its gradient. */
    private static final ThreadLocal<FloatPointer[]> NATIVE = ThreadLocal.withInitial(() -> new FloatPointer[2]);

    private static FloatPointer nativeScratch(int slot, int size) {
        FloatPointer[] s = NATIVE.get();
        if (s[slot] == null || s[slot].capacity() < size) {
            s[slot] = new FloatPointer(size);
        }
        return s[slot];
    }

    private static int chunks(Geometry g) {
        return (g.n() + DirectConv.CHUNK_IMAGES - 1) / DirectConv.CHUNK_IMAGES;
    }

    /** {@code into = sum over chunks of parts[chunk]}, added in chunk order. */
    private static void sumChunks(FloatPointer parts, int chunks, int size, float[] part, float[] sum, INDArray into) {
        java.util.Arrays.fill(sum, 0f);
        for (int c = 0; c < chunks; c++) {
            parts.position((long) c * size).get(part, 0, size);
            for (int i = 0; i < size; i++) {
                sum[i] += part[i];
            }
        }
        parts.position(0);
        into.data().asNioFloat().put(0, sum, 0, size);
    }

    /** Image {@code n}'s column rows, also copied to this thread's native scratch (returned). */
    private static FloatPointer columns(FloatBuffer src, Geometry g, int n, float[] sums) {
        int size = g.gridPixels() * g.taps();
        float[] rows = JavaConv.im2colRows(src, g, n, sums);
        FloatPointer c = nativeScratch(0, size);
        c.put(rows, 0, size);
        return c;
    }

    /** {@code conv2d(x, w, b) -> out}: per image, {@code out_n [oC, P] = w2^T [oC, K] cols_n^T [K, P]}. */
    static Runnable conv2d(INDArray x, INDArray w, INDArray b, INDArray out, Geometry g) {
        int oc = (int) w.size(3);
        int k = g.taps();
        int pixels = g.gridPixels();
        int outImage = oc * pixels;
        FloatPointer wp = Cblas.base(w);
        FloatPointer op = Cblas.base(out);
        float[] bias = b == null ? null : new float[oc];
        float[] biasPlanes = b == null ? null : new float[outImage];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer ob = out.data().asNioFloat();
            if (bias != null) {
                b.data().asNioFloat().get(0, bias, 0, oc);
                for (int o = 0; o < oc; o++) {
                    java.util.Arrays.fill(biasPlanes, o * pixels, (o + 1) * pixels, bias[o]);
                }
            }
            JavaConv.forEachImage(g.n(), n -> {
                FloatPointer c = columns(xb, g, n, null);
                if (biasPlanes != null) {
                    ob.put(n * outImage, biasPlanes, 0, outImage);
                }
                Cblas.sgemm(
                        true,
                        true,
                        oc,
                        pixels,
                        k,
                        wp,
                        0,
                        oc,
                        c,
                        0,
                        k,
                        biasPlanes == null ? 0f : 1f,
                        op,
                        (long) n * outImage,
                        pixels);
            });
        };
    }

    /**
     * {@code conv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} (gradX null: not computed; gradB null: no bias): per
     * image, {@code gradW += cols_n^T [K, P] gradOut_n^T [P, oC]} and the columns' gradient
     * {@code gradOut_n^T [P, oC] w2^T [oC, K]} summed back onto the image.
     */
    static Runnable conv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, Geometry g) {
        int oc = (int) w.size(3);
        int k = g.taps();
        int pixels = g.gridPixels();
        int outImage = oc * pixels;
        int chunks = chunks(g);
        FloatPointer wp = Cblas.base(w);
        FloatPointer gp = Cblas.base(gradOut);
        FloatPointer partW = new FloatPointer((long) chunks * k * oc);
        float[] part = new float[k * oc];
        float[] sum = new float[k * oc];
        float[] sums = gradB == null ? null : new float[g.n() * oc];
        float[] biasGrad = new float[oc];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer gb = gradOut.data().asNioFloat();
            FloatBuffer gxb = gradX == null ? null : gradX.data().asNioFloat();
            JavaConv.forEachImage(chunks, chunk -> {
                int first = chunk * DirectConv.CHUNK_IMAGES;
                for (int n = first; n < Math.min(g.n(), first + DirectConv.CHUNK_IMAGES); n++) {
                    FloatPointer c = columns(xb, g, n, null);
                    long go = (long) n * outImage;
                    Cblas.sgemm(
                            true,
                            true,
                            k,
                            oc,
                            pixels,
                            c,
                            0,
                            k,
                            gp,
                            go,
                            pixels,
                            n == first ? 0f : 1f,
                            partW,
                            (long) chunk * k * oc,
                            oc);
                    if (sums != null) {
                        float[] img = JavaConv.columnScratch(outImage);
                        gb.get(n * outImage, img, 0, outImage);
                        JavaConv.planeSums(img, oc, pixels, sums, n * oc);
                    }
                    if (gxb != null) {
                        FloatPointer gc = nativeScratch(1, pixels * k);
                        Cblas.sgemm(true, true, pixels, k, oc, gp, go, pixels, wp, 0, oc, 0f, gc, 0, k);
                        float[] rows = JavaConv.columnScratch(pixels * k);
                        gc.get(rows, 0, pixels * k);
                        JavaConv.col2imRows(rows, g, gxb, n, null);
                    }
                }
            });
            sumChunks(partW, chunks, k * oc, part, sum, gradW);
            if (gradB != null) {
                JavaConv.sumImages(sums, g.n(), oc, biasGrad, gradB);
            }
        };
    }

    /**
     * {@code deconv2d(x, w, b) -> out} where {@code g} is the adjoint convolution's geometry: per image, the columns
     * {@code x_n^T [P, iC] w2^T [iC, K]} summed back onto out's planes.
     */
    static Runnable deconv2d(INDArray x, INDArray w, INDArray b, INDArray out, Geometry g) {
        int ic = (int) x.size(1);
        int k = g.taps();
        int pixels = g.gridPixels();
        int inImage = ic * pixels;
        FloatPointer wp = Cblas.base(w);
        FloatPointer xp = Cblas.base(x);
        float[] bias = b == null ? null : new float[g.c()];
        return () -> {
            FloatBuffer ob = out.data().asNioFloat();
            if (bias != null) {
                b.data().asNioFloat().get(0, bias, 0, bias.length);
            }
            JavaConv.forEachImage(g.n(), n -> {
                FloatPointer c = nativeScratch(0, pixels * k);
                Cblas.sgemm(true, true, pixels, k, ic, xp, (long) n * inImage, pixels, wp, 0, ic, 0f, c, 0, k);
                float[] rows = JavaConv.columnScratch(pixels * k);
                c.get(rows, 0, pixels * k);
                JavaConv.col2imRows(rows, g, ob, n, bias);
            });
        };
    }

    /**
     * {@code deconv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} with the adjoint geometry {@code g}: per image,
     * the columns of gradOut, {@code gradX_n [iC, P] = w2^T [iC, K] cols_n^T [K, P]} and
     * {@code gradW += cols_n^T [K, P] x_n^T [P, iC]}.
     */
    static Runnable deconv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, Geometry g) {
        int ic = (int) x.size(1);
        int k = g.taps();
        int pixels = g.gridPixels();
        int inImage = ic * pixels;
        int chunks = chunks(g);
        FloatPointer wp = Cblas.base(w);
        FloatPointer xp = Cblas.base(x);
        FloatPointer gxp = Cblas.base(gradX);
        FloatPointer partW = new FloatPointer((long) chunks * k * ic);
        float[] part = new float[k * ic];
        float[] sum = new float[k * ic];
        float[] sums = gradB == null ? null : new float[g.n() * g.c()];
        float[] biasGrad = new float[g.c()];
        return () -> {
            FloatBuffer gb = gradOut.data().asNioFloat();
            JavaConv.forEachImage(chunks, chunk -> {
                int first = chunk * DirectConv.CHUNK_IMAGES;
                for (int n = first; n < Math.min(g.n(), first + DirectConv.CHUNK_IMAGES); n++) {
                    FloatPointer c = columns(gb, g, n, sums);
                    long xn = (long) n * inImage;
                    Cblas.sgemm(true, true, ic, pixels, k, wp, 0, ic, c, 0, k, 0f, gxp, xn, pixels);
                    Cblas.sgemm(
                            true,
                            true,
                            k,
                            ic,
                            pixels,
                            c,
                            0,
                            k,
                            xp,
                            xn,
                            pixels,
                            n == first ? 0f : 1f,
                            partW,
                            (long) chunk * k * ic,
                            ic);
                }
            });
            sumChunks(partW, chunks, k * ic, part, sum, gradW);
            if (gradB != null) {
                JavaConv.sumImages(sums, g.n(), g.c(), biasGrad, gradB);
            }
        };
    }
}
