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
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one published file over HTTP into place, only if its SHA-256 and MD5 both match: the body is streamed to
 * a temp file beside the target and moved atomically, so an interrupted or corrupt download never leaves a file that
 * looks complete. Used by the fetchers of datasets that are only on public mirrors ({@link KmnistFetcher},
 * {@link EmnistFetcher}).
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
     * GETs {@code uri} and moves the body to {@code target} if its checksums are {@code sha256} and {@code md5}
     * (lower-case hex); each failure is logged as a warning that names the file and, for a mismatch, both the
     * expected and the actual checksums.
     */
    Outcome fetch(URI uri, Path target, String sha256, String md5) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    log.warn("GET {} returned HTTP {}", uri, response.statusCode());
                    return Outcome.FAILED;
                }
                return install(body, target, sha256, md5, uri.toString()) ? Outcome.INSTALLED : Outcome.FAILED;
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

    /** Streams {@code content} to a temp file beside {@code target} and moves it there if both checksums match. */
    static boolean install(InputStream content, Path target, String sha256, String md5, String source)
            throws IOException {
        String name = target.getFileName().toString();
        Path tmp = Files.createTempFile(target.getParent(), "." + name, ".part");
        try {
            MessageDigest sha = digest("SHA-256");
            MessageDigest md = digest("MD5");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new DigestInputStream(new DigestInputStream(content, sha), md).transferTo(out);
            }
            String actualSha = HexFormat.of().formatHex(sha.digest());
            String actualMd5 = HexFormat.of().formatHex(md.digest());
            if (!actualSha.equals(sha256) || !actualMd5.equals(md5)) {
                log.warn(
                        "Checksum mismatch for {} from {}: expected SHA-256 {} / MD5 {} but got {} / {}",
                        name,
                        source,
                        sha256,
                        md5,
                        actualSha,
                        actualMd5);
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
     * Whether {@code file} exists and has SHA-256 {@code sha256} and MD5 {@code md5}; a file that exists with other
     * checksums is reported as about to be replaced.
     */
    static boolean isPresentAndVerified(Path file, String sha256, String md5) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        MessageDigest sha = digest("SHA-256");
        MessageDigest md = digest("MD5");
        try (InputStream in = new DigestInputStream(new DigestInputStream(Files.newInputStream(file), sha), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            log.warn("Cannot read existing {}: {}; it will be replaced", file, e.toString());
            return false;
        }
        String actualSha = HexFormat.of().formatHex(sha.digest());
        String actualMd5 = HexFormat.of().formatHex(md.digest());
        if (actualSha.equals(sha256) && actualMd5.equals(md5)) {
            return true;
        }
        log.warn(
                "Existing {} has SHA-256 {} / MD5 {} but expected {} / {}; it will be replaced",
                file,
                actualSha,
                actualMd5,
                sha256,
                md5);
        return false;
    }

    /** {@code hex} in lower case, checked to be {@code digits} hex digits; {@code what} names it in the error. */
    static String checkedHex(String hex, int digits, String what) {
        String h = hex == null ? "" : hex.toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{" + digits + "}")) {
            throw new IllegalArgumentException(what + " must be " + digits + " hex digits but was " + hex);
        }
        return h;
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }
}
