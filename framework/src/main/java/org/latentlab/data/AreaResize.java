package org.latentlab.data;

/**
 * Resizes images by area averaging: each output pixel is the mean of the input area it covers, input pixels that
 * it covers in part weighted by the overlap. Computed separably (along the width, then along the height) in double
 * precision with exact integer overlaps, then rounded to float, so the result is the same on every JVM; no Java2D
 * rendering hints are involved. Shrinking averages whole blocks (a 56x56 image to 28x28 is the mean of each 2x2
 * block); enlarging repeats pixels and blends the ones that straddle a boundary.
 */
final class AreaResize {

    private AreaResize() {}

    /**
     * {@code src}, {@code channels} planes of {@code height x width} values (row-major, plane after plane), resized
     * to {@code outHeight x outWidth}, in the same layout.
     */
    static float[] resize(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        float[] out = new float[channels * outHeight * outWidth];
        double[] in = new double[height * width];
        double[] rows = new double[height * outWidth];
        double[] done = new double[outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < in.length; i++) {
                in[i] = src[c * height * width + i];
            }
            for (int y = 0; y < height; y++) {
                resample(in, y * width, 1, width, rows, y * outWidth, 1, outWidth);
            }
            for (int x = 0; x < outWidth; x++) {
                resample(rows, x, outWidth, height, done, x, outWidth, outHeight);
            }
            for (int i = 0; i < done.length; i++) {
                // a mean of values in [0, 1] is in [0, 1]; the clamp only guards the last bit of rounding
                out[c * outHeight * outWidth + i] = (float) Math.min(1.0, Math.max(0.0, done[i]));
            }
        }
        return out;
    }

    /**
     * Area-averages {@code inN} values ({@code in[inOff + i * inStride]}) into {@code outN}. Output value {@code o}
     * covers the input interval {@code [o * inN / outN, (o + 1) * inN / outN)}; in units of {@code 1 / outN} its
     * ends and every overlap are integers.
     */
    private static void resample(
            double[] in, int inOff, int inStride, int inN, double[] out, int outOff, int outStride, int outN) {
        for (int o = 0; o < outN; o++) {
            long lo = (long) o * inN;
            long hi = (long) (o + 1) * inN;
            int first = (int) (lo / outN);
            int last = (int) ((hi - 1) / outN);
            double sum = 0;
            for (int i = first; i <= last; i++) {
                long overlap = Math.min(hi, (long) (i + 1) * outN) - Math.max(lo, (long) i * outN);
                sum += in[inOff + i * inStride] * overlap;
            }
            out[outOff + o * outStride] = sum / inN;
        }
    }
}
