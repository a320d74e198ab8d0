package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import smile.classification.LogisticRegression;

/**
 * How much of the class a code carries, read off by simple classifiers trained on the codes of
 * training images and scored on the codes of test images (the "linear evaluation protocol", e.g.
 * Kolesnikov, Zhai &amp; Beyer, <i>Revisiting Self-Supervised Visual Representation Learning</i>,
 * CVPR 2019).
 *
 * <ul>
 *   <li>{@link #linearProbeAccuracy}: multinomial logistic regression on standardised codes
 *       (each feature centered and scaled by the training mean and standard deviation), fitted by
 *       L-BFGS in Smile 2.6 ({@code smile.classification.LogisticRegression}, pure Java: it needs
 *       none of Smile's native BLAS, verified), minimising
 *       -sum_n log p(y_n|x_n) + (lambda/2) |W|^2 (biases unpenalised; lambda = 1 is scikit-learn's
 *       default C = 1).</li>
 *   <li>{@link #knnAccuracy}: k-nearest-neighbour vote in raw code space, Euclidean distance,
 *       brute force with ND4J matrix products over chunks of test rows; a tied vote goes to the
 *       tied class whose member is nearest.</li>
 * </ul>
 */
public final class Probes {
    /** Test rows per distance block in {@link #knnPredict}: a [512, N_train] double matrix at a time. */
    private static final int KNN_CHUNK_ROWS = 512;

    private static final double LBFGS_TOLERANCE = 1e-5;
    private static final int LBFGS_MAX_ITERATIONS = 500;

    private Probes() {}

