package org.latentlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * A 2-D convolution with SAME padding on NCHW input, followed by an activation. With stride
 * s the spatial size becomes ceil(size / s) (28 -> 14 -> 7 for stride 2).
 *
 * <p>Weights {@code name/W} have shape [kH, kW, inChannels, outChannels] (M2.1's layout for
 * conv2d), bias {@code name/b} shape [outChannels].
 */
public final class Conv2dBlock {
    private final SDVariable weights;
    private final SDVariable bias;
    private final Conv2DConfig config;
    private final Activation activation;

    private Conv2dBlock(SDVariable weights, SDVariable bias, Conv2DConfig config, Activation activation) {
        this.weights = weights;
        this.bias = bias;
        this.config = config;
        this.activation = activation;
    }

    public static Conv2dBlock create(
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
                    "conv " + name + ": channels, kernel and stride must be positive, got in=" + inChannels + " out="
                            + outChannels + " kernel=" + kernel + " stride=" + stride);
        }
        long fanIn = (long) inChannels * kernel * kernel;
        long fanOut = (long) outChannels * kernel * kernel;
        SDVariable w = g.weight(name + "/W", init, fanIn, fanOut, kernel, kernel, inChannels, outChannels);
        SDVariable b = g.bias(name + "/b", init, fanIn, outChannels);
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(kernel)
                .kW(kernel)
                .sH(stride)
                .sW(stride)
                .paddingMode(PaddingMode.SAME)
                .dataFormat("NCHW")
                .build();
        return new Conv2dBlock(w, b, cfg, activation);
    }

    /** Applies the block to {@code x} of shape [N, C, H, W]. */
    public SDVariable apply(SDVariable x) {
        SameDiff sd = weights.getSameDiff();
        return activation.apply(sd, sd.cnn().conv2d(x, weights, bias, config));
    }

    public SDVariable weights() {
        return weights;
    }

    public SDVariable bias() {
        return bias;
    }
}
