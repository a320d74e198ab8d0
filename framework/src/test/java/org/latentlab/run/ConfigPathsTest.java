package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

class ConfigPathsTest {
    /** A second model type whose key {@code seed} clashes with the trainer's, and with a key tiny lacks. */
    record Clash(int inputSize, long seed, double gamma) implements ModelConfig {
        Clash {
            if (gamma < 0) {
                throw new IllegalArgumentException("gamma must be >= 0, got " + gamma);
            }
        }
    }

    private static final ModelType<Clash> CLASH =
            new ModelType<>("clash", "test model", Clash.class, new Clash(784, 3, 0.5), (c, sd) -> {
                throw new UnsupportedOperationException();
            });
    private static final ModelRegistry REGISTRY = TinyAutoencoder.registry().register(CLASH);
    private static final ConfigPaths PATHS = new ConfigPaths(REGISTRY);
    private static final RunConfig BASE = RunConfig.of(TinyAutoencoder.TYPE.defaults());

    private static TinyAutoencoder.Config tiny(RunConfig c) {
        return (TinyAutoencoder.Config) c.model();
    }

    @Test
    void fullPathsSetTrainerModelAndRunKeys() {
        assertEquals(
                0.01, PATHS.set(BASE, "trainer.learningRate", 0.01).trainer().learningRate());
        assertEquals(
                0.01, PATHS.set(BASE, "trainer.learningRate", "1e-2").trainer().learningRate());
        assertEquals(
                LrSchedule.COSINE,
                PATHS.set(BASE, "trainer.lrSchedule", "cosine").trainer().lrSchedule());
        assertEquals(5, tiny(PATHS.set(BASE, "model.codeSize", 5)).codeSize());
        assertEquals("mnist", PATHS.set(BASE, "dataset", "mnist").dataset());
        assertEquals(
                List.of(0, 1), PATHS.setAll(BASE, List.of("trainClasses=0,1")).trainClasses());
        assertEquals(List.of(2), PATHS.set(BASE, "trainClasses", List.of(2)).trainClasses());
        // what is not set keeps the base's value
        RunConfig c = PATHS.set(BASE, "model.codeSize", 5);
        assertEquals(BASE.trainer(), c.trainer());
        assertEquals(BASE.dataset(), c.dataset());
        assertEquals(1.0, tiny(c).outputScale());
    }

    @Test
    void bareKeysNameTheOneKeyOfThatName() {
        RunConfig c = PATHS.setAll(BASE, List.of("codeSize=3", "seed=9", "learningRate=0.5", "validationFraction=0.2"));
        assertEquals(3, tiny(c).codeSize());
        assertEquals(9L, c.trainer().seed());
        assertEquals(0.5, c.trainer().learningRate());
        assertEquals(0.2, c.validationFraction());
        assertEquals("trainer.seed", PATHS.resolve("seed", TinyAutoencoder.TYPE).path());
        assertEquals(
                "model.codeSize",
                PATHS.resolve("codeSize", TinyAutoencoder.TYPE).path());
        assertEquals("dataset", PATHS.resolve("dataset", TinyAutoencoder.TYPE).path());
    }

    @Test
    void anAmbiguousKeyNamesTheCandidates() {
        RunConfig clash = RunConfig.of(CLASH.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(clash, "seed", 4));
        assertTrue(
                e.getMessage().contains("'seed' is ambiguous")
                        && e.getMessage().contains("trainer.seed")
                        && e.getMessage().contains("model.seed"),
                e.getMessage());
        assertEquals(4L, ((Clash) PATHS.set(clash, "model.seed", 4).model()).seed());
        assertEquals(4L, PATHS.set(clash, "trainer.seed", 4).trainer().seed());
    }

    @Test
    void trainSizeIsARunKeyForCommandLinesAndSweeps() {
        assertEquals(100, PATHS.setAll(BASE, List.of("trainSize=100")).trainSize());
        for (Object value : List.of(1000, 1000L, 1000.0)) { // what a sweep's over("trainSize", ...) may hold
            assertEquals(
                    1000,
                    PATHS.set(BASE, "trainSize", value).trainSize(),
                    value.getClass().getSimpleName());
        }
        assertEquals(0, PATHS.set(BASE.withTrainSize(100), "trainSize", 0).trainSize());
        assertEquals(
                "trainSize", PATHS.resolve("trainSize", TinyAutoencoder.TYPE).path());
        assertTrue(PATHS.paths(TinyAutoencoder.TYPE).contains("trainSize"));
        RunConfig c = PATHS.setAll(BASE, List.of("trainSize=100", "seed=4"));
        assertEquals(BASE.trainClasses(), c.trainClasses());
        assertEquals(4L, c.trainer().seed());
        assertEquals(BASE.withTrainSize(100).withTrainer(c.trainer()), c, "nothing else changes");

        InvalidConfigException negative =
                assertThrows(InvalidConfigException.class, () -> PATHS.setAll(BASE, List.of("trainSize=-5")));
        assertEquals("trainSize", negative.key());
        assertTrue(negative.getMessage().startsWith("trainSize=-5: trainSize must be >= 0"), negative.getMessage());
        IllegalArgumentException text =
                assertThrows(IllegalArgumentException.class, () -> PATHS.setAll(BASE, List.of("trainSize=many")));
        assertEquals("trainSize=many: expected a whole number, got 'many'", text.getMessage());
    }

