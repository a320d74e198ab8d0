package org.latentlab.core;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Hyperparameters of one model variant, kept apart from the trained artefact.
 *
 * <p>Implementations are records validated in their compact constructors. They are written to
 * JSON tagged with their registered type name ({@code "type": "vae"}); reading JSON with an
 * unknown key fails with an error that names the key.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface ModelConfig {

    /** Number of input features (784 for MNIST). */
    int inputSize();
}
