package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10's binary version: a generated tarball in the real format, served by a local HTTP server, no network. */
class Cifar10Test {

    @TempDir
    Path dataDir;

    private HttpServer server;
    private byte[] archive;
    private String sha;
    private String md5;
    private final AtomicInteger hits = new AtomicInteger();

    /**
     * Record {@code i} of a fixture file: label {@code i % 10}; its red plane all {@code 10 * (i % 10) + 5}, green
     * all {@code 200 - i}, blue the pixel's column * 8 (so the three planes, and the row-major order within one, can
     * be told apart).
     */
    static byte[] record(int i) {
        byte[] r = new byte[Cifar10.RECORD_BYTES];
        r[0] = (byte) (i % 10);
        for (int p = 0; p < 1024; p++) {
            r[1 + p] = (byte) (10 * (i % 10) + 5);
            r[1 + 1024 + p] = (byte) (200 - i);
            r[1 + 2048 + p] = (byte) ((p % 32) * 8);
        }
        return r;
    }

    /** A CIFAR-10 binary file of records {@code from .. from + n - 1}. */
    static byte[] batch(int from, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < from + n; i++) {
            out.writeBytes(record(i));
        }
        return out.toByteArray();
    }

    /** The six files as in the published tarball, two records per training file and three in the test file. */
    static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int k = 0; k < 5; k++) {
            files.put(Cifar10.TRAIN_FILES.get(k), batch(2 * k, 2));
        }
        files.put(Cifar10.TEST_FILE, batch(50, 3));
        return files;
    }

    /** A gzip-compressed ustar archive of {@code entries} (path -> content), as {@code tar czf} writes one. */
    static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] header = new byte[512];
                put(header, 0, e.getKey());
                put(header, 100, "0000644");
                put(header, 108, "0000000");
                put(header, 116, "0000000");
                put(header, 124, String.format("%011o", e.getValue().length));
                put(header, 136, String.format("%011o", 1_234_567_890L));
                header[156] = '0';
                put(header, 257, "ustar");
                put(header, 263, "00");
                for (int i = 148; i < 156; i++) {
                    header[i] = ' ';
                }
                int sum = 0;
                for (byte b : header) {
                    sum += b & 0xFF;
                }
                put(header, 148, String.format("%06o", sum));
                header[155] = ' ';
                gz.write(header);
                gz.write(e.getValue());
                gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] header, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }

    /** The published layout: the six files and the two the loader does not need, under cifar-10-batches-bin/. */
    static byte[] fixtureArchive(Map<String, byte[]> files) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(Cifar10Fetcher.ARCHIVE_FOLDER + "batches.meta.txt", "airplane\nautomobile\n".getBytes());
        files.forEach((f, b) -> entries.put(Cifar10Fetcher.ARCHIVE_FOLDER + f, b));
        entries.put(Cifar10Fetcher.ARCHIVE_FOLDER + "readme.html", "<html></html>".getBytes());
        return tarGz(entries);
    }

    @BeforeEach
    void setUp() throws Exception {
        archive = fixtureArchive(files());
        sha = LocalMirror.hex("SHA-256", archive);
        md5 = LocalMirror.hex("MD5", archive);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good/", ex -> serve(ex, false));
        server.createContext("/bad/", ex -> serve(ex, true));
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private void serve(HttpExchange ex, boolean corrupt) throws IOException {
        hits.incrementAndGet();
        byte[] body = archive.clone();
        if (corrupt) {
            body[body.length / 2] ^= 0x55;
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private URI url(String context) {
        return URI.create(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/" + context + "/" + Cifar10Fetcher.ARCHIVE);
    }

    @Test
    void fetchesExtractsAndLoadsThreeChannelImagesInChwOrder() throws Exception {
        Path dir = new Cifar10Fetcher(List.of(url("good")), sha, md5).fetch(dataDir);
        assertEquals(Cifar10.cifar10Dir(dataDir).toAbsolutePath(), dir);
        for (Map.Entry<String, byte[]> f : files().entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(dir.resolve(f.getKey())), f.getKey());
        }
        assertTrue(Files.isRegularFile(dir.resolve(Cifar10Fetcher.ARCHIVE)), "the verified tarball is kept");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(8, s.count(), "six files, the tarball and the manifest; no temp files");
        }
        new Cifar10Fetcher(List.of(url("good")), sha, md5).fetch(dataDir);
        assertEquals(1, hits.get(), "verified files must not be downloaded again");

        DataBundle data = Datasets.load("cifar10", dataDir);
        ImageDataset train = data.train();
        assertEquals("cifar10-train", train.name());
        assertEquals(10, train.size());
        assertEquals(3, data.test().size());
        assertEquals(List.of(3, 32, 32), train.shape());
        assertEquals(3072, train.featureSize());
        assertEquals(10, train.numClasses());
        assertEquals(
                List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                Arrays.stream(train.labels()).boxed().toList());
        // image 7 (data_batch_4's second record): red 75, green 193, blue column * 8
        assertEquals(75 / 255f, train.pixel(7, 0));
        assertEquals(193 / 255f, train.pixel(7, 1024 + 500));
        assertEquals(3 * 8 / 255f, train.pixel(7, 2048 + 32 * 5 + 3), "blue plane, row 5, column 3");
        assertEquals(
                List.of(0, 1, 2), Arrays.stream(data.test().labels()).boxed().toList());
        assertEquals(6, data.files().size());
        assertEquals(
                LocalMirror.hex("SHA-256", files().get(Cifar10.TEST_FILE)),
                data.files().get(5).sha256());
    }

    @Test
    void aBadChecksumInstallsNothingAndTheErrorNamesTheTarballFolderAndChecksums() throws IOException {
        Cifar10Fetcher fetcher = new Cifar10Fetcher(List.of(url("bad")), sha, md5);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        Path dir = Cifar10.cifar10Dir(dataDir).toAbsolutePath();
        assertTrue(e.getMessage().contains(dir.resolve(Cifar10Fetcher.ARCHIVE).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("sha256=" + sha) && e.getMessage().contains("md5=" + md5), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "a failed fetch leaves nothing behind");
        }
        // offline: the tarball placed by hand is verified and extracted
        Files.write(dir.resolve(Cifar10Fetcher.ARCHIVE), archive);
        new Cifar10Fetcher(List.of(URI.create("http://127.0.0.1:1/x.tar.gz")), sha, md5).fetch(dataDir);
        assertEquals(10, Datasets.load("cifar10", dataDir).train().size());
    }

    @Test
    void theStandardChecksumsArePublishedOnes() {
        assertEquals(64, Cifar10Fetcher.STANDARD_SHA256.length());
        assertEquals(32, Cifar10Fetcher.STANDARD_MD5.length());
        assertEquals(
                "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
                Cifar10Fetcher.STANDARD_URLS.get(0).toString());
    }

    @Test
    void aTruncatedRecordOrABadLabelIsAnErrorNamingTheFile() throws IOException {
        Path dir = Files.createDirectories(Cifar10.cifar10Dir(dataDir));
        for (Map.Entry<String, byte[]> f : files().entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        byte[] whole = files().get("data_batch_3.bin");
        Files.write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(whole, whole.length - 100));
        DataException e = assertThrows(DataException.class, () -> Datasets.load("cifar10", dataDir));
        assertTrue(e.getMessage().contains("data_batch_3.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("not a whole number of 3073-byte records"), e.getMessage());

        whole[Cifar10.RECORD_BYTES] = 10; // the second record's label
        Files.write(dir.resolve("data_batch_3.bin"), whole);
        e = assertThrows(DataException.class, () -> Datasets.load("cifar10", dataDir));
        assertTrue(e.getMessage().contains("data_batch_3.bin: record 1 has label 10"), e.getMessage());
    }

    @Test
    void aTarballWithoutTheFilesIsNamedAndMissingFilesNameTheFolderAndTheCommand() throws IOException {
        Path dir = Files.createDirectories(Cifar10.cifar10Dir(dataDir).toAbsolutePath());
        Map<String, byte[]> partial = files();
        partial.remove(Cifar10.TEST_FILE);
        Files.write(dir.resolve(Cifar10Fetcher.ARCHIVE), fixtureArchive(partial));
        DataException e = assertThrows(
                DataException.class, () -> Cifar10Fetcher.extract(dir.resolve(Cifar10Fetcher.ARCHIVE), dir));
        assertTrue(e.getMessage().contains("has no entries [test_batch.bin]"), e.getMessage());

        e = assertThrows(DataException.class, () -> Datasets.load("cifar10", dataDir));
        String msg = e.getMessage();
        assertTrue(msg.contains("[test_batch.bin] are missing from " + dir), msg);
        assertTrue(msg.contains("./latentlab fetch-data cifar10") && msg.contains(Cifar10Fetcher.ARCHIVE), msg);
    }
}
