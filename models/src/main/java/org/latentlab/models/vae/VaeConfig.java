package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;

/**
 * Hyperparameters of the {@link Vae}. Defaults reproduce pytorch/examples vae/main.py.
 *
 * @param inputSize     pixels per image (784 for 28x28 MNIST)
 * @param hiddenSizes   widths of the encoder's hidden layers; the decoder mirrors them ([400])
 * @param latentSize    dimension of the code z (20)
 * @param activation    hidden-layer activation (RELU)
 * @param beta          weight of the KL term; 1 gives the ELBO, other values a beta-VAE (1.0)
 * @param weightInit    parameter initialisation (PYTORCH_DEFAULT, to match the reference)
 * @param likelihood    decoder distribution (BERNOULLI, as the reference)
 * @param sigma         fixed standard deviation of the Gaussian decoder (0.1; unused for Bernoulli)
 * @param klWarmupSteps gradient steps of linear KL warm-up from 0 to beta (0 = off)
 */
public record VaeConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("encoder hidden widths, comma-separated; the decoder mirrors them")
        List<Integer> hiddenSizes,

        @Describe("dimension of the code z") int latentSize,

        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus")
        Activation activation,

        @Describe("weight of the KL term; 1 = ELBO, other values a beta-VAE")
        double beta,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit,

        @Describe("decoder p(x|z): bernoulli, or gaussian with fixed sigma")
        Likelihood likelihood,

        @Describe("standard deviation of the gaussian decoder (fixed)")
        double sigma,

        @Describe("steps over which the KL weight rises from 0 to beta; 0 = off")
        int klWarmupSteps)
        implements VaeSettings {

    /** Default likelihood settings: Bernoulli decoder; sigma used only by the Gaussian one. */
    static final double DEFAULT_SIGMA = 0.1;

    public VaeConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "hiddenSizes must be a non-empty list of positive widths, got " + hiddenSizes);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        VaeSettings.validate(latentSize, activation, likelihood, sigma, beta, klWarmupSteps, weightInit);
    }

    /** A Bernoulli VAE without warm-up (the configuration of the original paper and the reference). */
    public VaeConfig(
            int inputSize,
            List<Integer> hiddenSizes,
            int latentSize,
            Activation activation,
            double beta,
            WeightInit weightInit) {
        this(inputSize, hiddenSizes, latentSize, activation, beta, weightInit, Likelihood.BERNOULLI, DEFAULT_SIGMA, 0);
    }

    /** The pytorch/examples VAE: 784-400-20, ReLU, beta 1, Bernoulli decoder, no warm-up. */
    public static VaeConfig defaults() {
        return new VaeConfig(784, List.of(400), 20, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
    }

    public VaeConfig withLatentSize(int newLatentSize) {
        return new VaeConfig(
                inputSize, hiddenSizes, newLatentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    public VaeConfig withLikelihood(Likelihood newLikelihood, double newSigma) {
        return new VaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                activation,
                beta,
                weightInit,
                newLikelihood,
                newSigma,
                klWarmupSteps);
    }

    public VaeConfig withKlSchedule(double newBeta, int newWarmupSteps) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, newBeta, weightInit, likelihood, sigma, newWarmupSteps);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public VaeConfig withInputSize(int inputSize) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code hiddenSizes} replaced, validated as by the constructor. */
    public VaeConfig withHiddenSizes(List<Integer> hiddenSizes) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public VaeConfig withActivation(Activation activation) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code beta} replaced, validated as by the constructor. */
    public VaeConfig withBeta(double beta) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public VaeConfig withWeightInit(WeightInit weightInit) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code likelihood} replaced, validated as by the constructor. */
    public VaeConfig withLikelihood(Likelihood likelihood) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code sigma} replaced, validated as by the constructor. */
    public VaeConfig withSigma(double sigma) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }

    /** This config with {@code klWarmupSteps} replaced, validated as by the constructor. */
    public VaeConfig withKlWarmupSteps(int klWarmupSteps) {
        return new VaeConfig(
                inputSize, hiddenSizes, latentSize, activation, beta, weightInit, likelihood, sigma, klWarmupSteps);
    }
}
