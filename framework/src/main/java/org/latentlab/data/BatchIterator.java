package org.latentlab.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Iterates one epoch of a dataset in mini-batches.
 *
 * <p>The order of epoch {@code e} depends only on {@code (seed, e)}, not on how many epochs ran
 * before in this JVM, so a run resumed from a checkpoint at epoch {@code e} sees exactly the
 * batches the uninterrupted run would have seen. An instance serves one epoch and is not thread-safe;
 * create a new one per epoch.
 */
public final class BatchIterator implements Iterator<Batch>, Iterable<Batch> {

    private final ImageDataset dataset;
    private final int batchSize;
    private final int[] order;
    private final int end;
    private int position;
    /** With {@link #reusingFeatureArray()}: the array every full batch's features are written into. */
    private boolean reuse;

    private INDArray reused;

    /** Shuffled epoch, keeping the last partial batch. */
    public BatchIterator(ImageDataset dataset, int batchSize, long seed, int epoch) {
        this(dataset, batchSize, true, seed, epoch, false);
    }

    /**
     * @param shuffle  if false, images come in dataset order and {@code seed}/{@code epoch} are ignored
     * @param dropLast if true, a final batch smaller than {@code batchSize} is skipped
     */
    public BatchIterator(ImageDataset dataset, int batchSize, boolean shuffle, long seed, int epoch, boolean dropLast) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0 but was " + batchSize);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0 but was " + epoch);
        }
        this.batchSize = batchSize;
        int n = dataset.size();
        this.order = shuffle ? permutation(n, seed, epoch) : identity(n);
        this.end = dropLast ? n - n % batchSize : n;
    }

    /** The order in which epoch {@code epoch} visits 0..n-1 under {@code seed}. */
    public static int[] permutation(int n, long seed, int epoch) {
        return ImageDataset.shuffledRange(n, new Random(epochSeed(seed, epoch)));
    }

    /**
     * Mixes seed and epoch with SplitMix64 so nearby (seed, epoch) pairs give unrelated streams;
     * plain {@code seed + epoch} would make (s, e+1) replay (s+1, e).
     */
    static long epochSeed(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + mix(epoch + 0x632BE59BD9B4E019L);
        return mix(z);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Number of batches this epoch yields. */
    public int numBatches() {
        return (end + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return position < end;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("Epoch exhausted after " + numBatches() + " batches of " + dataset.name());
        }
        int to = Math.min(position + batchSize, end);
        int[] idx = Arrays.copyOfRange(order, position, to);
        position = to;
        INDArray features;
        if (reuse && idx.length == batchSize) {
            if (reused == null) {
                reused = Nd4j.create(DataType.FLOAT, batchSize, dataset.featureSize());
            }
            features = dataset.featuresInto(idx, reused);
        } else {
            features = dataset.features(idx);
        }
        return new Batch(features, dataset.batchLabels(idx), idx);
    }

    /**
     * From now on every full batch's features are written into one array, made once, instead of a
     * new one per batch: each {@link #next()} overwrites the features of the batch before it. For
     * a consumer that is done with a batch before it asks for the next one (the trainer, which
     * copies each batch into its planned step); it saves a native allocation per batch, whose
     * fresh pages the kernel had to zero (a third of the cost of making a batch, async-profiler).
     * On a GPU backend it changes nothing.
     *
     * @return this iterator
     */
    public BatchIterator reusingFeatureArray() {
        // The array is written through its host buffer: on the CPU backend only (on CUDA the
        // device copy would not see the write).
        this.reuse = Nd4j.getEnvironment().isCPU();
        return this;
    }

    /** Returns this iterator, so an epoch can be used in a for-each loop (once). */
    @Override
    public Iterator<Batch> iterator() {
        return this;
    }
}
