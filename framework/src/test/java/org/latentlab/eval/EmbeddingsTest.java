package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class EmbeddingsTest {

    /** n points in d dimensions around `classes` centres 20 apart, noise 1. */
    private static double[][] clusters(int n, int d, int classes, int[] labels, long seed) {
        Random rng = new Random(seed);
        double[][] centres = new double[classes][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = 20 * rng.nextGaussian();
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[labels[i]][j] + rng.nextGaussian();
            }
        }
        return x;
    }

    /** Fraction of points whose nearest other point in the embedding has the same label. */
    private static double nearestNeighbourAgreement(double[][] y, int[] labels) {
        int agree = 0;
        for (int i = 0; i < y.length; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.length; j++) {
                double dx = y[i][0] - y[j][0];
                double dy = y[i][1] - y[j][1];
                if (j != i && dx * dx + dy * dy < bestD) {
                    bestD = dx * dx + dy * dy;
                    best = j;
                }
            }
            agree += labels[best] == labels[i] ? 1 : 0;
        }
        return agree / (double) y.length;
    }

    @Test
    void tsneKeepsWellSeparatedClustersApartAndRepeatsWithItsSeed() {
        int[] labels = new int[300];
        double[][] x = clusters(300, 20, 5, labels, 1);
        double[][] y = Embeddings.tsne(x, 30, 500, 7);
        assertEquals(300, y.length);
        assertEquals(2, y[0].length);
        double agreement = nearestNeighbourAgreement(y, labels);
        assertTrue(agreement > 0.95, "nearest-neighbour label agreement " + agreement);
        assertArrayEquals(y[5], Embeddings.tsne(x, 30, 500, 7)[5], 0.0, "same seed, same layout");
        assertFalse(Arrays.equals(y[5], Embeddings.tsne(x, 30, 500, 8)[5]), "another seed, another layout");
    }

    @Test
    void tsneOfFarApartCodesIsFiniteAndKeepsTheClusters() {
        // Codes of a few tens per unit (a conv AE's, say) put every point's nearest neighbour hundreds of squared
        // units away, where exp(-d) underflows in Smile's perplexity search and the whole layout turned NaN.
        int[] labels = new int[200];
        double[][] x = clusters(200, 32, 5, labels, 2);
        double[][] far = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            far[i] = Arrays.stream(x[i]).map(v -> 30 * v).toArray();
        }
        double[][] y = Embeddings.tsne(far, 30, 300, 3);
        for (double[] p : y) {
            assertTrue(Double.isFinite(p[0]) && Double.isFinite(p[1]), Arrays.toString(p));
        }
        assertTrue(nearestNeighbourAgreement(y, labels) > 0.95);
    }

    @Test
    void tsneReadsAsManyPointsAsDimensionsAsData() {
        // Smile would take a square input for a distance matrix; the wrapper must not.
        int[] labels = new int[40];
        double[][] x = clusters(40, 40, 2, labels, 3);
        double agreement = nearestNeighbourAgreement(Embeddings.tsne(x, 5, 500, 1), labels);
        assertTrue(agreement > 0.95, "nearest-neighbour label agreement " + agreement);
    }

    @Test
    void pca2dIsTheTwoLeadingPrincipalCoordinates() {
        int[] labels = new int[200];
        double[][] x = clusters(200, 6, 3, labels, 5);
        double[][] y = Embeddings.pca2d(x);
        double[][] expected =
                Pca.fit(Nd4j.create(x), 2).transform(Nd4j.create(x)).toDoubleMatrix();
        for (int i = 0; i < y.length; i++) {
            assertArrayEquals(expected[i], y[i], 1e-9);
        }
        // The first coordinate carries at least as much variance as the second.
        double v0 = 0;
        double v1 = 0;
        for (double[] p : y) {
            v0 += p[0] * p[0];
            v1 += p[1] * p[1];
        }
        assertTrue(v0 >= v1);
        assertTrue(nearestNeighbourAgreement(y, labels) > 0.95);
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> Embeddings.tsne(new double[3][2], 1, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.tsne(new double[10][2], 10, 100, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Embeddings.pca2d(new double[][] {{1, 2}, {1}}));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
