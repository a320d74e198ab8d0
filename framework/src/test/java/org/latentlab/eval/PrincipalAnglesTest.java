package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Principal angles on subspaces built with known angles: pairs of unit vectors cos(t) e_i + sin(t) e_{i+k} against
 * e_i, then hidden behind a random rotation of the whole space and random (non-orthogonal) bases of each subspace,
 * which must not change the angles.
 */
class PrincipalAnglesTest {
    private static final double TOL = 1e-7;

    @Test
    void anglesOfARotatedPairOfPlanes() {
        double t = 0.4;
        // span(e1, e2) against span(e1, cos t e2 + sin t e3) in R^4: angles 0 and t.
        double[][] a = {{1, 0}, {0, 1}, {0, 0}, {0, 0}};
        double[][] b = {{1, 0}, {0, Math.cos(t)}, {0, Math.sin(t)}, {0, 0}};
        assertArrayEquals(new double[] {0, t}, PrincipalAngles.between(a, b), TOL);
    }

    @Test
    void knownAnglesSurviveARotationOfTheSpaceAndOtherBases() {
        double[] angles = {0.1, 0.7, 1.3};
        int k = angles.length;
        int d = 9;
        double[][] a = new double[d][k];
        double[][] b = new double[d][k];
        for (int i = 0; i < k; i++) {
            a[i][i] = 1;
            b[i][i] = Math.cos(angles[i]);
            b[i + k][i] = Math.sin(angles[i]);
        }
        assertArrayEquals(angles, PrincipalAngles.between(a, b), TOL);

        Random rng = new Random(7);
        double[][] rotation = randomOrthogonal(d, rng);
        double[][] ra = times(times(rotation, a), randomMatrix(k, k, rng));
        double[][] rb = times(times(rotation, b), randomMatrix(k, k, rng));
        assertArrayEquals(angles, PrincipalAngles.between(ra, rb), TOL);
        // Symmetric in its arguments, and the INDArray form agrees.
        assertArrayEquals(angles, PrincipalAngles.between(rb, ra), TOL);
        assertArrayEquals(angles, PrincipalAngles.between(Nd4j.createFromArray(ra), Nd4j.createFromArray(rb)), TOL);
        assertArrayEquals(
                new double[] {Math.toDegrees(0.1), Math.toDegrees(0.7), Math.toDegrees(1.3)},
                PrincipalAngles.degrees(angles),
                1e-12);
    }

    @Test
    void equalOrthogonalAndNestedSubspaces() {
        Random rng = new Random(3);
        double[][] a = randomMatrix(12, 4, rng);
        double[][] sameSpan = times(a, randomMatrix(4, 4, rng));
        assertArrayEquals(new double[4], PrincipalAngles.between(a, sameSpan), TOL);

        double[][] e12 = {{1, 0}, {0, 1}, {0, 0}, {0, 0}};
        double[][] e34 = {{0, 0}, {0, 0}, {2, 0}, {0, 3}};
        assertArrayEquals(new double[] {Math.PI / 2, Math.PI / 2}, PrincipalAngles.between(e12, e34), TOL);

        // A line inside a plane: one angle, 0; a line at 45 degrees to it.
        assertArrayEquals(new double[] {0}, PrincipalAngles.between(e12, new double[][] {{0}, {5}, {0}, {0}}), TOL);
        assertArrayEquals(
                new double[] {Math.PI / 4}, PrincipalAngles.between(e12, new double[][] {{0}, {1}, {1}, {0}}), TOL);
    }

    @Test
    void rejectsDependentColumnsAndMismatchedSpaces() {
        double[][] dependent = {{1, 2}, {1, 2}, {0, 0}};
        double[][] plane = {{1, 0}, {0, 1}, {0, 0}};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PrincipalAngles.between(dependent, plane));
        assertTrue(e.getMessage().contains("linearly dependent"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PrincipalAngles.between(plane, new double[][] {{1}, {0}, {0}, {0}}));
        assertTrue(e.getMessage().contains("heights 3 and 4"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PrincipalAngles.between(new double[][] {{1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}}, plane));
        assertTrue(e.getMessage().contains("cannot be independent"), e.getMessage());
    }

    private static double[][] randomMatrix(int rows, int cols, Random rng) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = rng.nextGaussian();
            }
        }
        return m;
    }

    /** Gram-Schmidt on the columns of a random matrix (plain Java, independent of the code under test). */
    private static double[][] randomOrthogonal(int d, Random rng) {
        double[][] m = randomMatrix(d, d, rng);
        for (int j = 0; j < d; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += m[i][j] * m[i][p];
                }
                for (int i = 0; i < d; i++) {
                    m[i][j] -= dot * m[i][p];
                }
            }
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += m[i][j] * m[i][j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                m[i][j] /= norm;
            }
        }
        return m;
    }

    private static double[][] times(double[][] x, double[][] y) {
        double[][] r = new double[x.length][y[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < y.length; p++) {
                for (int j = 0; j < y[0].length; j++) {
                    r[i][j] += x[i][p] * y[p][j];
                }
            }
        }
        return r;
    }
}
