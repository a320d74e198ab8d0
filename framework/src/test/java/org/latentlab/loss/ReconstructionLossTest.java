package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReconstructionLossTest {

    /** Stable Bernoulli NLL in plain Java. */
    static double[] bernoulliStable(double[][] logits, double[][] t) {
        double[] out = new double[logits.length];
        for (int n = 0; n < logits.length; n++) {
            for (int i = 0; i < logits[n].length; i++) {
                double l = logits[n][i];
                out[n] += Math.max(l, 0) - t[n][i] * l + Math.log1p(Math.exp(-Math.abs(l)));
            }
        }
        return out;
    }

    /** The textbook form; only usable for moderate logits. */
    static double[] bernoulliNaive(double[][] logits, double[][] t) {
        double[] out = new double[logits.length];
        for (int n = 0; n < logits.length; n++) {
            for (int i = 0; i < logits[n].length; i++) {
                double p = TestSupport.sigmoid(logits[n][i]);
                out[n] -= t[n][i] * Math.log(p) + (1 - t[n][i]) * Math.log(1 - p);
            }
        }
        return out;
    }

    /** -log of the Gaussian density, computed from the density itself. */
    static double[] gaussianNll(double[][] mean, double[][] logVar, double[][] t) {
        double[] out = new double[mean.length];
        for (int n = 0; n < mean.length; n++) {
            for (int i = 0; i < mean[n].length; i++) {
                double var = Math.exp(logVar[n][i]);
                double d = t[n][i] - mean[n][i];
                double density = Math.exp(-d * d / (2 * var)) / Math.sqrt(2 * Math.PI * var);
                out[n] -= Math.log(density);
            }
        }
        return out;
    }

    static double[] squaredError(double[][] p, double[][] t, boolean mean) {
        double[] out = new double[p.length];
        for (int n = 0; n < p.length; n++) {
            for (int i = 0; i < p[n].length; i++) {
                out[n] += (p[n][i] - t[n][i]) * (p[n][i] - t[n][i]);
            }
            if (mean) {
                out[n] /= p[n].length;
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"3,1", "4,6", "5,20"})
    void bernoulliMatchesBothPlainJavaFormsForModerateLogits(int n, int d) {
        Random rng = new Random(100 + n * 7L + d);
        double[][] logits = TestSupport.gaussian(rng, n, d, 0, 4);
        double[][] t = TestSupport.uniform(rng, n, d, 0, 1);
        SameDiff sd = SameDiff.create();
        ReconstructionLoss.bernoulliFromLogits(
                sd, "nll", sd.var("l", TestSupport.nd(logits)), sd.constant(TestSupport.nd(t)));
        INDArray out = sd.output(Map.of(), "nll").get("nll");
        assertArrayEquals(new long[] {n}, out.shape());
        TestSupport.assertClose(bernoulliStable(logits, t), out, 1e-12, 1e-12);
        TestSupport.assertClose(bernoulliNaive(logits, t), out, 1e-9, 1e-9);
    }

    @Test
    void bernoulliIsFiniteAndExactForHugeLogits() {
        double[][] logits = {
            {-100, 100, -1000, 1000},
            {-100, 100, 0, 1e4},
            {88, 89, -89, 90},
        };
        double[][] t = {
            {0, 1, 0, 1},
            {1, 0, 0.5, 0.3},
            {0.2, 1, 0, 0.9},
        };
        double[] expected = bernoulliStable(logits, t);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            SameDiff sd = SameDiff.create();
            SDVariable l = sd.var("l", TestSupport.nd(logits).castTo(type));
            ReconstructionLoss.bernoulliFromLogits(
                    sd, "nll", l, sd.constant(TestSupport.nd(t).castTo(type)));
            INDArray out = sd.output(Map.of(), "nll").get("nll");
            for (double v : out.toDoubleVector()) {
                assertTrue(Double.isFinite(v), type + ": " + out);
            }
            TestSupport.assertClose(expected, out, type == DataType.DOUBLE ? 1e-12 : 1e-6, 1e-6);
        }
        // the first row is a perfect prediction: its loss is exp(-100)-small, not 0 by cancellation
        assertTrue(expected[0] < 1e-40);
    }

    @Test
    void bernoulliGradientMatchesFiniteDifferences() {
        Random rng = new Random(8);
        double[][] logits = TestSupport.gaussian(rng, 3, 5, 0, 3);
        logits[0][0] = 60;
        logits[1][1] = -60;
        double[][] t = TestSupport.uniform(rng, 3, 5, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable nll = ReconstructionLoss.bernoulliFromLogits(
                sd, "nll", sd.var("l", TestSupport.nd(logits)), sd.constant(TestSupport.nd(t)));
        sd.setLossVariables(nll.sum("loss"));
        INDArray g = sd.calculateGradients(Map.of(), "l").get("l");
        TestSupport.assertClose(
                TestSupport.numericGradient(l -> TestSupport.sum(bernoulliStable(l, t)), logits, 1e-6), g, 1e-6, 1e-7);
        // and the analytic gradient sigmoid(l) - t
        double[][] analytic = new double[3][5];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                analytic[i][j] = TestSupport.sigmoid(logits[i][j]) - t[i][j];
            }
        }
        TestSupport.assertClose(analytic, g, 1e-10, 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"3,1", "4,5"})
    void gaussianMatchesPlainJavaLogDensity(int n, int d) {
        Random rng = new Random(200 + n * 7L + d);
        double[][] mean = TestSupport.gaussian(rng, n, d, 0, 1);
        double[][] lv = TestSupport.gaussian(rng, n, d, 0, 1);
        double[][] t = TestSupport.gaussian(rng, n, d, 0, 1.5);
        SameDiff sd = SameDiff.create();
        ReconstructionLoss.gaussian(
                sd,
                "nll",
                sd.var("m", TestSupport.nd(mean)),
                sd.var("lv", TestSupport.nd(lv)),
                sd.constant(TestSupport.nd(t)));
        INDArray out = sd.output(Map.of(), "nll").get("nll");
        assertArrayEquals(new long[] {n}, out.shape());
        TestSupport.assertClose(gaussianNll(mean, lv, t), out, 1e-10, 1e-10);
    }

    @Test
    void gaussianWithFixedSigmaMatchesPlainJava() {
        Random rng = new Random(12);
        double[][] mean = TestSupport.gaussian(rng, 4, 3, 0, 1);
        double[][] t = TestSupport.gaussian(rng, 4, 3, 0, 1);
        double sigma = 0.3;
        double[][] lv = new double[4][3];
        for (double[] row : lv) {
            Arrays.fill(row, Math.log(sigma * sigma));
        }
        SameDiff sd = SameDiff.create();
        ReconstructionLoss.gaussian(
                sd, "nll", sd.var("m", TestSupport.nd(mean)), sigma, sd.constant(TestSupport.nd(t)));
        TestSupport.assertClose(
                gaussianNll(mean, lv, t), sd.output(Map.of(), "nll").get("nll"), 1e-10, 1e-10);
        assertThrows(
                IllegalArgumentException.class,
                () -> ReconstructionLoss.gaussian(sd, "bad", sd.getVariable("m"), 0.0, sd.getVariable("m")));
        assertThrows(
                IllegalArgumentException.class,
                () -> ReconstructionLoss.gaussian(sd, "bad", sd.getVariable("m"), Double.NaN, sd.getVariable("m")));
    }

    @Test
    void gaussianGradientsMatchFiniteDifferences() {
        Random rng = new Random(13);
        double[][] mean = TestSupport.gaussian(rng, 3, 4, 0, 1);
        double[][] lv = TestSupport.gaussian(rng, 3, 4, 0, 1);
        double[][] t = TestSupport.gaussian(rng, 3, 4, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable nll = ReconstructionLoss.gaussian(
                sd,
                "nll",
                sd.var("m", TestSupport.nd(mean)),
                sd.var("lv", TestSupport.nd(lv)),
                sd.constant(TestSupport.nd(t)));
        sd.setLossVariables(nll.sum("loss"));
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "m", "lv");
        TestSupport.assertClose(
                TestSupport.numericGradient(m -> TestSupport.sum(gaussianNll(m, lv, t)), mean, 1e-6),
                g.get("m"),
                1e-6,
                1e-7);
        TestSupport.assertClose(
                TestSupport.numericGradient(l -> TestSupport.sum(gaussianNll(mean, l, t)), lv, 1e-6),
                g.get("lv"),
                1e-6,
                1e-7);
    }

    @ParameterizedTest
    @CsvSource({"3,1", "4,9"})
    void squaredErrorsMatchPlainJava(int n, int d) {
        Random rng = new Random(300 + n + d);
        double[][] p = TestSupport.gaussian(rng, n, d, 0, 1);
        double[][] t = TestSupport.gaussian(rng, n, d, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable pv = sd.var("p", TestSupport.nd(p));
        SDVariable tv = sd.constant(TestSupport.nd(t));
        ReconstructionLoss.squaredError(sd, "se", pv, tv);
        ReconstructionLoss.meanSquaredError(sd, "mse", pv, tv);
        Map<String, INDArray> out = sd.output(Map.of(), "se", "mse");
        assertArrayEquals(new long[] {n}, out.get("se").shape());
        TestSupport.assertClose(squaredError(p, t, false), out.get("se"), 1e-12, 1e-12);
        TestSupport.assertClose(squaredError(p, t, true), out.get("mse"), 1e-12, 1e-12);
    }
}
