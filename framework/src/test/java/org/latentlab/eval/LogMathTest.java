package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogMathTest {

    @Test
    void agreesWithTheNaiveFormulaWhereThatIsFinite() {
        Random rng = new Random(1);
        double[] a = new double[50];
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() * 3;
            sum += Math.exp(a[i]);
        }
        assertEquals(Math.log(sum), LogMath.logSumExp(a), 1e-12);
        assertEquals(Math.log(sum / a.length), LogMath.logMeanExp(a), 1e-12);
    }

    @Test
    void staysFiniteWhereExpUnderflowsOrOverflows() {
        // exp(-1000) is 0 in double: the naive formula would give -infinity.
        assertEquals(-1000.0, LogMath.logMeanExp(new double[] {-1000, -1000, -1000}), 1e-12);
        assertEquals(
                -1000.0 + Math.log((1 + Math.exp(-2)) / 2), LogMath.logMeanExp(new double[] {-1000, -1002}), 1e-12);
        assertEquals(1000.0 + Math.log(2), LogMath.logSumExp(new double[] {1000, 1000}), 1e-12);
    }

    @Test
    void theRunningAccumulatorEqualsTheOneShotValueWhateverTheOrder() {
        double[] a = {-5, -120, -3, -3, -400, 2, -1};
        LogMath.Accumulator acc = new LogMath.Accumulator();
        for (int i = a.length - 1; i >= 0; i--) {
            acc.add(a[i]);
        }
        assertEquals(LogMath.logSumExp(a), acc.logSumExp(), 1e-12);
        assertEquals(LogMath.logMeanExp(a), acc.logMeanExp(), 1e-12);
        assertEquals(a.length, acc.count());
    }

    @Test
    void edgeCases() {
        assertEquals(Double.NEGATIVE_INFINITY, LogMath.logSumExp(new double[0]));
        assertEquals(Double.NEGATIVE_INFINITY, LogMath.logSumExp(new double[] {Double.NEGATIVE_INFINITY}));
        assertEquals(-2.0 - Math.log(2), LogMath.logMeanExp(new double[] {Double.NEGATIVE_INFINITY, -2}), 1e-12);
        assertTrue(Double.isNaN(LogMath.logSumExp(new double[] {1, Double.NaN})));
        assertThrows(IllegalArgumentException.class, () -> LogMath.logMeanExp(new double[0]));
    }
}
