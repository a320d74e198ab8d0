package org.latentlab.models;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.models.ae.ContractiveAutoencoderConfig;
import org.latentlab.models.ae.DenoisingAutoencoderConfig;
import org.latentlab.models.ae.SparseAutoencoderConfig;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialPlanner;
import org.latentlab.train.TrainerConfig;

/** {@code model} as a sweep dimension, planned against the real registry. */
class ModelSweepPlanningTest {
    private static final TrainerConfig TRAINER =
            TrainerConfig.builder().epochs(2).batchSize(64).build();

    private static List<Trial> plan(Sweep sweep) {
        Experiment experiment = new Experiment() {
            @Override
            public RunConfig baseConfig() {
                return RunConfig.of(VaeConfig.defaults().withLatentSize(2))
                        .withTrainer(TRAINER)
                        .withDataset("mnist");
            }

            @Override
            public Sweep sweep() {
                return sweep;
            }

            @Override
            public String name() {
                return "models";
            }
        };
        return new TrialPlanner(Models.registry()).plan(experiment);
    }

    @Test
    void oneTrialPerModelFromEachTypesDefaultsWithTheBasesOtherSettings() {
        List<Trial> trials = plan(Sweep.grid().over("model", "ae", "dae", "sparse-ae", "cae", "vae"));
        assertEquals(5, trials.size());
        assertEquals(
                List.of(
                        AutoencoderConfig.defaults(),
                        DenoisingAutoencoderConfig.defaults(),
                        SparseAutoencoderConfig.defaults(),
                        ContractiveAutoencoderConfig.defaults(),
                        VaeConfig.defaults()),
                trials.stream().map(t -> t.config().model()).toList());
        for (Trial t : trials) {
            assertEquals(TRAINER, t.config().trainer());
            assertEquals("mnist", t.config().dataset());
        }
        assertEquals(Map.of("model", "sparse-ae"), trials.get(2).params());
        assertEquals("002-model=sparse-ae", trials.get(2).id());
    }

    @Test
    void aKeyATrialsModelLacksIsAnErrorAtPlanningTime() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> plan(Sweep.grid().over("model", "vae", "ae").over("beta", 1.0, 4.0)));
        assertTrue(e.getMessage().contains("unknown key 'beta' for model 'ae'"), e.getMessage());
        assertTrue(e.getMessage().contains("vae.beta"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> plan(Sweep.grid().over("model", "vae", "ae").over("model.latentSize", 2)));
        assertTrue(e.getMessage().contains("unknown key 'model.latentSize' for model 'ae'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> plan(Sweep.grid().over("model", "vae", "vea")));
        assertTrue(
                e.getMessage().contains("unknown model 'vea'") && e.getMessage().contains("sparse-ae"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> plan(Sweep.grid().over("model", "vae", "ae").over("vae.bta", 2.0)));
        assertTrue(e.getMessage().contains("model 'vae' has no key 'bta'"), e.getMessage());
    }

    @Test
    void scopedKeysApplyToTheirModelAndOthersArePlannedOnce() {
        List<Trial> trials = plan(Sweep.grid()
                .over("model", "ae", "vae")
                .over("vae.beta", 1.0, 4.0)
                .over("ae.encoderSizes", List.of(32, 2))
                .over("learningRate", 1e-3));
        assertEquals(
                List.of(
                        "000-model=ae-encoderSizes=_32__2_-learningRate=0.001",
                        "001-model=vae-beta=1.0-learningRate=0.001",
                        "002-model=vae-beta=4.0-learningRate=0.001"),
                trials.stream().map(Trial::id).toList());
        assertEquals(List.of(32, 2), ((AutoencoderConfig) trials.get(0).config().model()).encoderSizes());
        assertEquals(4.0, ((VaeConfig) trials.get(2).config().model()).beta());
        assertEquals(VaeConfig.defaults().withBeta(4), trials.get(2).config().model());
        assertEquals(
                Map.of("model", "vae", "vae.beta", 4.0, "trainer.learningRate", 1e-3),
                trials.get(2).params());
        // without a model axis the existing keys keep working against the base model
        List<Trial> plain =
                plan(Sweep.grid().over("latentSize", 4).over("beta", 2.0).seeds(7));
        assertEquals(
                Map.of("model.latentSize", 4, "model.beta", 2.0, "trainer.seed", 7L),
                plain.get(0).params());
        assertEquals(
                VaeConfig.defaults().withLatentSize(4).withBeta(2),
                plain.get(0).config().model());
        assertEquals(7L, plain.get(0).config().trainer().seed());
    }
}
