package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
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

/** The KMNIST route: gzip IDX fixtures served by a local HTTP server, no network. */
class KmnistFetcherTest {

    @TempDir
    Path dataDir;

    private HttpServer server;
    private final Map<String, byte[]> gz = new HashMap<>();
    private final Map<String, String> sha = new HashMap<>();
    private final Map<String, String> md5 = new HashMap<>();
    private final AtomicInteger goodHits = new AtomicInteger();
    private final AtomicInteger badHits = new AtomicInteger();
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp() throws Exception {
        int k = 0;
        for (String f : KmnistFetcher.FILES) {
            boolean images = f.contains("images");
            int n = f.startsWith("train") ? 10 : 3;
            byte[] data = new byte[images ? n * 5 * 5 : n];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (images ? i * 7 + 13 * k : 9 - i % 10);
            }
            int[] shape = images ? new int[] {n, 5, 5} : new int[] {n};
            byte[] bytes = IdxReaderTest.gzip(IdxReaderTest.idxBytes(new IdxArray(shape, data)));
            gz.put(f, bytes);
            sha.put(f, hex("SHA-256", bytes));
            md5.put(f, hex("MD5", bytes));
            k++;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good/", ex -> serve(ex, goodHits, false));
        server.createContext("/bad/", ex -> serve(ex, badHits, true));
        server.start();
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(VerifiedDownload.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        ((Logger) LoggerFactory.getLogger(VerifiedDownload.class)).detachAppender(logs);
    }

    static String hex(String algorithm, byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    private void serve(HttpExchange ex, AtomicInteger hits, boolean corrupt) throws IOException {
        hits.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        byte[] body = gz.get(path.substring(path.lastIndexOf('/') + 1));
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        if (corrupt) {
            body = body.clone();
            body[body.length / 2] ^= 0x55;
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private URI mirror(String context) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + context + "/");
    }

    private void assertAllInstalled() throws IOException {
        Path dir = KmnistFetcher.kmnistDir(dataDir);
        for (String f : KmnistFetcher.FILES) {
            assertArrayEquals(gz.get(f), Files.readAllBytes(dir.resolve(f)), f + " must be kept as published");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(4, s.count(), "no temp files may be left behind");
        }
    }

    @Test
    void fetchesTheGzipFilesAndLoadsThemAsKmnist() throws IOException {
        KmnistFetcher fetcher = new KmnistFetcher(List.of(mirror("good")), sha, md5);
        Path dir = fetcher.fetch(dataDir);
        assertEquals(KmnistFetcher.kmnistDir(dataDir).toAbsolutePath(), dir);
        assertAllInstalled();
        assertEquals(4, goodHits.get());

        fetcher.fetch(dataDir);
        assertEquals(4, goodHits.get(), "verified files must not be downloaded again");

        DataBundle data = Datasets.load("kmnist", dataDir);
        assertEquals("kmnist-train", data.train().name());
        assertEquals("kmnist-test", data.test().name());
        assertEquals(10, data.train().size());
        assertEquals(3, data.test().size());
        assertEquals(5, data.train().rows());
        assertEquals(10, data.train().numClasses());
        assertEquals(
                List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                Arrays.stream(data.train().labels()).boxed().toList());
        assertEquals(7 / 255f, data.train().pixel(0, 1), "KMNIST is stored like MNIST: not transposed");
        assertEquals(4, data.files().size());
        assertTrue(
                data.files().stream().anyMatch(f -> f.sha256().equals(sha.get("train-images-idx3-ubyte.gz"))),
                "the recorded checksum is that of the .gz file on disk: " + data.files());
    }

    @Test
    void checksumMismatchFallsThroughToNextMirrorAndNamesTheFile() throws IOException {
        new KmnistFetcher(List.of(mirror("bad"), mirror("good")), sha, md5).fetch(dataDir);
        assertAllInstalled();
        assertEquals(4, badHits.get());
        String f = "t10k-images-idx3-ubyte.gz";
        assertTrue(
                logs.list.stream()
                        .anyMatch(e -> e.getLevel() == Level.WARN
                                && e.getFormattedMessage().contains("Checksum mismatch for " + f)
                                && e.getFormattedMessage().contains(sha.get(f))
                                && e.getFormattedMessage().contains(md5.get(f))),
                "warning must name the file and its expected checksums");
    }

    @Test
    void aWrongMd5AloneIsRejectedAndAMissingFileIsNamed() throws IOException {
        Map<String, String> wrongMd5 = new HashMap<>(md5);
        wrongMd5.put("train-labels-idx1-ubyte.gz", "0".repeat(32));
        gz.remove("t10k-labels-idx1-ubyte.gz"); // the mirror answers 404 for it
        KmnistFetcher fetcher = new KmnistFetcher(List.of(mirror("good")), sha, wrongMd5);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        assertTrue(e.getMessage().contains("[train-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte.gz]"), e.getMessage());
        Path dir = KmnistFetcher.kmnistDir(dataDir);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(
                    List.of("t10k-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "only verified files are kept, and no temp files");
        }
    }

    @Test
    void noRouteGivesInstructionsNamingFilesFolderAndChecksums() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:1/kmnist/");
        gz.clear(); // the good context now answers 404 for everything
        KmnistFetcher fetcher = new KmnistFetcher(List.of(unreachable, mirror("good")), sha, md5);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        String msg = e.getMessage();
        Path dir = KmnistFetcher.kmnistDir(dataDir).toAbsolutePath();
        for (String f : KmnistFetcher.FILES) {
            assertTrue(msg.contains(dir.resolve(f).toString()), () -> "must name " + f + ": " + msg);
            assertTrue(msg.contains("sha256=" + sha.get(f)), () -> "must give the SHA-256 of " + f + ": " + msg);
            assertTrue(msg.contains("md5=" + md5.get(f)), () -> "must give the MD5 of " + f + ": " + msg);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "a failed fetch must leave nothing behind");
        }
    }

    @Test
    void loadingWithoutTheFilesNamesThemTheFolderAndTheCommand() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("kmnist", dataDir));
        String msg = e.getMessage();
        assertTrue(msg.contains("./latentlab fetch-data kmnist "), msg);
        assertTrue(
                msg.contains(KmnistFetcher.kmnistDir(dataDir).toAbsolutePath().toString()), msg);
        for (String f : KmnistFetcher.FILES) {
            assertTrue(msg.contains(f), msg);
        }
    }

    @Test
    void rejectsIncompleteOrMalformedChecksumMaps() {
        Map<String, String> partial = new HashMap<>(sha);
        partial.remove("train-images-idx3-ubyte.gz");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new KmnistFetcher(List.of(), partial, md5));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        Map<String, String> shortMd5 = new HashMap<>(md5);
        shortMd5.put("t10k-labels-idx1-ubyte.gz", "abc");
        assertThrows(IllegalArgumentException.class, () -> new KmnistFetcher(List.of(), sha, shortMd5));
    }

    @Test
    void standardChecksumsAreThePublishedOnes() {
        KmnistFetcher.standard(); // validates keys and hex lengths
        assertEquals(
                "bdb82020997e1d708af4cf47b453dcf7",
                KmnistFetcher.STANDARD_MD5.get("train-images-idx3-ubyte.gz"),
                "torchvision's KMNIST.resources");
        assertEquals(
                "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
                KmnistFetcher.STANDARD_SHA256.get("train-images-idx3-ubyte.gz"),
                "TensorFlow Datasets' url_checksums/kmnist.txt");
        assertEquals(10, KmnistFetcher.CLASS_NAMES.size());
    }

    /** The real files, when a user has fetched them: the published sizes, checksums and class balance. */
    @Test
    void realFilesHaveThePublishedSplit() {
        Path dir = KmnistFetcher.kmnistDir(Datasets.defaultDataDir());
        Assumptions.assumeTrue(
                KmnistFetcher.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))),
                "KMNIST not in " + dir);
        DataBundle data = Datasets.load("kmnist");
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        for (DataFile f : data.files()) {
            String name = Path.of(f.file()).getFileName().toString();
            assertEquals(KmnistFetcher.STANDARD_SHA256.get(name), f.sha256(), name);
        }
        int[] perClass = new int[10];
        for (int label : data.test().labels()) {
            perClass[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "test images of class " + c);
        }
    }
}
