package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

class FusedAdamTest {

    private static GradientUpdater<?> updater(IUpdater config, INDArray param) {
        // As SameDiff makes it: one state array per parameter, M and V views into it.
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, config.stateSize(param.length()));
        GradientUpdater<?> u = config.instantiate(state, true);
        u.setStateViewArray(state, param.shape(), param.ordering(), true);
        return u;
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 300_001}) // one pass, and two halves on two threads
    void matchesNd4jsAdamOverSeveralSteps(int n) {
        Nd4j.getRandom().setSeed(11);
        Adam config = new Adam(3e-3, 0.85, 0.995, 1e-7);
        INDArray expected = Nd4j.rand(DataType.FLOAT, n / 7 + 1, 7).subi(0.5);
        INDArray actual = expected.dup();
        GradientUpdater<?> reference = updater(config, expected);
        GradientUpdater<?> fused = updater(config, actual);
        for (int it = 0; it < 4; it++) {
            INDArray grad = Nd4j.randn(DataType.FLOAT, expected.shape());
            INDArray g1 = grad.dup();
            reference.applyUpdater(g1, it, 0);
            expected.subi(g1);
            INDArray g2 = grad.dup();
            assertTrue(FusedAdam.apply(fused, g2, actual, it, 0));
            assertEquals(grad, g2, "the gradient array is left unchanged");
            double diff = expected.sub(actual).amaxNumber().doubleValue();
            assertTrue(diff < 1e-6, "step " + it + ": parameters differ by " + diff);
        }
        for (String k : new String[] {"M", "V"}) {
            double diff = reference
                    .getState()
                    .get(k)
                    .sub(fused.getState().get(k))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(diff < 1e-6, k + " state differs by " + diff);
        }
    }

    @Test
    void momentsOfIdleParametersNeverBecomeSubnormal() {
        // A parameter whose gradient stops (a border pixel's weight): its first moment decays by
        // beta1 per step, into the subnormal range after about 600 steps from 1e-3.
        Adam config = new Adam(1e-3);
        int n = 64;
        INDArray p = Nd4j.rand(DataType.FLOAT, 8, 8);
        INDArray ref = p.dup();
        GradientUpdater<?> fused = updater(config, p);
        GradientUpdater<?> reference = updater(config, ref);
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 8, 8);
        for (int it = 0; it < 1200; it++) {
            INDArray g = it < 5 ? Nd4j.randn(DataType.FLOAT, 8, 8).muli(1e-3) : zero;
            assertTrue(FusedAdam.apply(fused, g.dup(), p, it, 0));
            INDArray g1 = g.dup();
            reference.applyUpdater(g1, it, 0);
            ref.subi(g1);
            float[] m = fused.getState().get("M").data().asFloat();
            float[] v = fused.getState().get("V").data().asFloat();
            for (int i = 0; i < n; i++) {
                assertFalse(
                        m[i] != 0f && Math.abs(m[i]) < Float.MIN_NORMAL,
                        "iteration " + it + ": subnormal first moment " + m[i]);
                assertFalse(
                        v[i] != 0f && v[i] < Float.MIN_NORMAL, "iteration " + it + ": subnormal second moment " + v[i]);
            }
        }
        // ND4J's own updater lets them go subnormal (what the flush is for), with the same parameters.
        float[] refM = reference.getState().get("M").data().asFloat();
        boolean referenceSubnormal = false;
        for (float x : refM) {
            referenceSubnormal |= x != 0f && Math.abs(x) < Float.MIN_NORMAL;
        }
        assertTrue(
                referenceSubnormal || Arrays.equals(refM, new float[refM.length]),
                "the reference's moments decay as expected");
        assertEquals(
                0.0,
                ref.sub(p).amaxNumber().doubleValue(),
                1e-6,
                "parameters (as in matchesNd4jsAdamOverSeveralSteps)");
    }

    @Test
    void flushSetsOnlyTinyMomentsToZero() {
        float[] m = {1e-31f, -1e-31f, 2e-30f, -2e-30f, Float.MIN_VALUE, 0.5f, -0f};
        float[] v = {1e-33f, 2e-32f, Float.MIN_VALUE, 1e-3f, 0f, 1f, 5e-33f};
        FusedAdam.flushTiny(m, v, m.length);
        assertArrayEquals(new float[] {0f, 0f, 2e-30f, -2e-30f, 0f, 0.5f, 0f}, m);
        assertArrayEquals(new float[] {0f, 2e-32f, 0f, 1e-3f, 0f, 1f, 0f}, v);
    }

    @Test
    void declinesOtherUpdatersAndDtypes() {
        INDArray p = Nd4j.rand(DataType.FLOAT, 3, 4);
        assertFalse(FusedAdam.apply(updater(new Nesterovs(0.1, 0.9), p), p.dup(), p, 0, 0));
        INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 4);
        assertFalse(FusedAdam.apply(updater(new Adam(1e-3), d), d.dup(), d, 0, 0));
    }
}
