package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.latentlab.loss.TestSupport.assertClose;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class KlDivergenceTest {

    /** Plain-Java closed form, per example. */
    static double[] klStandardNormal(double[][] mu, double[][] logVar) {
        double[] out = new double[mu.length];
        for (int n = 0; n < mu.length; n++) {
            for (int j = 0; j < mu[n].length; j++) {
                out[n] += 0.5 * (mu[n][j] * mu[n][j] + Math.exp(logVar[n][j]) - 1 - logVar[n][j]);
            }
        }
        return out;
    }

    static double[] klDiagonal(double[][] mu1, double[][] lv1, double[][] mu2, double[][] lv2) {
        double[] out = new double[mu1.length];
        for (int n = 0; n < mu1.length; n++) {
            for (int j = 0; j < mu1[n].length; j++) {
                double d = mu1[n][j] - mu2[n][j];
                out[n] += 0.5 * (lv2[n][j] - lv1[n][j] + (Math.exp(lv1[n][j]) + d * d) / Math.exp(lv2[n][j]) - 1);
            }
        }
        return out;
    }

    /** KL(N(m1, v1) || N(m2, v2)) in 1-D by the trapezoid rule over m1 +- 20 sd of q. */
    static double klByIntegration(double m1, double v1, double m2, double v2) {
        double s1 = Math.sqrt(v1);
        double lo = m1 - 20 * s1;
        double hi = m1 + 20 * s1;
        int steps = 200_000;
        double dz = (hi - lo) / steps;
        double total = 0;
        for (int i = 0; i <= steps; i++) {
            double z = lo + i * dz;
            double logQ = -0.5 * Math.log(2 * Math.PI * v1) - (z - m1) * (z - m1) / (2 * v1);
            double logP = -0.5 * Math.log(2 * Math.PI * v2) - (z - m2) * (z - m2) / (2 * v2);
            double f = Math.exp(logQ) * (logQ - logP);
            total += (i == 0 || i == steps) ? 0.5 * f : f;
        }
        return total * dz;
    }

    @ParameterizedTest
    @CsvSource({"3,1", "4,5", "7,16"})
    void standardNormalMatchesPlainJava(int n, int d) {
        Random rng = new Random(11 + n * 31L + d);
        double[][] mu = TestSupport.gaussian(rng, n, d, 0, 1.5);
        double[][] lv = TestSupport.gaussian(rng, n, d, 0, 1.0);
        SameDiff sd = SameDiff.create();
        SDVariable kl = KlDivergence.standardNormal(
                sd, "kl", sd.var("mu", TestSupport.nd(mu)), sd.var("lv", TestSupport.nd(lv)));
        INDArray out = sd.output(Map.of(), "kl").get("kl");
        assertArrayEquals(new long[] {n}, out.shape());
        assertClose(klStandardNormal(mu, lv), out, 1e-12, 1e-12);
        Assertions.assertEquals("kl", kl.name());
    }

    @ParameterizedTest
    @CsvSource({"3,2", "5,6"})
    void diagonalGaussiansMatchesPlainJava(int n, int d) {
        Random rng = new Random(7 + n * 13L + d);
        double[][] mu1 = TestSupport.gaussian(rng, n, d, 0, 1);
        double[][] lv1 = TestSupport.gaussian(rng, n, d, 0, 1);
        double[][] mu2 = TestSupport.gaussian(rng, n, d, 0.5, 1);
        double[][] lv2 = TestSupport.gaussian(rng, n, d, -0.3, 1);
        SameDiff sd = SameDiff.create();
        KlDivergence.diagonalGaussians(
                sd,
                "kl",
                sd.var("mu1", TestSupport.nd(mu1)),
                sd.var("lv1", TestSupport.nd(lv1)),
                sd.var("mu2", TestSupport.nd(mu2)),
                sd.var("lv2", TestSupport.nd(lv2)));
        INDArray out = sd.output(Map.of(), "kl").get("kl");
        assertArrayEquals(new long[] {n}, out.shape());
        assertClose(klDiagonal(mu1, lv1, mu2, lv2), out, 1e-12, 1e-12);
    }

    @Test
    void standardNormalMatchesNumericIntegration() {
        double[][] mu = {{0.0, 1.2, -2.0}, {0.3, -0.7, 0.0}, {3.0, 0.1, -0.4}};
        double[][] lv = {{0.0, -1.0, 0.5}, {1.5, 0.2, -2.5}, {-0.3, 0.0, 1.0}};
        double[] expected = new double[mu.length];
        for (int n = 0; n < mu.length; n++) {
            for (int j = 0; j < mu[n].length; j++) {
                expected[n] += klByIntegration(mu[n][j], Math.exp(lv[n][j]), 0.0, 1.0);
            }
        }
        SameDiff sd = SameDiff.create();
        KlDivergence.standardNormal(sd, "kl", sd.var("mu", TestSupport.nd(mu)), sd.var("lv", TestSupport.nd(lv)));
        assertClose(expected, sd.output(Map.of(), "kl").get("kl"), 1e-6, 1e-8);
    }

    @Test
    void diagonalGaussiansMatchesNumericIntegration() {
        double[][] mu1 = {{0.0, 1.2}, {0.3, -0.7}, {3.0, 0.1}};
        double[][] lv1 = {{0.0, -1.0}, {1.5, 0.2}, {-0.3, 0.0}};
        double[][] mu2 = {{1.0, -0.5}, {0.0, 0.0}, {2.0, 0.4}};
        double[][] lv2 = {{0.7, 0.2}, {-0.5, 1.0}, {0.0, -1.2}};
        double[] expected = new double[mu1.length];
        for (int n = 0; n < mu1.length; n++) {
            for (int j = 0; j < mu1[n].length; j++) {
                expected[n] += klByIntegration(mu1[n][j], Math.exp(lv1[n][j]), mu2[n][j], Math.exp(lv2[n][j]));
            }
        }
        SameDiff sd = SameDiff.create();
        KlDivergence.diagonalGaussians(
                sd,
                "kl",
                sd.var("mu1", TestSupport.nd(mu1)),
                sd.var("lv1", TestSupport.nd(lv1)),
                sd.var("mu2", TestSupport.nd(mu2)),
                sd.var("lv2", TestSupport.nd(lv2)));
        assertClose(expected, sd.output(Map.of(), "kl").get("kl"), 1e-6, 1e-8);
    }

    @Test
    void diagonalGaussiansWithStandardPriorEqualsStandardNormal() {
        Random rng = new Random(3);
        double[][] mu = TestSupport.gaussian(rng, 4, 3, 0, 1);
        double[][] lv = TestSupport.gaussian(rng, 4, 3, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable m = sd.var("mu", TestSupport.nd(mu));
        SDVariable l = sd.var("lv", TestSupport.nd(lv));
        KlDivergence.diagonalGaussians(
                sd,
                "general",
                m,
                l,
                sd.constant(TestSupport.nd(new double[4][3])),
                sd.constant(TestSupport.nd(new double[4][3])));
        KlDivergence.standardNormal(sd, "standard", m, l);
        Map<String, INDArray> out = sd.output(Map.of(), "general", "standard");
        assertClose(out.get("standard").toDoubleVector(), out.get("general"), 1e-12, 1e-12);
    }

    @Test
    void standardNormalGradientsMatchFiniteDifferences() {
        Random rng = new Random(21);
        double[][] mu = TestSupport.gaussian(rng, 3, 4, 0, 1);
        double[][] lv = TestSupport.gaussian(rng, 3, 4, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable kl = KlDivergence.standardNormal(
                sd, "kl", sd.var("mu", TestSupport.nd(mu)), sd.var("lv", TestSupport.nd(lv)));
        sd.setLossVariables(kl.sum("loss"));
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "mu", "lv");
        assertClose(
                TestSupport.numericGradient(m -> TestSupport.sum(klStandardNormal(m, lv)), mu, 1e-6),
                g.get("mu"),
                1e-6,
                1e-7);
        assertClose(
                TestSupport.numericGradient(l -> TestSupport.sum(klStandardNormal(mu, l)), lv, 1e-6),
                g.get("lv"),
                1e-6,
                1e-7);
    }

    @Test
    void diagonalGaussiansGradientsMatchFiniteDifferences() {
        Random rng = new Random(22);
        double[][] mu1 = TestSupport.gaussian(rng, 3, 2, 0, 1);
        double[][] lv1 = TestSupport.gaussian(rng, 3, 2, 0, 1);
        double[][] mu2 = TestSupport.gaussian(rng, 3, 2, 0, 1);
        double[][] lv2 = TestSupport.gaussian(rng, 3, 2, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable kl = KlDivergence.diagonalGaussians(
                sd,
                "kl",
                sd.var("mu1", TestSupport.nd(mu1)),
                sd.var("lv1", TestSupport.nd(lv1)),
                sd.var("mu2", TestSupport.nd(mu2)),
                sd.var("lv2", TestSupport.nd(lv2)));
        sd.setLossVariables(kl.sum("loss"));
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "mu1", "lv1", "mu2", "lv2");
        double h = 1e-6;
        assertClose(
                TestSupport.numericGradient(a -> TestSupport.sum(klDiagonal(a, lv1, mu2, lv2)), mu1, h),
                g.get("mu1"),
                1e-6,
                1e-7);
        assertClose(
                TestSupport.numericGradient(a -> TestSupport.sum(klDiagonal(mu1, a, mu2, lv2)), lv1, h),
                g.get("lv1"),
                1e-6,
                1e-7);
        assertClose(
                TestSupport.numericGradient(a -> TestSupport.sum(klDiagonal(mu1, lv1, a, lv2)), mu2, h),
                g.get("mu2"),
                1e-6,
                1e-7);
        assertClose(
                TestSupport.numericGradient(a -> TestSupport.sum(klDiagonal(mu1, lv1, mu2, a)), lv2, h),
                g.get("lv2"),
                1e-6,
                1e-7);
    }
}
