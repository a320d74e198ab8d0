package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    @Test
    void trainSizeIsZeroForAllAndNeverNegative() {
        assertEquals(RunConfig.DEFAULT_TRAIN_SIZE, RunConfig.of(MODEL).trainSize());
        assertEquals(0, RunConfig.DEFAULT_TRAIN_SIZE);
        RunConfig c = RunConfig.of(MODEL).withTrainClasses(0, 1).withTrainSize(100);
        assertEquals(100, c.trainSize());
        assertEquals(List.of(0, 1), c.trainClasses());
        assertEquals(100, c.withDataset("mnist").withValidationFraction(0.2).trainSize(), "the withers keep it");
        assertEquals(0, new RunConfig("mnist", 0, MODEL, TrainerConfig.defaults(), List.of()).trainSize());
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class, () -> RunConfig.of(MODEL).withTrainSize(-1));
        assertEquals("trainSize", e.key());
        assertTrue(e.getMessage().contains("trainSize") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void configJsonRoundTripsTrainSizeAndAnOlderConfigWithoutItReadsAsZero() throws Exception {
        RunConfigJson json = new RunConfigJson(TinyAutoencoder.registry());
        RunConfig c = RunConfig.of(MODEL).withTrainSize(100);
        assertEquals(c, json.fromJson(json.toJson(c), "config.json"));
        assertEquals(100, json.toTree(c).path("trainSize").asInt());

        ObjectNode old = json.toTree(RunConfig.of(MODEL).withTrainClasses(3));
        assertNotNull(old.remove("trainSize"), "the key written today");
        RunConfig read = json.fromJson(new ObjectMapper().writeValueAsString(old), "old/config.json");
        assertEquals(0, read.trainSize());
        assertEquals(RunConfig.of(MODEL).withTrainClasses(3), read);

        old.put("trainSize", -2);
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> json.fromJson(old.toString(), "bad/config.json"));
        assertEquals("trainSize", e.key());
        assertTrue(
                e.getMessage().contains("trainSize must be >= 0")
                        && e.getMessage().contains("-2"),
                e.getMessage());
    }
}
