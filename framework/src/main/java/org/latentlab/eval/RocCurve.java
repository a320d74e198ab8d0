package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * The receiver operating characteristic of a score that should be higher for positives (Fawcett,
 * <i>An introduction to ROC analysis</i>, Pattern Recognition Letters 2006): for every distinct
 * score t, taken as a threshold from the highest down, the point
 * <pre>
 *   FPR(t) = #{negatives with s &gt;= t} / n_neg,   TPR(t) = #{positives with s &gt;= t} / n_pos
 * </pre>
 * with (0, 0) in front (threshold +infinity: nothing flagged). Tied scores move both rates in one
 * step, so the trapezoidal {@link #area()} under the curve equals {@link Metrics#auroc} (each tied
 * positive-negative pair counts one half).
 *
 * @param thresholds +infinity, then the distinct scores in decreasing order
 * @param fpr        false positive rate at each threshold, from 0 up to 1
 * @param tpr        true positive rate at each threshold, from 0 up to 1
 */
public record RocCurve(double[] thresholds, double[] fpr, double[] tpr) {

    public RocCurve {
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(fpr, "fpr");
        Objects.requireNonNull(tpr, "tpr");
        if (thresholds.length != fpr.length || fpr.length != tpr.length || fpr.length < 2) {
            throw new IllegalArgumentException("ROC curve needs at least 2 points and as many thresholds, fpr and tpr"
                    + " values but got " + thresholds.length + ", " + fpr.length + " and " + tpr.length);
        }
    }

    /**
     * The curve of {@code scores} for telling {@code positive} rows from the others.
     *
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or a class is empty
     */
    public static RocCurve of(double[] scores, boolean[] positive) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(positive, "positive");
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "ROC curve: " + scores.length + " scores but " + positive.length + " labels");
        }
        int n = scores.length;
        long nPos = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("ROC curve: score " + i + " is NaN");
            }
            if (positive[i]) {
                nPos++;
            }
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            throw new IllegalArgumentException(
                    "ROC curve needs both classes, got " + nPos + " positives and " + nNeg + " negatives");
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a])); // highest first
        double[] thresholds = new double[n + 1];
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        thresholds[0] = Double.POSITIVE_INFINITY;
        int points = 1;
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < n) {
            double t = scores[order[i]];
            while (i < n && scores[order[i]] == t) {
                if (positive[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            thresholds[points] = t;
            fpr[points] = fp / (double) nNeg;
            tpr[points] = tp / (double) nPos;
            points++;
        }
        return new RocCurve(Arrays.copyOf(thresholds, points), Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points));
    }

    /** Number of points (distinct scores + 1). */
    public int size() {
        return fpr.length;
    }

    /** Trapezoidal area under the curve: sum over steps of (FPR_k - FPR_{k-1}) (TPR_k + TPR_{k-1}) / 2. */
    public double area() {
        double a = 0;
        for (int k = 1; k < fpr.length; k++) {
            a += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
        }
        return a;
    }
}
