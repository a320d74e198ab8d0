package org.latentlab.graph;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class GraphBlocksTest {

    @Test
    void denseMatchesPlainJavaAffineMapAndActivation() {
        SameDiff sd = SameDiff.create();
        GraphContext g = new GraphContext(sd, 7);
        Dense dense = Dense.create(g, "enc", 3, 2, Activation.TANH, WeightInit.PYTORCH_DEFAULT);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        dense.apply(x, "h");
        float[][] in = {{0.5f, -1f, 2f}, {0f, 0.25f, -0.75f}};
        INDArray out = sd.output(Map.of("x", Nd4j.createFromArray(in)), "h").get("h");
        float[][] w = dense.weights().getArr().toFloatMatrix();
        float[] b = dense.bias().getArr().toFloatVector();
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 2; j++) {
                double s = b[j];
                for (int i = 0; i < 3; i++) {
                    s += in[n][i] * w[i][j];
                }
                assertEquals(Math.tanh(s), out.getDouble(n, j), 1e-5);
            }
        }
        // PyTorch's default init draws biases too; they must not be all zero.
        assertNotEquals(0.0, Math.abs(b[0]) + Math.abs(b[1]));
    }

    @Test
    void denseGradientsMatchPlainJava() {
        // loss = sum(h^2), h = x W + b (identity activation): dW = x^T 2h, db = column sums of 2h.
        SameDiff sd = SameDiff.create();
        GraphContext g = new GraphContext(sd, 8);
        Dense dense = Dense.create(g, "enc", 3, 2, Activation.IDENTITY, WeightInit.PYTORCH_DEFAULT);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable h = dense.apply(x, "h");
        sd.setLossVariables(h.mul(h).sum().rename("loss"));
        float[][] in = {{0.5f, -1f, 2f}, {0f, 0.25f, -0.75f}, {1f, 1f, 1f}};
        Map<String, INDArray> grads = sd.calculateGradients(
                Map.of("x", Nd4j.createFromArray(in)),
                dense.weights().name(),
                dense.bias().name());
        float[][] w = dense.weights().getArr().toFloatMatrix();
        float[] b = dense.bias().getArr().toFloatVector();
        double[][] dw = new double[3][2];
        double[] db = new double[2];
        for (float[] row : in) {
            for (int j = 0; j < 2; j++) {
                double hj = b[j];
                for (int i = 0; i < 3; i++) {
                    hj += row[i] * w[i][j];
                }
                db[j] += 2 * hj;
                for (int i = 0; i < 3; i++) {
                    dw[i][j] += row[i] * 2 * hj;
                }
            }
        }
        for (int j = 0; j < 2; j++) {
            assertEquals(db[j], grads.get(dense.bias().name()).getDouble(j), 1e-5);
            for (int i = 0; i < 3; i++) {
                assertEquals(dw[i][j], grads.get(dense.weights().name()).getDouble(i, j), 1e-5);
            }
        }
    }

    @Test
    void sameSeedGivesSameParametersAndOtherSeedDiffers() {
        float[] a = mlpWeights(3);
        float[] b = mlpWeights(3);
        float[] c = mlpWeights(4);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    private static float[] mlpWeights(long seed) {
        SameDiff sd = SameDiff.create();
        Mlp mlp = Mlp.create(
                new GraphContext(sd, seed),
                "m",
                new int[] {5, 4, 2},
                Activation.RELU,
                Activation.IDENTITY,
                WeightInit.HE_NORMAL);
        return mlp.layers().get(0).weights().getArr().ravel().toFloatVector();
    }

    @Test
    void initScalesFollowTheirFormulas() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] v = new float[200_000];
        WeightInit.HE_NORMAL.fill(v, 50, 10, rng);
        assertEquals(2.0 / 50, variance(v), 2.0 / 50 * 0.02);
        WeightInit.XAVIER_UNIFORM.fill(v, 50, 10, rng);
        assertEquals(2.0 / 60, variance(v), 2.0 / 60 * 0.02); // U(-a,a) has variance a^2/3 = 2/(in+out)
    }

    private static double variance(float[] v) {
        double m = 0;
        for (float f : v) {
            m += f;
        }
        m /= v.length;
        double s = 0;
        for (float f : v) {
            s += (f - m) * (f - m);
        }
        return s / v.length;
    }

    @Test
    void biasesAndWeightsTrain() {
        // The trap this guards against: a bias made with sd.zero is a constant and never moves.
        SameDiff sd = SameDiff.create();
        Dense dense = Dense.create(new GraphContext(sd, 1), "d", 4, 3, Activation.IDENTITY, WeightInit.XAVIER_UNIFORM);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 3);
        SDVariable loss = sd.math().square(dense.apply(x).sub(y)).sum().rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Sgd(0.1))
                .dataSetFeatureMapping("x")
                .dataSetLabelMapping("y")
                .build());
        INDArray b0 = dense.bias().getArr().dup();
        INDArray w0 = dense.weights().getArr().dup();
        INDArray xs = Nd4j.rand(DataType.FLOAT, 8, 4);
        INDArray ys = Nd4j.ones(DataType.FLOAT, 8, 3);
        sd.fit(new MultiDataSet(xs, ys));
        assertNotEquals(b0, dense.bias().getArr());
        assertNotEquals(w0, dense.weights().getArr());
    }

    @Test
    void convHalvesAndDeconvDoublesSpatialSize() {
        SameDiff sd = SameDiff.create();
        GraphContext g = new GraphContext(sd, 2);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 28, 28);
        Conv2dBlock c1 = Conv2dBlock.create(g, "c1", 1, 4, 3, 2, Activation.RELU, WeightInit.HE_NORMAL);
        Conv2dBlock c2 = Conv2dBlock.create(g, "c2", 4, 8, 3, 2, Activation.RELU, WeightInit.HE_NORMAL);
        Deconv2dBlock d1 = Deconv2dBlock.create(g, "d1", 8, 4, 3, 2, Activation.RELU, WeightInit.HE_NORMAL);
        Deconv2dBlock d2 = Deconv2dBlock.create(g, "d2", 4, 1, 3, 2, Activation.SIGMOID, WeightInit.HE_NORMAL);
        SDVariable h = c2.apply(c1.apply(x)).rename("h");
        d2.apply(d1.apply(h)).rename("out");
        Map<String, INDArray> out = sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)), "h", "out");
        assertArrayEquals(new long[] {2, 8, 7, 7}, out.get("h").shape());
        assertArrayEquals(new long[] {2, 1, 28, 28}, out.get("out").shape());
    }

    @Test
    void convMatchesBruteForceCrossCorrelation() {
        // Pins the weight layout [kH, kW, inC, outC] and SAME padding against a plain loop.
        SameDiff sd = SameDiff.create();
        Conv2dBlock conv = Conv2dBlock.create(
                new GraphContext(sd, 5), "c", 2, 3, 3, 1, Activation.IDENTITY, WeightInit.PYTORCH_DEFAULT);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 5, 5);
        conv.apply(x).rename("y");
        INDArray in = Nd4j.rand(DataType.FLOAT, 1, 2, 5, 5);
        INDArray y = sd.output(Map.of("x", in), "y").get("y");
        INDArray w = conv.weights().getArr();
        INDArray b = conv.bias().getArr();
        for (int o = 0; o < 3; o++) {
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 5; c++) {
                    double s = b.getDouble(o);
                    for (int i = 0; i < 2; i++) {
                        for (int kr = 0; kr < 3; kr++) {
                            for (int kc = 0; kc < 3; kc++) {
                                int rr = r + kr - 1;
                                int cc = c + kc - 1;
                                if (rr >= 0 && rr < 5 && cc >= 0 && cc < 5) {
                                    s += in.getDouble(0, i, rr, cc) * w.getDouble(kr, kc, i, o);
                                }
                            }
                        }
                    }
                    assertEquals(s, y.getDouble(0, o, r, c), 1e-4, "output channel " + o + " at " + r + "," + c);
                }
            }
        }
    }
}
