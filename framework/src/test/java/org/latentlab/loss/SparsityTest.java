package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class SparsityTest {

    static double klToTarget(double[][] a, double rho) {
        double total = 0;
        for (int j = 0; j < a[0].length; j++) {
            double rhoHat = 0;
            for (double[] row : a) {
                rhoHat += row[j];
            }
            rhoHat /= a.length;
            rhoHat = Math.min(Math.max(rhoHat, 1e-6), 1 - 1e-6);
            total += rho * Math.log(rho / rhoHat) + (1 - rho) * Math.log((1 - rho) / (1 - rhoHat));
        }
        return total;
    }

    static double eval(double[][] a, double rho) {
        SameDiff sd = SameDiff.create();
        Sparsity.klToTarget(sd, "kl", sd.var("a", TestSupport.nd(a)), rho);
        INDArray out = sd.output(Map.of(), "kl").get("kl");
        assertEquals(0, out.rank(), "scalar");
        return out.getDouble(0);
    }

    @ParameterizedTest
    @CsvSource({"3,1,0.05", "5,4,0.2", "8,10,0.5", "1,3,0.1"})
    void klToTargetMatchesPlainJava(int n, int h, double rho) {
        double[][] a = TestSupport.uniform(new Random(n * 100L + h), n, h, 0.01, 0.99);
        double expected = klToTarget(a, rho);
        assertEquals(expected, eval(a, rho), 1e-12 + 1e-10 * expected);
    }

    @Test
    void zeroAtTargetPositiveElsewhere() {
        double rho = 0.1;
        double[][] atTarget = {{0.0, 0.2, 0.1}, {0.2, 0.0, 0.1}, {0.1, 0.1, 0.1}};
        assertEquals(0.0, eval(atTarget, rho), 1e-12);
        double[][] off = {{0.0, 0.2, 0.1}, {0.2, 0.0, 0.1}, {0.1, 0.1, 0.2}};
        assertTrue(eval(off, rho) > 1e-4);
        double[][] low = {{0.01, 0.01}, {0.02, 0.0}, {0.0, 0.03}};
        assertTrue(eval(low, rho) > 0);
    }

    @Test
    void deadAndSaturatedUnitsStayFinite() {
        double[][] a = {{0.0, 1.0}, {0.0, 1.0}, {0.0, 1.0}};
        double v = eval(a, 0.05);
        assertTrue(Double.isFinite(v) && v > 0, "value " + v);
        assertEquals(klToTarget(a, 0.05), v, 1e-9 * v);
    }

    @Test
    void rejectsRhoOutsideTheOpenInterval() {
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.var("a", TestSupport.nd(new double[][] {{0.5}}));
        for (double rho : new double[] {0.0, 1.0, -0.2, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Sparsity.klToTarget(sd, "kl", a, rho));
            assertTrue(e.getMessage().contains(String.valueOf(rho)), e.getMessage());
        }
    }

    @Test
    void klGradientMatchesFiniteDifferences() {
        double[][] a = TestSupport.uniform(new Random(4), 4, 3, 0.05, 0.95);
        double rho = 0.2;
        SameDiff sd = SameDiff.create();
        SDVariable kl = Sparsity.klToTarget(sd, "kl", sd.var("a", TestSupport.nd(a)), rho);
        sd.setLossVariables(kl);
        INDArray g = sd.calculateGradients(Map.of(), "a").get("a");
        TestSupport.assertClose(TestSupport.numericGradient(x -> klToTarget(x, rho), a, 1e-6), g, 1e-6, 1e-7);
    }

    @Test
    void l1ActivityMatchesPlainJava() {
        double[][] a = TestSupport.gaussian(new Random(5), 4, 6, 0, 1);
        double[] expected = new double[4];
        for (int n = 0; n < 4; n++) {
            for (double v : a[n]) {
                expected[n] += Math.abs(v);
            }
        }
        SameDiff sd = SameDiff.create();
        Sparsity.l1Activity(sd, "l1", sd.var("a", TestSupport.nd(a)));
        INDArray out = sd.output(Map.of(), "l1").get("l1");
        assertArrayEquals(new long[] {4}, out.shape());
        TestSupport.assertClose(expected, out, 1e-12, 1e-12);
    }
}
