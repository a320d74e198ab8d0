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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The KMNIST route: gzip IDX fixtures served by a local HTTP server, no network. */
class KmnistFetcherTest {

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
                KmnistFetcher.FILES, 10, 3, 5, (k, images, i) -> images ? i * 7 + 13 * k : 9 - i % 10)));
        sha.putAll(LocalMirror.hex("SHA-256", gz));
        md5.putAll(LocalMirror.hex("MD5", gz));
    }

    private void assertAllInstalled() throws IOException {
        LocalMirror.assertHoldsExactly(KmnistFetcher.kmnistDir(dataDir), gz);
    }

    @Test
    void fetchesTheGzipFilesAndLoadsThemAsKmnist() throws IOException {
        KmnistFetcher fetcher = new KmnistFetcher(List.of(mirror.uri("good")), sha, md5);
        Path dir = fetcher.fetch(dataDir);
        assertEquals(KmnistFetcher.kmnistDir(dataDir).toAbsolutePath(), dir);
        assertAllInstalled();
        assertEquals(4, mirror.goodHits());

        fetcher.fetch(dataDir);
        assertEquals(4, mirror.goodHits(), "verified files must not be downloaded again");

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
        new KmnistFetcher(List.of(mirror.uri("bad"), mirror.uri("good")), sha, md5).fetch(dataDir);
        assertAllInstalled();
        assertEquals(4, mirror.badHits());
        String f = "t10k-images-idx3-ubyte.gz";
        assertTrue(
                mirror.warned("Checksum mismatch for " + f, sha.get(f), md5.get(f)),
                "warning must name the file and its expected checksums");
    }

    @Test
    void aWrongMd5AloneIsRejectedAndAMissingFileIsNamed() throws IOException {
        Map<String, String> wrongMd5 = new HashMap<>(md5);
        wrongMd5.put("train-labels-idx1-ubyte.gz", "0".repeat(32));
        gz.remove("t10k-labels-idx1-ubyte.gz"); // the mirror answers 404 for it
        KmnistFetcher fetcher = new KmnistFetcher(List.of(mirror.uri("good")), sha, wrongMd5);
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
        KmnistFetcher fetcher = new KmnistFetcher(List.of(unreachable, mirror.uri("good")), sha, md5);
        DataException e = assertThrows(DataException.class, () -> fetcher.fetch(dataDir));
        String msg = e.getMessage();
        Path dir = KmnistFetcher.kmnistDir(dataDir).toAbsolutePath();
        for (String f : KmnistFetcher.FILES) {
            assertTrue(msg.contains(dir.resolve(f).toString()), () -> "must name " + f + ": " + msg);
            assertTrue(msg.contains("sha256=" + sha.get(f)), () -> "must give the SHA-256 of " + f + ": " + msg);
            assertTrue(msg.contains("md5=" + md5.get(f)), () -> "must give the MD5 of " + f + ": " + msg);
        }
        LocalMirror.assertEmpty(dir);
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
