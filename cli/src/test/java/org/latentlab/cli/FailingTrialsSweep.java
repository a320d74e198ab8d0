package org.latentlab.cli;

import java.util.List;
import java.util.Map;
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
 * One sweep with a trial for each way a trial fails in practice, between two that succeed
 * (public: child JVMs create it by name). Run it in a JVM with {@code -Xmx256m}:
 * <ol start="0">
 *   <li>the base config: completes;</li>
 *   <li>learning rate 1e9: the loss becomes NaN or infinite in the first epoch;</li>
 *   <li>a hidden layer of 2,000,000 units: its 784 x 2,000,000 weights are drawn into a Java
 *       array, 6.3 GB, and the heap is out of memory at once;</li>
 *   <li>a hidden layer of 50,000 units: every array fits the heap, but the weights, gradients and
 *       Adam's moments live off-heap, about 1.3 GB, and JavaCPP refuses allocations once the
 *       process's resident memory passes its limit (maxPhysicalBytes, derived from -Xmx);</li>
 *   <li>dataset {@code mnist}, whose files in the data folder the test has truncated;</li>
 *   <li>the base config with another seed: completes, in the same JVM after all of the above.</li>
 * </ol>
 */
public final class FailingTrialsSweep extends Experiment {
    @Override
    public RunConfig baseConfig() {
        return new RunConfig(
                Datasets.MNIST_SAMPLE,
                0.1,
                new VaeConfig(784, List.of(32), 2, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT),
                new TrainerConfig(1, 100, Optimizer.ADAM, 1e-3, 0, 0, 1, 1, 0, 0));
    }

    @Override
    public Sweep sweep() {
        return Sweep.cases(
                Map.of(),
                Map.of("learningRate", 1e9),
                Map.of("hiddenSizes", List.of(2_000_000)),
                Map.of("hiddenSizes", List.of(50_000)),
                Map.of("dataset", Datasets.MNIST),
                Map.of("seed", 2L));
    }

    @Override
    public String metric() {
        return "test_neg_elbo";
    }
}
