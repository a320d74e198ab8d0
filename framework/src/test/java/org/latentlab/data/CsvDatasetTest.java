package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {

    @TempDir
    Path tmp;

    /** {@code rows} lines, each from {@code row(i)}, under {@code header} (null: none). */
    private Path csv(String name, String header, int rows, IntFunction<String> row) throws IOException {
        List<String> lines = new ArrayList<>();
        if (header != null) {
            lines.add(header);
        }
        for (int i = 0; i < rows; i++) {
            lines.add(row.apply(i));
        }
        return Files.write(tmp.resolve(name), lines);
    }

    /** A 2x2 image row: label, then pixel values 10*i + p (0..255 scale). */
    private static String row(int i, int label) {
        return label + "," + (10 * i) + "," + (10 * i + 1) + "," + (10 * i + 2) + "," + (10 * i + 3);
    }

    @Test
    void headerLabelColumnAndByteValuesAsTheIdxFilesHaveThem() throws IOException {
        Path file = csv("d.csv", "label,p0,p1,p2,p3", 10, i -> row(i, i % 3));
        DataBundle data = CsvDataset.load("csv:" + file + "?test=0.3");
        assertEquals(3, data.train().numClasses());
        assertEquals(2, data.train().rows());
        assertEquals(2, data.train().cols());
        assertEquals(10, data.train().size() + data.test().size());
        assertEquals(3, data.test().size()); // round(4*0.3) + round(3*0.3) + round(3*0.3) = 1 + 1 + 1
        for (ImageDataset part : List.of(data.train(), data.test())) {
            for (int k = 0; k < part.size(); k++) {
                int i = Math.round(part.pixel(k, 0) * 255) / 10;
                assertEquals(i % 3, part.label(k));
                for (int p = 0; p < 4; p++) {
                    assertEquals((10 * i + p) / 255f, part.pixel(k, p));
                }
            }
        }
        assertEquals(1, data.files().size());
        DataFile record = data.files().get(0);
        assertEquals(file.toAbsolutePath().toString(), record.file());
        assertEquals(Files.size(file), record.bytes());
        assertEquals(HexFormat.of().formatHex(sha256(Files.readAllBytes(file))), record.sha256());
        DataBundle again = CsvDataset.load("csv:" + file + "?test=0.3");
        assertArrayEquals(data.test().labels(), again.test().labels());
        assertEquals(data.test().pixel(2, 3), again.test().pixel(2, 3));
        assertNotEquals(
                firstPixels(data.test()),
                firstPixels(CsvDataset.load("csv:" + file + "?test=0.3&seed=5").test()));
    }

    private static List<Float> firstPixels(ImageDataset d) {
        List<Float> out = new ArrayList<>();
        for (int k = 0; k < d.size(); k++) {
            out.add(d.pixel(k, 0));
        }
        return out;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoFilesAreTrainAndTestAndAShippedMnistSampleReadsTheSameAsItsIdxFiles() throws IOException {
        DataBundle mnist = Datasets.load(Datasets.MNIST_SAMPLE);
        Path train = mnistCsv(mnist.train(), 30, "train.csv");
        Path test = mnistCsv(mnist.test(), 12, "test.csv");
        DataBundle data = CsvDataset.load("csv:" + train + "," + test);
        assertEquals(30, data.train().size());
        assertEquals(12, data.test().size());
        assertEquals(28, data.train().rows());
        assertEquals(2, data.files().size());
        for (ImageDataset[] pair : List.of(
                new ImageDataset[] {mnist.train(), data.train()}, new ImageDataset[] {mnist.test(), data.test()})) {
            for (int k = 0; k < pair[1].size(); k++) {
                assertEquals(pair[0].label(k), pair[1].label(k));
                for (int p = 0; p < 784; p++) {
                    assertEquals(pair[0].pixel(k, p), pair[1].pixel(k, p), "image " + k + " pixel " + p);
                }
            }
        }
        assertEquals(10, data.train().numClasses()); // the largest label + 1 (MNIST's first 30 have all ten)
    }

    /** The first {@code n} images of {@code d} as a Kaggle-style CSV: label, then 784 bytes. */
    private Path mnistCsv(ImageDataset d, int n, String name) throws IOException {
        StringBuilder header = new StringBuilder("label");
        for (int p = 0; p < 784; p++) {
            header.append(",pixel").append(p);
        }
        return csv(name, header.toString(), n, k -> {
            StringBuilder b = new StringBuilder().append(d.label(k));
            for (int p = 0; p < 784; p++) {
                b.append(',').append(Math.round(d.pixel(k, p) * 255));
            }
            return b.toString();
        });
    }

    @Test
    void unitValuesNamedLabelsAndLabelColumnsElsewhere() throws IOException {
        // values in [0, 1], detected; the label last; string labels become sorted classes
        Path file = csv(
                "u.csv",
                "a,b,c,d,y",
                6,
                i -> String.format(Locale.ROOT, "%.2f,0.5,1,0,%s", i / 10.0, i % 2 == 0 ? "\"dog\"" : "cat"));
        DataBundle data = CsvDataset.load("csv:" + file + "?label=Y&test=0.34");
        assertEquals(2, data.train().numClasses());
        ImageDataset all = data.train();
        for (int k = 0; k < all.size(); k++) {
            int i = Math.round(all.pixel(k, 0) * 10);
            assertEquals(i % 2 == 0 ? 1 : 0, all.label(k), "cat is class 0, dog class 1");
            assertEquals(0.5f, all.pixel(k, 1));
            assertEquals(1f, all.pixel(k, 2));
        }
        // range=255 says the values are bytes even when all are at most 1
        DataBundle bytes = CsvDataset.load("csv:" + file + "?label=4&test=0.34&range=255");
        assertEquals(1 / 255f, bytes.train().pixel(0, 2));

        // no header: the label is column 0 unless label=INDEX says otherwise; size gives a non-square shape
        Path plain = csv("plain.csv", null, 8, i -> "1,2,3,4,5,6," + (i % 4));
        DataBundle wide = CsvDataset.load("csv:" + plain + "?label=6&size=2x3&test=0.5");
        assertEquals(2, wide.train().rows());
        assertEquals(3, wide.train().cols());
        assertEquals(4, wide.train().numClasses());
        assertEquals(5 / 255f, wide.train().pixel(0, 4));
        DataBundle first = CsvDataset.load("csv:" + plain + "?size=2x3&header=no&test=0.5");
        assertEquals(2, first.train().numClasses()); // label 1 everywhere: classes 0..1
    }

    @Test
    void badRowsNameTheFileLineAndColumn() throws IOException {
        Path ragged = csv("ragged.csv", "label,a,b,c,d", 3, i -> i == 2 ? "1,2,3" : row(i, 0));
        assertError("csv:" + ragged, ragged.toAbsolutePath() + " line 4: 3 values, but line 1 has 5");
        Path word = csv("word.csv", "label,a,b,c,d", 3, i -> i == 1 ? "0,1,2,x3,4" : row(i, 0));
        assertError("csv:" + word, word.toAbsolutePath() + " line 3, column 4 (c): 'x3' is not a number");
        Path big = csv("big.csv", null, 3, i -> i == 2 ? "0,1,2,3,256" : row(i, 0));
        assertError("csv:" + big, big.toAbsolutePath() + " line 3, column 5: pixel value 256 is outside [0, 255]");
        assertError("csv:" + csv("unit.csv", null, 2, i -> "0,0,0,0,2") + "?range=1", "outside [0, 1] (range=1)");
        Path headerOnly = csv("empty.csv", "label,a,b,c,d", 0, i -> "");
        assertError("csv:" + headerOnly, headerOnly.toAbsolutePath() + " has no data rows");
        Path odd = csv("odd.csv", null, 2, i -> "0,1,2,3");
        assertError("csv:" + odd, "3 pixel values, not a square number", "size=HxW");
        assertError("csv:" + odd + "?size=2x2", "size=2x2 needs 4 pixel columns", "have 3");
        Path noLabel = csv("nolabel.csv", "y,a,b,c,d", 2, i -> row(i, 0));
        assertError("csv:" + noLabel, "no column named 'label'", "label=y");
        assertError("csv:" + tmp.resolve("missing.csv"), "missing.csv does not exist");
        assertError("csv:a.csv,b.csv,c.csv", "give one CSV file", "got 3");
        assertError("csv:" + odd + "," + odd + "?test=0.5", "drop the test= and seed= options");
        assertError("csv:" + odd + "?range=100", "range=100 must be auto, 255");
        assertError("csv:" + odd + "?channels=2", "channels=2 must be 1 (grey) or 3 (RGB)");
        Path four = csv("four.csv", null, 2, i -> row(i, 0));
        Path five = csv("five.csv", null, 2, i -> "0,1,2,3,4,5");
        assertError("csv:" + four + "," + five, "has 4 pixel columns", "has 5");
    }

    private static void assertError(String name, String... parts) {
        DataException e = assertThrows(DataException.class, () -> CsvDataset.load(name), name);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
