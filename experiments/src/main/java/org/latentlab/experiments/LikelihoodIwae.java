package org.latentlab.experiments;

import java.util.List;
import org.latentlab.graph.Activation;
import org.latentlab.models.vae.IwaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.TrainerConfig;

/**
 * The IWAE likelihood benchmark of Burda, Grosse &amp; Salakhutdinov (ICLR 2016, Sec. 5): one stochastic layer,
 * 784-200-200-50 with tanh, k = 50 samples in the training bound, batch 20, Adam 1e-3 with their schedule
 * ({@link LrSchedule#BURDA}: 3^i passes at 1e-3 * 10^(-i/7), 3,280 passes in all), on dynamically binarized MNIST;
 * then -log p(x) with k = 5,000 on all 10,000 test images. Adam's epsilon is ND4J's default, not the paper's 1e-4.
 *
 * <p>3,280 passes of k = 50 are weeks of two CPU cores. The run checkpoints every pass and resumes exactly with
 * {@code --resume}, so it can be trained across sessions; {@code latentlab evaluate} on a checkpoint gives the NLL at
 * that point of the schedule. Training records the curve of the test NLL against the passes
 * ({@code likelihood.csv}): every {@value #CURVE_EVERY} passes and after the last, k = {@value #CURVE_SAMPLES} on the
 * first {@value #CURVE_IMAGES} test images; the analysis tabulates and draws it. {@code --quick}: the sample, 2 passes
 * with k = 5, the curve every pass with k = 20 on 50 images.
 */
public final class LikelihoodIwae extends LikelihoodExperiment {
    /** Passes between two points of the likelihood curve during training. */
    static final int CURVE_EVERY = 10;
    /** k of each point of the curve. */
    static final int CURVE_SAMPLES = 5000;
    /** Test images of each point of the curve (the first ones). */
    static final int CURVE_IMAGES = 1000;

    @Override
    public String name() {
        return "likelihood-iwae";
    }

    @Override
    public String description() {
        return "IWAE k = 50, 784-200-200-50 on binarized MNIST (Burda et al. 2016): test NLL with k = 5,000";
    }

    @Override
    protected String label() {
        return "IWAE k = 50, 784-200-200-50";
    }

    @Override
    protected RunConfig model() {
        IwaeConfig iwae = IwaeConfig.defaults()
                .withHiddenSizes(List.of(200, 200))
                .withLatentSize(50)
                .withSamples(quick() ? 5 : 50)
                .withActivation(Activation.TANH);
        return RunConfig.of(iwae)
                .withTrainer(TrainerConfig.builder()
                        .epochs(quick() ? 2 : LrSchedule.BURDA_EPOCHS)
                        .batchSize(20)
                        .learningRate(1e-3)
                        .lrSchedule(LrSchedule.BURDA)
                        .checkpointEvery(1)
                        .keepCheckpoints(3) // 3,280 passes of 5 MB checkpoints would fill 16 GB
                        .likelihoodEvery(quick() ? 1 : CURVE_EVERY)
                        .likelihoodSamples(quick() ? 20 : CURVE_SAMPLES)
                        .likelihoodImages(quick() ? 50 : CURVE_IMAGES)
                        .build());
    }

    @Override
    protected List<Anchor> anchors() {
        return List.of(
                new Anchor(
                        "pythae's reproduction (benchmark_VAE, examples/scripts/reproducibility/README.md)",
                        86.82,
                        "static (Larochelle & Murray), k = 5,000"),
                new Anchor("Burda et al. 2016 (as quoted by pythae)", 87.1, "as quoted by pythae"));
    }

    @Override
    protected double goal() {
        return 86.8;
    }
}
