package org.latentlab.data;

import java.util.List;
import java.util.Objects;

/**
 * Which data a run trains and is tested on: a named dataset, optionally only some classes of its training part,
 * a seeded validation split of what is left, a seeded class-balanced subset of the rest to train on, the input
 * size the model expects, and (for benchmarks) the training part repeated to a given size. Made with {@link #of}
 * and the withers; {@link PreparedData#prepare} applies it.
 *
 * @param dataset            dataset name ({@link Datasets#names()})
 * @param trainClasses       train (and validate) only on these classes; empty = all. The test part keeps every class
 * @param validationFraction share of the (filtered) training part held out for validation, in [0, 1)
 * @param splitSeed          seed of the validation split
 * @param inputSize          features per example the model expects (0 = not checked)
 * @param repeatTrainTo      training examples after repeating the training part cyclically (0 = as it is)
 * @param trainSize          train on a class-balanced subset of this many of the training examples left after the
 *                           class filter and the validation split (0 = all of them)
 * @param subsetSeed         seed of that subset
 * @param imageShape         image shape {@code [channels, height, width]} the model expects (empty = not checked)
 */
public record DataRequest(
        String dataset,
        List<Integer> trainClasses,
        double validationFraction,
        long splitSeed,
        int inputSize,
        int repeatTrainTo,
        int trainSize,
        long subsetSeed,
        List<Integer> imageShape) {
    public DataRequest {
        Objects.requireNonNull(dataset, "dataset");
        trainClasses = List.copyOf(trainClasses);
        imageShape = List.copyOf(imageShape);
        if (!imageShape.isEmpty() && imageShape.size() != 3) {
            throw new IllegalArgumentException(
                    "imageShape must be [channels, height, width] or empty, got " + imageShape);
        }
        if (inputSize < 0 || repeatTrainTo < 0) {
            throw new IllegalArgumentException("inputSize and repeatTrainTo must be >= 0");
        }
        if (trainSize < 0) {
            throw new IllegalArgumentException("trainSize must be >= 0 (0 = all training examples), got " + trainSize);
        }
    }

    /** All of {@code dataset}: every class, no validation split, no subset, no checks. */
    public static DataRequest of(String dataset) {
        return new DataRequest(dataset, List.of(), 0, 0, 0, 0, 0, 0, List.of());
    }

    public DataRequest withTrainClasses(List<Integer> classes) {
        return new DataRequest(
                dataset,
                classes,
                validationFraction,
                splitSeed,
                inputSize,
                repeatTrainTo,
                trainSize,
                subsetSeed,
                imageShape);
    }

    public DataRequest withValidation(double fraction, long seed) {
        return new DataRequest(
                dataset, trainClasses, fraction, seed, inputSize, repeatTrainTo, trainSize, subsetSeed, imageShape);
    }

    public DataRequest withInputSize(int size) {
        return new DataRequest(
                dataset,
                trainClasses,
                validationFraction,
                splitSeed,
                size,
                repeatTrainTo,
                trainSize,
                subsetSeed,
                imageShape);
    }

    public DataRequest withTrainRepeatedTo(int size) {
        return new DataRequest(
                dataset,
                trainClasses,
                validationFraction,
                splitSeed,
                inputSize,
                size,
                trainSize,
                subsetSeed,
                imageShape);
    }

    /**
     * Trains on a class-balanced subset of {@code size} examples (0 = all) drawn with {@code seed}
     * ({@link ImageDataset#balancedSubset}) from what the class filter and the validation split leave.
     */
    public DataRequest withTrainSize(int size, long seed) {
        return new DataRequest(
                dataset, trainClasses, validationFraction, splitSeed, inputSize, repeatTrainTo, size, seed, imageShape);
    }

    /** Checks the dataset's image shape against {@code shape} ({@code [channels, height, width]}; empty = no check). */
    public DataRequest withImageShape(List<Integer> shape) {
        return new DataRequest(
                dataset,
                trainClasses,
                validationFraction,
                splitSeed,
                inputSize,
                repeatTrainTo,
                trainSize,
                subsetSeed,
                shape);
    }
}
