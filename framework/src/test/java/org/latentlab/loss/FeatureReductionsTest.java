package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeatureReductionsTest {

    @ParameterizedTest
    @CsvSource({"3,1", "1,1", "1,5", "4,7"})
    void sumAndMeanOfMatrixMatchPlainJava(int n, int d) {
        double[][] x = TestSupport.gaussian(new Random(n * 10L + d), n, d, 0, 1);
        double[] sums = new double[n];
        double[] means = new double[n];
        for (int i = 0; i < n; i++) {
            sums[i] = TestSupport.sum(x[i]);
            means[i] = sums[i] / d;
        }
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.var("x", TestSupport.nd(x));
        // Once on a variable (shape known) and once on an op output (shape unknown in M2.1).
        FeatureReductions.sumOverFeatures(sd, "sum", v);
        FeatureReductions.meanOverFeatures(sd, "mean", v);
        FeatureReductions.sumOverFeatures(sd, "sum2", v.mul(2.0));
        FeatureReductions.meanOverFeatures(sd, "mean2", v.mul(2.0));
        Map<String, INDArray> out = sd.output(Map.of(), "sum", "mean", "sum2", "mean2");
        assertArrayEquals(new long[] {n}, out.get("sum").shape());
        assertArrayEquals(new long[] {n}, out.get("sum2").shape());
        TestSupport.assertClose(sums, out.get("sum"), 1e-12, 1e-12);
        TestSupport.assertClose(means, out.get("mean"), 1e-12, 1e-12);
        double[] sums2 = sums.clone();
        double[] means2 = means.clone();
        for (int i = 0; i < n; i++) {
            sums2[i] *= 2;
            means2[i] *= 2;
        }
        TestSupport.assertClose(sums2, out.get("sum2"), 1e-12, 1e-12);
        TestSupport.assertClose(means2, out.get("mean2"), 1e-12, 1e-12);
    }

    @Test
    void rankFourInputIsReducedOverAllButTheBatch() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 5).subi(0.5);
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.var("x", x);
        FeatureReductions.sumOverFeatures(sd, "sum", v.add(1.0));
        FeatureReductions.meanOverFeatures(sd, "mean", v);
        Map<String, INDArray> out = sd.output(Map.of(), "sum", "mean");
        double[] sums = x.add(1.0).sum(1, 2, 3).toDoubleVector();
        double[] means = x.mean(1, 2, 3).toDoubleVector();
        TestSupport.assertClose(sums, out.get("sum"), 1e-12, 1e-12);
        TestSupport.assertClose(means, out.get("mean"), 1e-12, 1e-12);
    }

    @Test
    void rowReductionsWorkForOneRow() {
        double[][] x = {{1.0, -2.0, 4.0}};
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.var("x", TestSupport.nd(x));
        SDVariable s = FeatureReductions.sumOverRows(sd, v.mul(1.0));
        SDVariable m = FeatureReductions.meanOverRows(sd, v);
        Map<String, INDArray> out = sd.output(Map.of(), s.name(), m.name());
        TestSupport.assertClose(x, out.get(s.name()), 0, 1e-12);
        TestSupport.assertClose(x, out.get(m.name()), 0, 1e-12);
    }

    @Test
    void gradientOfSumOverFeaturesIsOnes() {
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 1));
        SDVariable s = FeatureReductions.sumOverFeatures(sd, "s", v.mul(3.0));
        sd.setLossVariables(s.sum("loss"));
        INDArray g = sd.calculateGradients(Map.of(), "x").get("x");
        assertEquals(9.0, g.sumNumber().doubleValue(), 1e-12);
    }
}
