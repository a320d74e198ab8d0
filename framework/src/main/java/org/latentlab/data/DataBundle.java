package org.latentlab.data;

import java.util.List;
import java.util.Objects;

/**
 * A named dataset's official train and test parts, as returned by {@link Datasets#load}, with the files they were
 * read from (empty for a bundle made in memory).
 */
public record DataBundle(ImageDataset train, ImageDataset test, List<DataFile> files) {
    public DataBundle {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        files = List.copyOf(files);
        if (!train.shape().equals(test.shape()) || train.numClasses() != test.numClasses()) {
            throw new DataException(
                    "Train set " + train + " and test set " + test + " differ in image shape or classes");
        }
    }

    /** A bundle not read from files. */
    public DataBundle(ImageDataset train, ImageDataset test) {
        this(train, test, List.of());
    }
}