    /**
     * Accuracy on the test codes of a multinomial logistic regression fitted to the training codes.
     *
     * @param lambda L2 weight on the coefficients, &gt;= 0
     */
    public static double linearProbeAccuracy(
            INDArray trainCodes, int[] trainLabels, INDArray testCodes, int[] testLabels, double lambda) {
        checkLabelled(trainCodes, trainLabels, "train");
        checkLabelled(testCodes, testLabels, "test");
        checkSameWidth(trainCodes, testCodes);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("linear probe lambda must be a finite number >= 0, got " + lambda);
        }
        if (Arrays.stream(trainLabels).distinct().count() < 2) {
            throw new IllegalArgumentException("linear probe needs at least 2 classes among the training labels, got "
                    + Arrays.stream(trainLabels).distinct().count());
        }
        Standardizer s = Standardizer.fit(trainCodes);
        LogisticRegression model =
                LogisticRegression.fit(s.apply(trainCodes), trainLabels, lambda, LBFGS_TOLERANCE, LBFGS_MAX_ITERATIONS);
        double[][] test = s.apply(testCodes);
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            if (model.predict(test[i]) == testLabels[i]) {
                correct++;
            }
        }
        return correct / (double) test.length;
    }

    /** Fraction of test codes whose {@link #knnPredict k-NN prediction} equals their label. */
    public static double knnAccuracy(
            INDArray trainCodes, int[] trainLabels, INDArray testCodes, int[] testLabels, int k) {
        checkLabelled(testCodes, testLabels, "test");
        int[] predicted = knnPredict(trainCodes, trainLabels, testCodes, k);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == testLabels[i]) {
                correct++;
            }
        }
        return correct / (double) predicted.length;
    }

    /**
     * The majority label among the k training codes nearest (Euclidean) to each test code; among
     * labels with equally many votes the one whose voter is nearest wins. Distances are
     * |a|^2 + |b|^2 - 2 a.b in double, over blocks of test rows.
     *
     * @param k 1 &lt;= k &lt;= number of training codes
     */
    public static int[] knnPredict(INDArray trainCodes, int[] trainLabels, INDArray testCodes, int k) {
        checkLabelled(trainCodes, trainLabels, "train");
        Objects.requireNonNull(testCodes, "testCodes");
        checkSameWidth(trainCodes, testCodes);
        int nTrain = trainLabels.length;
        if (k < 1 || k > nTrain) {
            throw new IllegalArgumentException("k-NN k must be in 1.." + nTrain + " (the training codes), got " + k);
        }
        int numLabels = Arrays.stream(trainLabels).max().orElse(0) + 1;
        if (Arrays.stream(trainLabels).min().orElse(0) < 0) {
            throw new IllegalArgumentException("k-NN labels must be >= 0");
        }
        INDArray train = trainCodes.castTo(DataType.DOUBLE);
        INDArray trainNorms = train.mul(train).sum(1).reshape(1, -1);
        INDArray trainT = train.transpose().dup();
        int nTest = (int) testCodes.size(0);
        int[] predicted = new int[nTest];
        int[] nearest = new int[k];
        double[] nearestDist = new double[k];
        int[] votes = new int[numLabels];
        for (int from = 0; from < nTest; from += KNN_CHUNK_ROWS) {
            int to = Math.min(nTest, from + KNN_CHUNK_ROWS);
            INDArray test = testCodes
                    .get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .castTo(DataType.DOUBLE);
            INDArray testNorms = test.mul(test).sum(1).reshape(-1, 1);
            double[][] dist = test.mmul(trainT)
                    .muli(-2.0)
                    .addiRowVector(trainNorms)
                    .addiColumnVector(testNorms)
                    .toDoubleMatrix();
            for (int r = 0; r < dist.length; r++) {
                int found = kSmallest(dist[r], k, nearest, nearestDist);
                Arrays.fill(votes, 0);
                int best = -1;
                for (int t = 0; t < found; t++) {
                    votes[trainLabels[nearest[t]]]++;
                }
                // nearest[] is sorted by distance: the first label reaching the top count is the
                // nearest among the tied ones.
                int top = Arrays.stream(votes).max().orElse(0);
                for (int t = 0; t < found && best < 0; t++) {
                    if (votes[trainLabels[nearest[t]]] == top) {
                        best = trainLabels[nearest[t]];
                    }
                }
                predicted[from + r] = best;
            }
        }
        return predicted;
    }

    /**
     * Indices of the k smallest values, nearest first, into {@code idx}/{@code val}; equal
     * distances keep the lower index first. An insertion into a sorted window of k: O(N k).
     */
    private static int kSmallest(double[] d, int k, int[] idx, double[] val) {
        int size = 0;
        for (int j = 0; j < d.length; j++) {
            double v = d[j];
            if (size == k && !(v < val[k - 1])) {
                continue;
            }
            int pos = size == k ? k - 1 : size++;
            while (pos > 0 && val[pos - 1] > v) {
                val[pos] = val[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            val[pos] = v;
            idx[pos] = j;
        }
        return size;
    }

    /** Per-feature standardisation with the training mean and standard deviation (a constant feature is only centered). */
    static final class Standardizer {
        final double[] mean;
        final double[] scale;

        private Standardizer(double[] mean, double[] scale) {
            this.mean = mean;
            this.scale = scale;
        }

        static Standardizer fit(INDArray codes) {
            INDArray d = codes.castTo(DataType.DOUBLE);
            double[] mean = d.mean(0).toDoubleVector();
            double[] std = d.std(false, 0).toDoubleVector();
            for (int j = 0; j < std.length; j++) {
                if (!(std[j] > 1e-12)) {
                    std[j] = 1.0;
                }
            }
            return new Standardizer(mean, std);
        }

        double[][] apply(INDArray codes) {
            double[][] rows = codes.castTo(DataType.DOUBLE).toDoubleMatrix();
            for (double[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (row[j] - mean[j]) / scale[j];
                }
            }
            return rows;
        }
    }

    private static void checkLabelled(INDArray codes, int[] labels, String what) {
        Objects.requireNonNull(codes, what + " codes");
        Objects.requireNonNull(labels, what + " labels");
        if (codes.rank() != 2 || codes.size(0) != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(what + " codes must be [N, K] with N = " + labels.length
                    + " labels (N >= 1), got shape " + Arrays.toString(codes.shape()));
        }
    }

    private static void checkSameWidth(INDArray train, INDArray test) {
        if (test.rank() != 2 || test.size(1) != train.size(1)) {
            throw new IllegalArgumentException("test codes must have the width of the training codes (" + train.size(1)
                    + "), got shape " + Arrays.toString(test.shape()));
        }
    }
}
