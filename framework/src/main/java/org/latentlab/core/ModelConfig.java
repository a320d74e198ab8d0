package org.latentlab.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Hyperparameters of one model variant, kept apart from the trained artefact.
 *
 * <p>Implementations are records validated in their compact constructors. They are written to
 * JSON tagged with their registered type name ({@code "type": "vae"}); reading JSON with an
 * unknown key fails with an error that names the key.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface ModelConfig {

    /** Number of input features (784 for MNIST, 3072 for 3x32x32 colour images). */
    int inputSize();

    /**
     * The image shape the model takes, {@code [channels, height, width]}, for models that treat their input as an
     * image (the convolutional ones); empty for models that take any flat vector of {@link #inputSize()} values.
     * A run checks it against the dataset's before it trains.
     */
    @JsonIgnore
    default List<Integer> imageShape() {
        return List.of();
    }
}
