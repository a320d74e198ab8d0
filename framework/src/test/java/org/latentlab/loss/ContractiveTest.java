package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ContractiveTest {

    // ---- plain-Java reference: layers and brute-force Jacobians ----

    interface Encoder {
        double[] apply(double[] x);
    }

    static double[] layer(double[] x, double[][] w, double[] b, boolean sigmoid) {
        double[] out = new double[b.length];
        for (int j = 0; j < b.length; j++) {
            double a = b[j];
            for (int i = 0; i < x.length; i++) {
                a += x[i] * w[i][j];
            }
            out[j] = sigmoid ? TestSupport.sigmoid(a) : Math.tanh(a);
        }
        return out;
    }

    /** ||J_f(x)||_F^2 by central differences along each input coordinate. */
    static double jacobianFrobeniusSquared(Encoder f, double[] x) {
        double h = 1e-5;
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double[] up = x.clone();
            double[] down = x.clone();
            up[i] += h;
            down[i] -= h;
            double[] fu = f.apply(up);
            double[] fd = f.apply(down);
            for (int j = 0; j < fu.length; j++) {
                double dij = (fu[j] - fd[j]) / (2 * h);
                total += dij * dij;
            }
        }
        return total;
    }

    static double[] exactPenaltyJava(double[][] x, double[][] w, double[] b) {
        double[] out = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            double[] h = layer(x[n], w, b, true);
            for (int j = 0; j < h.length; j++) {
                double colNorm = 0;
                for (double[] row : w) {
                    colNorm += row[j] * row[j];
                }
                double slope = h[j] * (1 - h[j]);
                out[n] += slope * slope * colNorm;
            }
        }
        return out;
    }

    static double[] row(double[][] m) {
        return m[0];
    }

    // ---- sigmoidLayerExact ----

    @ParameterizedTest
    @CsvSource({"4,5,3", "3,1,4", "3,6,1"})
    void exactEqualsBruteForceJacobian(int n, int in, int hidden) {
        Random rng = new Random(n * 100L + in * 10L + hidden);
        double[][] x = TestSupport.gaussian(rng, n, in, 0, 1);
        double[][] w = TestSupport.gaussian(rng, in, hidden, 0, 0.8);
        double[] b = row(TestSupport.gaussian(rng, 1, hidden, 0, 0.5));
        SameDiff sd = SameDiff.create();
        SDVariable wv = sd.var("w", TestSupport.nd(w));
        SDVariable bv = sd.var("b", Nd4j.createFromArray(b));
        SDVariable h = sd.nn().sigmoid(sd.constant(TestSupport.nd(x)).mmul(wv).add(bv));
        Contractive.sigmoidLayerExact(sd, "cae", h, wv);
        INDArray out = sd.output(Map.of(), "cae").get("cae");
        assertArrayEquals(new long[] {n}, out.shape());
        double[] brute = new double[n];
        for (int k = 0; k < n; k++) {
            brute[k] = jacobianFrobeniusSquared(v -> layer(v, w, b, true), x[k]);
        }
        TestSupport.assertClose(brute, out, 1e-7, 1e-10);
    }

    @Test
    void exactGradientsWrtWeightsAndBiasMatchFiniteDifferences() {
        Random rng = new Random(77);
        double[][] x = TestSupport.gaussian(rng, 4, 3, 0, 1);
        double[][] w = TestSupport.gaussian(rng, 3, 2, 0, 1);
        double[][] b = TestSupport.gaussian(rng, 1, 2, 0, 0.5);
        SameDiff sd = SameDiff.create();
        SDVariable wv = sd.var("w", TestSupport.nd(w));
        SDVariable bv = sd.var("b", TestSupport.nd(b));
        SDVariable h = sd.nn().sigmoid(sd.constant(TestSupport.nd(x)).mmul(wv).add(bv));
        SDVariable cae = Contractive.sigmoidLayerExact(sd, "cae", h, wv);
        sd.setLossVariables(cae.sum("loss"));
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "w", "b");
        TestSupport.assertClose(
                TestSupport.numericGradient(ww -> TestSupport.sum(exactPenaltyJava(x, ww, b[0])), w, 1e-6),
                g.get("w"),
                1e-6,
                1e-8);
        TestSupport.assertClose(
                TestSupport.numericGradient(bb -> TestSupport.sum(exactPenaltyJava(x, w, bb[0])), b, 1e-6),
                g.get("b"),
                1e-6,
                1e-8);
    }

    // ---- finiteDifferenceEstimate on a 2-layer tanh encoder ----

    static final int N = 3;
    static final int D = 4;
    static final int H1 = 6;
    static final int H2 = 3;

    /** Weights of a small tanh-tanh encoder and its graph. */
    static final class TanhEncoder {
        final double[][] x;
        final double[][] w1;
        final double[] b1;
        final double[][] w2;
        final double[] b2;

        TanhEncoder(long seed) {
            Random rng = new Random(seed);
            x = TestSupport.gaussian(rng, N, D, 0, 1);
            w1 = TestSupport.gaussian(rng, D, H1, 0, 0.7);
            b1 = row(TestSupport.gaussian(rng, 1, H1, 0, 0.3));
            w2 = TestSupport.gaussian(rng, H1, H2, 0, 0.7);
            b2 = row(TestSupport.gaussian(rng, 1, H2, 0, 0.3));
        }

        double[] forward(double[] in, double[][] w1Override) {
            return layer(layer(in, w1Override, b1, false), w2, b2, false);
        }

        double bruteForce(int n) {
            return jacobianFrobeniusSquared(v -> forward(v, w1), x[n]);
        }

        /** The estimator in plain Java, for the gradient check. */
        double estimateJava(double[][] w1Override, double[][][] directions, double step) {
            double total = 0;
            for (int n = 0; n < N; n++) {
                for (double[][] v : directions) {
                    double[] up = x[n].clone();
                    double[] down = x[n].clone();
                    for (int i = 0; i < D; i++) {
                        up[i] += step * v[n][i];
                        down[i] -= step * v[n][i];
                    }
                    double[] fu = forward(up, w1Override);
                    double[] fd = forward(down, w1Override);
                    for (int j = 0; j < H2; j++) {
                        double jv = (fu[j] - fd[j]) / (2 * step);
                        total += jv * jv / directions.length;
                    }
                }
            }
            return total;
        }

        /** Builds the estimator in a new graph with K direction placeholders v0..v(K-1). */
        SameDiff graph(DataType type, int k, double step) {
            return graph(type, k, step, x);
        }

        /** As above, on inputs {@code xData} (for example copies of {@link #x}). */
        SameDiff graph(DataType type, int k, double step, double[][] xData) {
            SameDiff sd = SameDiff.create();
            SDVariable xv = sd.constant("x", TestSupport.nd(xData).castTo(type));
            SDVariable w1v = sd.var("w1", TestSupport.nd(w1).castTo(type));
            SDVariable b1v = sd.var("b1", Nd4j.createFromArray(b1).castTo(type));
            SDVariable w2v = sd.var("w2", TestSupport.nd(w2).castTo(type));
            SDVariable b2v = sd.var("b2", Nd4j.createFromArray(b2).castTo(type));
            UnaryOperator<SDVariable> encoder = in -> sd.math()
                    .tanh(sd.math().tanh(in.mmul(w1v).add(b1v)).mmul(w2v).add(b2v));
            List<SDVariable> dirs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                dirs.add(sd.placeHolder("v" + i, type, -1, D));
            }
            SDVariable est = Contractive.finiteDifferenceEstimate(sd, "est", encoder, xv, dirs, step);
            sd.setLossVariables(est.sum("loss"));
            return sd;
        }
    }

    @Test
    void estimateWithBasisDirectionsIsExactUpToScale() {
        // With the D coordinate directions, (1/D) sum_i ||J e_i||^2 = ||J||_F^2 / D exactly.
        TanhEncoder enc = new TanhEncoder(1);
        SameDiff sd = enc.graph(DataType.DOUBLE, D, 1e-5);
        Map<String, INDArray> feed = new HashMap<>();
        for (int i = 0; i < D; i++) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, N, D);
            for (int n = 0; n < N; n++) {
                e.putScalar(n, i, 1.0);
            }
            feed.put("v" + i, e);
        }
        INDArray est = sd.output(feed, "est").get("est");
        assertArrayEquals(new long[] {N}, est.shape());
        double[] expected = new double[N];
        for (int n = 0; n < N; n++) {
            expected[n] = enc.bruteForce(n) / D;
        }
        TestSupport.assertClose(expected, est, 1e-6, 1e-10);
    }

    @Test
    void estimateWithRandomDirectionsApproachesBruteForce() {
        // Many batches of directions at once: each example is repeated R times in the batch,
        // every copy with its own K directions, and the per-example estimates are averaged.
        TanhEncoder enc = new TanhEncoder(2);
        int k = 2;
        int copies = 1000;
        double[][] repeated = new double[N * copies][];
        for (int r = 0; r < copies; r++) {
            for (int n = 0; n < N; n++) {
                repeated[r * N + n] = enc.x[n];
            }
        }
        SameDiff sd = enc.graph(DataType.DOUBLE, k, 1e-4, repeated);
        NoiseSource noise = new NoiseSource(123);
        Map<String, INDArray> feed = new HashMap<>();
        for (int i = 0; i < k; i++) {
            feed.put("v" + i, noise.standardNormal(DataType.DOUBLE, N * copies, D));
        }
        double[] est = sd.output(feed, "est").get("est").toDoubleVector();
        double[] mean = new double[N];
        for (int r = 0; r < copies; r++) {
            for (int n = 0; n < N; n++) {
                mean[n] += est[r * N + n] / copies;
            }
        }
        // 2,000 Gaussian directions per example: relative standard error <= sqrt(2 / 2000) = 3.2%;
        // the bound below is three times that.
        for (int n = 0; n < N; n++) {
            double brute = enc.bruteForce(n);
            assertEquals(brute, mean[n], 0.095 * brute, "example " + n);
        }
    }

    @Test
    void oneDirectionIsFiniteAndTrainable() {
        TanhEncoder enc = new TanhEncoder(3);
        double step = 1e-2;
        double[][][] v = {
            new NoiseSource(5).standardNormal(DataType.DOUBLE, N, D).toDoubleMatrix()
        };
        // FLOAT, as a model would run it: finite value and finite, non-zero gradients for every weight.
        SameDiff sdFloat = enc.graph(DataType.FLOAT, 1, step);
        Map<String, INDArray> feedFloat = Map.of("v0", TestSupport.nd(v[0]).castTo(DataType.FLOAT));
        for (double e : sdFloat.output(feedFloat, "est").get("est").toDoubleVector()) {
            assertTrue(Double.isFinite(e) && e > 0, "estimate " + e);
        }
        Map<String, INDArray> gFloat = sdFloat.calculateGradients(feedFloat, "w1", "b1", "w2", "b2");
        for (String name : List.of("w1", "b1", "w2", "b2")) {
            INDArray g = gFloat.get(name);
            assertNotNull(g, name);
            for (double e : g.dup().data().asDouble()) {
                assertTrue(Double.isFinite(e), name + " has " + e);
            }
            assertTrue(g.norm2Number().doubleValue() > 0, name);
        }
        // DOUBLE: the gradient wrt the first layer's weights equals finite differences of the
        // plain-Java estimator with the same direction.
        SameDiff sd = enc.graph(DataType.DOUBLE, 1, step);
        INDArray g =
                sd.calculateGradients(Map.of("v0", TestSupport.nd(v[0])), "w1").get("w1");
        double[][] expected = TestSupport.numericGradient(w -> enc.estimateJava(w, v, step), enc.w1, 1e-6);
        TestSupport.assertClose(expected, g, 1e-5, 1e-8);
    }

    @Test
    void rejectsBadArguments() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable v = sd.placeHolder("v", DataType.FLOAT, -1, 2);
        UnaryOperator<SDVariable> id = in -> in;
        assertThrows(
                IllegalArgumentException.class,
                () -> Contractive.finiteDifferenceEstimate(sd, "e", id, x, List.of(), 0.1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Contractive.finiteDifferenceEstimate(sd, "e", id, x, List.of(v), 0.0));
        assertThrows(
                IllegalArgumentException.class,
                () -> Contractive.finiteDifferenceEstimate(sd, "e", id, x, List.of(v), Double.NaN));
    }
}
