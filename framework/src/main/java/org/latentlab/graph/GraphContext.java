package org.latentlab.graph;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph under construction, plus the seeded generator its parameters are drawn from.
 *
 * <p>Parameters are created here so that they are always trainable variables: M2.1's
 * {@code sd.zero(...)} makes a constant that silently never trains.
 */
public final class GraphContext {
    private final SameDiff sd;
    private final SplittableRandom rng;

    public GraphContext(SameDiff sd, long seed) {
        this.sd = Objects.requireNonNull(sd, "sd");
        this.rng = new SplittableRandom(seed);
    }

    public SameDiff sd() {
        return sd;
    }

    /** Largest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** {@code count} as an array size, or an error naming the parameter and its shape if no array can hold it. */
    private static int arraySize(String name, long count, long... shape) {
        if (count < 0 || count > MAX_ARRAY || Arrays.stream(shape).anyMatch(d -> d < 0 || d > MAX_ARRAY)) {
            throw new IllegalArgumentException("parameter " + name + " of shape " + Arrays.toString(shape)
                    + " has more than the " + MAX_ARRAY + " values an array can hold");
        }
        return (int) count;
    }

    /** A trainable weight tensor drawn from {@code init}. */
    public SDVariable weight(String name, WeightInit init, long fanIn, long fanOut, long... shape) {
        float[] values = new float[arraySize(name, count(shape), shape)];
        init.fill(values, fanIn, fanOut, rng);
        return sd.var(name, Nd4j.create(values, shape, DataType.FLOAT));
    }

    /** A trainable bias vector (zeros, or PyTorch's uniform draw when {@code init} asks for it). */
    public SDVariable bias(String name, WeightInit init, long fanIn, long size) {
        float[] values = new float[arraySize(name, size, size)];
        init.fillBias(values, fanIn, rng);
        return sd.var(name, Nd4j.create(values, new long[] {size}, DataType.FLOAT));
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("parameter shape must be positive, got " + Arrays.toString(shape));
            }
            n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d; // saturates: arraySize rejects it
        }
        return n;
    }
}
