package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-example and per-set metrics of an autoencoder, each a plain function of arrays so it can
 * be checked against a hand computation. The {@link Evaluator} strings them together.
 */
public final class Metrics {
    /**
     * Lower bound on log r and log(1 - r) in {@link #bcePerImage}: a reconstruction of exactly 0 or
     * 1 (a saturated FLOAT sigmoid) would otherwise cost infinity. PyTorch's
     * {@code binary_cross_entropy} clamps at the same value, so the numbers compare.
     */
    public static final double LOG_CLAMP = -100.0;
    /** Burda et al.'s threshold on Cov_x(E_q[z_u|x]) for an active unit. */
    public static final double ACTIVE_UNIT_THRESHOLD = 0.01;

    private Metrics() {}

    /**
     * Binary cross-entropy of each image, summed over pixels, in nats:
     * <pre>
     *   -sum_i [x_i max(log r_i, -100) + (1 - x_i) max(log(1 - r_i), -100)]
     * </pre>
     * with grey-level targets x in [0, 1] (so it is a cross-entropy, not zero at r = x).
     *
     * @param x images [N, D]
     * @param r reconstructions [N, D], in [0, 1]
     * @return [N]
     */
    public static double[] bcePerImage(INDArray x, INDArray r) {
        checkSameShape(x, r);
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray rd = r.castTo(DataType.DOUBLE);
        INDArray logR = Transforms.max(Transforms.log(rd, true), LOG_CLAMP, false);
        INDArray logOneMinusR = Transforms.max(Transforms.log(rd.rsub(1.0), false), LOG_CLAMP, false);
        INDArray terms = xd.mul(logR).addi(xd.rsub(1.0).muli(logOneMinusR));
        return terms.sum(1).negi().toDoubleVector();
    }

    /** Mean squared error over the pixels of each image: (1/D) sum_i (r_i - x_i)^2, [N]. */
    public static double[] msePerPixel(INDArray x, INDArray r) {
        checkSameShape(x, r);
        INDArray diff = r.castTo(DataType.DOUBLE).sub(x.castTo(DataType.DOUBLE));
        return diff.muli(diff).mean(1).toDoubleVector();
    }

    /**
     * Area under the ROC curve of {@code scores} for telling positives (higher score expected)
     * from negatives, computed exactly as the Mann-Whitney statistic (Hanley &amp; McNeil,
     * <i>Radiology</i> 1982):
     * <pre>
     *   AUROC = P(s_pos &gt; s_neg) + 0.5 P(s_pos = s_neg)
     *         = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg)
     * </pre>
     * where R_pos is the sum of the positives' ranks among all scores, tied scores sharing their
     * average rank (which counts each tied pair one half).
     *
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or a class is empty
     */
    public static double auroc(double[] scores, boolean[] positive) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(positive, "positive");
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "auroc: " + scores.length + " scores but " + positive.length + " labels");
        }
        int n = scores.length;
        long nPos = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("auroc: score " + i + " is NaN");
            }
            if (positive[i]) {
                nPos++;
            }
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            throw new IllegalArgumentException(
                    "auroc needs both classes, got " + nPos + " positives and " + nNeg + " negatives");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1.0; // ranks are 1-based
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSumPos += averageRank;
                }
            }
            i = j + 1;
        }
        double u = rankSumPos - nPos * (nPos + 1) / 2.0;
        return u / ((double) nPos * nNeg);
    }

    /**
     * Variance over the rows of each column (dividing by N): with the posterior means E_q[z|x] as
     * rows, column u gives Cov_x(E_q[z_u|x]) of Burda et al. (ICLR 2016, Sec. 5.2).
     *
     * @param means [N, K], N &gt;= 1
     * @return [K]
     */
    public static double[] unitVariances(INDArray means) {
        Objects.requireNonNull(means, "means");
        if (means.rank() != 2 || means.size(0) < 1) {
            throw new IllegalArgumentException(
                    "unitVariances expects [N, K] with N >= 1, got shape " + Arrays.toString(means.shape()));
        }
        INDArray d = means.castTo(DataType.DOUBLE);
        INDArray centered = d.subRowVector(d.mean(0));
        return centered.muli(centered).mean(0).toDoubleVector();
    }

    /** Number of units whose variance exceeds {@code threshold} ({@link #ACTIVE_UNIT_THRESHOLD} in the paper). */
    public static int activeUnits(double[] variances, double threshold) {
        int active = 0;
        for (double v : variances) {
            if (v > threshold) {
                active++;
            }
        }
        return active;
    }

    /** Mean of an array; NaN when it is empty. */
    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static void checkSameShape(INDArray x, INDArray r) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(r, "reconstruction");
        if (x.rank() != 2 || !Arrays.equals(x.shape(), r.shape())) {
            throw new IllegalArgumentException("inputs and reconstructions must both be [N, D], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(r.shape()));
        }
    }
}
