package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;

/**
 * Hyperparameters of the {@link Iwae}: the {@link Vae}'s networks plus the number k of
 * importance samples per example. Defaults: 784-400-20, ReLU, Bernoulli decoder, k = 5.
 */
public record IwaeConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("encoder hidden widths, comma-separated; the decoder mirrors them")
        List<Integer> hiddenSizes,

        @Describe("dimension of the code z") int latentSize,

        @Describe("importance samples k per example; k = 1 is the VAE objective with a sampled KL")
        int samples,

        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus")
        Activation activation,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit,

        @Describe("decoder p(x|z): bernoulli, or gaussian with fixed sigma")
        Likelihood likelihood,

        @Describe("standard deviation of the gaussian decoder (fixed)")
        double sigma)
        implements ModelConfig {

    public IwaeConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "hiddenSizes must be a non-empty list of positive widths, got " + hiddenSizes);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        // beta 1 and no warm-up: the IWAE bound is a likelihood bound only with the full prior term.
        VaeSettings.validate(latentSize, activation, likelihood, sigma, 1.0, 0, weightInit);
    }

    public static IwaeConfig defaults() {
        return new IwaeConfig(
                784,
                List.of(400),
                20,
                5,
                Activation.RELU,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                VaeConfig.DEFAULT_SIGMA);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public IwaeConfig withInputSize(int inputSize) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code hiddenSizes} replaced, validated as by the constructor. */
    public IwaeConfig withHiddenSizes(List<Integer> hiddenSizes) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code latentSize} replaced, validated as by the constructor. */
    public IwaeConfig withLatentSize(int latentSize) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code samples} replaced, validated as by the constructor. */
    public IwaeConfig withSamples(int samples) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public IwaeConfig withActivation(Activation activation) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public IwaeConfig withWeightInit(WeightInit weightInit) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code likelihood} replaced, validated as by the constructor. */
    public IwaeConfig withLikelihood(Likelihood likelihood) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }

    /** This config with {@code sigma} replaced, validated as by the constructor. */
    public IwaeConfig withSigma(double sigma) {
        return new IwaeConfig(inputSize, hiddenSizes, latentSize, samples, activation, weightInit, likelihood, sigma);
    }
}
