package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

class FusedAdamTest {

    private static GradientUpdater<?> updater(org.nd4j.linalg.learning.config.IUpdater config, INDArray param) {
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
            double diff = reference.getState().get(k).sub(fused.getState().get(k)).amaxNumber().doubleValue();
            assertTrue(diff < 1e-6, k + " state differs by " + diff);
        }
    }

    @org.junit.jupiter.api.Test
    void declinesOtherUpdatersAndDtypes() {
        INDArray p = Nd4j.rand(DataType.FLOAT, 3, 4);
        assertFalse(FusedAdam.apply(updater(new Nesterovs(0.1, 0.9), p), p.dup(), p, 0, 0));
        INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 4);
        assertFalse(FusedAdam.apply(updater(new Adam(1e-3), d), d.dup(), d, 0, 0));
    }
}
