package org.latentlab.cli;

import java.util.List;
import org.latentlab.data.Datasets;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.train.Optimizer;
import org.latentlab.train.TrainerConfig;

/**
 * Twelve small VAE trials on the MNIST sample, two epochs each with a checkpoint after every
 * epoch, so that a sweep has points to be killed at: between trials, inside a trial before its
 * first checkpoint, between its checkpoints, and after its last (public: child JVMs create it by
 * name).
 */
public final class TwelveTrialSweep extends Experiment {
    @Override
    public RunConfig baseConfig() {
        return new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                new VaeConfig(784, List.of(32), 2, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT),
                new TrainerConfig(2, 100, Optimizer.ADAM, 1e-3, 0, 0, 1, 1, 0, 0));
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().over("latentSize", 2, 3, 4).seeds(1, 2, 3, 4);
    }

    @Override
    public String metric() {
        return "test_neg_elbo";
    }
}
