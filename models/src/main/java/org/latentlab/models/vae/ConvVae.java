package org.latentlab.models.vae;

import java.util.ArrayList;
import java.util.List;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Conv2dBlock;
import org.latentlab.graph.Deconv2dBlock;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Convolutional variational autoencoder: the VAE of Kingma &amp; Welling (ICLR 2014) with the
 * encoder and decoder of a DCGAN-style network (Radford, Metz &amp; Chintala, ICLR 2016): stride-2
 * convolutions instead of pooling, stride-2 transposed convolutions instead of upsampling.
 *
 * <p>For colour images (imageChannels = 3, the rows CHW: red plane, green, blue) the same with C = 3 input and
 * output channels in place of 1, e.g. [N, 3072] -> [N, 3, 32, 32] -> 16x16 -> 8x8 and back.
 *
 * <p>Encoder: the flat [N, 784] input is reshaped inside the graph to [N, 1, 28, 28], then
 * {@code conv(32, stride 2)} -> 14x14, {@code conv(64, stride 2)} -> 7x7, flattened to
 * [N, 64*49] and mapped by Dense heads to mu and log-variance. Decoder: Dense z -> [N, 64*49],
 * reshaped to [N, 64, 7, 7], {@code deconv(32)} -> 14x14, {@code deconv(1)} -> 28x28 (no
 * activation: logits or pre-sigmoid means), flattened back to [N, 784]. Loss, KL weight and feeds
 * are those of {@link AbstractVae}.
 */
public final class ConvVae extends AbstractVae<ConvVaeConfig> {

    public ConvVae(ConvVaeConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected Encoder buildEncoder(GraphContext g, int inputWidth) {
        ConvVaeConfig c = config;
        List<Conv2dBlock> convs = new ArrayList<>();
        int in = c.imageChannels();
        for (int i = 0; i < c.channels().size(); i++) {
            convs.add(Conv2dBlock.create(
                    g, "encoder/conv" + i, in, c.channels().get(i), c.kernel(), 2, c.activation(), c.weightInit()));
            in = c.channels().get(i);
        }
        int flat = in * c.innerSide() * c.innerSide();
        Block block = x -> {
            SDVariable h = x.getSameDiff().reshape(x, -1, c.imageChannels(), c.side(), c.side());
            for (Conv2dBlock conv : convs) {
                h = conv.apply(h);
            }
            return h.getSameDiff().reshape(h, -1, flat);
        };
        return new Encoder(block, flat);
    }

    @Override
    protected Block buildDecoder(GraphContext g, int inputWidth) {
        ConvVaeConfig c = config;
        List<Integer> ch = c.channels();
        int last = ch.get(ch.size() - 1);
        int inner = c.innerSide();
        Dense project =
                Dense.create(g, "decoder/project", inputWidth, last * inner * inner, c.activation(), c.weightInit());
        List<Deconv2dBlock> deconvs = new ArrayList<>();
        for (int i = ch.size() - 1; i >= 0; i--) {
            int out = i == 0 ? c.imageChannels() : ch.get(i - 1);
            Activation act = i == 0 ? Activation.IDENTITY : c.activation();
            deconvs.add(Deconv2dBlock.create(
                    g, "decoder/deconv" + (ch.size() - 1 - i), ch.get(i), out, c.kernel(), 2, act, c.weightInit()));
        }
        return z -> {
            SameDiff sd = z.getSameDiff();
            SDVariable h = sd.reshape(project.apply(z), -1, last, inner, inner);
            for (Deconv2dBlock deconv : deconvs) {
                h = deconv.apply(h);
            }
            return sd.reshape(h, -1, c.inputSize());
        };
    }
}
