package org.latentlab.experiments;

import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.train.TrainerConfig;

/** How the VAE's test negative ELBO depends on the size of its code. */
public final class BottleneckSweep extends Experiment {

    @Override
    public String description() {
        return "VAE 784-400-z on the MNIST sample: latent size 2, 8, 32, two seeds each";
    }

    @Override
    public RunConfig baseConfig() {
        // The pytorch/examples VAE, 784-400-20. RunConfig.of uses the shipped MNIST sample, which keeps the
        // example fast and offline: add .withDataset(Datasets.MNIST) for real numbers.
        return RunConfig.of(VaeConfig.defaults())
                .withTrainer(TrainerConfig.builder().epochs(5).build());
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().over("latentSize", 2, 8, 32).seeds(1, 2);
    }

    @Override
    public String metric() {
        return "test_neg_elbo";
    }
}
