package org.latentlab.data;

import java.util.Arrays;

/**
 * Contents of an unsigned-byte IDX file: its shape and its raw bytes in row-major order.
 * Kept as bytes (not floats) because that is four times smaller and exactly what the file holds.
 *
 * <p>The data array is not copied (MNIST training images are 47 MB); callers must not mutate it.
 */
public record IdxArray(int[] shape, byte[] data) {

    public IdxArray {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("IdxArray: shape and data must not be null");
        }
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException("IdxArray: rank must be 1..4 but found " + shape.length);
        }
        shape = shape.clone();
        long product = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        "IdxArray: dimensions must be > 0 but found " + Arrays.toString(shape));
            }
            product *= d;
        }
        if (product != data.length) {
            throw new IllegalArgumentException("IdxArray: shape " + Arrays.toString(shape) + " needs " + product
                    + " bytes but data has " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of items along the first axis (images or labels). */
    public int count() {
        return shape[0];
    }

    /** Bytes per item: the product of all dimensions but the first (1 for a label file). */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= shape[i];
        }
        return size;
    }

    /** Byte {@code i} of the flat data as the unsigned value 0..255 it stands for. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    /** First {@code n} items as a new array (used to cut the shipped sample). */
    public IdxArray head(int n) {
        if (n <= 0 || n > count()) {
            throw new IllegalArgumentException("IdxArray.head: n must be in 1.." + count() + " but was " + n);
        }
        int[] s = shape.clone();
        s[0] = n;
        return new IdxArray(s, Arrays.copyOf(data, n * itemSize()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray[shape=" + Arrays.toString(shape) + ", bytes=" + data.length + "]";
    }
}
