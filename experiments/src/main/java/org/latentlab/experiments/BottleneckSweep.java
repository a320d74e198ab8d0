package org.latentlab.experiments;

import java.util.List;
import org.latentlab.data.Datasets;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.train.TrainerConfig;

/** How the VAE's test negative ELBO depends on the size of its code. */
public final class BottleneckSweep extends Experiment {

    @Override
    public String description() {
        return "VAE 784-400-z on the MNIST sample: latent size 2, 8, 32, two seeds each";
    }

    @Override
    public RunConfig baseConfig() {
        VaeConfig vae = new VaeConfig(784, List.of(400), 20, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
        // The shipped sample keeps the example fast and offline; use Datasets.MNIST for real numbers.
        return new RunConfig(Datasets.MNIST_SAMPLE, 0.1, vae,
                TrainerConfig.builder().epochs(5).build());
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
