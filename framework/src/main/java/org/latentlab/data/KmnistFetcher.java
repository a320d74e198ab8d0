package org.latentlab.data;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the four Kuzushiji-MNIST files (KMNIST, Clanuwat et al. 2018: 60,000 train / 10,000 test 28x28 grey images
 * of 10 cursive hiragana, in MNIST's IDX format), verified, into {@code <dataDir>/kmnist/}.
 *
 * <p>The files are kept gzip-compressed as published ({@link IdxReader} reads them so), since the published checksums
 * are of the {@code .gz} files. The only route is the public mirror the KMNIST README on GitHub (rois-codh/kmnist)
 * gives, {@code http://codh.rois.ac.jp/kmnist/dataset/kmnist/}; there is no offline route. Each file must match both
 * {@link #STANDARD_SHA256} and {@link #STANDARD_MD5}, and is written to a temp file beside its target and moved
 * atomically ({@link VerifiedDownload}).
 *
 * <p>Labels are 0..9 as published, in the order of {@link #CLASS_NAMES}. Mirrors and checksums are constructor
 * arguments so tests can use a local server.
 */
public final class KmnistFetcher {

    /** The four files, gzip-compressed as published, in the order they are reported. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz");

    /** The hiragana of labels 0..9, romanised (as in the KMNIST README and torchvision's {@code KMNIST.classes}). */
    public static final List<String> CLASS_NAMES = List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo");

    /**
     * SHA-256 of the published {@code .gz} files, from TensorFlow Datasets' {@code url_checksums/kmnist.txt}
     * (github.com/tensorflow/datasets), which also gives their sizes: 18,165,135, 29,497, 3,041,136 and 5,120 bytes.
     */
    public static final Map<String, String> STANDARD_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
            "train-labels-idx1-ubyte.gz", "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
            "t10k-images-idx3-ubyte.gz", "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
            "t10k-labels-idx1-ubyte.gz", "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c");

    /** MD5 of the published {@code .gz} files, from torchvision's {@code datasets/mnist.py} ({@code KMNIST.resources}). */
    public static final Map<String, String> STANDARD_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7",
            "train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344",
            "t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7",
            "t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134");

    /** The ROIS-DS Center for Open Data in the Humanities, as the KMNIST README on GitHub gives it. */
    public static final List<URI> STANDARD_MIRRORS =
            List.of(URI.create("http://codh.rois.ac.jp/kmnist/dataset/kmnist/"));

    private final List<URI> mirrors;
    private final Map<String, VerifiedDownload.Checksums> checksums;
    private final VerifiedDownload download;

    /**
     * @param mirrors        base URIs; file {@code f} is fetched from {@code base.resolve(f)}
     * @param expectedSha256 hex SHA-256 of each {@code .gz} file, keyed by the names in {@link #FILES}
     * @param expectedMd5    hex MD5 of each {@code .gz} file, keyed likewise
     */
    public KmnistFetcher(List<URI> mirrors, Map<String, String> expectedSha256, Map<String, String> expectedMd5) {
        this.mirrors = List.copyOf(mirrors);
        this.checksums = VerifiedDownload.checksums(FILES, expectedSha256, expectedMd5);
        this.download = new VerifiedDownload(Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** The published mirror and checksums. */
    public static KmnistFetcher standard() {
        return new KmnistFetcher(STANDARD_MIRRORS, STANDARD_SHA256, STANDARD_MD5);
    }

    /** Where KMNIST lives under a data folder. */
    public static Path kmnistDir(Path dataDir) {
        return dataDir.resolve("kmnist");
    }

    /**
     * Makes sure all four files are in {@code <dataDir>/kmnist/} and verified; returns that folder.
     *
     * @throws DataException if no mirror delivered them, naming the files, the folder and their checksums
     */
    public Path fetch(Path dataDir) {
        Path dir = kmnistDir(dataDir).toAbsolutePath();
        Set<String> missing = download.fetchAll("KMNIST", dir, checksums, mirrors, VerifiedDownload.Served.AS_KEPT);
        if (!missing.isEmpty()) {
            throw new DataException("Could not fetch KMNIST files " + missing + " from any mirror (" + mirrors
                    + "; see the warnings above). There is no offline route. Place the files by hand,"
                    + " gzip-compressed as published, with these checksums:"
                    + VerifiedDownload.listing(dir, missing, checksums));
        }
        return dir;
    }
}
