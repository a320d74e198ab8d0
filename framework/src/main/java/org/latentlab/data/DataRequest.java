package org.latentlab.data;

import java.util.List;
import java.util.Objects;

/**
 * Which data a run trains and is tested on: a named dataset, optionally only some classes of its training part,
 * a seeded validation split of what is left, the input size the model expects, and (for benchmarks) the training
 * part repeated to a given size. Made with {@link #of} and the withers; {@link PreparedData#prepare} applies it.
 *
 * @param dataset            dataset name ({@link Datasets#names()})
 * @param trainClasses       train (and validate) only on these classes; empty = all. The test part keeps every class
 * @param validationFraction share of the (filtered) training part held out for validation, in [0, 1)
 * @param splitSeed          seed of the validation split
 * @param inputSize          features per example the model expects (0 = not checked)
 * @param repeatTrainTo      training examples after repeating the training part cyclically (0 = as it is)
 */
public record DataRequest(
        String dataset,
        List<Integer> trainClasses,
        double validationFraction,
        long splitSeed,
        int inputSize,
        int repeatTrainTo) {
    public DataRequest {
        Objects.requireNonNull(dataset, "dataset");
        trainClasses = List.copyOf(trainClasses);
        if (inputSize < 0 || repeatTrainTo < 0) {
            throw new IllegalArgumentException("inputSize and repeatTrainTo must be >= 0");
        }
    }

    /** All of {@code dataset}: every class, no validation split, no checks. */
    public static DataRequest of(String dataset) {
        return new DataRequest(dataset, List.of(), 0, 0, 0, 0);
    }

    public DataRequest withTrainClasses(List<Integer> classes) {
        return new DataRequest(dataset, classes, validationFraction, splitSeed, inputSize, repeatTrainTo);
    }

    public DataRequest withValidation(double fraction, long seed) {
        return new DataRequest(dataset, trainClasses, fraction, seed, inputSize, repeatTrainTo);
    }

    public DataRequest withInputSize(int size) {
        return new DataRequest(dataset, trainClasses, validationFraction, splitSeed, size, repeatTrainTo);
    }

    public DataRequest withTrainRepeatedTo(int size) {
        return new DataRequest(dataset, trainClasses, validationFraction, splitSeed, inputSize, size);
    }
}
