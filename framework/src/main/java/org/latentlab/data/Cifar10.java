package org.latentlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 60,000 32x32 colour images in
 * 10 classes, 50,000 train / 10,000 test, read from the six files of its published binary version that
 * {@link Cifar10Fetcher} extracts into {@code <dataDir>/cifar10/}: {@code data_batch_1.bin} .. {@code data_batch_5.bin}
 * (the training part, in that order) and {@code test_batch.bin}.
 *
 * <p>Each file is a sequence of 3,073-byte records: one label byte (0..9, in the order of {@link #CLASS_NAMES}), then
 * the 1,024 red values of the image, the 1,024 green and the 1,024 blue, each plane row-major. That is the CHW order
 * {@link ImageDataset} keeps, so a record's bytes become its pixels as they are ({@code v / 255f}): a dataset of
 * 3 x 32 x 32 images. A file whose length is not a whole number of records (truncated), or a label above 9, is an
 * error that names the file. The SHA-256 of every file read is recorded with the data; the files themselves are
 * pinned by the checksums of the tarball they came from.
 */
public final class Cifar10 {

    private static final Logger log = LoggerFactory.getLogger(Cifar10.class);

    /** Image side. */
    public static final int SIDE = 32;
    /** Colour channels: red, green, blue. */
    public static final int CHANNELS = 3;
    /** Bytes per record: the label, then 3 * 32 * 32 pixel values. */
    public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;

    /** The five training files, in the order their images are concatenated. */
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";

    /** All six files, training files first. */
    public static final List<String> FILES = List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin",
            TEST_FILE);

    /** The classes of labels 0..9, as in the archive's {@code batches.meta.txt}. */
    public static final List<String> CLASS_NAMES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10() {}

    /** Where the extracted CIFAR-10 files (and the downloaded tarball) live under a data folder. */
    public static Path cifar10Dir(Path dataDir) {
        return dataDir.resolve(Datasets.CIFAR10);
    }

    /**
     * Reads CIFAR-10 from {@code <dataDir>/cifar10/}.
     *
     * @throws DataException if a file is missing (naming the files, the folder and the {@code fetch-data} command),
     *     truncated or holds a label outside 0..9
     */
    public static DataBundle load(Path dataDir) {
        Path dir = cifar10Dir(dataDir).toAbsolutePath();
        List<String> missing =
                FILES.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new DataException("CIFAR-10 files " + missing + " are missing from " + dir
                    + "; run ./latentlab fetch-data " + Datasets.CIFAR10 + " to download "
                    + Cifar10Fetcher.ARCHIVE + " and extract them, or place that file (or the six files from its "
                    + Cifar10Fetcher.ARCHIVE_FOLDER + " folder) in " + dir + " (expected " + FILES + ")");
        }
        long start = System.nanoTime();
        List<DataFile> read = new ArrayList<>();
        List<byte[]> train = new ArrayList<>();
        List<String> trainSources = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            train.add(readFile(dir.resolve(f), read));
            trainSources.add(dir.resolve(f).toString());
        }
        byte[] test = readFile(dir.resolve(TEST_FILE), read);
        DataBundle bundle = new DataBundle(
                fromRecords(train, trainSources, Datasets.CIFAR10 + "-train"),
                fromRecords(List.of(test), List.of(dir.resolve(TEST_FILE).toString()), Datasets.CIFAR10 + "-test"),
                read);
        log.info(
                "Loaded {} from {}: {} train, {} test images of 3x32x32 (RGB) in {} ms",
                Datasets.CIFAR10,
                dir,
                bundle.train().size(),
                bundle.test().size(),
                (System.nanoTime() - start) / 1_000_000);
        return bundle;
    }

    /** Reads a whole file and records its size and SHA-256. */
    private static byte[] readFile(Path file, List<DataFile> read) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("Cannot read CIFAR-10 file " + file + ": " + e, e);
        }
        read.add(new DataFile(file.toString(), bytes.length, FolderDataset.sha256Hex(bytes)));
        return bytes;
    }

    /**
     * The images of the records in {@code files} (each the bytes of one CIFAR-10 binary file, {@code sources} naming
     * them in errors), file after file, as a 10-class dataset of 3 x 32 x 32 images.
     *
     * @throws DataException if a file is not a whole number of records or holds a label outside 0..9
     */
    static ImageDataset fromRecords(List<byte[]> files, List<String> sources, String name) {
        int n = 0;
        for (int k = 0; k < files.size(); k++) {
            byte[] b = files.get(k);
            if (b.length % RECORD_BYTES != 0) {
                throw new DataException("CIFAR-10 file " + sources.get(k) + " has " + b.length + " bytes, not a whole"
                        + " number of " + RECORD_BYTES + "-byte records (1 label byte + 3,072 pixel bytes): it is"
                        + " truncated or not a CIFAR-10 binary file; fetch it again");
            }
            n = Math.addExact(n, b.length / RECORD_BYTES);
        }
        int fs = RECORD_BYTES - 1;
        float[] pixels = new float[Math.multiplyExact(n, fs)];
        int[] labels = new int[n];
        int i = 0;
        for (int k = 0; k < files.size(); k++) {
            byte[] b = files.get(k);
            for (int r = 0; r < b.length / RECORD_BYTES; r++, i++) {
                int at = r * RECORD_BYTES;
                labels[i] = b[at] & 0xFF;
                if (labels[i] > 9) {
                    throw new DataException("CIFAR-10 file " + sources.get(k) + ": record " + r + " has label "
                            + labels[i] + ", outside 0..9");
                }
                for (int p = 0; p < fs; p++) {
                    pixels[i * fs + p] = (b[at + 1 + p] & 0xFF) / 255f;
                }
            }
        }
        return new ImageDataset(name, pixels, labels, CHANNELS, SIDE, SIDE, CLASS_NAMES.size());
    }
}
