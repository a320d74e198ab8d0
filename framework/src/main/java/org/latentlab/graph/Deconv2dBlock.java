package org.latentlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;

/**
 * A transposed 2-D convolution ("deconvolution") with SAME padding on NCHW input, followed by
 * an activation. With stride s the spatial size becomes size * s (7 -> 14 -> 28 for stride 2).
 *
 * <p>Weights {@code name/W} have shape [kH, kW, outChannels, inChannels]: that is what M2.1's
 * deconv2d really expects, although its javadoc says otherwise.
 */
public final class Deconv2dBlock {
    private final SDVariable weights;
    private final SDVariable bias;
    private final DeConv2DConfig config;
    private final Activation activation;

    private Deconv2dBlock(SDVariable weights, SDVariable bias, DeConv2DConfig config, Activation activation) {
        this.weights = weights;
        this.bias = bias;
        this.config = config;
        this.activation = activation;
    }

    public static Deconv2dBlock create(
            GraphContext g,
            String name,
            int inChannels,
            int outChannels,
            int kernel,
            int stride,
            Activation activation,
            WeightInit init) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException(
                    "deconv " + name + ": channels, kernel and stride must be positive, got in=" + inChannels + " out="
                            + outChannels + " kernel=" + kernel + " stride=" + stride);
        }
        long fanIn = (long) inChannels * kernel * kernel;
        long fanOut = (long) outChannels * kernel * kernel;
        SDVariable w = g.weight(name + "/W", init, fanIn, fanOut, kernel, kernel, outChannels, inChannels);
        SDVariable b = g.bias(name + "/b", init, fanIn, outChannels);
        DeConv2DConfig cfg = DeConv2DConfig.builder()
                .kH(kernel)
                .kW(kernel)
                .sH(stride)
                .sW(stride)
                .isSameMode(true)
                .dataFormat("NCHW")
                .build();
        return new Deconv2dBlock(w, b, cfg, activation);
    }

    /** Applies the block to {@code x} of shape [N, C, H, W]. */
    public SDVariable apply(SDVariable x) {
        SameDiff sd = weights.getSameDiff();
        return activation.apply(sd, sd.cnn().deconv2d(x, weights, bias, config));
    }

    public SDVariable weights() {
        return weights;
    }

    public SDVariable bias() {
        return bias;
    }
}
