package org.latentlab.data;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the gzip IDX files of EMNIST splits ({@link Emnist.Split}) into {@code <dataDir>/emnist/}.
 *
 * <p>NIST publishes EMNIST as one zip, {@code gzip.zip} (561,753,746 bytes), whose {@code gzip/} folder holds the
 * {@code emnist-<split>-{train,test}-{images-idx3,labels-idx1}-ubyte.gz} files of all six splits. The zip is
 * downloaded once, to a temp file that is checked against {@link #STANDARD_SHA256} and {@link #STANDARD_MD5} and
 * moved atomically to {@code <dataDir>/emnist/gzip.zip}, where it stays so that fetching another split needs no
 * second download (delete it to free the space; a later fetch downloads it again). Only the files of the requested
 * splits are extracted, each to a temp file moved atomically into place; the zip's CRC-32 checks each entry as it
 * is read, and the SHA-256 of each extracted file is written beside it in {@code <dataset>.sha256}
 * ({@code sha256sum} format), which later fetches check. No per-file checksums are published: the extracted files
 * are pinned by the zip's.
 *
 * <p>Offline, a verified {@code gzip.zip} placed in the folder by hand is used as if downloaded. URLs and checksums
 * are constructor arguments so tests can use a local server and a generated zip.
 */
public final class EmnistFetcher {

    private static final Logger log = LoggerFactory.getLogger(EmnistFetcher.class);

    /** The published zip's file name, as kept in the data folder. */
    public static final String ZIP = "gzip.zip";

    /** The folder inside the zip that holds the gzip IDX files. */
    public static final String ZIP_FOLDER = "gzip/";

    /** Size of the published zip in bytes (TensorFlow Datasets' {@code url_checksums/emnist.txt}). */
    public static final long STANDARD_SIZE = 561_753_746L;

    /** SHA-256 of the published zip, from TensorFlow Datasets' {@code url_checksums/emnist.txt}. */
    public static final String STANDARD_SHA256 = "fb9bb67e33772a9cc0b895e4ecf36d2cf35be8b709693c3564cea2a019fcda8e";

    /** MD5 of the published zip, from torchvision's {@code datasets/mnist.py} ({@code EMNIST.md5}). */
    public static final String STANDARD_MD5 = "58c8d27c78d21e728a6bc7b3cc06412e";

    /** NIST's address for the zip, then the older one that torchvision and TensorFlow Datasets use. */
    public static final List<URI> STANDARD_URLS = List.of(
            URI.create("https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"),
            URI.create("https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/gzip.zip"));

    private final List<URI> urls;
    private final VerifiedDownload.Checksums checksums;
    private final VerifiedDownload download;

    /**
     * @param urls           full URIs of the zip, tried in order
     * @param expectedSha256 hex SHA-256 of the zip
     * @param expectedMd5    hex MD5 of the zip
     */
    public EmnistFetcher(List<URI> urls, String expectedSha256, String expectedMd5) {
        this.urls = List.copyOf(urls);
        this.checksums = new VerifiedDownload.Checksums(
                VerifiedDownload.checkedHex(expectedSha256, 64, "expectedSha256"),
                VerifiedDownload.checkedHex(expectedMd5, 32, "expectedMd5"));
        this.download = new VerifiedDownload(Duration.ofSeconds(10), Duration.ofMinutes(30));
    }

    /** NIST's URLs and the published checksums. */
    public static EmnistFetcher standard() {
        return new EmnistFetcher(STANDARD_URLS, STANDARD_SHA256, STANDARD_MD5);
    }

    /** The file beside a split's files that lists their SHA-256 as extracted. */
    public static String manifestName(Emnist.Split split) {
        return split.datasetName() + ".sha256";
    }

    /**
     * Makes sure the files of every split in {@code splits} are in {@code <dataDir>/emnist/}, extracted from a
     * verified zip; returns that folder.
     *
     * @throws DataException if the zip cannot be had or lacks a file, naming the zip's path and checksums and the
     *     files that are wanted
     */
    public Path fetch(Path dataDir, Collection<Emnist.Split> splits) {
        Path dir = Emnist.emnistDir(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("Cannot create EMNIST folder " + dir + ": " + e);
        }
        Set<Emnist.Split> needed = new LinkedHashSet<>();
        for (Emnist.Split s : splits) {
            if (!isExtractedAndVerified(dir, s)) {
                needed.add(s);
            }
        }
        if (needed.isEmpty()) {
            log.info("EMNIST {} already present and verified in {}", names(splits), dir);
            return dir;
        }
        if (!Files.isWritable(dir)) {
            throw new DataException("EMNIST folder " + dir + " is not writable; choose another data folder ("
                    + Datasets.DATA_DIR_ENV + ") or fix its permissions");
        }
        Path zip = dir.resolve(ZIP);
        if (VerifiedDownload.isPresentAndVerified(zip, checksums)) {
            log.info("Using the verified {} already in {}", ZIP, dir);
        } else if (!downloadZip(zip)) {
            throw new DataException(manualInstructions(dir, needed));
        }
        for (Emnist.Split s : needed) {
            extract(zip, dir, s);
        }
        log.info("EMNIST {} ready in {}", names(needed), dir);
        return dir;
    }

    private boolean downloadZip(Path zip) {
        log.info("Fetching EMNIST's {} ({} bytes when published) into {}", ZIP, STANDARD_SIZE, zip.getParent());
        for (URI url : urls) {
            if (download.fetch(url, zip, checksums) == VerifiedDownload.Outcome.INSTALLED) {
                return true;
            }
        }
        return false;
    }

    /** Extracts the files of {@code split} from the verified {@code zip}, then writes their manifest. */
    private void extract(Path zip, Path dir, Emnist.Split split) {
        Map<String, String> sums = new LinkedHashMap<>();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            for (String f : split.files()) {
                ZipEntry entry = zf.getEntry(ZIP_FOLDER + f);
                if (entry == null || entry.isDirectory()) {
                    throw new DataException("EMNIST archive " + zip + " has no entry " + ZIP_FOLDER + f
                            + " (needed for " + split.datasetName() + ")");
                }
                try (InputStream in = zf.getInputStream(entry)) {
                    sums.put(f, extractEntry(in, dir.resolve(f)));
                }
                log.info("Extracted {} from {}", dir.resolve(f), zip);
            }
        } catch (ZipException e) {
            throw new DataException("EMNIST archive " + zip + " is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException("Cannot extract " + split.datasetName() + " from " + zip + ": " + e, e);
        }
        writeManifest(dir.resolve(manifestName(split)), sums);
    }

    /** Streams a zip entry to a temp file beside {@code target}, moves it there, and returns its SHA-256. */
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

    /** Whether all files of {@code split} are there and match the manifest written when they were extracted. */
    private static boolean isExtractedAndVerified(Path dir, Emnist.Split split) {
        Path manifest = dir.resolve(manifestName(split));
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
            for (String f : split.files()) {
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

    private String manualInstructions(Path dir, Set<Emnist.Split> needed) {
        List<String> files = new ArrayList<>();
        needed.forEach(s -> files.addAll(s.files()));
        return "Could not fetch EMNIST's " + ZIP + " from any URL (" + urls + "; see the warnings above), so EMNIST "
                + names(needed) + " cannot be extracted. There is no offline route. Download it by hand and place it"
                + " at" + System.lineSeparator() + "  " + dir.resolve(ZIP) + "  " + checksums.listed()
                + System.lineSeparator() + "then run this command again to extract " + files + " into "
                + dir + " (or put those files, from the zip's " + ZIP_FOLDER + " folder, there yourself).";
    }

    private static List<String> names(Collection<Emnist.Split> splits) {
        return splits.stream().map(Emnist.Split::datasetName).toList();
    }
}
