package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MetricsTest {

    private static INDArray m(double[][] rows) {
        return Nd4j.create(rows).castTo(DataType.FLOAT);
    }

    @Test
    void bcePerImageMatchesTheHandComputationWithTheClampAtZeroAndOne() {
        INDArray x = m(new double[][] {{1, 0, 0.5}, {1, 0, 0.25}});
        INDArray r = m(new double[][] {{0.9, 0.2, 0.5}, {0, 1, 1}});
        double[] bce = Metrics.bcePerImage(x, r);
        double first = -(Math.log(0.9f) + Math.log(1 - 0.2f) + 0.5 * Math.log(0.5) + 0.5 * Math.log(0.5));
        // r = 0 with x = 1 and r = 1 with x = 0 cost 100 each (log clamped); x = 0.25 at r = 1: 0.75 * 100.
        double second = 100 + 100 + 0.75 * 100;
        assertEquals(first, bce[0], 1e-6);
        assertEquals(second, bce[1], 1e-9);
    }

    @Test
    void msePerPixelMatchesTheHandComputation() {
        double[] mse = Metrics.msePerPixel(m(new double[][] {{1, 0, 0.5, 0}}), m(new double[][] {{0.5, 0.5, 0.5, 1}}));
        assertEquals((0.25 + 0.25 + 0 + 1) / 4, mse[0], 1e-7);
        assertThrows(
                IllegalArgumentException.class,
                () -> Metrics.msePerPixel(m(new double[][] {{1, 0}}), m(new double[][] {{1, 0, 0}})));
    }

    @Test
    void aurocOfHandMadeScoresWithTies() {
        // Pairs (pos, neg): 0.8>0.5, 0.8>0.2, 0.5=0.5 (half), 0.5>0.2 -> 3.5 / 4.
        assertEquals(
                0.875,
                Metrics.auroc(new double[] {0.8, 0.5, 0.5, 0.2}, new boolean[] {true, true, false, false}),
                1e-12);
        assertEquals(1.0, Metrics.auroc(new double[] {3, 4, 1, 2}, new boolean[] {true, true, false, false}), 1e-12);
        assertEquals(0.0, Metrics.auroc(new double[] {1, 2, 3, 4}, new boolean[] {true, true, false, false}), 1e-12);
        assertEquals(
                0.5,
                Metrics.auroc(new double[] {7, 7, 7, 7, 7}, new boolean[] {true, false, false, true, false}),
                1e-12);
    }

    @Test
    void aurocEqualsTheBruteForcePairCountOnRandomScoresWithManyTies() {
        Random rng = new Random(3);
        int n = 300;
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = rng.nextDouble() < 0.3;
            s[i] = Math.round((rng.nextGaussian() + (pos[i] ? 0.7 : 0)) * 3) / 3.0; // coarse: many ties
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (pos[i] && !pos[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, Metrics.auroc(s, pos), 1e-12);
    }

    @Test
    void aurocRejectsOneClassAndNaN() {
        assertThrows(
                IllegalArgumentException.class, () -> Metrics.auroc(new double[] {1, 2}, new boolean[] {true, true}));
        assertThrows(
                IllegalArgumentException.class,
                () -> Metrics.auroc(new double[] {1, Double.NaN}, new boolean[] {true, false}));
        assertThrows(
                IllegalArgumentException.class, () -> Metrics.auroc(new double[] {1}, new boolean[] {true, false}));
    }

    @Test
    void activeUnitsCountColumnsWhoseVarianceExceedsTheThreshold() {
        Random rng = new Random(5);
        int n = 4000;
        double[][] rows = new double[n][3];
        for (double[] row : rows) {
            row[0] = 2.0 + 0.5 * rng.nextGaussian(); // variance 0.25: active
            row[1] = -1.0 + 0.05 * rng.nextGaussian(); // variance 0.0025: inactive
            row[2] = 0.3 * rng.nextGaussian(); // variance 0.09: active
        }
        double[] v = Metrics.unitVariances(Nd4j.create(rows));
        double mean = 0;
        for (double[] row : rows) {
            mean += row[1] / n;
        }
        double var1 = 0;
        for (double[] row : rows) {
            var1 += (row[1] - mean) * (row[1] - mean) / n;
        }
        assertEquals(var1, v[1], 1e-12);
        assertEquals(0.25, v[0], 0.02);
        assertEquals(2, Metrics.activeUnits(v, Metrics.ACTIVE_UNIT_THRESHOLD));
        assertEquals(1, Metrics.activeUnits(v, 0.1));
    }
}