    @Test
    void anUnknownKeyNamesItAndTheValidKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "codeSise", 4));
        assertTrue(e.getMessage().startsWith("codeSise=4: unknown key 'codeSise' for model 'tiny'"), e.getMessage());
        assertTrue(
                e.getMessage().contains("model.codeSize")
                        && e.getMessage().contains("trainer.learningRate")
                        && e.getMessage().contains("dataset"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "trainer.codeSize", 4));
        assertTrue(
                e.getMessage().contains("unknown key 'trainer.codeSize'")
                        && e.getMessage().contains("batchSize"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "optimiser.lr", 4));
        assertTrue(e.getMessage().contains("'optimiser'") && e.getMessage().contains("tiny, clash"), e.getMessage());
        // a key another model has says how to scope it
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "gamma", 1.0));
        assertTrue(
                e.getMessage().contains("models with key 'gamma': clash")
                        && e.getMessage().contains("clash.gamma"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.setAll(BASE, List.of("codeSize")));
        assertTrue(e.getMessage().contains("expected KEY=VALUE"), e.getMessage());
    }

    @Test
    void badValuesNameKeyValueAndExpectedType() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PATHS.setAll(BASE, List.of("codeSize=abc")));
        assertEquals("codeSize=abc: expected a whole number, got 'abc'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "codeSize", 2.5));
        assertEquals("codeSize=2.5: expected a whole number, got '2.5' (Double)", e.getMessage());
        assertEquals(2, tiny(PATHS.set(BASE, "codeSize", 2.0)).codeSize());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "lrSchedule", "step"));
        assertTrue(
                e.getMessage().startsWith("lrSchedule=step: expected one of constant, cosine, linear"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "trainClasses", "1,x"));
        assertTrue(
                e.getMessage().startsWith("trainClasses=1,x: expected a comma-separated list of whole numbers"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.set(BASE, "learningRate", true));
        assertTrue(e.getMessage().contains("expected a number, got 'true' (Boolean)"), e.getMessage());
    }

    @Test
    void valuesTheConfigRejectsNameTheAssignment() {
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> PATHS.setAll(BASE, List.of("codeSize=3", "epochs=0")));
        assertEquals("epochs", e.key());
        assertEquals("epochs=0: epochs must be at least 1, got 0", e.getMessage());
        IllegalArgumentException m = assertThrows(
                IllegalArgumentException.class, () -> PATHS.setAll(BASE, List.of("model=clash", "gamma=-1")));
        assertTrue(
                m.getMessage().startsWith("gamma=-1: ") && m.getMessage().contains("gamma must be >= 0, got -1.0"),
                m.getMessage());
    }

    @Test
    void theModelKeySwitchesToTheTypesDefaultsAndKeepsTheRest() {
        RunConfig base =
                BASE.withTrainer(TrainerConfig.builder().epochs(3).build()).withDataset("mnist");
        RunConfig c = PATHS.set(base, "model", "clash");
        assertEquals(CLASH.defaults(), c.model());
        assertEquals(base.trainer(), c.trainer());
        assertEquals("mnist", c.dataset());
        // the other keys apply to the new model, whatever their order
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("gamma", 2.0);
        values.put("model", "clash");
        assertEquals(2.0, ((Clash) PATHS.setAll(base, values).model()).gamma());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PATHS.set(base, "model", "vea"));
        assertTrue(
                e.getMessage().contains("unknown model 'vea'") && e.getMessage().contains("tiny, clash"),
                e.getMessage());
    }

    @Test
    void scopedKeysApplyOnlyToTheirModel() {
        ConfigPaths.Key key = PATHS.resolve("clash.gamma", TinyAutoencoder.TYPE);
        assertEquals("clash", key.scope());
        assertEquals("clash.gamma", key.path());
        assertFalse(ConfigPaths.appliesTo(key, TinyAutoencoder.TYPE));
        assertTrue(ConfigPaths.appliesTo(key, CLASH));
        assertEquals(
                0.25,
                ((Clash) PATHS.setAll(RunConfig.of(CLASH.defaults()), List.of("clash.gamma=0.25"))
                                .model())
                        .gamma());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PATHS.setAll(BASE, List.of("clash.gamma=0.25")));
        assertTrue(e.getMessage().contains("the key is for model 'clash', this run's model is 'tiny'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PATHS.resolve("clash.gama", TinyAutoencoder.TYPE));
        assertTrue(
                e.getMessage().contains("model 'clash' has no key 'gama'")
                        && e.getMessage().contains("gamma"),
                e.getMessage());
    }
}
