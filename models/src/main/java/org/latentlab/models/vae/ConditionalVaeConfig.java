package org.latentlab.models.vae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;

/**
 * Hyperparameters of the {@link ConditionalVae}: those of the {@link Vae} plus the number of
 * classes of the one-hot condition. Defaults: the pytorch/examples VAE (784-400, ReLU,
 * Bernoulli decoder) with a 2-dimensional z, conditioned on the 10 MNIST digits. The small z is
 * deliberate: it leaves the class to the condition, so generating a chosen class works; a larger z
 * carries the class too, so a prior draw can contradict the label, while the likelihood improves
 * (docs/RESULTS.md, {@code latentlab probe-samples}).
 */
public record ConditionalVaeConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("encoder hidden widths, comma-separated; the decoder mirrors them")
        List<Integer> hiddenSizes,

        @Describe("dimension of the code z") int latentSize,

        @Describe("classes of the one-hot condition (the dataset's labels must be below this)")
        int numClasses,

        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus")
        Activation activation,

        @Describe("weight of the KL term; 1 = ELBO, other values a beta-VAE")
        double beta,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit,

        @Describe("decoder p(x|z,c): bernoulli, or gaussian with fixed sigma")
        Likelihood likelihood,

        @Describe("standard deviation of the gaussian decoder (fixed)")
        double sigma,

        @Describe("steps over which the KL weight rises from 0 to beta; 0 = off")
        int klWarmupSteps)
        implements VaeSettings {

    public ConditionalVaeConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "hiddenSizes must be a non-empty list of positive widths, got " + hiddenSizes);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        VaeSettings.validate(latentSize, activation, likelihood, sigma, beta, klWarmupSteps, weightInit);
    }

    /** The pytorch/examples VAE with a 2-d z, conditioned on 10 classes. */
    public static ConditionalVaeConfig defaults() {
        return new ConditionalVaeConfig(
                784,
                List.of(400),
                2,
                10,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                VaeConfig.DEFAULT_SIGMA,
                0);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withInputSize(int inputSize) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code hiddenSizes} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withHiddenSizes(List<Integer> hiddenSizes) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code latentSize} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withLatentSize(int latentSize) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code numClasses} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withNumClasses(int numClasses) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withActivation(Activation activation) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code beta} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withBeta(double beta) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withWeightInit(WeightInit weightInit) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code likelihood} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withLikelihood(Likelihood likelihood) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code sigma} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withSigma(double sigma) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }

    /** This config with {@code klWarmupSteps} replaced, validated as by the constructor. */
    public ConditionalVaeConfig withKlWarmupSteps(int klWarmupSteps) {
        return new ConditionalVaeConfig(
                inputSize,
                hiddenSizes,
                latentSize,
                numClasses,
                activation,
                beta,
                weightInit,
                likelihood,
                sigma,
                klWarmupSteps);
    }
}
