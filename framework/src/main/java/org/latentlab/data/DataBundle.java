package org.latentlab.data;

import java.util.Objects;

/** A named dataset's official train and test parts, as returned by {@link Datasets#load}. */
public record DataBundle(ImageDataset train, ImageDataset test) {
    public DataBundle {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.rows() != test.rows() || train.cols() != test.cols() || train.numClasses() != test.numClasses()) {
            throw new DataException("Train set " + train + " and test set " + test + " differ in image size or classes");
        }
    }
}
