package org.latentlab.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NoiseSourceTest {

    @Test
    void sameSeedGivesSameArrays() {
        NoiseSource a = new NoiseSource(42);
        NoiseSource b = new NoiseSource(42);
        for (int i = 0; i < 3; i++) {
            assertEquals(a.standardNormal(4, 5), b.standardNormal(4, 5));
        }
        assertEquals(a.uniform(DataType.DOUBLE, 7), b.uniform(DataType.DOUBLE, 7));
    }

    @Test
    void independentOfNd4jGlobalRandom() {
        Nd4j.getRandom().setSeed(1);
        INDArray first = new NoiseSource(5).standardNormal(3, 3);
        Nd4j.getRandom().setSeed(999);
        Nd4j.rand(10, 10);
        assertEquals(first, new NoiseSource(5).standardNormal(3, 3));
    }

    @Test
    void differentSeedOrStepGivesDifferentArrays() {
        INDArray base = new NoiseSource(42).standardNormal(4, 5);
        assertNotEquals(base, new NoiseSource(43).standardNormal(4, 5));
        INDArray step = NoiseSource.forStep(42, 0, 0).standardNormal(4, 5);
        assertEquals(step, NoiseSource.forStep(42, 0, 0).standardNormal(4, 5));
        assertNotEquals(step, NoiseSource.forStep(42, 0, 1).standardNormal(4, 5));
        assertNotEquals(step, NoiseSource.forStep(42, 1, 0).standardNormal(4, 5));
        assertNotEquals(step, NoiseSource.forStep(43, 0, 0).standardNormal(4, 5));
        // epoch and step must not be interchangeable
        assertNotEquals(
                NoiseSource.forStep(42, 1, 2).standardNormal(4, 5),
                NoiseSource.forStep(42, 2, 1).standardNormal(4, 5));
    }

    @Test
    void shapesAndTypes() {
        NoiseSource s = new NoiseSource(1);
        INDArray f = s.standardNormal(3, 2);
        assertEquals(DataType.FLOAT, f.dataType());
        assertArrayEquals(new long[] {3, 2}, f.shape());
        INDArray d = s.standardNormal(DataType.DOUBLE, 2, 3, 4);
        assertEquals(DataType.DOUBLE, d.dataType());
        assertArrayEquals(new long[] {2, 3, 4}, d.shape());
        INDArray odd = s.standardNormal(DataType.DOUBLE, 1, 1);
        assertTrue(Double.isFinite(odd.getDouble(0)));
        assertThrows(IllegalArgumentException.class, () -> s.standardNormal(0, 3));
        assertThrows(IllegalArgumentException.class, () -> s.standardNormal(DataType.INT, 2, 3));
    }

    @Test
    void standardNormalMoments() {
        NoiseSource s = new NoiseSource(2024);
        double sum = 0;
        double sumSq = 0;
        double sumFourth = 0;
        long n = 0;
        for (int i = 0; i < 20; i++) {
            for (double v : s.standardNormal(DataType.DOUBLE, 100, 101).data().asDouble()) {
                sum += v;
                sumSq += v * v;
                sumFourth += v * v * v * v;
                n++;
            }
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // n = 202,000: the standard error of the mean is 0.0022 and of the variance 0.0031.
        assertEquals(0.0, mean, 0.01);
        assertEquals(1.0, var, 0.015);
        assertEquals(3.0, sumFourth / n, 0.06);
    }

    @Test
    void uniformMomentsAndRange() {
        double[] u = new NoiseSource(7).uniform(DataType.DOUBLE, 100_000).data().asDouble();
        double sum = 0;
        double sumSq = 0;
        for (double v : u) {
            assertTrue(v >= 0.0 && v < 1.0);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / u.length;
        assertEquals(0.5, mean, 0.005);
        assertEquals(1.0 / 12.0, sumSq / u.length - mean * mean, 0.002);
    }
}
