package org.latentlab.eval;

/**
 * Log-domain sums in double precision, shifted by the maximum so that no exp overflows:
 * <pre>
 *   log sum_i exp(a_i) = m + log sum_i exp(a_i - m),   m = max_i a_i
 * </pre>
 * Log importance weights of an image are typically around -100 nats, where exp underflows to 0
 * even in double; after the shift the largest term is exp(0) = 1.
 */
public final class LogMath {
    private LogMath() {}

    /** log sum_i exp(a_i); -infinity for an empty array or all -infinity; NaN if any a_i is NaN or +infinity. */
    public static double logSumExp(double[] a) {
        Accumulator acc = new Accumulator();
        for (double v : a) {
            acc.add(v);
        }
        return acc.logSumExp();
    }

    /** log (1/n) sum_i exp(a_i): the importance-sampled log-likelihood of n log weights. */
    public static double logMeanExp(double[] a) {
        if (a.length == 0) {
            throw new IllegalArgumentException("logMeanExp of an empty array");
        }
        return logSumExp(a) - Math.log(a.length);
    }

    /**
     * A running log-sum-exp, for sums too long to hold (k = 5,000 weights per image, fed in
     * chunks): keeps the running maximum m and s = sum exp(a_i - m), rescaling s when m grows.
     */
    public static final class Accumulator {
        private double max = Double.NEGATIVE_INFINITY;
        private double scaledSum;
        private long count;
        private boolean invalid;

        public void add(double a) {
            count++;
            if (Double.isNaN(a) || a == Double.POSITIVE_INFINITY) {
                invalid = true;
                return;
            }
            if (a == Double.NEGATIVE_INFINITY) {
                return;
            }
            if (a <= max) {
                scaledSum += Math.exp(a - max);
            } else {
                scaledSum = scaledSum * Math.exp(max - a) + 1.0;
                max = a;
            }
        }

        /** Number of values added. */
        public long count() {
            return count;
        }

        public double logSumExp() {
            if (invalid) {
                return Double.NaN;
            }
            return max == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : max + Math.log(scaledSum);
        }

        public double logMeanExp() {
            if (count == 0) {
                throw new IllegalStateException("logMeanExp of no values");
            }
            return logSumExp() - Math.log(count);
        }
    }
}
