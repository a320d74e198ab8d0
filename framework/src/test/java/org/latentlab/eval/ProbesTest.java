package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProbesTest {

    private static INDArray col(double... v) {
        return Nd4j.create(v, new long[] {v.length, 1});
    }

    @Test
    void knnVotesAndBreaksTiesByTheNearestNeighbour() {
        INDArray train = col(0, 1, 2, 10, 11);
        int[] labels = {0, 0, 1, 1, 1};
        // 0.4: neighbours 0 (label 0), 1 (label 0), 2 (label 1) -> 0.
        // 9.0: 10, 11 (label 1) and 2 (label 1) -> 1.
        assertArrayEquals(new int[] {0, 1}, Probes.knnPredict(train, labels, col(0.4, 9.0), 3));
        // 1.6 with k=2: 2 (label 1, distance 0.4) and 1 (label 0, distance 0.6) tie 1:1 -> the nearest, 1.
        // 1.4 with k=2: 1 (label 0, 0.4) and 2 (label 1, 0.6) -> 0.
        assertArrayEquals(new int[] {1, 0}, Probes.knnPredict(train, labels, col(1.6, 1.4), 2));
        assertThrows(IllegalArgumentException.class, () -> Probes.knnPredict(train, labels, col(1), 6));
    }

    @Test
    void knnEqualsABruteForceSearchInPlainJava() {
        Random rng = new Random(7);
        int nTrain = 700;
        int nTest = 600; // more than one distance block
        int d = 6;
        double[][] tr = new double[nTrain][d];
        double[][] te = new double[nTest][d];
        int[] y = new int[nTrain];
        for (int i = 0; i < nTrain; i++) {
            y[i] = rng.nextInt(4);
            for (int j = 0; j < d; j++) {
                tr[i][j] = rng.nextGaussian() + (j == y[i] ? 1.5 : 0);
            }
        }
        for (double[] row : te) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        int k = 5;
        int[] predicted = Probes.knnPredict(Nd4j.create(tr), y, Nd4j.create(te), k);
        for (int t = 0; t < nTest; t++) {
            double[] dist = new double[nTrain];
            Integer[] order = new Integer[nTrain];
            for (int i = 0; i < nTrain; i++) {
                order[i] = i;
                for (int j = 0; j < d; j++) {
                    dist[i] += (te[t][j] - tr[i][j]) * (te[t][j] - tr[i][j]);
                }
            }
            Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
            int[] votes = new int[4];
            for (int i = 0; i < k; i++) {
                votes[y[order[i]]]++;
            }
            int top = Arrays.stream(votes).max().getAsInt();
            int expected = -1;
            for (int i = 0; i < k && expected < 0; i++) {
                if (votes[y[order[i]]] == top) {
                    expected = y[order[i]];
                }
            }
            assertEquals(expected, predicted[t], "test row " + t);
        }
    }

    /** Gaussian blobs around class centres; {@code spread} sets how much they overlap. */
    private static double[][] blobs(
            int n, int d, int classes, double spread, int[] labelsOut, Random rng, double[][] centres) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            labelsOut[i] = rng.nextInt(classes);
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[labelsOut[i]][j] + spread * rng.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void theLinearProbeSeparatesSeparableClassesAndStaysNearChanceOnRandomLabels() {
        Random rng = new Random(11);
        int d = 8;
        int classes = 5;
        double[][] centres = new double[classes][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = 3 * rng.nextGaussian();
            }
        }
        int[] yTr = new int[600];
        int[] yTe = new int[300];
        double[][] tr = blobs(600, d, classes, 0.5, yTr, rng, centres);
        double[][] te = blobs(300, d, classes, 0.5, yTe, rng, centres);
        // A feature on a scale 1000 times larger must not matter after standardisation.
        for (double[][] set : new double[][][] {tr, te}) {
            for (double[] row : set) {
                row[0] *= 1000;
            }
        }
        double acc = Probes.linearProbeAccuracy(Nd4j.create(tr), yTr, Nd4j.create(te), yTe, 1.0);
        assertTrue(acc > 0.97, "separable blobs: accuracy " + acc);

        int[] random = new int[600];
        int[] randomTest = new int[300];
        for (int i = 0; i < random.length; i++) {
            random[i] = rng.nextInt(classes);
        }
        for (int i = 0; i < randomTest.length; i++) {
            randomTest[i] = rng.nextInt(classes);
        }
        double chance = Probes.linearProbeAccuracy(Nd4j.create(tr), random, Nd4j.create(te), randomTest, 1.0);
        assertTrue(chance < 0.32, "random labels: accuracy " + chance + " should be near 1/" + classes);
    }

    @Test
    void theLinearProbeKeepsTheCallersLabelsForTwoClasses() {
        INDArray tr = col(-2, -1.5, -1, 1, 1.5, 2);
        int[] y = {3, 3, 3, 7, 7, 7};
        assertEquals(1.0, Probes.linearProbeAccuracy(tr, y, col(-3, 3), new int[] {3, 7}, 0.1), 1e-12);
        assertThrows(
                IllegalArgumentException.class,
                () -> Probes.linearProbeAccuracy(tr, new int[] {1, 1, 1, 1, 1, 1}, col(0), new int[] {1}, 1));
        assertThrows(
                IllegalArgumentException.class, () -> Probes.linearProbeAccuracy(tr, y, col(0), new int[] {1, 2}, 1));
    }
}
