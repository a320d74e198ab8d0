package org.latentlab.cli;

import java.util.List;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.train.TrainerConfig;

/**
 * Two small trials on the MNIST sample, one per model type ({@code model} as a sweep dimension, with keys scoped
 * to each model), for the sweep tests (public: worker processes create it by name).
 */
public final class TwoModelSweep extends Experiment {
    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(VaeConfig.defaults())
                .withTrainer(TrainerConfig.builder()
                        .epochs(1)
                        .batchSize(100)
                        .checkpointEvery(0)
                        .build());
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid()
                .over("model", "ae", "vae")
                .over("ae.encoderSizes", List.of(32, 2))
                .over("vae.hiddenSizes", List.of(32))
                .over("vae.latentSize", 2);
    }
}
