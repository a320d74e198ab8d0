package org.latentlab.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static binarization of MNIST of Larochelle &amp; Murray (2011), dataset {@code binarized-mnist-static}: the
 * three published {@code .amat} files (50,000 training, 10,000 validation and 10,000 test images, each line one
 * 28x28 image as 784 space-separated 0/1 values, no labels) in {@code <dataDir>/binarized-mnist-static/}.
 *
 * <p>Loading ({@link #load}) reads the files strictly ({@link AmatReader}: the exact line counts, 784 values of 0 or 1
 * per line), records the SHA-256 of each as read, and warns if one differs from the published checksum. The images
 * have no labels ({@link ImageDataset#unlabelled}); the validation file is the bundle's published validation part
 * ({@link DataBundle#validation()}), which runs validate on instead of holding out a fraction of the training part.
 *
 * <p>Fetching ({@link #fetch}) downloads the files from Hugo Larochelle's public folder and installs each only if its
 * SHA-256 matches. The checksums are those TensorFlow Datasets publishes for these URLs
 * ({@code tensorflow_datasets/datasets/binarized_mnist/checksums.tsv}, with sizes 78,400,000 and 15,680,000 bytes,
 * i.e. 1,568 bytes per line); they could not be checked against the files from the development machine, which
 * cannot reach the mirror. There is no offline route: without the mirror the error names the files, their checksums
 * and the folder to put them in. Each file is written to a temp file beside its target and moved atomically
 * ({@link VerifiedDownload}).
 *
 * <p>Mirrors, checksums and line counts are constructor arguments so tests can use small fixtures and a local server.
 */
public final class BinarizedMnistStatic {

    private static final Logger log = LoggerFactory.getLogger(BinarizedMnistStatic.class);

    public static final String TRAIN_FILE = "binarized_mnist_train.amat";
    public static final String VALIDATION_FILE = "binarized_mnist_valid.amat";
    public static final String TEST_FILE = "binarized_mnist_test.amat";
    /** The three files: training, validation, test. */
    public static final List<String> FILES = List.of(TRAIN_FILE, VALIDATION_FILE, TEST_FILE);

    /** Image side: 28x28 pixels, 784 values per line. */
    public static final int SIDE = 28;

    /** Images (lines) per published file. */
    public static final Map<String, Integer> STANDARD_LINES =
            Map.of(TRAIN_FILE, 50_000, VALIDATION_FILE, 10_000, TEST_FILE, 10_000);

    /** SHA-256 of the published files, as TensorFlow Datasets lists them for the URLs of {@link #STANDARD_MIRRORS}. */
    public static final Map<String, String> STANDARD_SHA256 = Map.of(
            TRAIN_FILE, "ad693b29f94c14277b095f5238ddefbbdaaae0939789dd2f4f0205278cee3e4d",
            VALIDATION_FILE, "1de3d397c40fe8eeb33dafd4099a1f665ec01e96d9be234aaeeac8a34930e2e2",
            TEST_FILE, "e6687bfea3f820c174f33b7865140b2a2dd2930ef786f35d45795fc193b5ab2c");

    /** Hugo Larochelle's public folder, the files' original home. */
    public static final List<URI> STANDARD_MIRRORS =
            List.of(URI.create("http://www.cs.toronto.edu/~larocheh/public/datasets/binarized_mnist/"));

    /** What a run on this dataset records as its {@code binarization}. */
    public static final String BINARIZATION = "static (Larochelle & Murray 2011): the published 0/1 images of "
            + String.join(", ", FILES) + ", the same for every run; trained on the 50,000 training images, validated"
            + " on the 10,000 published validation images, tested on the 10,000 test images";

    private final List<URI> mirrors;
    private final Map<String, VerifiedDownload.Checksums> checksums;
    private final Map<String, Integer> lines;
    private final VerifiedDownload download = new VerifiedDownload(Duration.ofSeconds(10), Duration.ofMinutes(5));

    /**
     * @param mirrors        base URIs; file {@code f} is fetched from {@code base.resolve(f)}
     * @param expectedSha256 lower-case hex SHA-256 of each file, keyed by the names in {@link #FILES}
     * @param lines          images (lines) each file must hold, keyed likewise
     */
    public BinarizedMnistStatic(List<URI> mirrors, Map<String, String> expectedSha256, Map<String, Integer> lines) {
        this.mirrors = List.copyOf(mirrors);
        if (!expectedSha256.keySet().equals(Set.copyOf(FILES))
                || !lines.keySet().equals(Set.copyOf(FILES))) {
            throw new IllegalArgumentException("checksums and line counts must have exactly the keys " + FILES
                    + " but have " + expectedSha256.keySet() + " and " + lines.keySet());
        }
        this.checksums = VerifiedDownload.checksums(FILES, expectedSha256, null);
        for (String f : FILES) {
            if (lines.get(f) < 1) {
                throw new IllegalArgumentException("lines for " + f + " must be >= 1 but was " + lines.get(f));
            }
        }
        this.lines = Map.copyOf(lines);
    }

    /** The published files: Larochelle's folder, the published checksums and line counts. */
    public static BinarizedMnistStatic standard() {
        return new BinarizedMnistStatic(STANDARD_MIRRORS, STANDARD_SHA256, STANDARD_LINES);
    }

    /** Where the files live under a data folder. */
    public static Path staticDir(Path dataDir) {
        return dataDir.resolve(Datasets.BINARIZED_MNIST_STATIC);
    }

    /**
     * Reads the three files from {@code <dataDir>/binarized-mnist-static/} as dataset {@code name}: unlabelled train
     * and test parts, the published validation part, and {@link #BINARIZATION}.
     *
     * @throws DataException if a file is missing (naming the files, the folder and how to get them) or malformed
     *                       (naming the file, the line and the problem)
     */
    public DataBundle load(Path dataDir, String name) {
        Path dir = staticDir(dataDir).toAbsolutePath();
        List<String> missing =
                FILES.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new DataException("Static binarized MNIST files " + missing + " are missing from " + dir
                    + "; run ./latentlab fetch-data " + Datasets.BINARIZED_MNIST_STATIC + " to download them from "
                    + mirrors + ", or put them there by hand: " + describeFiles(dir, FILES));
        }
        long start = System.nanoTime();
        List<DataFile> read = new ArrayList<>();
        ImageDataset train = part(dir, TRAIN_FILE, name + "-train", read);
        ImageDataset validation = part(dir, VALIDATION_FILE, name + "-validation", read);
        ImageDataset test = part(dir, TEST_FILE, name + "-test", read);
        log.info(
                "Loaded {} from {}: {} train, {} validation, {} test images (no labels) in {} ms",
                name,
                dir,
                train.size(),
                validation.size(),
                test.size(),
                (System.nanoTime() - start) / 1_000_000);
        return new DataBundle(train, test, read).withValidation(validation).withBinarization(BINARIZATION);
    }

    private ImageDataset part(Path dir, String file, String name, List<DataFile> read) {
        AmatReader.Read r = AmatReader.read(dir.resolve(file), lines.get(file), SIDE * SIDE);
        String expected = checksums.get(file).sha256();
        if (!r.file().sha256().equals(expected)) {
            log.warn(
                    "{} has SHA-256 {}, not the published {}: it is well-formed, but not the published file",
                    r.file().file(),
                    r.file().sha256(),
                    expected);
        }
        read.add(r.file());
        return ImageDataset.unlabelled(name, r.pixels(), SIDE, SIDE);
    }

    /**
     * Makes sure all three files are in {@code <dataDir>/binarized-mnist-static/} and match their checksums;
     * returns that folder.
     *
     * @throws DataException if no mirror delivered them, naming the files, their checksums and the folder
     */
    public Path fetch(Path dataDir) {
        Path dir = staticDir(dataDir).toAbsolutePath();
        Set<String> missing =
                download.fetchAll("static binarized MNIST", dir, checksums, mirrors, VerifiedDownload.Served.AS_KEPT);
        if (!missing.isEmpty()) {
            throw new DataException("Could not fetch static binarized MNIST files " + missing + " from " + mirrors
                    + " (see the warnings above); there is no offline route. Download them where the mirror can be"
                    + " reached and put them by hand: " + describeFiles(dir, missing));
        }
        return dir;
    }

    /** Each file's target path, line count and checksum, one per line. */
    private String describeFiles(Path dir, Collection<String> files) {
        return VerifiedDownload.listing(
                dir,
                files,
                f -> "(" + lines.get(f) + " lines of 784 space-separated 0/1 values)  "
                        + checksums.get(f).listed());
    }
}
