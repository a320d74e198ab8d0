package org.latentlab.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded source of noise arrays for the placeholders of the reparameterisation trick
 * ({@link Reparameterization}) and of the random directions of
 * {@link Contractive#finiteDifferenceEstimate}.
 *
 * <p>The stream depends only on the seed and on the sequence of calls, never on ND4J's global
 * random generator ({@code Nd4j.getRandom()}), which other code (weight initialisation, data
 * shuffling, in-graph ops) also draws from. The generator is SplitMix64 (Steele, Lea &amp;
 * Flood, <i>Fast Splittable Pseudorandom Number Generators</i>, OOPSLA 2014), implemented here
 * rather than taken from {@link java.util.SplittableRandom} so that the numbers cannot change
 * with the JDK. Normal deviates come from the Box-Muller transform (Box &amp; Muller 1958),
 * computed in double precision and then, for {@link DataType#FLOAT}, rounded.
 *
 * <p><b>Resuming a run.</b> Use {@link #forStep(long, long, long)} to get a fresh source per
 * training step: the noise of step {@code (epoch, step)} is then a pure function of the run
 * seed, the epoch and the step, so a run resumed from a checkpoint at any step draws exactly
 * the noise the uninterrupted run would have drawn, whatever was drawn before it.
 *
 * <p>Instances are not thread-safe; use one per thread (or per step).
 */
public final class NoiseSource {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double TWO_PI = 2.0 * Math.PI;
    /** 2^-53: maps the top 53 bits of a long to a double in [0, 1). */
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    /**
     * Creates a source whose stream is determined by {@code seed}.
     *
     * @param seed any long; equal seeds give equal streams
     */
    public NoiseSource(long seed) {
        // Mixing the seed first keeps nearby seeds (0, 1, 2, ...) from giving related streams.
        this.state = mix64(seed);
    }

    /**
     * Derives the source for one training step of a run: a pure function of
     * {@code (seed, epoch, step)}, so that a run resumed at {@code (epoch, step)} reproduces
     * the noise of the uninterrupted run.
     *
     * @param seed  the run's seed
     * @param epoch epoch index (from 0)
     * @param step  step index within the epoch, or the global step (be consistent)
     * @return a new source
     */
    public static NoiseSource forStep(long seed, long epoch, long step) {
        long s = mix64(seed + GOLDEN_GAMMA);
        s = mix64(s ^ mix64(epoch + 2 * GOLDEN_GAMMA));
        s = mix64(s ^ mix64(step + 3 * GOLDEN_GAMMA));
        return new NoiseSource(s);
    }

    /**
     * Standard-normal {@link DataType#FLOAT} matrix of shape {@code [rows, cols]}.
     *
     * @param rows number of rows (usually the batch size)
     * @param cols number of columns
     * @return a new array, filled in C (row-major) order
     */
    public INDArray standardNormal(long rows, long cols) {
        return standardNormal(DataType.FLOAT, rows, cols);
    }

    /**
     * Standard-normal array of any shape and floating-point type.
     *
     * @param dataType {@link DataType#FLOAT}, {@link DataType#DOUBLE} or another floating type
     * @param shape    the shape, every entry at least 1
     * @return a new array, filled in C (row-major) order
     */
    public INDArray standardNormal(DataType dataType, long... shape) {
        double[] values = new double[checkedLength(shape)];
        int i = 0;
        while (i < values.length) {
            // Box-Muller: two independent N(0,1) from two uniforms. 1 - u keeps the log finite.
            double radius = Math.sqrt(-2.0 * Math.log(1.0 - nextDouble()));
            double angle = TWO_PI * nextDouble();
            values[i++] = radius * Math.cos(angle);
            if (i < values.length) {
                values[i++] = radius * Math.sin(angle);
            }
        }
        return toArray(values, dataType, shape);
    }

    /**
     * Uniform array on {@code [0, 1)} of any shape and floating-point type (for example for
     * masking noise in a denoising autoencoder).
     *
     * @param dataType floating-point type of the result
     * @param shape    the shape, every entry at least 1
     * @return a new array, filled in C (row-major) order
     */
    public INDArray uniform(DataType dataType, long... shape) {
        double[] values = new double[checkedLength(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = nextDouble();
        }
        return toArray(values, dataType, shape);
    }

    /**
     * Next uniform double on {@code [0, 1)}; exposed so that Java-side corruption can share the
     * stream.
     *
     * @return a double in [0, 1)
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * Next 64 random bits (SplitMix64).
     *
     * @return a long
     */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** SplitMix64's output function (a variant of MurmurHash3's finaliser). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int checkedLength(long[] shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("shape must have at least one dimension");
        }
        long length = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("every dimension must be >= 1, got " + Arrays.toString(shape));
            }
            length = Math.multiplyExact(length, d);
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("array too large: " + Arrays.toString(shape));
        }
        return (int) length;
    }

    private static INDArray toArray(double[] values, DataType dataType, long[] shape) {
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException("noise needs a floating-point type, got " + dataType);
        }
        INDArray doubles = Nd4j.create(values, shape.clone(), 'c');
        return dataType == DataType.DOUBLE ? doubles : doubles.castTo(dataType);
    }
}
