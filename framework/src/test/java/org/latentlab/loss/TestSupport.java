package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain-Java helpers: random matrices, conversions, tolerances and finite differences. */
final class TestSupport {

    private TestSupport() {}

    static double[][] gaussian(Random rng, int rows, int cols, double mean, double scale) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i][j] = mean + scale * rng.nextGaussian();
            }
        }
        return a;
    }

    static double[][] uniform(Random rng, int rows, int cols, double lo, double hi) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i][j] = lo + (hi - lo) * rng.nextDouble();
            }
        }
        return a;
    }

    static INDArray nd(double[][] a) {
        return Nd4j.createFromArray(a);
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Asserts |e - a| <= absTol + relTol * |e| elementwise. */
    static void assertClose(double[] expected, INDArray actual, double relTol, double absTol) {
        double[] a = actual.toDoubleVector();
        assertEquals(expected.length, a.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double tol = absTol + relTol * Math.abs(expected[i]);
            assertTrue(
                    Math.abs(expected[i] - a[i]) <= tol,
                    "entry " + i + ": expected " + expected[i] + " but got " + a[i] + " (tol " + tol + ")");
        }
    }

    static void assertClose(double[][] expected, INDArray actual, double relTol, double absTol) {
        assertArrayEquals(new long[] {expected.length, expected[0].length}, actual.shape(), "shape");
        double[][] a = actual.toDoubleMatrix();
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                double tol = absTol + relTol * Math.abs(expected[i][j]);
                assertTrue(
                        Math.abs(expected[i][j] - a[i][j]) <= tol,
                        "entry [" + i + "," + j + "]: expected " + expected[i][j] + " but got " + a[i][j] + " (tol "
                                + tol + ")");
            }
        }
    }

    /** Central finite-difference gradient of a scalar plain-Java function of a matrix. */
    static double[][] numericGradient(ToDoubleFunction<double[][]> f, double[][] x, double h) {
        double[][] g = new double[x.length][x[0].length];
        double[][] probe = copy(x);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                probe[i][j] = x[i][j] + h;
                double up = f.applyAsDouble(probe);
                probe[i][j] = x[i][j] - h;
                double down = f.applyAsDouble(probe);
                probe[i][j] = x[i][j];
                g[i][j] = (up - down) / (2 * h);
            }
        }
        return g;
    }

    static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
