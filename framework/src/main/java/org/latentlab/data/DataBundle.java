package org.latentlab.data;

import java.util.List;
import java.util.Objects;

/**
 * A named dataset's official parts, as returned by {@link Datasets#load}: train and test, the files they were read
 * from (empty for a bundle made in memory), and for a dataset published with its own validation split (the static
 * binarized MNIST) that validation part, which a run validates on instead of holding out a fraction of the training
 * part ({@link PreparedData#prepare}). A bundle may also say how its images were binarized, for the run's summary.
 *
 * @param train        the training part
 * @param test         the test part
 * @param files        the files the parts were read from, with their SHA-256
 * @param validation   the published validation part, or null when the dataset has none (a run then holds out
 *                     {@code validationFraction} of the training part)
 * @param binarization how the images were binarized, for {@code summary.json}'s {@code binarization} key, or null
 */
public record DataBundle(
        ImageDataset train, ImageDataset test, List<DataFile> files, ImageDataset validation, String binarization) {
    public DataBundle {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        files = List.copyOf(files);
        requireSameKind(train, test, "Train set", "test set");
        if (validation != null) {
            requireSameKind(train, validation, "Train set", "validation set");
        }
    }

    /** A bundle of train and test parts read from {@code files}, without a published validation part. */
    public DataBundle(ImageDataset train, ImageDataset test, List<DataFile> files) {
        this(train, test, files, null, null);
    }

    /** A bundle not read from files. */
    public DataBundle(ImageDataset train, ImageDataset test) {
        this(train, test, List.of());
    }

    /** This bundle with a published validation part, which runs validate on instead of a held-out fraction. */
    public DataBundle withValidation(ImageDataset newValidation) {
        return new DataBundle(train, test, files, Objects.requireNonNull(newValidation, "validation"), binarization);
    }

    /** This bundle, saying how its images were binarized (recorded in a run's {@code summary.json}). */
    public DataBundle withBinarization(String description) {
        return new DataBundle(train, test, files, validation, description);
    }

    /** Whether the dataset was published with its own validation part. */
    public boolean hasFixedValidation() {
        return validation != null;
    }

    private static void requireSameKind(ImageDataset a, ImageDataset b, String aWhat, String bWhat) {
        if (!a.shape().equals(b.shape())
                || a.hasLabels() != b.hasLabels()
                || (a.hasLabels() && a.numClasses() != b.numClasses())) {
            throw new DataException(aWhat + " " + a + " and " + bWhat + " " + b
                    + " differ in image shape, classes or whether they have labels");
        }
    }
}
