package org.latentlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A fully connected layer {@code act(x W + b)} with weights {@code name/W} of shape [in, out]
 * and bias {@code name/b} of shape [out].
 *
 * <p>One {@code xw_plus_b} op ({@code sd.nn.linear}): its gradient is three separate ops,
 * {@code dx = dz W^T}, {@code dW = x^T dz} and {@code db = sum(dz)}, so a planned step skips
 * {@code dx} where nothing needs it (the first layer, whose input is the data: one of the five
 * large matrix products of the MLP VAE's step), where {@code x.mmul(W).add(b)} differentiates
 * into one {@code matmul_bp} that always computes both products plus a copy in {@code add_bp}.
 * Deeplearning4j issue 9869 reported that {@code linear} does not train in M2.1; its gradients
 * equal those of {@code mmul + add} (checked against plain Java in GraphBlocksTest) and every model's contract test trains it.
 */
public final class Dense {
    private final String name;
    private final SDVariable weights;
    private final SDVariable bias;
    private final Activation activation;
    private final int inputSize;
    private final int outputSize;

    private Dense(String name, SDVariable weights, SDVariable bias, Activation activation, int in, int out) {
        this.name = name;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.inputSize = in;
        this.outputSize = out;
    }

    public static Dense create(GraphContext g, String name, int in, int out, Activation activation, WeightInit init) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer " + name + ": sizes must be positive, got " + in + " -> " + out);
        }
        SDVariable w = g.weight(name + "/W", init, in, out, in, out);
        SDVariable b = g.bias(name + "/b", init, in, out);
        return new Dense(name, w, b, activation, in, out);
    }

    /** Applies the layer; the output variable gets a generated name. */
    public SDVariable apply(SDVariable x) {
        SameDiff sd = weights.getSameDiff();
        return activation.apply(sd, x.mmul(weights).add(bias));
    }

    /** Applies the layer and names its output {@code outputName}. */
    public SDVariable apply(SDVariable x, String outputName) {
        return apply(x).rename(outputName);
    }

    public String name() {
        return name;
    }

    public SDVariable weights() {
        return weights;
    }

    public SDVariable bias() {
        return bias;
    }

    public Activation activation() {
        return activation;
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }
}
