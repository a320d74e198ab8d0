package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;

/**
 * Hyperparameters of the {@link StackedAutoencoder}. Defaults follow the SdA-3 of Vincent et al.,
 * JMLR 2010 (three sigmoid layers of 1000 units, masking noise), with Adam instead of plain SGD.
 *
 * @param inputSize            pixels per image (784)
 * @param hiddenSizes          widths of the stacked encoder's layers, bottom first ([1000, 1000, 1000])
 * @param activation           hidden activation (SIGMOID, as in the paper; RELU also works)
 * @param corruptionKind       input corruption of each pretraining stage (MASKING; NONE gives a
 *                             plain stacked autoencoder)
 * @param corruptionLevel      its level: fraction masked, or noise std for GAUSSIAN (0.2)
 * @param pretrainEpochs       epochs of greedy pretraining per stage (5; 0 skips pretraining)
 * @param pretrainLearningRate learning rate of the pretraining stages (1e-3); fine-tuning uses the
 *                             run's learning rate
 * @param numClasses           classes of the softmax head (10)
 * @param weightInit           parameter initialisation (XAVIER_UNIFORM)
 * @param finetuneMasking      fraction of input pixels zeroed, drawn per batch, while fine-tuning
 *                             (0 = clean inputs, as in the paper); a regulariser like input dropout
 *                             without the rescaling. Evaluation always sees clean inputs.
 */
public record StackedAutoencoderConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("encoder layer widths, bottom first, comma-separated; one pretraining stage each")
        List<Integer> hiddenSizes,

        @Describe("hidden activation: sigmoid (as in the paper), relu, tanh, ...")
        Activation activation,

        @Describe("pretraining input corruption: none, gaussian, masking, salt_and_pepper")
        Corruption.Kind corruptionKind,

        @Describe("corruption level: fraction corrupted, or the gaussian std")
        double corruptionLevel,

        @Describe("pretraining epochs per stage (0 = no pretraining)")
        int pretrainEpochs,

        @Describe("learning rate of the pretraining stages (fine-tuning uses --lr)")
        double pretrainLearningRate,

        @Describe("classes of the softmax classifier fine-tuned on top")
        int numClasses,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit,

        @Describe("fraction of input pixels zeroed per batch while fine-tuning (0 = clean inputs)")
        double finetuneMasking)
        implements ModelConfig {

    public StackedAutoencoderConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "hiddenSizes must be a non-empty list of positive widths, got " + hiddenSizes);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (activation == null || activation == Activation.IDENTITY) {
            throw new IllegalArgumentException("activation must be a non-linearity, got " + activation);
        }
        if (corruptionKind == null) {
            throw new IllegalArgumentException("corruptionKind must be set");
        }
        // Validates the level against the kind (a masked fraction must lie in [0, 1]).
        new Corruption(corruptionKind, corruptionLevel);
        if (pretrainEpochs < 0) {
            throw new IllegalArgumentException("pretrainEpochs must be >= 0, got " + pretrainEpochs);
        }
        if (!(pretrainLearningRate > 0) || Double.isInfinite(pretrainLearningRate)) {
            throw new IllegalArgumentException(
                    "pretrainLearningRate must be a positive number, got " + pretrainLearningRate);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("weightInit must be set");
        }
        if (!(finetuneMasking >= 0 && finetuneMasking < 1)) {
            throw new IllegalArgumentException("finetuneMasking must be in [0, 1), got " + finetuneMasking);
        }
    }

    /** SdA-3 for MNIST: 784-1000-1000-1000-10, sigmoid, 20% masking noise. */
    public static StackedAutoencoderConfig defaults() {
        return new StackedAutoencoderConfig(
                784,
                List.of(1000, 1000, 1000),
                Activation.SIGMOID,
                Corruption.Kind.MASKING,
                0.2,
                5,
                1e-3,
                10,
                WeightInit.XAVIER_UNIFORM,
                0.0);
    }

    /** The input corruption while fine-tuning. */
    public Corruption finetuneCorruption() {
        return finetuneMasking == 0 ? Corruption.NONE : new Corruption(Corruption.Kind.MASKING, finetuneMasking);
    }

    /** The corruption of the pretraining stages. */
    public Corruption corruption() {
        return new Corruption(corruptionKind, corruptionLevel);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withInputSize(int inputSize) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code hiddenSizes} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withHiddenSizes(List<Integer> hiddenSizes) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withActivation(Activation activation) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code corruptionKind} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withCorruptionKind(Corruption.Kind corruptionKind) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code corruptionLevel} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withCorruptionLevel(double corruptionLevel) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code pretrainEpochs} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withPretrainEpochs(int pretrainEpochs) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code pretrainLearningRate} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withPretrainLearningRate(double pretrainLearningRate) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code numClasses} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withNumClasses(int numClasses) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }

    /** This config with {@code finetuneMasking} replaced, validated as by the constructor. */
    public StackedAutoencoderConfig withFinetuneMasking(double finetuneMasking) {
        return new StackedAutoencoderConfig(
                inputSize,
                hiddenSizes,
                activation,
                corruptionKind,
                corruptionLevel,
                pretrainEpochs,
                pretrainLearningRate,
                numClasses,
                weightInit,
                finetuneMasking);
    }
}
