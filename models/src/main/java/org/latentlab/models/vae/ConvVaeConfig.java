package org.latentlab.models.vae;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;

/**
 * Hyperparameters of the {@link ConvVae}. Defaults for 28x28 MNIST: two stride-2 convolutions
 * with 32 and 64 channels (28 -> 14 -> 7), kernel 4, a 20-dimensional code, ReLU, Bernoulli
 * decoder. For colour images set {@code imageChannels=3} and {@code inputSize} = 3 * side * side (3072 for
 * CIFAR-10's 32x32); the side follows from the two.
 */
public record ConvVaeConfig(
        @Describe("values per image: imageChannels * side * side, side divisible by 2^layers (784, 3072 = 3x32x32)")
        int inputSize,

        @Describe("channels of the input image: 1 (grey) or 3 (RGB, stored as planes)")
        int imageChannels,

        @Describe("channels of the stride-2 conv layers, comma-separated; the decoder mirrors them")
        List<Integer> channels,

        @Describe("square kernel size of every (de)convolution")
        int kernel,

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

    public ConvVaeConfig {
        if (channels == null || channels.isEmpty() || channels.stream().anyMatch(ch -> ch == null || ch < 1)) {
            throw new IllegalArgumentException("channels must be a non-empty list of positive counts, got " + channels);
        }
        channels = List.copyOf(channels);
        if (imageChannels != 1 && imageChannels != 3) {
            throw new IllegalArgumentException("imageChannels must be 1 (grey) or 3 (RGB), got " + imageChannels);
        }
        int side = (int) Math.round(Math.sqrt(inputSize / (double) imageChannels));
        if (inputSize < 1 || imageChannels * side * side != inputSize) {
            throw new IllegalArgumentException(
                    "inputSize must be imageChannels * side * side, a square number of pixels"
                            + " per channel (784 = 1x28x28, 3072 = 3x32x32), got " + inputSize + " with imageChannels="
                            + imageChannels);
        }
        int factor = 1 << channels.size();
        if (side % factor != 0) {
            throw new IllegalArgumentException("image side " + side + " must be divisible by 2^" + channels.size()
                    + " = " + factor + " for " + channels.size() + " stride-2 layers");
        }
        if (kernel < 1) {
            throw new IllegalArgumentException("kernel must be at least 1, got " + kernel);
        }
        VaeSettings.validate(latentSize, activation, likelihood, sigma, beta, klWarmupSteps, weightInit);
    }

    public static ConvVaeConfig defaults() {
        return new ConvVaeConfig(
                784,
                1,
                List.of(32, 64),
                4,
                20,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                VaeConfig.DEFAULT_SIGMA,
                0);
    }

    /** Side of the square input image: sqrt(inputSize / imageChannels). */
    public int side() {
        return (int) Math.round(Math.sqrt(inputSize / (double) imageChannels));
    }

    /** The input image shape {@code [imageChannels, side, side]}. */
    @Override
    @JsonIgnore
    public List<Integer> imageShape() {
        return List.of(imageChannels, side(), side());
    }

    /** Side of the feature maps after the last stride-2 convolution (7 for 28 and two layers). */
    public int innerSide() {
        return side() >> channels.size();
    }

    /** This config for images of {@code channels x side x side}: inputSize and imageChannels. */
    public ConvVaeConfig withImage(int channels, int side) {
        return new ConvVaeConfig(
                channels * side * side,
                channels,
                this.channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public ConvVaeConfig withInputSize(int inputSize) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code imageChannels} replaced, validated as by the constructor. */
    public ConvVaeConfig withImageChannels(int imageChannels) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code channels} replaced, validated as by the constructor. */
    public ConvVaeConfig withChannels(List<Integer> channels) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code kernel} replaced, validated as by the constructor. */
    public ConvVaeConfig withKernel(int kernel) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code latentSize} replaced, validated as by the constructor. */
    public ConvVaeConfig withLatentSize(int latentSize) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public ConvVaeConfig withActivation(Activation activation) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code beta} replaced, validated as by the constructor. */
    public ConvVaeConfig withBeta(double beta) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public ConvVaeConfig withWeightInit(WeightInit weightInit) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code likelihood} replaced, validated as by the constructor. */
    public ConvVaeConfig withLikelihood(Likelihood likelihood) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code sigma} replaced, validated as by the constructor. */
    public ConvVaeConfig withSigma(double sigma) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code klWarmupSteps} replaced, validated as by the constructor. */
    public ConvVaeConfig withKlWarmupSteps(int klWarmupSteps) {
        return new ConvVaeConfig(
                inputSize,
                imageChannels,
                channels,
                kernel,
                latentSize,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }
}
