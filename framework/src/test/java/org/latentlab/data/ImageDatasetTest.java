package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageDatasetTest {

    @TempDir
    Path dir;

    /** n images of 2x3 whose pixels encode the image index, so rows can be traced. */
    static ImageDataset synthetic(int n) {
        float[] px = new float[n * 6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 6; p++) {
                px[i * 6 + p] = (i % 100) / 100f + p / 1000f;
            }
            labels[i] = i % 10;
        }
        return new ImageDataset("synthetic", px, labels, 2, 3, 10);
    }

    /** Recovers the original index of every image in {@code d} (valid for synthetic(n) with n <= 100). */
    static int[] ids(ImageDataset d) {
        int[] out = new int[d.size()];
        for (int i = 0; i < d.size(); i++) {
            out[i] = Math.round(d.pixel(i, 0) * 100);
        }
        return out;
    }

    @Test
    void featuresAndLabelsForIndices() {
        ImageDataset d = synthetic(20);
        assertEquals(20, d.size());
        assertEquals(6, d.featureSize());
        INDArray all = d.features();
        assertArrayEquals(new long[] {20, 6}, all.shape());
        assertEquals(DataType.FLOAT, all.dataType());
        INDArray f = d.features(new int[] {7, 3});
        assertArrayEquals(new long[] {2, 6}, f.shape());
        assertEquals(0.07f + 0.002f, f.getFloat(0, 2), 1e-6);
        assertEquals(0.03f + 0.005f, f.getFloat(1, 5), 1e-6);
        assertArrayEquals(new int[] {7, 3}, d.labels(new int[] {7, 3}));
        INDArray oh = d.oneHotLabels(new int[] {7, 13});
        assertArrayEquals(new long[] {2, 10}, oh.shape());
        assertEquals(1f, oh.getFloat(0, 7));
        assertEquals(1f, oh.getFloat(1, 3));
        assertEquals(2f, oh.sumNumber().floatValue());
        assertThrows(IndexOutOfBoundsException.class, () -> d.features(new int[] {20}));
    }

    @Test
    void subsetAndHead() {
        ImageDataset d = synthetic(20);
        assertArrayEquals(new int[] {5, 1}, ids(d.subset(new int[] {5, 1})));
        assertArrayEquals(new int[] {0, 1, 2}, ids(d.head(3)));
        assertEquals(20, d.head(50).size());
    }

    @Test
    void splitIsDisjointCoveringAndDeterministic() {
        ImageDataset d = synthetic(100);
        TrainValidationSplit s = d.split(0.2, 42);
        assertEquals(20, s.validation().size());
        assertEquals(80, s.train().size());
        Set<Integer> seen = new HashSet<>();
        for (int i : ids(s.train())) {
            assertTrue(seen.add(i));
        }
        for (int i : ids(s.validation())) {
            assertTrue(seen.add(i), "index " + i + " in both parts");
        }
        assertEquals(100, seen.size());
        // Labels travel with their images.
        for (int i = 0; i < s.validation().size(); i++) {
            assertEquals(ids(s.validation())[i] % 10, s.validation().label(i));
        }
        TrainValidationSplit again = d.split(0.2, 42);
        assertArrayEquals(ids(s.validation()), ids(again.validation()));
        assertArrayEquals(ids(s.train()), ids(again.train()));
        TrainValidationSplit other = d.split(0.2, 43);
        assertFalse(Arrays.equals(ids(s.validation()), ids(other.validation())));
        assertThrows(IllegalArgumentException.class, () -> d.split(1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> d.split(-0.1, 1));
    }

    /** n images of 2x3 (pixels trace the index as in {@link #synthetic}) with the given labels, 10 classes. */
    static ImageDataset labelled(int[] labels) {
        float[] px = new float[labels.length * 6];
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < 6; p++) {
                px[i * 6 + p] = (i % 100) / 100f + p / 1000f;
            }
        }
        return new ImageDataset("labelled", px, labels, 2, 3, 10);
    }

    private static int[] perClass(ImageDataset d) {
        int[] count = new int[d.numClasses()];
        for (int label : d.labels()) {
            count[label]++;
        }
        return count;
    }

    @Test
    void aBalancedSubsetHasTheSizeAndEqualClassesAndIsSeeded() {
        ImageDataset d = synthetic(100); // 10 of each class
        ImageDataset s = d.balancedSubset(30, 7);
        assertEquals(30, s.size());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, perClass(s));
        int[] ids = ids(s);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i] % 10, s.label(i), "labels travel with their images");
            assertTrue(i == 0 || ids[i - 1] < ids[i], "original order, no repeats");
        }
        assertArrayEquals(ids, ids(d.balancedSubset(30, 7)), "same seed, same subset");
        assertFalse(Arrays.equals(ids, ids(d.balancedSubset(30, 8))), "another seed, another subset");
        // the remainder goes one each to the lowest class numbers
        assertArrayEquals(new int[] {4, 4, 3, 3, 3, 3, 3, 3, 3, 3}, perClass(d.balancedSubset(32, 7)));
        assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, perClass(d.balancedSubset(3, 7)));
        assertEquals(0, d.balancedSubset(0, 7).size());
        assertArrayEquals(ids(d), ids(d.balancedSubset(100, 7)), "all of it, in order");
    }

    @Test
    void aSmallerBalancedSubsetIsPartOfALargerOneWithTheSameSeed() {
        ImageDataset d = synthetic(100);
        for (int small = 0; small + 13 <= 100; small += 7) {
            Set<Integer> large = new HashSet<>();
            for (int i : d.balancedIndices(small + 13, 3)) {
                large.add(i);
            }
            for (int i : d.balancedIndices(small, 3)) {
                assertTrue(large.contains(i), small + " examples: " + i + " missing from " + (small + 13));
            }
        }
    }

    @Test
    void aClassWithTooFewExamplesGivesAllItHasAndTheOthersShareTheRest() {
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 2 ? 0 : i < 10 ? 1 : 2; // 2 of class 0, 8 of class 1, 30 of class 2, none of 3..9
        }
        ImageDataset d = labelled(labels);
        assertArrayEquals(new int[] {2, 8, 10, 0, 0, 0, 0, 0, 0, 0}, perClass(d.balancedSubset(20, 1)));
        assertArrayEquals(new int[] {2, 6, 6, 0, 0, 0, 0, 0, 0, 0}, perClass(d.balancedSubset(14, 1)));
        assertArrayEquals(new int[] {2, 5, 4, 0, 0, 0, 0, 0, 0, 0}, perClass(d.balancedSubset(11, 1)));
        assertArrayEquals(new int[] {2, 8, 30, 0, 0, 0, 0, 0, 0, 0}, perClass(d.balancedSubset(40, 1)));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> d.balancedSubset(41, 1));
        assertTrue(tooMany.getMessage().contains("41") && tooMany.getMessage().contains("40"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.balancedSubset(-1, 1));
    }

    @Test
    void rejectsInconsistentData() {
        DataException count =
                assertThrows(DataException.class, () -> new ImageDataset("bad", new float[12], new int[3], 2, 3, 10));
        assertTrue(count.getMessage().contains("bad") && count.getMessage().contains("found 12"), count.getMessage());
        DataException label = assertThrows(
                DataException.class, () -> new ImageDataset("bad", new float[12], new int[] {0, 10}, 2, 3, 10));
        assertTrue(label.getMessage().contains("label 10"), label.getMessage());
        float[] px = new float[6];
        px[4] = 1.5f;
        DataException pixel =
                assertThrows(DataException.class, () -> new ImageDataset("bad", px, new int[] {0}, 2, 3, 10));
        assertTrue(pixel.getMessage().contains("1.5"), pixel.getMessage());
    }

    @Test
    void fromIdxChecksCountsAndNamesBothFiles() {
        Path images = dir.resolve("imgs");
        Path labels = dir.resolve("labs");
        IdxWriter.write(
                images,
                new IdxArray(new int[] {3, 2, 2}, new byte[] {0, (byte) 255, 51, 102, 0, 0, 0, 0, 1, 2, 3, 4}),
                false);
        IdxWriter.write(labels, new IdxArray(new int[] {2}, new byte[] {1, 9}), true);
        DataException e = assertThrows(DataException.class, () -> ImageDataset.fromIdx(images, labels, "tiny"));
        assertTrue(
                e.getMessage().contains(images.toString())
                        && e.getMessage().contains(labels.toString())
                        && e.getMessage().contains("3 images")
                        && e.getMessage().contains("2 labels"),
                e.getMessage());

        IdxWriter.write(labels, new IdxArray(new int[] {3}, new byte[] {1, 9, 0}), true);
        ImageDataset d = ImageDataset.fromIdx(images, labels, "tiny");
        assertEquals(3, d.size());
        assertEquals(2, d.rows());
        assertEquals(1f, d.pixel(0, 1));
        assertEquals(0.2f, d.pixel(0, 2), 1e-6);
        assertArrayEquals(new int[] {1, 9, 0}, d.labels());
        assertTrue(d.heldAsBytes(), "IDX images keep their bytes");
    }

    /**
     * Images read from 8-bit files keep their bytes; every way of reading them gives the floats {@code b / 255f} that
     * the same images held as floats give, bit for bit, also after subsets, splits, heads and binarization.
     */
    @Test
    void imagesHeldAsBytesReadExactlyAsTheSameImagesHeldAsFloats() {
        int n = 37;
        int channels = 1;
        int rows = 4;
        int cols = 5;
        int fs = channels * rows * cols;
        byte[] raw = new byte[n * fs];
        int[] labels = new int[n];
        Random rng = new Random(7);
        rng.nextBytes(raw);
        raw[0] = 0;
        raw[1] = (byte) 255;
        raw[2] = (byte) 128;
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        float[] px = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            px[i] = (raw[i] & 0xFF) / 255f;
        }
        ImageDataset bytes = ImageDataset.ofBytes("b", raw.clone(), labels.clone(), channels, rows, cols, 10);
        ImageDataset floats = new ImageDataset("f", px, labels.clone(), channels, rows, cols, 10);
        assertTrue(bytes.heldAsBytes());
        assertFalse(floats.heldAsBytes());
        assertEquals(0f, bytes.pixel(0, 0));
        assertEquals(1f, bytes.pixel(0, 1));
        assertEquals(128 / 255f, bytes.pixel(0, 2));
        assertSameImages(floats, bytes);

        int[] some = {36, 0, 5, 5, 17};
        assertSameImages(floats.subset(some), bytes.subset(some));
        assertTrue(bytes.subset(some).heldAsBytes(), "a subset keeps the bytes");
        assertSameImages(floats.head(9), bytes.head(9));
        assertTrue(bytes.head(9).heldAsBytes());
        TrainValidationSplit fs1 = floats.split(0.25, 3);
        TrainValidationSplit bs1 = bytes.split(0.25, 3);
        assertSameImages(fs1.train(), bs1.train());
        assertSameImages(fs1.validation(), bs1.validation());
        assertSameImages(floats.balancedSubset(12, 5), bytes.balancedSubset(12, 5));
        assertSameImages(floats.withClasses(Set.of(2, 7)), bytes.withClasses(Set.of(2, 7)));
        assertSameImages(floats.binarized(11), bytes.binarized(11));
        assertSameImages(floats.withDynamicBinarization(), bytes.withDynamicBinarization());
        assertTrue(bytes.withDynamicBinarization().dynamicallyBinarized());

        INDArray into = Nd4j.create(DataType.FLOAT, some.length, fs);
        assertArrayEquals(
                floats.features(some).data().asFloat(),
                bytes.featuresInto(some, into).data().asFloat());
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.subset(new int[] {n}));
        INDArray one = Nd4j.create(DataType.FLOAT, 1, fs);
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.featuresInto(new int[] {-1}, one));
    }

    /** Same shape, labels and every pixel, through every reader. */
    private static void assertSameImages(ImageDataset expected, ImageDataset actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.labels(), actual.labels());
        for (int i = 0; i < expected.size(); i++) {
            for (int p = 0; p < expected.featureSize(); p++) {
                assertEquals(
                        Float.floatToIntBits(expected.pixel(i, p)),
                        Float.floatToIntBits(actual.pixel(i, p)),
                        "image " + i + " pixel " + p);
            }
        }
        assertArrayEquals(
                expected.features().data().asFloat(), actual.features().data().asFloat());
        int[] reversed = new int[expected.size()];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = reversed.length - 1 - i;
        }
        assertArrayEquals(
                expected.features(reversed).data().asFloat(),
                actual.features(reversed).data().asFloat());
        assertArrayEquals(
                expected.batch(reversed).features().data().asFloat(),
                actual.batch(reversed).features().data().asFloat());
    }
}
