package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Conv2dBlock;
import org.latentlab.graph.Deconv2dBlock;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Convolutional autoencoder: stride-2 convolutions (28 -> 14 -> 7 for two layers), a dense
 * layer to the code, a dense layer back to the last feature maps, and stride-2 transposed
 * convolutions up to the image, with a sigmoid output. Masci, Meier, Cireşan &amp; Schmidhuber,
 * <i>Stacked Convolutional Auto-Encoders for Hierarchical Feature Extraction</i>, ICANN 2011
 * (here with strided convolutions instead of pooling, as in most current implementations).
 *
 * <p>The input placeholder is the flat [N, inputSize] batch every model takes; it is reshaped
 * to [N, C, H, W] inside the graph (C = imageChannels: 1 for grey, 3 for RGB images stored as planes, CHW), and the
 * reconstruction flattened back to [N, inputSize].
 * Loss terms are those of the {@link Autoencoder}: {@code recon} (BCE from the logits or the
 * summed squared error, per image), {@code loss} = recon and {@code mse_per_pixel}.
 */
public final class ConvAutoencoder extends AutoencoderModel<ConvAutoencoderConfig> {

    public ConvAutoencoder(ConvAutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SDVariable x = g.sd().placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        defineConv(g, config, x, x);
    }

    /**
     * The convolutional autoencoder graph on input {@code x}, with losses against {@code target}
     * ({@code x} itself, or the clean image for the {@link ConvDenoisingAutoencoder}).
     */
    static void defineConv(GraphContext g, ConvAutoencoderConfig c, SDVariable x, SDVariable target) {
        SameDiff sd = g.sd();
        List<Integer> ch = c.channels();
        int n = ch.size();
        int inner = c.innerSize();
        int flat = ch.get(n - 1) * inner * inner;

        SDVariable h = x.reshape(-1, c.imageChannels(), c.imageSize(), c.imageSize());
        for (int i = 0; i < n; i++) {
            int in = i == 0 ? c.imageChannels() : ch.get(i - 1);
            h = Conv2dBlock.create(g, "encoder/conv" + i, in, ch.get(i), c.kernel(), 2, c.activation(), c.weightInit())
                    .apply(h);
        }
        Dense toCode = Dense.create(g, "encoder/code", flat, c.codeSize(), Activation.IDENTITY, c.weightInit());
        SDVariable code = toCode.apply(h.reshape(-1, flat), CODE);

        Dense fromCode = Dense.create(g, "decoder/dense", c.codeSize(), flat, c.activation(), c.weightInit());
        Deconv2dBlock[] deconvs = new Deconv2dBlock[n];
        for (int i = n - 1; i >= 0; i--) {
            boolean last = i == 0;
            int out = last ? c.imageChannels() : ch.get(i - 1);
            // The last layer is linear: the sigmoid is applied separately so the BCE can use the logits.
            deconvs[i] = Deconv2dBlock.create(
                    g,
                    "decoder/deconv" + (n - 1 - i),
                    ch.get(i),
                    out,
                    c.kernel(),
                    2,
                    last ? Activation.IDENTITY : c.activation(),
                    c.weightInit());
        }

        SDVariable logits = decode(c, fromCode, deconvs, code).rename("logits");
        SDVariable reconstruction = Autoencoder.output(sd, RECONSTRUCTION, Activation.SIGMOID, logits);
        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, c.codeSize());
        Autoencoder.output(sd, DECODED, Activation.SIGMOID, decode(c, fromCode, deconvs, zIn));

        Autoencoder.defineLosses(sd, c.loss(), logits, reconstruction, target);
    }

    /**
     * Decoder logits, flattened to [N, inputSize]; deconvs[i] maps channels[i] to channels[i-1] (imageChannels for
     * i = 0).
     */
    private static SDVariable decode(
            ConvAutoencoderConfig config, Dense fromCode, Deconv2dBlock[] deconvs, SDVariable code) {
        List<Integer> ch = config.channels();
        int inner = config.innerSize();
        SDVariable h = fromCode.apply(code).reshape(-1, ch.get(ch.size() - 1), inner, inner);
        for (int i = deconvs.length - 1; i >= 0; i--) {
            h = deconvs[i].apply(h);
        }
        return h.reshape(-1, config.inputSize());
    }

    @Override
    public List<String> lossTerms() {
        return Autoencoder.TERMS;
    }

    @Override
    public int codeSize() {
        return config.codeSize();
    }
}
