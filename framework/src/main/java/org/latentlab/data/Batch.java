package org.latentlab.data;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch: features [n, rows*cols], their labels, and the dataset indices they came from
 * (kept so results such as reconstructions can be traced back to images).
 */
public record Batch(INDArray features, int[] labels, int[] indices) {
    public Batch {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(indices, "indices");
        if (labels.length != indices.length || features.size(0) != indices.length) {
            throw new IllegalArgumentException("Batch: features rows " + features.size(0) + ", labels " + labels.length
                    + " and indices " + indices.length + " must agree");
        }
    }

    public int size() {
        return indices.length;
    }
}
