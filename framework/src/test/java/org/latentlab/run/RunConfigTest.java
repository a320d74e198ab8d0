package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

class RunConfigTest {
    private static final TinyAutoencoder.Config MODEL = new TinyAutoencoder.Config(784, 4, 1.0);

    @Test
    void ofTakesTheDefaultsForAllButTheModel() {
        RunConfig c = RunConfig.of(MODEL);
        assertEquals(
                new RunConfig(
                        RunConfig.DEFAULT_DATASET,
                        RunConfig.DEFAULT_VALIDATION_FRACTION,
                        MODEL,
                        TrainerConfig.defaults(),
                        List.of()),
                c);
        assertEquals("mnist-sample", c.dataset());
    }

    @Test
    void withersReplaceOneComponentAndValidate() {
        TrainerConfig trainer = TrainerConfig.builder().epochs(3).build();
        TinyAutoencoder.Config other = new TinyAutoencoder.Config(784, 8, 1.0);
        RunConfig c = RunConfig.of(MODEL)
                .withDataset("mnist")
                .withValidationFraction(0)
                .withTrainer(trainer)
                .withModel(other)
                .withTrainClasses(0, 1);
        assertEquals(new RunConfig("mnist", 0, other, trainer, List.of(0, 1)), c);
        assertEquals(List.of(), c.withTrainClasses(List.of()).trainClasses());
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class, () -> RunConfig.of(MODEL).withValidationFraction(1));
        assertEquals("validationFraction", e.key());
        assertThrows(InvalidConfigException.class, () -> RunConfig.of(MODEL).withDataset(" "));
        assertThrows(IllegalArgumentException.class, () -> RunConfig.of(MODEL).withTrainer(null));
    }
}
