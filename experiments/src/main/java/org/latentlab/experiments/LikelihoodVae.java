package org.latentlab.experiments;

import java.util.List;
import org.latentlab.graph.Activation;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.TrainerConfig;

/**
 * The VAE likelihood benchmark: 784-400-40, ReLU, Gaussian posterior, Bernoulli decoder (the architecture of
 * pythae's reproduction of Rezende &amp; Mohamed 2015), trained with Adam (1e-3, cosine decay to 0) at batch 128 for
 * 600 epochs on dynamically binarized MNIST, then -log p(x) by importance sampling with k = 5,000 on all 10,000 test
 * images.
 *
 * <p>{@code latentlab sweep likelihood-vae --out runs/likelihood-vae --data-dir DIR --report}; an interrupted run
 * resumes exactly with {@code --resume} (checkpoints every 10 epochs). {@code --quick}: the sample, 3 epochs.
 */
public final class LikelihoodVae extends LikelihoodExperiment {

    /** Full-scale epochs. */
    static final int EPOCHS = 600;

    @Override
    public String name() {
        return "likelihood-vae";
    }

    @Override
    public String description() {
        return "VAE 784-400-40 on binarized MNIST: test NLL by importance sampling (k = 5,000) against published values";
    }

    @Override
    protected String label() {
        return "VAE 784-400-40";
    }

    @Override
    protected RunConfig model() {
        VaeConfig vae = VaeConfig.defaults()
                .withHiddenSizes(List.of(400))
                .withLatentSize(40)
                .withActivation(Activation.RELU);
        return RunConfig.of(vae)
                .withTrainer(TrainerConfig.builder()
                        .epochs(quick() ? 3 : EPOCHS)
                        .learningRate(1e-3)
                        .lrSchedule(LrSchedule.COSINE)
                        .checkpointEvery(10)
                        .build());
    }

    @Override
    protected List<Anchor> anchors() {
        return List.of(
                new Anchor(
                        "pythae's reproduction (benchmark_VAE, examples/scripts/reproducibility/README.md)",
                        89.78,
                        "static (Larochelle & Murray), k = 200"),
                new Anchor("Rezende & Mohamed 2015 (as quoted by pythae)", 89.9, "static, as quoted by pythae"));
    }

    @Override
    protected double goal() {
        return 89.5;
    }
}
