package org.latentlab.models.ae;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;

/**
 * Hyperparameters of the {@link ConvAutoencoder}.
 *
 * @param inputSize     values per image; must equal imageChannels * imageSize^2 (784)
 * @param imageChannels channels of the input image, 1 (grey) or 3 (RGB, CHW as {@code ImageDataset} keeps them) (1)
 * @param imageSize     side of the square image (28)
 * @param channels   output channels of the stride-2 convolutions, e.g. [16, 32]: 28 -> 14 -> 7;
 *                   imageSize must be divisible by 2^(number of layers)
 * @param kernel     kernel side of every (de)convolution (3)
 * @param codeSize   dimension of the code (32)
 * @param activation activation of the hidden layers (RELU)
 * @param loss       reconstruction loss, BCE or MSE (the output is a sigmoid)
 * @param weightInit parameter initialisation
 */
public record ConvAutoencoderConfig(
        @Describe("values per image; must equal imageChannels * imageSize^2 (784 = 1x28x28, 3072 = 3x32x32)")
        int inputSize,

        @Describe("channels of the input image: 1 (grey) or 3 (RGB, stored as planes)")
        int imageChannels,

        @Describe("side of the square input image") int imageSize,

        @Describe("channels of the stride-2 convolutions, comma-separated; the decoder mirrors them")
        List<Integer> channels,

        @Describe("kernel side of every convolution") int kernel,
        @Describe("dimension of the code") int codeSize,

        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus")
        Activation activation,

        @Describe("reconstruction loss: bce or mse (summed over pixels)")
        ReconstructionKind loss,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit)
        implements ModelConfig {

    public ConvAutoencoderConfig {
        if (imageSize < 1) {
            throw new IllegalArgumentException("imageSize must be at least 1, got " + imageSize);
        }
        if (imageChannels != 1 && imageChannels != 3) {
            throw new IllegalArgumentException("imageChannels must be 1 (grey) or 3 (RGB), got " + imageChannels);
        }
        if (inputSize != imageChannels * imageSize * imageSize) {
            throw new IllegalArgumentException("inputSize must be imageChannels * imageSize^2 = "
                    + imageChannels * imageSize * imageSize + ", got " + inputSize);
        }
        if (channels == null || channels.isEmpty() || channels.stream().anyMatch(c -> c == null || c < 1)) {
            throw new IllegalArgumentException(
                    "channels must be a non-empty list of positive channel counts, got " + channels);
        }
        channels = List.copyOf(channels);
        if (channels.size() > 30 || imageSize % (1 << channels.size()) != 0) {
            throw new IllegalArgumentException("imageSize " + imageSize + " must be divisible by 2^" + channels.size()
                    + " (one halving per convolution in channels " + channels + ")");
        }
        if (kernel < 1) {
            throw new IllegalArgumentException("kernel must be at least 1, got " + kernel);
        }
        if (codeSize < 1) {
            throw new IllegalArgumentException("codeSize must be at least 1, got " + codeSize);
        }
        if (activation == null || loss == null || weightInit == null) {
            throw new IllegalArgumentException("activation, loss and weightInit must be set");
        }
    }

    /** MNIST: 28x28, conv 16 and 32 channels (28 -> 14 -> 7), 3x3 kernels, a 32-dimensional code, BCE. */
    public static ConvAutoencoderConfig defaults() {
        return new ConvAutoencoderConfig(
                784,
                1,
                28,
                List.of(16, 32),
                3,
                32,
                Activation.RELU,
                ReconstructionKind.BCE,
                WeightInit.PYTORCH_DEFAULT);
    }

    /** The input image shape {@code [imageChannels, imageSize, imageSize]}. */
    @Override
    @JsonIgnore
    public List<Integer> imageShape() {
        return List.of(imageChannels, imageSize, imageSize);
    }

    /** This config for images of {@code channels x side x side}: inputSize, imageChannels and imageSize. */
    public ConvAutoencoderConfig withImage(int channels, int side) {
        return new ConvAutoencoderConfig(
                channels * side * side, channels, side, this.channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** Side of the feature maps after the last convolution (7 for the defaults). */
    public int innerSize() {
        return imageSize >> channels.size();
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withInputSize(int inputSize) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code imageChannels} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withImageChannels(int imageChannels) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code imageSize} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withImageSize(int imageSize) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code channels} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withChannels(List<Integer> channels) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code kernel} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withKernel(int kernel) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code codeSize} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withCodeSize(int codeSize) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withActivation(Activation activation) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code loss} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withLoss(ReconstructionKind loss) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public ConvAutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }
}
