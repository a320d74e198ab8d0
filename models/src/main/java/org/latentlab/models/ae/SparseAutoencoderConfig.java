package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.graph.WeightInit;

/**
 * Hyperparameters of the {@link SparseAutoencoder}.
 *
 * @param inputSize   pixels per image (784 for 28x28 MNIST)
 * @param hiddenSizes widths of the encoder's hidden layers, the last one being the code on which
 *                    the sparsity penalty acts; the decoder mirrors the others. Wider than the
 *                    input (overcomplete, e.g. [1000]) is allowed: the penalty, not the width,
 *                    keeps the code from copying the input ([196])
 * @param penalty     KL (sigmoid units and output, Ng's KL to a target activation) or L1 (ReLU
 *                    units, L1 activity, softplus output); both reconstruct with Ng's half
 *                    squared error (KL)
 * @param rho         target mean activation of each code unit, KL only (0.05, Ng 2011)
 * @param klWeight    weight beta of the KL penalty (3, the value of Ng's sparse autoencoder
 *                    exercise)
 * @param l1Weight    weight of the L1 activity penalty, L1 only (0.1)
 * @param weightInit  parameter initialisation (XAVIER_UNIFORM)
 */
public record SparseAutoencoderConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("hidden widths, comma-separated; the penalty acts on the last (the code); may exceed inputSize")
        List<Integer> hiddenSizes,

        @Describe("kl: sigmoid units and output, KL to rho; l1: relu units, L1 activity, softplus output")
        SparsityPenalty penalty,

        @Describe("target mean activation of each code unit (kl only)")
        double rho,

        @Describe("weight of the KL sparsity penalty (kl only)")
        double klWeight,

        @Describe("weight of the L1 activity penalty (l1 only)")
        double l1Weight,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit)
        implements ModelConfig {

    /** The two sparsity penalties of the classic comparison. */
    public enum SparsityPenalty {
        /** Sigmoid code, sum_j KL(rho || mean activation of unit j) (Ng 2011). */
        KL,
        /** ReLU code, mean over the batch of sum_j |h_j|. */
        L1
    }

    public SparseAutoencoderConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "hiddenSizes must be a non-empty list of positive widths, got " + hiddenSizes);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (penalty == null) {
            throw new IllegalArgumentException("penalty must be set (kl or l1)");
        }
        if (!(rho > 0.0 && rho < 1.0)) {
            throw new IllegalArgumentException("rho must be in (0, 1), got " + rho);
        }
        if (!(klWeight >= 0) || Double.isInfinite(klWeight)) {
            throw new IllegalArgumentException("klWeight must be a finite number >= 0, got " + klWeight);
        }
        if (!(l1Weight >= 0) || Double.isInfinite(l1Weight)) {
            throw new IllegalArgumentException("l1Weight must be a finite number >= 0, got " + l1Weight);
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("weightInit must be set");
        }
    }

    /** 784-196-784 with the KL penalty, rho 0.05, beta 3, as in Ng's sparse autoencoder notes. */
    public static SparseAutoencoderConfig defaults() {
        return new SparseAutoencoderConfig(
                784, List.of(196), SparsityPenalty.KL, 0.05, 3.0, 0.1, WeightInit.XAVIER_UNIFORM);
    }

    public SparseAutoencoderConfig withPenalty(SparsityPenalty newPenalty) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, newPenalty, rho, klWeight, l1Weight, weightInit);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public SparseAutoencoderConfig withInputSize(int inputSize) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, penalty, rho, klWeight, l1Weight, weightInit);
    }

    /** This config with {@code hiddenSizes} replaced, validated as by the constructor. */
    public SparseAutoencoderConfig withHiddenSizes(List<Integer> hiddenSizes) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, penalty, rho, klWeight, l1Weight, weightInit);
    }

    /** This config with {@code rho} replaced, validated as by the constructor. */
    public SparseAutoencoderConfig withRho(double rho) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, penalty, rho, klWeight, l1Weight, weightInit);
    }

    /** This config with {@code klWeight} replaced, validated as by the constructor. */
    public SparseAutoencoderConfig withKlWeight(double klWeight) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, penalty, rho, klWeight, l1Weight, weightInit);
    }

    /** This config with {@code l1Weight} replaced, validated as by the constructor. */
    public SparseAutoencoderConfig withL1Weight(double l1Weight) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, penalty, rho, klWeight, l1Weight, weightInit);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public SparseAutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new SparseAutoencoderConfig(inputSize, hiddenSizes, penalty, rho, klWeight, l1Weight, weightInit);
    }
}
