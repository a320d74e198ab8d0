package org.latentlab.experiments;

import java.util.List;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.train.TrainerConfig;

/**
 * Four small VAE trials on the shipped MNIST sample, about a minute in all on 2 cores: checks
 * that a cluster setup (Slurm array, Kubernetes Indexed Job, Docker image) works end to end.
 */
public final class SmokeSweep extends Experiment {

    @Override
    public String description() {
        return "4 small VAE trials on the MNIST sample: checks a cluster or Docker setup end to end";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(VaeConfig.defaults().withHiddenSizes(List.of(64)).withLatentSize(2))
                .withTrainer(TrainerConfig.builder().epochs(1).batchSize(100).build());
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().over("latentSize", 2, 4).seeds(1, 2);
    }

    @Override
    public String metric() {
        return "test_neg_elbo";
    }
}
