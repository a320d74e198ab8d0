package org.latentlab.data;

import java.util.Objects;

/** The two disjoint parts produced by {@link ImageDataset#split(double, long)}. */
public record TrainValidationSplit(ImageDataset train, ImageDataset validation) {
    public TrainValidationSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }
}
