package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReparameterizationTest {

    static double[][] sample(double[][] mu, double[][] lv, double[][] eps) {
        double[][] z = new double[mu.length][mu[0].length];
        for (int i = 0; i < mu.length; i++) {
            for (int j = 0; j < mu[i].length; j++) {
                z[i][j] = mu[i][j] + Math.exp(0.5 * lv[i][j]) * eps[i][j];
            }
        }
        return z;
    }

    /** A loss that depends non-linearly on z, so that the gradient test can fail. */
    static double sumOfSquares(double[][] z) {
        double s = 0;
        for (double[] row : z) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    @Test
    void sampleMatchesPlainJavaWithFedNoise() {
        Random rng = new Random(5);
        int n = 4;
        int d = 3;
        double[][] mu = TestSupport.gaussian(rng, n, d, 0, 1);
        double[][] lv = TestSupport.gaussian(rng, n, d, 0, 1);
        SameDiff sd = SameDiff.create();
        SDVariable eps = Reparameterization.noisePlaceholder(sd, "eps", DataType.DOUBLE, d);
        Reparameterization.sample(sd, "z", sd.var("mu", TestSupport.nd(mu)), sd.var("lv", TestSupport.nd(lv)), eps);
        NoiseSource noise = new NoiseSource(9);
        for (int batch = 0; batch < 2; batch++) {
            INDArray e = noise.standardNormal(DataType.DOUBLE, n, d);
            INDArray z = sd.output(Map.of("eps", e), "z").get("z");
            assertArrayEquals(new long[] {n, d}, z.shape());
            TestSupport.assertClose(sample(mu, lv, e.toDoubleMatrix()), z, 1e-12, 1e-12);
        }
    }

    @Test
    void gradientsWrtMuAndLogVarMatchFiniteDifferences() {
        Random rng = new Random(6);
        double[][] mu = TestSupport.gaussian(rng, 3, 4, 0, 1);
        double[][] lv = TestSupport.gaussian(rng, 3, 4, 0, 1);
        double[][] eps =
                new NoiseSource(3).standardNormal(DataType.DOUBLE, 3, 4).toDoubleMatrix();
        SameDiff sd = SameDiff.create();
        SDVariable epsPh = Reparameterization.noisePlaceholder(sd, "eps", DataType.DOUBLE, 4);
        SDVariable z = Reparameterization.sample(
                sd, "z", sd.var("mu", TestSupport.nd(mu)), sd.var("lv", TestSupport.nd(lv)), epsPh);
        sd.setLossVariables(sd.math().square(z).sum("loss"));
        Map<String, INDArray> g = sd.calculateGradients(Map.of("eps", TestSupport.nd(eps)), "mu", "lv");
        TestSupport.assertClose(
                TestSupport.numericGradient(m -> sumOfSquares(sample(m, lv, eps)), mu, 1e-6), g.get("mu"), 1e-6, 1e-7);
        TestSupport.assertClose(
                TestSupport.numericGradient(l -> sumOfSquares(sample(mu, l, eps)), lv, 1e-6), g.get("lv"), 1e-6, 1e-7);
    }
}
