package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class StandardNormalTest {

    @Test
    void quantilesMatchPublishedValuesAndAnIndependentImplementation() {
        assertEquals(1.959963984540054, StandardNormal.inverseCdf(0.975), 1e-15);
        assertEquals(0.0, StandardNormal.inverseCdf(0.5));
        assertEquals(1.0, StandardNormal.inverseCdf(0.8413447460685429), 1e-14);
        assertEquals(-3.090232306167813, StandardNormal.inverseCdf(0.001), 1e-14);
        assertEquals(-6.361340902404056, StandardNormal.inverseCdf(1e-10), 1e-13);
        NormalDistribution normal = new NormalDistribution(0, 1);
        List<Double> ps = new ArrayList<>();
        for (int i = 1; i < 1000; i++) {
            ps.add(i / 1000.0);
        }
        ps.addAll(List.of(1e-6, 1e-4, 0.02425, 0.075, 0.925, 0.97575, 1 - 1e-6));
        for (double p : ps) {
            double z = StandardNormal.inverseCdf(p);
            assertEquals(normal.inverseCumulativeProbability(p), z, 1e-9 * Math.max(1, Math.abs(z)), "p = " + p);
            assertEquals(-z, StandardNormal.inverseCdf(1 - p), 1e-9, "symmetry at p = " + p);
        }
        for (double bad : new double[] {0, 1, -0.1, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> StandardNormal.inverseCdf(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void quantileGridUsesTheMidpointsOfEqualProbabilitySteps() {
        double[] z = StandardNormal.quantileGrid(20);
        assertEquals(20, z.length);
        assertEquals(1.959963984540054, z[19], 1e-15, "19.5 / 20 = 0.975");
        assertEquals(-1.959963984540054, z[0], 1e-15);
        for (int i = 1; i < z.length; i++) {
            assertTrue(z[i] > z[i - 1]);
        }
        assertEquals(0.0, StandardNormal.quantileGrid(1)[0]);
        assertThrows(IllegalArgumentException.class, () -> StandardNormal.quantileGrid(0));
    }
}
