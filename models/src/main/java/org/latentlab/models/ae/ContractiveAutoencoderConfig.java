package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;

/**
 * Hyperparameters of the {@link ContractiveAutoencoder}.
 *
 * @param inputSize    pixels per image (784 for 28x28 MNIST)
 * @param encoderSizes widths of the encoder's layers, the last one being the code; the decoder
 *                     mirrors them ([1000], the single sigmoid layer of Rifai et al. 2011)
 * @param activation   activation of every encoder layer, and of the decoder's hidden layers
 *                     (SIGMOID); one SIGMOID layer gets the exact penalty, anything else the
 *                     finite-difference estimate
 * @param lambda       weight of the contractive penalty (0.1)
 * @param directions   random directions K per example for the finite-difference estimate;
 *                     each costs two more encoder passes; unused by the exact penalty (2)
 * @param step         finite-difference step along each direction; unused by the exact
 *                     penalty (0.01, suited to FLOAT and inputs in [0, 1])
 * @param weightInit   parameter initialisation (XAVIER_UNIFORM)
 */
public record ContractiveAutoencoderConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("encoder widths, comma-separated, the last is the code; the decoder mirrors them")
        List<Integer> encoderSizes,

        @Describe("encoder activation; one sigmoid layer gets the exact penalty, else an estimate")
        Activation activation,

        @Describe("weight of the contractive penalty ||J_f(x)||_F^2")
        double lambda,

        @Describe("random directions per example for the finite-difference estimate (deep encoders)")
        int directions,

        @Describe("finite-difference step along each direction (deep encoders)")
        double step,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit)
        implements ModelConfig {

    public ContractiveAutoencoderConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (encoderSizes == null
                || encoderSizes.isEmpty()
                || encoderSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "encoderSizes must be a non-empty list of positive widths, got " + encoderSizes);
        }
        encoderSizes = List.copyOf(encoderSizes);
        if (activation == null) {
            throw new IllegalArgumentException("activation must be set");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
        }
        if (directions < 1) {
            throw new IllegalArgumentException("directions must be at least 1, got " + directions);
        }
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("step must be a positive finite number, got " + step);
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("weightInit must be set");
        }
    }

    /** Rifai et al. 2011 on MNIST: one sigmoid layer of 1000 units, exact penalty, lambda 0.1. */
    public static ContractiveAutoencoderConfig defaults() {
        return new ContractiveAutoencoderConfig(
                784, List.of(1000), Activation.SIGMOID, 0.1, 2, 0.01, WeightInit.XAVIER_UNIFORM);
    }

    /** True when the penalty is the exact closed form: a single sigmoid encoder layer. */
    boolean exactPenalty() {
        return encoderSizes.size() == 1 && activation == Activation.SIGMOID;
    }

    public ContractiveAutoencoderConfig withLambda(double newLambda) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, newLambda, directions, step, weightInit);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public ContractiveAutoencoderConfig withInputSize(int inputSize) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, lambda, directions, step, weightInit);
    }

    /** This config with {@code encoderSizes} replaced, validated as by the constructor. */
    public ContractiveAutoencoderConfig withEncoderSizes(List<Integer> encoderSizes) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, lambda, directions, step, weightInit);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public ContractiveAutoencoderConfig withActivation(Activation activation) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, lambda, directions, step, weightInit);
    }

    /** This config with {@code directions} replaced, validated as by the constructor. */
    public ContractiveAutoencoderConfig withDirections(int directions) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, lambda, directions, step, weightInit);
    }

    /** This config with {@code step} replaced, validated as by the constructor. */
    public ContractiveAutoencoderConfig withStep(double step) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, lambda, directions, step, weightInit);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public ContractiveAutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new ContractiveAutoencoderConfig(
                inputSize, encoderSizes, activation, lambda, directions, step, weightInit);
    }
}
