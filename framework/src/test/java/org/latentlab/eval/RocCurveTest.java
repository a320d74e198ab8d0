package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RocCurveTest {

    @Test
    void handComputedCurveWithATie() {
        // positives 0.9 and 0.7; negatives 0.8, 0.7 (tied with a positive) and 0.2
        double[] scores = {0.9, 0.8, 0.7, 0.7, 0.2};
        boolean[] positive = {true, false, true, false, false};
        RocCurve roc = RocCurve.of(scores, positive);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.2}, roc.thresholds());
        assertArrayEquals(new double[] {0, 0, 1 / 3.0, 2 / 3.0, 1}, roc.fpr(), 1e-15);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.tpr(), 1e-15);
        // trapezoids: 1/3 * 0.5 + 1/3 * 0.75 + 1/3 * 1 = 0.75; Mann-Whitney: (3 + 1.5) / 6 = 0.75
        assertEquals(0.75, roc.area(), 1e-15);
        assertEquals(0.75, Metrics.auroc(scores, positive), 1e-15);
    }

    @Test
    void perfectAndReversedScores() {
        boolean[] positive = {true, true, false, false};
        assertEquals(1.0, RocCurve.of(new double[] {4, 3, 2, 1}, positive).area(), 0);
        assertEquals(0.0, RocCurve.of(new double[] {1, 2, 3, 4}, positive).area(), 0);
        RocCurve allTied = RocCurve.of(new double[] {5, 5, 5, 5}, positive);
        assertEquals(2, allTied.size(), "one threshold for all tied scores: the chance diagonal");
        assertEquals(0.5, allTied.area(), 0);
    }

    @Test
    void areaEqualsMannWhitneyAurocOnRandomScoresWithTies() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 50 + r.nextInt(200);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                positive[i] = i % 3 == 0;
                // rounded scores make many ties; positives slightly higher on average
                scores[i] = Math.round((r.nextGaussian() + (positive[i] ? 0.7 : 0)) * 4) / 4.0;
            }
            RocCurve roc = RocCurve.of(scores, positive);
            assertEquals(Metrics.auroc(scores, positive), roc.area(), 1e-12, "trial " + trial);
            assertEquals(0, roc.fpr()[0]);
            assertEquals(1, roc.fpr()[roc.size() - 1]);
            assertEquals(1, roc.tpr()[roc.size() - 1]);
            for (int k = 1; k < roc.size(); k++) {
                assertTrue(roc.fpr()[k] >= roc.fpr()[k - 1] && roc.tpr()[k] >= roc.tpr()[k - 1], "monotone");
                assertTrue(roc.thresholds()[k] < roc.thresholds()[k - 1], "thresholds decrease");
            }
        }
    }

    @Test
    void badInputIsNamed() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> RocCurve.of(new double[] {1, 2}, new boolean[] {true, true}))
                .getMessage()
                .contains("2 positives and 0 negatives"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> RocCurve.of(new double[] {1, Double.NaN}, new boolean[] {true, false}))
                .getMessage()
                .contains("score 1 is NaN"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> RocCurve.of(new double[] {1}, new boolean[] {true, false}))
                .getMessage()
                .contains("1 scores but 2 labels"));
    }
}
