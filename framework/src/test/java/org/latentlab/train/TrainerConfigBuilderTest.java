package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.latentlab.config.InvalidConfigException;

class TrainerConfigBuilderTest {
    @Test
    void theBuilderStartsFromTheDefaultsAndSetsFieldsByName() {
        assertEquals(TrainerConfig.defaults(), TrainerConfig.builder().build());
        TrainerConfig c = TrainerConfig.builder()
                .epochs(5)
                .batchSize(64)
                .optimizer(Optimizer.SGD)
                .learningRate(0.1)
                .momentum(0.9)
                .weightDecay(1e-4)
                .seed(7)
                .checkpointEvery(2)
                .patience(3)
                .minDelta(0.01)
                .lrSchedule(LrSchedule.COSINE)
                .keepCheckpoints(4)
                .keep(KeepModel.LAST)
                .build();
        assertEquals(
                new TrainerConfig(
                        5,
                        64,
                        Optimizer.SGD,
                        0.1,
                        0.9,
                        1e-4,
                        7,
                        2,
                        3,
                        0.01,
                        LrSchedule.COSINE,
                        0,
                        0,
                        1000,
                        1000,
                        4,
                        KeepModel.LAST),
                c);
        assertEquals(c, c.toBuilder().build());
        assertEquals(12, c.toBuilder().epochs(12).build().epochs());
        assertEquals(c.withEpochs(12), c.toBuilder().epochs(12).build());
    }

    @Test
    void anInvalidValueNamesItsKey() {
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> TrainerConfig.builder().batchSize(0).build());
        assertEquals("batchSize", e.key());
        assertTrue(e.getMessage().contains("batch size must be at least 1"), e.getMessage());
    }
}
