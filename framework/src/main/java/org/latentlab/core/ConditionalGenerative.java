package org.latentlab.core;

import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model that generates inputs of a requested class, such as the conditional VAE: the class is a
 * condition of the decoder, so a sample can be asked for by label.
 */
public interface ConditionalGenerative {

    /** Number of classes the model can be conditioned on; labels run from 0 to this minus 1. */
    int numClasses();

    /** {@code n} inputs generated for class {@code label}: [n, inputSize] decoder means. */
    INDArray sampleClass(int label, int n, NoiseSource noise);
}
