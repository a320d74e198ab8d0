package org.latentlab.engine;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.latentlab.engine.JavaConv.Geometry;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolutions with few taps ({@code kH kW C <= }{@value #MAX_TAPS}: the first layer of an image model, 3x3 over 1
 * or 3 channels, and the transposed convolution back to them) as direct loops, one image at a time, with no
 * products: a product with 9 or 27 as its inner size ran at 4 GFLOP/s in OpenBLAS (942 us for the conv-ae's first
 * layer at batch 128), and the im2col path's transposes between NCHW and one row per pixel cost as much again.
 *
 * <p>Each image's taps are gathered as {@code [K, pixels]} rows (the transpose of {@link JavaConv#im2col}'s layout)
 * in a per-thread scratch array, so every inner loop runs along a contiguous row of pixels, which C2 vectorises, and
 * the results are NCHW planes written in place. Sums over the batch (weight and bias gradients) are made per image and
 * added in image order, so the results do not depend on the threads. Geometry as {@link JavaConv}: weights
 * {@code [kH, kW, C, oC]} for {@code conv2d} (a {@code [K, oC]} matrix with {@code K = (ky kW + kx) C + c}) and
 * {@code [kH, kW, oC, iC]} for {@code deconv2d} (the adjoint of the convolution from its output onto its input).
 */
final class DirectConv {
    /** The most taps ({@code kH kW C}) of a convolution these loops take; above it the im2col path is faster. */
    static final int MAX_TAPS = 27;

    private DirectConv() {}

    /** Per-thread scratch: [0] an image, [1] the tap rows (K * pixels), [2] a row accumulator, [3] another image. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    private static final ThreadLocal<float[][][]> ROWS = ThreadLocal.withInitial(() -> new float[3][0][0]);

    /** Per-thread rows: {@code count} arrays of at least {@code length} floats (slot 0: taps, slot 1: planes, slot 2: products). */
    private static float[][] rows(int slot, int count, int length) {
        float[][][] r = ROWS.get();
        if (r[slot].length < count || r[slot][0].length < length) {
            r[slot] = new float[Math.max(count, r[slot].length)]
                    [Math.max(length, r[slot].length == 0 ? 0 : r[slot][0].length)];
        }
        return r[slot];
    }

    static boolean applies(Geometry g) {
        return g.taps() <= MAX_TAPS;
    }

