package org.latentlab.data;

import java.util.List;
import java.util.Random;

/**
 * The seeded train/test split of a user dataset that comes as one set of labelled images ({@code folder:} without
 * {@code train/} and {@code test/} folders, {@code csv:} with one file): stratified, so each class gives
 * {@code round(n_c * fraction)} of its {@code n_c} images to the test part. One {@link Random} seeded with the seed
 * shuffles the images of each class in turn (classes in label order, Fisher-Yates as in
 * {@link ImageDataset#shuffledRange}); the first ones of each shuffle go to the test part. Both parts keep the
 * images in their original order. The split depends only on the images' labels, the fraction and the seed, never on
 * a run's seed, so every run and sweep trial on the dataset sees the same test set.
 */
final class SeededTestSplit {

    /** Share of the images held out as the test part when the dataset name does not say ({@code test=}). */
    static final double DEFAULT_TEST_FRACTION = 0.2;

    /** Seed of the split when the dataset name does not say ({@code seed=}). */
    static final long DEFAULT_SEED = 0;

    private SeededTestSplit() {}

    /** Which images go to the test part. */
    static boolean[] testMask(int[] labels, int numClasses, double fraction, long seed) {
        int[] count = new int[numClasses];
        for (int label : labels) {
            count[label]++;
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[count[c]];
        }
        int[] filled = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        boolean[] test = new boolean[labels.length];
        Random rng = new Random(seed);
        for (int c = 0; c < numClasses; c++) {
            int[] order = ImageDataset.shuffledRange(count[c], rng);
            int nTest = (int) Math.round(count[c] * fraction);
            for (int k = 0; k < nTest; k++) {
                test[byClass[c][order[k]]] = true;
            }
        }
        return test;
    }

    /**
     * The bundle of {@code images} ({@code channels * height * width} values per image, image after image) split by
     * {@code fraction} and {@code seed}; both parts must come out non-empty.
     */
    static DataBundle split(
            String name,
            float[] pixels,
            int[] labels,
            int channels,
            int height,
            int width,
            int numClasses,
            double fraction,
            long seed,
            List<DataFile> files) {
        boolean[] test = testMask(labels, numClasses, fraction, seed);
        int nTest = 0;
        for (boolean t : test) {
            nTest += t ? 1 : 0;
        }
        if (nTest == 0 || nTest == labels.length) {
            throw new DataException("Dataset " + name + ": a test share of " + fraction + " of its " + labels.length
                    + " images leaves " + (labels.length - nTest) + " to train on and " + nTest
                    + " to test on; each needs at least 1 (add images or change test=)");
        }
        int fs = channels * height * width;
        float[][] px = {new float[(labels.length - nTest) * fs], new float[nTest * fs]};
        int[][] lab = {new int[labels.length - nTest], new int[nTest]};
        int[] next = new int[2];
        for (int i = 0; i < labels.length; i++) {
            int part = test[i] ? 1 : 0;
            System.arraycopy(pixels, i * fs, px[part], next[part] * fs, fs);
            lab[part][next[part]++] = labels[i];
        }
        return new DataBundle(
                new ImageDataset(name + "-train", px[0], lab[0], channels, height, width, numClasses),
                new ImageDataset(name + "-test", px[1], lab[1], channels, height, width, numClasses),
                files);
    }
}
