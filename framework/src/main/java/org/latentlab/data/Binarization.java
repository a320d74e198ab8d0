package org.latentlab.data;

import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic binarization of grey-level images: each pixel becomes 1 with probability its intensity, else 0
 * (Salakhutdinov &amp; Murray, <i>On the Quantitative Analysis of Deep Belief Networks</i>, ICML 2008), the way
 * {@code binarized-mnist} is made from MNIST.
 *
 * <p><b>Dynamic</b> (training): the trainer binarizes every training batch afresh ({@link #forStep}), from a
 * {@link NoiseSource} that is a pure function of the run seed, the epoch and the step, so each epoch sees a new
 * binarization and a run resumed from a checkpoint draws exactly what the uninterrupted run drew. The draws are
 * made in Java, one thread, whatever ND4J's thread count. <b>Fixed</b> (evaluation): the test set is binarized once
 * with {@link #TEST_SEED}, a validation split once with {@link #VALIDATION_SEED}, and the training examples the
 * trainer reports its per-epoch training loss on once with {@link #PROBE_SEED}, so every run and every seed is
 * measured on the same 0/1 images.
 *
 * <p>Likelihoods on dynamically binarized MNIST are not comparable with numbers on the static binarization of
 * Larochelle &amp; Murray (2011): the test images differ.
 */
public final class Binarization {

    /** Seed of the test set's one binarization. */
    public static final long TEST_SEED = 1000;
    /** Seed of a validation split's one binarization. */
    public static final long VALIDATION_SEED = 1001;
    /** Seed of the one binarization of the training examples the trainer reports its training loss on. */
    public static final long PROBE_SEED = 1002;
    /**
     * Mixed into the run seed so that a step's binarization never shares the stream of the same step's model noise
     * ({@code NoiseSource.forStep(seed, epoch, step)}).
     */
    static final long STREAM = 0x42494E415259L;

    private Binarization() {}

    /** What a run on a dynamically binarized dataset records: how its training and test images were made. */
    public static String describe() {
        return "dynamic (training pixels ~ Bernoulli(intensity), drawn afresh each step from seed, epoch and step);"
                + " test set binarized once with seed " + TEST_SEED + ", validation split with seed "
                + VALIDATION_SEED;
    }

    /**
     * The binarization of training step {@code step} of epoch {@code epoch} (both from 0) of a run with
     * {@code seed}: a new batch with the same labels and indices whose features are 0 or 1, each 1 with probability
     * the batch's intensity there. A pure function of the batch and {@code (seed, epoch, step)}.
     */
    public static Batch forStep(Batch batch, long seed, int epoch, int step) {
        INDArray x = batch.features();
        float[] pixels = x.dup('c').data().asFloat();
        drawInPlace(pixels, NoiseSource.forStep(seed ^ STREAM, epoch, step));
        return new Batch(Nd4j.create(pixels, x.shape(), DataType.FLOAT), batch.labels(), batch.indices());
    }

    /**
     * Replaces each intensity in {@code pixels} (in [0, 1]) by 1 with that probability, else 0, drawing one uniform
     * from {@code noise} per pixel, in order.
     */
    static void drawInPlace(float[] pixels, NoiseSource noise) {
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = noise.nextDouble() < pixels[i] ? 1f : 0f;
        }
    }
}
