package org.latentlab.models;

import java.util.List;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.model.Describe;
import org.latentlab.model.ModelConfig;

/**
 * Hyperparameters of the {@link Vae}. Defaults reproduce pytorch/examples vae/main.py.
 *
 * @param inputSize   pixels per image (784 for 28x28 MNIST)
 * @param hiddenSizes widths of the encoder's hidden layers; the decoder mirrors them ([400])
 * @param latentSize  dimension of the code z (20)
 * @param activation  hidden-layer activation (RELU)
 * @param beta        weight of the KL term; 1 gives the ELBO, other values a beta-VAE (1.0)
 * @param weightInit  parameter initialisation (PYTORCH_DEFAULT, to match the reference)
 */
public record VaeConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,
        @Describe("encoder hidden widths, comma-separated; the decoder mirrors them") List<Integer> hiddenSizes,
        @Describe("dimension of the code z") int latentSize,
        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus") Activation activation,
        @Describe("weight of the KL term; 1 = ELBO, other values a beta-VAE") double beta,
        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform") WeightInit weightInit)
        implements ModelConfig {

    public VaeConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException("hiddenSizes must be a non-empty list of positive widths, got " + hiddenSizes);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (latentSize < 1) {
            throw new IllegalArgumentException("latentSize must be at least 1, got " + latentSize);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must be set");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta);
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("weightInit must be set");
        }
    }

    /** The pytorch/examples VAE: 784-400-20, ReLU, beta 1. */
    public static VaeConfig defaults() {
        return new VaeConfig(784, List.of(400), 20, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
    }

    public VaeConfig withLatentSize(int newLatentSize) {
        return new VaeConfig(inputSize, hiddenSizes, newLatentSize, activation, beta, weightInit);
    }
}