    /**
     * {@code rows[k * P + p] = image[c, gy sh + ky - pt, gx sw + kx - pl]} (0 outside) for the tap
     * {@code k = (ky kW + kx) C + c} and the grid pixel {@code p = gy gW + gx}; {@code image} is one NCHW image.
     */
    static void gatherTaps(float[] image, Geometry g, float[][] rows) {
        int pixels = g.gridPixels();
        int plane = g.h() * g.w();
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                for (int c = 0; c < g.c(); c++) {
                    float[] row = rows[(ky * g.kw() + kx) * g.c() + c];
                    int src = c * plane;
                    for (int gy = 0; gy < g.gh(); gy++) {
                        int y = gy * g.sh() + ky - g.pt();
                        int at = gy * g.gw();
                        if (y < 0 || y >= g.h()) {
                            Arrays.fill(row, at, at + g.gw(), 0f);
                            continue;
                        }
                        int line = src + y * g.w();
                        for (int gx = 0; gx < g.gw(); gx++) {
                            int x = gx * g.sw() + kx - g.pl();
                            row[at + gx] = x < 0 || x >= g.w() ? 0f : image[line + x];
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #gatherTaps}: {@code image} (one NCHW image, overwritten) is the sum of its taps. */
    static void scatterTaps(float[][] rows, Geometry g, float[] image) {
        int pixels = g.gridPixels();
        int plane = g.h() * g.w();
        Arrays.fill(image, 0, g.c() * plane, 0f);
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                for (int c = 0; c < g.c(); c++) {
                    float[] row = rows[(ky * g.kw() + kx) * g.c() + c];
                    int dst = c * plane;
                    for (int gy = 0; gy < g.gh(); gy++) {
                        int y = gy * g.sh() + ky - g.pt();
                        if (y < 0 || y >= g.h()) {
                            continue;
                        }
                        int line = dst + y * g.w();
                        int at = gy * g.gw();
                        for (int gx = 0; gx < g.gw(); gx++) {
                            int x = gx * g.sw() + kx - g.pl();
                            if (x >= 0 && x < g.w()) {
                                image[line + x] += row[at + gx];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code acc[p] += s * row[p]} for p < len: one contiguous row (the loop C2 vectorises). */
    private static void axpy(float s, float[] row, float[] acc, int len) {
        for (int p = 0; p < len; p++) {
            acc[p] += s * row[p];
        }
    }

    /**
     * Images per partial sum of a weight gradient: each chunk accumulates its products element by element (a loop
     * C2 vectorises) and sums them once at its end; chunks are added in order, so the threads do not change the sums.
     */
    static final int CHUNK_IMAGES = 8;

    /** {@code acc[p] += a[p] * b[p]} for p < len. */
    private static void mulAdd(float[] acc, float[] a, float[] b, int len) {
        for (int p = 0; p < len; p++) {
            acc[p] += a[p] * b[p];
        }
    }

    /** The sum of {@code a[0..len)} in a fixed order (four running sums, then their sum). */
    private static float sum(float[] a, int len) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int p = 0;
        for (; p + 3 < len; p += 4) {
            s0 += a[p];
            s1 += a[p + 1];
            s2 += a[p + 2];
            s3 += a[p + 3];
        }
        for (; p < len; p++) {
            s0 += a[p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Reads {@code count} planes of {@code len} floats starting at {@code at} into {@code planes[0..count)}. */
    private static void readPlanes(FloatBuffer b, int at, int count, int len, float[][] planes) {
        for (int i = 0; i < count; i++) {
            b.get(at + i * len, planes[i], 0, len);
        }
    }

    /** {@code out[o, :] = b[o] + sum over k of w2[k, o] rows[k, :]} for one image (NCHW planes of P pixels). */
    private static void combine(
            float[][] rows,
            float[] w2,
            float[] bias,
            int taps,
            int outChannels,
            int pixels,
            float[] acc,
            FloatBuffer out,
            int outBase) {
        for (int o = 0; o < outChannels; o++) {
            Arrays.fill(acc, 0, pixels, bias == null ? 0f : bias[o]);
            for (int k = 0; k < taps; k++) {
                axpy(w2[k * outChannels + o], rows[k], acc, pixels);
            }
            out.put(outBase + o * pixels, acc, 0, pixels);
        }
    }

    /** {@code conv2d(x, w, b) -> out} for a geometry with few taps. */
    static Runnable conv2d(INDArray x, INDArray w, INDArray b, INDArray out, Geometry g) {
        int oc = (int) w.size(3);
        int k = g.taps();
        int pixels = g.gridPixels();
        int image = g.c() * g.h() * g.w();
        float[] w2 = new float[k * oc];
        float[] bias = b == null ? null : new float[oc];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer ob = out.data().asNioFloat();
            w.data().asNioFloat().get(0, w2, 0, w2.length);
            if (bias != null) {
                b.data().asNioFloat().get(0, bias, 0, oc);
            }
            JavaConv.forEachImage(g.n(), n -> {
                float[] img = scratch(0, image);
                float[][] rows = rows(0, k, pixels);
                float[] acc = scratch(2, pixels);
                xb.get(n * image, img, 0, image);
                gatherTaps(img, g, rows);
                combine(rows, w2, bias, k, oc, pixels, acc, ob, n * oc * pixels);
            });
        };
    }

    /**
     * {@code conv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} for a geometry with few taps (gradX null: not
     * computed; gradB null: no bias).
     */
    static Runnable conv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, Geometry g) {
        int oc = (int) w.size(3);
        int k = g.taps();
        int pixels = g.gridPixels();
        int image = g.c() * g.h() * g.w();
        int outImage = oc * pixels;
        float[] w2 = new float[k * oc];
        int chunks = (g.n() + CHUNK_IMAGES - 1) / CHUNK_IMAGES;
        float[][] partW = new float[chunks][k * oc];
        float[][] partB = new float[chunks][oc];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer gb = gradOut.data().asNioFloat();
            FloatBuffer gxb = gradX == null ? null : gradX.data().asNioFloat();
            w.data().asNioFloat().get(0, w2, 0, w2.length);
            JavaConv.forEachImage(chunks, chunk -> {
                float[][] prod = rows(2, k * oc, pixels);
                for (int i = 0; i < k * oc; i++) {
                    Arrays.fill(prod[i], 0, pixels, 0f);
                }
                float[] pb = partB[chunk];
                Arrays.fill(pb, 0f);
                for (int n = chunk * CHUNK_IMAGES; n < Math.min(g.n(), (chunk + 1) * CHUNK_IMAGES); n++) {
                    float[] img = scratch(0, image);
                    float[][] rows = rows(0, k, pixels);
                    float[][] go = rows(1, oc, pixels);
                    xb.get(n * image, img, 0, image);
                    readPlanes(gb, n * outImage, oc, pixels, go);
                    gatherTaps(img, g, rows);
                    for (int o = 0; o < oc; o++) {
                        pb[o] += sum(go[o], pixels);
                        for (int t = 0; t < k; t++) {
                            mulAdd(prod[t * oc + o], rows[t], go[o], pixels);
                        }
                    }
                    if (gxb != null) {
                        // the taps' gradients, rows[t, :] = sum over o of w2[t, o] gradOut[o, :], summed back onto
                        // the image
                        for (int t = 0; t < k; t++) {
                            float[] acc = rows[t];
                            Arrays.fill(acc, 0, pixels, 0f);
                            for (int o = 0; o < oc; o++) {
                                axpy(w2[t * oc + o], go[o], acc, pixels);
                            }
                        }
                        scatterTaps(rows, g, img);
                        gxb.put(n * image, img, 0, image);
                    }
                }
                float[] pw = partW[chunk];
                for (int i = 0; i < k * oc; i++) {
                    pw[i] = sum(prod[i], pixels);
                }
            });
            sumInOrder(partW, gradW);
            if (gradB != null) {
                sumInOrder(partB, gradB);
            }
        };
    }

    /** {@code into = sum over images of parts[n]}, added in image order. */
    private static void sumInOrder(float[][] parts, INDArray into) {
        float[] sum = new float[parts[0].length];
        for (float[] part : parts) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += part[i];
            }
        }
        into.data().asNioFloat().put(0, sum, 0, sum.length);
    }

    /**
     * {@code deconv2d(x, w, b) -> out} where {@code g} is the adjoint convolution's geometry (out's channels and
     * plane onto x's grid) with few taps: per image, the taps' rows {@code [K, P] = w2 [K, iC] x [iC, P]}, summed
     * back onto out's planes.
     */
    static Runnable deconv2d(INDArray x, INDArray w, INDArray b, INDArray out, Geometry g) {
        int ic = (int) x.size(1);
        int k = g.taps();
        int pixels = g.gridPixels();
        int inImage = ic * pixels;
        int plane = g.h() * g.w();
        int outImage = g.c() * plane;
        float[] w2 = new float[k * ic];
        float[] bias = b == null ? null : new float[g.c()];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer ob = out.data().asNioFloat();
            w.data().asNioFloat().get(0, w2, 0, w2.length);
            if (bias != null) {
                b.data().asNioFloat().get(0, bias, 0, bias.length);
            }
            JavaConv.forEachImage(g.n(), n -> {
                float[][] in = rows(1, ic, pixels);
                float[][] rows = rows(0, k, pixels);
                float[] img = scratch(0, outImage);
                readPlanes(xb, n * inImage, ic, pixels, in);
                for (int t = 0; t < k; t++) {
                    float[] acc = rows[t];
                    Arrays.fill(acc, 0, pixels, 0f);
                    for (int c = 0; c < ic; c++) {
                        axpy(w2[t * ic + c], in[c], acc, pixels);
                    }
                }
                scatterTaps(rows, g, img);
                if (bias != null) {
                    for (int c = 0; c < g.c(); c++) {
                        float bc = bias[c];
                        int at = c * plane;
                        for (int p = 0; p < plane; p++) {
                            img[at + p] += bc;
                        }
                    }
                }
                ob.put(n * outImage, img, 0, outImage);
            });
        };
    }

    /** {@code deconv2d_bp(x, w, b, gradOut) -> gradX, gradW, gradB} with the adjoint geometry {@code g}. */
    static Runnable deconv2dBackward(
            INDArray x, INDArray w, INDArray gradOut, INDArray gradX, INDArray gradW, INDArray gradB, Geometry g) {
        int ic = (int) x.size(1);
        int k = g.taps();
        int pixels = g.gridPixels();
        int inImage = ic * pixels;
        int plane = g.h() * g.w();
        int outImage = g.c() * plane;
        float[] w2 = new float[k * ic];
        int chunks = (g.n() + CHUNK_IMAGES - 1) / CHUNK_IMAGES;
        float[][] partW = new float[chunks][k * ic];
        float[][] partB = new float[chunks][g.c()];
        return () -> {
            FloatBuffer xb = x.data().asNioFloat();
            FloatBuffer gb = gradOut.data().asNioFloat();
            FloatBuffer gxb = gradX.data().asNioFloat();
            w.data().asNioFloat().get(0, w2, 0, w2.length);
            JavaConv.forEachImage(chunks, chunk -> {
                float[][] prod = rows(2, k * ic, pixels);
                for (int i = 0; i < k * ic; i++) {
                    Arrays.fill(prod[i], 0, pixels, 0f);
                }
                float[] pb = partB[chunk];
                Arrays.fill(pb, 0f);
                for (int n = chunk * CHUNK_IMAGES; n < Math.min(g.n(), (chunk + 1) * CHUNK_IMAGES); n++) {
                    float[] go = scratch(0, outImage);
                    float[][] rows = rows(0, k, pixels);
                    float[] acc = scratch(2, pixels);
                    float[][] in = rows(1, ic, pixels);
                    gb.get(n * outImage, go, 0, outImage);
                    readPlanes(xb, n * inImage, ic, pixels, in);
                    gatherTaps(go, g, rows);
                    for (int t = 0; t < k; t++) {
                        for (int c = 0; c < ic; c++) {
                            mulAdd(prod[t * ic + c], rows[t], in[c], pixels);
                        }
                    }
                    for (int c = 0; c < g.c(); c++) {
                        float sc = 0f;
                        for (int p = 0; p < plane; p++) {
                            sc += go[c * plane + p];
                        }
                        pb[c] += sc;
                    }
                    // gradX[c, :] = sum over t of w2[t, c] rows[t, :]
                    for (int c = 0; c < ic; c++) {
                        Arrays.fill(acc, 0, pixels, 0f);
                        for (int t = 0; t < k; t++) {
                            axpy(w2[t * ic + c], rows[t], acc, pixels);
                        }
                        gxb.put(n * inImage + c * pixels, acc, 0, pixels);
                    }
                }
                float[] pw = partW[chunk];
                for (int i = 0; i < k * ic; i++) {
                    pw[i] = sum(prod[i], pixels);
                }
            });
            sumInOrder(partW, gradW);
            if (gradB != null) {
                sumInOrder(partB, gradB);
            }
        };
    }
}
