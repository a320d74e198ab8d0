package org.latentlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the six files of CIFAR-10's binary version ({@link Cifar10#FILES}) into {@code <dataDir>/cifar10/}.
 *
 * <p>The dataset's author publishes it as one tarball, {@code cifar-10-binary.tar.gz} (170,052,171 bytes), whose
 * {@code cifar-10-batches-bin/} folder holds {@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin} (with {@code batches.meta.txt} and {@code readme.html}, not needed). The tarball is downloaded
 * to a temp file beside its target, checked against {@link #STANDARD_SHA256} and {@link #STANDARD_MD5} and moved
 * atomically to {@code <dataDir>/cifar10/cifar-10-binary.tar.gz} ({@link VerifiedDownload}), where it stays (delete it
 * to free the space). The six files are then extracted, each to a temp file moved atomically into place, and the
 * SHA-256 of each is written to {@code cifar10.sha256} ({@code sha256sum} format), which later fetches check. No
 * per-file checksums are published: the extracted files are pinned by the tarball's.
 *
 * <p>The only route is the author's page; there is no offline route. A verified tarball placed in the folder by hand
 * is used as if downloaded. URLs and checksums are constructor arguments so tests can use a local server and a
 * generated tarball.
 */
public final class Cifar10Fetcher {

    private static final Logger log = LoggerFactory.getLogger(Cifar10Fetcher.class);

    /** The published tarball's file name, as kept in the data folder. */
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";

    /** The folder inside the tarball that holds the six files. */
    public static final String ARCHIVE_FOLDER = "cifar-10-batches-bin/";

    /** The file beside the extracted files that lists their SHA-256. */
    public static final String MANIFEST = "cifar10.sha256";

    /** Size of the published tarball in bytes (TensorFlow Datasets' {@code url_checksums/cifar10.txt}). */
    public static final long STANDARD_SIZE = 170_052_171L;

    /** SHA-256 of the published tarball, from TensorFlow Datasets' {@code url_checksums/cifar10.txt}. */
    public static final String STANDARD_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd";

    /** MD5 of the published tarball, as the CIFAR page (cs.toronto.edu/~kriz/cifar.html) lists it. */
    public static final String STANDARD_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /** The author's address for the tarball. */
    public static final List<URI> STANDARD_URLS =
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"));

    private final List<URI> urls;
    private final VerifiedDownload.Checksums checksums;
    private final VerifiedDownload download;

    /**
     * @param urls           full URIs of the tarball, tried in order
     * @param expectedSha256 hex SHA-256 of the tarball
     * @param expectedMd5    hex MD5 of the tarball
     */
    public Cifar10Fetcher(List<URI> urls, String expectedSha256, String expectedMd5) {
        this.urls = List.copyOf(urls);
        this.checksums = new VerifiedDownload.Checksums(
                VerifiedDownload.checkedHex(expectedSha256, 64, "expectedSha256"),
                VerifiedDownload.checkedHex(expectedMd5, 32, "expectedMd5"));
        this.download = new VerifiedDownload(Duration.ofSeconds(10), Duration.ofMinutes(15));
    }

    /** The author's URL and the published checksums. */
    public static Cifar10Fetcher standard() {
        return new Cifar10Fetcher(STANDARD_URLS, STANDARD_SHA256, STANDARD_MD5);
    }

    /**
     * Makes sure the six files are in {@code <dataDir>/cifar10/}, extracted from a verified tarball; returns that
     * folder.
     *
     * @throws DataException if the tarball cannot be had or lacks a file, naming the tarball's path and checksums and
     *     the files that are wanted
     */
    public Path fetch(Path dataDir) {
        Path dir = Cifar10.cifar10Dir(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("Cannot create CIFAR-10 folder " + dir + ": " + e);
        }
        if (isExtractedAndVerified(dir)) {
            log.info("CIFAR-10 already present and verified in {}", dir);
            return dir;
        }
        if (!Files.isWritable(dir)) {
            throw new DataException("CIFAR-10 folder " + dir + " is not writable; choose another data folder ("
                    + Datasets.DATA_DIR_ENV + ") or fix its permissions");
        }
        Path archive = dir.resolve(ARCHIVE);
        if (VerifiedDownload.isPresentAndVerified(archive, checksums)) {
            log.info("Using the verified {} already in {}", ARCHIVE, dir);
        } else if (!downloadArchive(archive)) {
            throw new DataException(manualInstructions(dir));
        }
        extract(archive, dir);
        log.info("CIFAR-10 ready in {}", dir);
        return dir;
    }

    private boolean downloadArchive(Path archive) {
        log.info(
                "Fetching CIFAR-10's {} ({} bytes when published) into {}",
                ARCHIVE,
                STANDARD_SIZE,
                archive.getParent());
        for (URI url : urls) {
            if (download.fetch(url, archive, checksums) == VerifiedDownload.Outcome.INSTALLED) {
                return true;
            }
        }
        return false;
    }

    /** Extracts the six files from the verified {@code archive}, then writes their manifest. */
    static void extract(Path archive, Path dir) {
        Map<String, String> sums = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                if (!e.isFile() || !name.startsWith(ARCHIVE_FOLDER)) {
                    continue;
                }
                String file = name.substring(ARCHIVE_FOLDER.length());
                if (Cifar10.FILES.contains(file) && !sums.containsKey(file)) {
                    sums.put(file, extractEntry(tar.content(), dir.resolve(file)));
                    log.info("Extracted {} from {}", dir.resolve(file), archive);
                }
            }
        } catch (ZipException e) {
            throw new DataException("CIFAR-10 archive " + archive + " is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException("Cannot extract CIFAR-10 from " + archive + ": " + e.getMessage(), e);
        }
        List<String> absent =
                Cifar10.FILES.stream().filter(f -> !sums.containsKey(f)).toList();
        if (!absent.isEmpty()) {
            throw new DataException("CIFAR-10 archive " + archive + " has no entries " + absent + " under "
                    + ARCHIVE_FOLDER + " (expected " + Cifar10.FILES + ")");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        Cifar10.FILES.forEach(f -> ordered.put(f, sums.get(f)));
        writeManifest(dir.resolve(MANIFEST), ordered);
    }

    /** Streams a tar entry to a temp file beside {@code target}, moves it there, and returns its SHA-256. */
    private static String extractEntry(InputStream in, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            MessageDigest sha = VerifiedDownload.digest("SHA-256");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new DigestInputStream(in, sha).transferTo(out);
            }
            IdxWriter.makeWorldReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return HexFormat.of().formatHex(sha.digest());
        } finally {
            IdxWriter.deleteQuietly(tmp);
        }
    }

    private static void writeManifest(Path manifest, Map<String, String> sums) {
        StringBuilder sb = new StringBuilder();
        sums.forEach((f, h) -> sb.append(h).append("  ").append(f).append('\n'));
        Path tmp = null;
        try {
            tmp = Files.createTempFile(manifest.getParent(), "." + manifest.getFileName(), ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            IdxWriter.makeWorldReadable(tmp);
            Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DataException("Cannot write " + manifest + ": " + e, e);
        } finally {
            IdxWriter.deleteQuietly(tmp);
        }
    }

    /** Whether all six files are there and match the manifest written when they were extracted. */
    private static boolean isExtractedAndVerified(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            Map<String, String> listed = new LinkedHashMap<>();
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split("\\s+", 2);
                if (parts.length == 2) {
                    listed.put(parts[1], parts[0]);
                }
            }
            for (String f : Cifar10.FILES) {
                Path file = dir.resolve(f);
                if (!listed.containsKey(f) || !Files.isRegularFile(file)) {
                    return false;
                }
                String actual;
                try (InputStream in = Files.newInputStream(file)) {
                    actual = VerifiedDownload.sha256(in);
                }
                if (!actual.equals(listed.get(f))) {
                    log.warn(
                            "{} has SHA-256 {} but {} says {}; it will be extracted again",
                            file,
                            actual,
                            manifest,
                            listed.get(f));
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            log.warn("Cannot check {}: {}; the files will be extracted again", manifest, e.toString());
            return false;
        }
    }

    private String manualInstructions(Path dir) {
        return "Could not fetch CIFAR-10's " + ARCHIVE + " from any URL (" + urls + "; see the warnings above), so"
                + " CIFAR-10 cannot be extracted. There is no offline route. Download it by hand and place it at"
                + System.lineSeparator() + "  " + dir.resolve(ARCHIVE) + "  sha256=" + checksums.sha256() + "  md5="
                + checksums.md5() + System.lineSeparator() + "then run this command again to extract " + Cifar10.FILES
                + " into " + dir + " (or put those files, from the archive's " + ARCHIVE_FOLDER
                + " folder, there yourself).";
    }
}
