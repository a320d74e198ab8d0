package org.latentlab.graph;

import java.util.SplittableRandom;

/**
 * Weight initialisation schemes, drawn from a seeded Java generator.
 *
 * <p>Fan-in and fan-out follow the usual convention: for a dense layer the input and output
 * widths, for a convolution the channel count times the kernel area.
 */
public enum WeightInit {
    /** U(-a, a), a = sqrt(6 / (fanIn + fanOut)); Glorot &amp; Bengio 2010. */
    XAVIER_UNIFORM,
    /** N(0, 2 / (fanIn + fanOut)); Glorot &amp; Bengio 2010. */
    XAVIER_NORMAL,
    /** N(0, 2 / fanIn), for ReLU layers; He et al. 2015. */
    HE_NORMAL,
    /** U(-a, a), a = sqrt(6 / fanIn); He et al. 2015. */
    HE_UNIFORM,
    /**
     * U(-a, a), a = 1 / sqrt(fanIn), biases drawn the same way: what PyTorch's
     * {@code nn.Linear} and {@code nn.Conv2d} do by default (kaiming_uniform with a = sqrt(5)).
     * Use it to compare with a PyTorch reference run.
     */
    PYTORCH_DEFAULT;

    /** Fills {@code values} with draws from this scheme. */
    public void fill(float[] values, long fanIn, long fanOut, SplittableRandom rng) {
        if (fanIn <= 0 || fanOut <= 0) {
            throw new IllegalArgumentException("fanIn and fanOut must be positive, got " + fanIn + " and " + fanOut);
        }
        switch (this) {
            case XAVIER_UNIFORM -> uniform(values, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
            case XAVIER_NORMAL -> normal(values, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
            case HE_NORMAL -> normal(values, Math.sqrt(2.0 / fanIn), rng);
            case HE_UNIFORM -> uniform(values, Math.sqrt(6.0 / fanIn), rng);
            case PYTORCH_DEFAULT -> uniform(values, 1.0 / Math.sqrt(fanIn), rng);
        }
    }

    /** Fills a bias vector: zeros, except for {@link #PYTORCH_DEFAULT}, which matches PyTorch. */
    public void fillBias(float[] values, long fanIn, SplittableRandom rng) {
        if (this == PYTORCH_DEFAULT) {
            uniform(values, 1.0 / Math.sqrt(fanIn), rng);
        }
    }

    private static void uniform(float[] values, double bound, SplittableRandom rng) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
    }

    private static void normal(float[] values, double std, SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator,
        // and this keeps the stream identical across JDK vendors.
        for (int i = 0; i < values.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            values[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < values.length) {
                values[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
            }
        }
    }
}
