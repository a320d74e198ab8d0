package org.latentlab.experiments;

import java.util.List;
import java.util.Optional;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.loss.Likelihood;
import org.latentlab.models.vae.ConvVaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Sweep;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.TrainerConfig;

/**
 * A convolutional VAE on CIFAR-10 with bits per dimension on the test set: encoder 3x32x32 -> 64 -> 128 channels
 * (stride-2 4x4 convolutions), a 128-dimensional code, the mirrored decoder with a Gaussian likelihood of fixed sigma
 * (swept: 0.05 and 0.1, on pixel values in [0, 1]). The evaluation dequantizes the 8-bit test images
 * (x' = (255 x + u) / 256) and estimates log p(x') with k = 1,000 importance samples on 2,000 of them; bits per dimension are
 * (-log p(x') + D ln 256) / (D ln 2), an upper bound on the discrete image's (Theis et al., ICLR 2016).
 *
 * <p>Anchor: van den Oord, Vinyals &amp; Kavukcuoglu (<i>Neural Discrete Representation Learning</i>, NIPS 2017,
 * Sec. 4.1): a continuous conv VAE at 4.51 bits/dim (two stride-2 convolutions and two residual blocks of 256
 * units, 250,000 steps at batch 128), and 4.54 for the deep convolutional VAE of Gregor et al. (2016) as they quote
 * it. Their decoders' likelihoods are richer than a fixed-sigma Gaussian, which costs bits; the table says so.
 *
 * <p>{@code latentlab sweep likelihood-cifar10 --out runs/likelihood-cifar10 --data-dir DIR} after {@code fetch-data
 * cifar10}: 100 epochs per trial. {@code --quick}: 256 training images, 2 epochs, k = 50 on 100 test images (needs
 * the CIFAR-10 files too; the tests use a generated set in the real format).
 */
public final class LikelihoodCifar10 extends LikelihoodExperiment {

    /** The fixed decoder sigmas swept. */
    static final List<Double> SIGMAS = List.of(0.05, 0.1);

    @Override
    public String name() {
        return "likelihood-cifar10";
    }

    @Override
    public String description() {
        return "conv VAE on CIFAR-10: test bits per dimension (dequantized, k = 1,000) beside published conv VAEs";
    }

    @Override
    protected String label() {
        return "conv VAE 3x32x32-64-128, code 128";
    }

    @Override
    protected String dataset() {
        return Datasets.CIFAR10;
    }

    @Override
    public RunConfig baseConfig() {
        RunConfig config = super.baseConfig();
        return quick() ? config.withTrainSize(256) : config;
    }

    @Override
    protected RunConfig model() {
        ConvVaeConfig vae = ConvVaeConfig.defaults()
                .withImage(3, 32)
                .withChannels(List.of(64, 128))
                .withLatentSize(128)
                .withLikelihood(Likelihood.GAUSSIAN)
                .withSigma(SIGMAS.get(0));
        return RunConfig.of(vae)
                .withTrainer(TrainerConfig.builder()
                        .epochs(quick() ? 2 : 100)
                        .learningRate(1e-3)
                        .lrSchedule(LrSchedule.COSINE)
                        .checkpointEvery(5)
                        .build());
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().over("sigma", SIGMAS.toArray());
    }

    /**
     * k = 1,000 on the first 2,000 test images at full scale: the conv decoder on 3x32x32 costs many times the MLP's
     * per sample, so k = 5,000 on all 10,000 images would take many hours on a CPU. The table names k and the images.
     */
    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return super.evaluation(trial).map(o -> o.withImportanceSampling(quick() ? 50 : 1000, quick() ? 100 : 2000));
    }

    @Override
    protected List<Anchor> anchors() {
        return List.of(
                new Anchor(
                        "conv VAE of van den Oord et al. 2017 (VQ-VAE paper, Sec. 4.1)",
                        null,
                        4.51,
                        "CIFAR-10, 8-bit; richer decoder likelihood"),
                new Anchor("deep conv VAE of Gregor et al. 2016, as quoted there", null, 4.54, "CIFAR-10, 8-bit"));
    }

    @Override
    protected double goal() {
        return Double.NaN;
    }
}
