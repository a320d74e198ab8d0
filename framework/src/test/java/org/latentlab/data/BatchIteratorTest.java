package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchIteratorTest {

    private static final ImageDataset DATA = ImageDatasetTest.synthetic(23);

    private static List<Batch> epoch(int batchSize, boolean shuffle, long seed, int epoch, boolean dropLast) {
        List<Batch> out = new ArrayList<>();
        new BatchIterator(DATA, batchSize, shuffle, seed, epoch, dropLast).forEach(out::add);
        return out;
    }

    private static int[] order(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
    }

    @Test
    void coversEveryIndexOncePerEpochWithPartialLastBatch() {
        List<Batch> batches = epoch(5, true, 7, 0, false);
        assertEquals(5, batches.size());
        assertEquals(List.of(5, 5, 5, 5, 3), batches.stream().map(Batch::size).toList());
        int[] seen = order(batches).clone();
        Arrays.sort(seen);
        for (int i = 0; i < 23; i++) {
            assertEquals(i, seen[i]);
        }
        assertEquals(5, new BatchIterator(DATA, 5, true, 7, 0, false).numBatches());
    }

    @Test
    void batchContentsMatchIndices() {
        for (Batch b : epoch(4, true, 3, 2, false)) {
            assertEquals(b.size(), b.features().size(0));
            assertEquals(6, b.features().size(1));
            for (int r = 0; r < b.size(); r++) {
                int idx = b.indices()[r];
                assertEquals(DATA.label(idx), b.labels()[r]);
                assertEquals(DATA.pixel(idx, 3), b.features().getFloat(r, 3), 0f);
            }
        }
    }

    @Test
    void reusedFeatureArrayHoldsEachBatchInTurn() {
        BatchIterator plain = new BatchIterator(DATA, 4, true, 3, 2, false);
        BatchIterator reusing = new BatchIterator(DATA, 4, true, 3, 2, false).reusingFeatureArray();
        INDArray first = null;
        while (plain.hasNext()) {
            Batch expected = plain.next();
            Batch actual = reusing.next();
            assertArrayEquals(expected.indices(), actual.indices());
            assertEquals(
                    expected.features(), actual.features(), "features of batch " + Arrays.toString(actual.indices()));
            if (actual.size() == 4) {
                if (first == null) {
                    first = actual.features();
                }
                assertSame(first, actual.features(), "full batches share one array");
            } else {
                assertNotSame(first, actual.features(), "the partial last batch gets its own array");
            }
        }
        assertFalse(reusing.hasNext());
    }

    @Test
    void featuresIntoRejectsAnArrayOfTheWrongShape() {
        var wrong = Nd4j.create(DataType.FLOAT, 3, 5);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DATA.featuresInto(new int[] {0, 1, 2}, wrong));
        assertTrue(e.getMessage().contains("[3, 6]"), e.getMessage());
    }

    @Test
    void orderDependsOnlyOnSeedAndEpoch() {
        int[] a = order(epoch(5, true, 7, 3, false));
        // A resumed run builds epoch 3 directly, without epochs 0..2 before it.
        assertArrayEquals(a, order(epoch(5, true, 7, 3, false)));
        assertArrayEquals(a, BatchIterator.permutation(23, 7, 3));
        assertFalse(Arrays.equals(a, order(epoch(5, true, 7, 4, false))), "another epoch must reorder");
        assertFalse(Arrays.equals(a, order(epoch(5, true, 8, 3, false))), "another seed must reorder");
        // Neighbouring (seed, epoch) pairs must not alias.
        assertFalse(Arrays.equals(BatchIterator.permutation(23, 7, 4), BatchIterator.permutation(23, 8, 3)));
    }

    @Test
    void unshuffledKeepsDatasetOrder() {
        int[] o = order(epoch(10, false, 99, 5, false));
        for (int i = 0; i < 23; i++) {
            assertEquals(i, o[i]);
        }
    }

    @Test
    void dropLastSkipsPartialBatch() {
        List<Batch> batches = epoch(5, true, 7, 0, true);
        assertEquals(4, batches.size());
        assertTrue(batches.stream().allMatch(b -> b.size() == 5));
        assertArrayEquals(Arrays.copyOf(order(epoch(5, true, 7, 0, false)), 20), order(batches));
    }

    @Test
    void rejectsInvalidArguments() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new BatchIterator(DATA, 0, 1, 0));
        assertTrue(e.getMessage().contains("batchSize") && e.getMessage().contains("0"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchIterator(DATA, -3, 1, 0))
                .getMessage()
                .contains("-3"));
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(DATA, 4, 1, -1));
        BatchIterator it = new BatchIterator(DATA, 100, 1, 0);
        it.next();
        assertThrows(NoSuchElementException.class, it::next);
    }
}
