package org.latentlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Element-wise activation functions a block can apply after its affine map. */
public enum Activation {
    /** No non-linearity: logits, Gaussian means, linear codes. */
    IDENTITY,
    RELU,
    /** Leaky ReLU with slope 0.01 for negative inputs. */
    LEAKY_RELU,
    ELU,
    SIGMOID,
    TANH,
    SOFTPLUS;

    /** Adds this activation to the graph of {@code x}. */
    public SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (this) {
            case IDENTITY -> x;
            case RELU -> sd.nn().relu(x, 0.0);
            case LEAKY_RELU -> sd.nn().leakyRelu(x, 0.01);
            case ELU -> sd.nn().elu(x);
            case SIGMOID -> sd.nn().sigmoid(x);
            case TANH -> sd.math().tanh(x);
            case SOFTPLUS -> sd.nn().softplus(x);
        };
    }
}
