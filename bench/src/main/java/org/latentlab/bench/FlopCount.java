package org.latentlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.latentlab.graph.Activation;
import org.latentlab.models.ae.ContractiveAutoencoderConfig;
import org.latentlab.models.ae.ConvAutoencoderConfig;
import org.latentlab.models.vae.ConvVaeConfig;
import org.latentlab.models.vae.VaeConfig;

/**
 * Floating-point operations per sample of the benchmarked models, counted from their
 * architecture: only the matrix products and convolutions, the work a BLAS does.
 *
 * <pre>
 *   forward MACs:  dense in -> out                  in * out
 *                  conv k x k, SAME, stride s       outH * outW * k^2 * inC * outC   (outH = ceil(H / s))
 *                  transposed conv, stride s        inH * inW * k^2 * inC * outC     (each input pixel scatters a k x k x outC patch)
 *   forward FLOPs  = 2 * MACs                       (a multiply and an add)
 *   training FLOPs = 3 * forward FLOPs              (backward = gradient w.r.t. the inputs of each layer
 *                                                    + gradient w.r.t. its weights, each about one forward)
 * </pre>
 * The training count slightly overstates the work: the first layer needs no gradient with respect
 * to the images. Not counted: activations, the loss, the reparameterisation, the optimizer update
 * and the contractive penalty's per-step sum over W^2 (elementwise work), and data handling.
 * Achieved FLOP/s = FLOPs per sample * samples per second.
 */
public final class FlopCount {
    private FlopCount() {}

    /**
     * Forward multiply-accumulates per example as a sum of named terms, so that the count can be
     * shown as the formula it came from.
     */
    public static final class Macs {
        private final List<String> terms = new ArrayList<>();
        private long total;

        Macs add(long macs, String expression) {
            terms.add(expression);
            total += macs;
            return this;
        }

        Macs dense(int in, int out) {
            return add(FlopCount.dense(in, out), in + "*" + out);
        }

        public long total() {
            return total;
        }

        /** E.g. {@code 784*400 + 400*20 = 321,600}. */
        public String formula() {
            return String.join(" + ", terms) + String.format(Locale.ROOT, " = %,d", total);
        }
    }

    /** Multiply-accumulates of a dense layer per example. */
    public static long dense(int in, int out) {
        return (long) in * out;
    }

    /** Multiply-accumulates of a convolution per example: output positions times k^2 * inC * outC. */
    public static long conv(int outSide, int kernel, int inChannels, int outChannels) {
        return (long) outSide * outSide * kernel * kernel * inChannels * outChannels;
    }

    /** Multiply-accumulates of a transposed convolution per example: input positions times k^2 * inC * outC. */
    public static long deconv(int inSide, int kernel, int inChannels, int outChannels) {
        return (long) inSide * inSide * kernel * kernel * inChannels * outChannels;
    }

    /** Forward MACs of the {@code vae}: encoder, the mu and log-variance heads, decoder. */
    public static Macs vae(VaeConfig c) {
        Macs m = new Macs();
        int prev = c.inputSize();
        for (int h : c.hiddenSizes()) {
            m.dense(prev, h);
            prev = h;
        }
        m.add(2 * dense(prev, c.latentSize()), "2*" + prev + "*" + c.latentSize());
        prev = c.latentSize();
        for (int i = c.hiddenSizes().size() - 1; i >= 0; i--) {
            m.dense(prev, c.hiddenSizes().get(i));
            prev = c.hiddenSizes().get(i);
        }
        return m.dense(prev, c.inputSize());
    }

    /** Forward MACs of the VAE's {@code encode}: encoder trunk and the mu head only. */
    public static Macs vaeEncode(VaeConfig c) {
        Macs m = new Macs();
        int prev = c.inputSize();
        for (int h : c.hiddenSizes()) {
            m.dense(prev, h);
            prev = h;
        }
        return m.dense(prev, c.latentSize());
    }

    /**
     * Forward MACs of the {@code conv-ae}: stride-2 convolutions, their mirrored transposed
     * convolutions (the same count), and the dense layers to the code and back.
     */
    public static Macs convAe(ConvAutoencoderConfig c) {
        Macs m = new Macs();
        int k = c.kernel();
        int side = c.imageSize();
        int in = c.imageChannels();
        for (int out : c.channels()) {
            side = (side + 1) / 2; // SAME padding, stride 2
            m.add(2 * conv(side, k, in, out), "2*" + side + "*" + side + "*" + k * k + "*" + in + "*" + out);
            in = out;
        }
        int flat = in * c.innerSize() * c.innerSize();
        return m.add(2 * dense(flat, c.codeSize()), "2*" + flat + "*" + c.codeSize());
    }

    /**
     * Forward MACs of the {@code conv-vae}: stride-2 convolutions and their mirrored transposed convolutions (the
     * same count), the mean and log-variance heads, and the projection from the code back to the last feature map.
     */
    public static Macs convVae(ConvVaeConfig c) {
        Macs m = new Macs();
        int k = c.kernel();
        int side = c.side();
        int in = c.imageChannels();
        for (int out : c.channels()) {
            side = (side + 1) / 2; // SAME padding, stride 2
            m.add(2 * conv(side, k, in, out), "2*" + side + "*" + side + "*" + k * k + "*" + in + "*" + out);
            in = out;
        }
        int flat = in * c.innerSide() * c.innerSide();
        m.add(2 * dense(flat, c.latentSize()), "2*" + flat + "*" + c.latentSize());
        return m.dense(c.latentSize(), flat);
    }

    /**
     * Forward MACs of the {@code cae}: encoder and mirrored decoder; with the finite-difference
     * penalty (anything but one sigmoid layer) 2K more encoder passes per example.
     */
    public static Macs cae(ContractiveAutoencoderConfig c) {
        List<Integer> widths = new ArrayList<>();
        widths.add(c.inputSize());
        widths.addAll(c.encoderSizes());
        Macs m = new Macs();
        long encoder = 0;
        for (int i = 0; i + 1 < widths.size(); i++) {
            m.dense(widths.get(i), widths.get(i + 1));
            encoder += dense(widths.get(i), widths.get(i + 1));
        }
        for (int i = widths.size() - 1; i > 0; i--) {
            m.dense(widths.get(i), widths.get(i - 1));
        }
        boolean exact = c.encoderSizes().size() == 1 && c.activation() == Activation.SIGMOID;
        if (!exact) {
            m.add(2L * c.directions() * encoder, "2*" + c.directions() + "*" + encoder + " (finite-difference passes)");
        }
        return m;
    }

    /** Training FLOPs per example from forward MACs: 3 passes' worth (forward, and backward at twice forward) of 2 FLOPs per MAC. */
    public static double training(long forwardMacs) {
        return 3.0 * 2.0 * forwardMacs;
    }

    /** Inference FLOPs per example from forward MACs. */
    public static double inference(long forwardMacs) {
        return 2.0 * forwardMacs;
    }
}
