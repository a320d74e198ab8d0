package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EMNIST route: a {@code gzip.zip} built here in the published layout (gzip IDX files under {@code gzip/}, images
 * stored transposed), served by a local HTTP server; no network.
 */
class EmnistFetcherTest {

    private static final int SIDE = 28;
    private static final int[] LETTERS_TRAIN_LABELS = {1, 26, 5, 12, 1, 2};
    private static final int[] LETTERS_TEST_LABELS = {3, 4, 26};
    private static final int[] BALANCED_TRAIN_LABELS = {0, 46, 10, 36, 9};
    private static final int[] BALANCED_TEST_LABELS = {46, 0};

    @TempDir
    Path dataDir;

    /** Entry name (under gzip/) to its bytes, in zip order. */
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    /** What the mirror serves: the zip, under its name. */
    private final Map<String, byte[]> served = new HashMap<>();

    @RegisterExtension
    final LocalMirror mirror = new LocalMirror(served);

    private byte[] zip;
    private String sha;
    private String md5;

    @BeforeEach
    void setUp() throws Exception {
        addSplit(Emnist.Split.LETTERS, LETTERS_TRAIN_LABELS, LETTERS_TEST_LABELS);
        addSplit(Emnist.Split.BALANCED, BALANCED_TRAIN_LABELS, BALANCED_TEST_LABELS);
        // another split of the real zip: never extracted when letters or balanced is asked for
        entries.put("emnist-digits-test-labels-idx1-ubyte.gz", LocalMirror.gzIdx(new int[] {1}, new byte[] {7}));
        rebuildZip();
    }

    /**
     * Image 0 of every file is an upright "L" (a vertical bar in column 5, rows 4..23, and a foot along row 23,
     * columns 5..20) stored transposed, as EMNIST stores its images; the others are arbitrary bytes.
     */
    private void addSplit(Emnist.Split split, int[] trainLabels, int[] testLabels) throws IOException {
        List<String> f = split.files();
        entries.put(
                f.get(0), LocalMirror.gzIdx(new int[] {trainLabels.length, SIDE, SIDE}, images(trainLabels.length, 3)));
        entries.put(f.get(1), LocalMirror.gzIdx(new int[] {trainLabels.length}, bytes(trainLabels)));
        entries.put(
                f.get(2), LocalMirror.gzIdx(new int[] {testLabels.length, SIDE, SIDE}, images(testLabels.length, 5)));
        entries.put(f.get(3), LocalMirror.gzIdx(new int[] {testLabels.length}, bytes(testLabels)));
    }

    /** The upright "L": 1 where the glyph is, row-major. */
    static int[] uprightL() {
        int[] glyph = new int[SIDE * SIDE];
        for (int r = 4; r <= 23; r++) {
            glyph[r * SIDE + 5] = 1;
        }
        for (int c = 5; c <= 20; c++) {
            glyph[23 * SIDE + c] = 1;
        }
        return glyph;
    }

    private static byte[] images(int n, int salt) {
        byte[] data = new byte[n * SIDE * SIDE];
        int[] glyph = uprightL();
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                data[c * SIDE + r] = (byte) (glyph[r * SIDE + c] * 255); // stored transposed
            }
        }
        for (int i = SIDE * SIDE; i < data.length; i++) {
            data[i] = (byte) (i * salt + i / 7);
        }
        return data;
    }

    private static byte[] bytes(int[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private void rebuildZip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry(EmnistFetcher.ZIP_FOLDER));
            out.closeEntry();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(EmnistFetcher.ZIP_FOLDER + e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        zip = bytes.toByteArray();
        sha = LocalMirror.hex("SHA-256", zip);
        md5 = LocalMirror.hex("MD5", zip);
        served.put(EmnistFetcher.ZIP, zip);
    }

    private URI url(String context) {
        return mirror.uri(context).resolve(EmnistFetcher.ZIP);
    }

    private Path dir() {
        return Emnist.emnistDir(dataDir).toAbsolutePath();
    }

    private List<String> folderContents() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    private static List<String> with(List<String> a, String... more) {
        return Stream.concat(a.stream(), Arrays.stream(more)).toList();
    }

    @Test
    void downloadsTheZipOnceAndExtractsOnlyTheRequestedSplits() throws IOException {
        EmnistFetcher fetcher = new EmnistFetcher(List.of(url("good")), sha, md5);
        assertEquals(dir(), fetcher.fetch(dataDir, List.of(Emnist.Split.LETTERS)));
        assertEquals(1, mirror.goodHits());
        List<String> letters = Emnist.Split.LETTERS.files();
        assertEquals(sorted(with(letters, EmnistFetcher.ZIP, "emnist-letters.sha256")), folderContents());
        for (String f : letters) {
            assertArrayEquals(entries.get(f), Files.readAllBytes(dir().resolve(f)), f + " as in the zip");
        }
        assertArrayEquals(zip, Files.readAllBytes(dir().resolve(EmnistFetcher.ZIP)), "the zip is kept");

        fetcher.fetch(dataDir, List.of(Emnist.Split.LETTERS));
        fetcher.fetch(dataDir, List.of(Emnist.Split.BALANCED));
        assertEquals(1, mirror.goodHits(), "the zip is downloaded once, for both splits");
        List<String> balanced = Emnist.Split.BALANCED.files();
        assertEquals(
                sorted(with(
                        Stream.concat(letters.stream(), balanced.stream()).toList(),
                        EmnistFetcher.ZIP,
                        "emnist-letters.sha256",
                        "emnist-balanced.sha256")),
                folderContents(),
                "only the requested splits are extracted, and no temp files are left");

        DataBundle l = Datasets.load("emnist-letters", dataDir);
        assertEquals("emnist-letters-train", l.train().name());
        assertEquals("emnist-letters-test", l.test().name());
        assertEquals(26, l.train().numClasses());
        assertEquals(
                List.of(0, 25, 4, 11, 0, 1),
                Arrays.stream(l.train().labels()).boxed().toList(),
                "letters labels 1..26 become 0..25");
        assertEquals(List.of(2, 3, 25), Arrays.stream(l.test().labels()).boxed().toList());
        assertEquals(4, l.files().size());

        DataBundle b = Datasets.load("emnist-balanced", dataDir);
        assertEquals(47, b.train().numClasses());
        assertEquals(
                List.of(0, 46, 10, 36, 9),
                Arrays.stream(b.train().labels()).boxed().toList());
        assertEquals(2, b.test().size());
        assertEquals(28, b.test().rows());
        assertEquals(28, b.test().cols());
    }

    @Test
    void loadedImagesAreUpright() {
        new EmnistFetcher(List.of(url("good")), sha, md5).fetch(dataDir, List.of(Emnist.Split.LETTERS));
        ImageDataset train = Datasets.load("emnist-letters", dataDir).train();
        int[] glyph = uprightL();
        for (int p = 0; p < SIDE * SIDE; p++) {
            assertEquals(glyph[p], train.pixel(0, p), 0f, "pixel " + p + " of the upright L");
        }
        // the foot of the L lies along the bottom row once loaded; in the file it is a column
        assertEquals(1f, train.pixel(0, 23 * SIDE + 20));
        assertEquals(0f, train.pixel(0, 20 * SIDE + 23));
    }

    @Test
    void transposesEveryImageOfAnyShape() {
        // two 2x3 images as stored; loaded they are 3x2, pixel (r, c) = stored (c, r)
        byte[] stored = {1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16};
        ImageDataset d = Emnist.fromIdx(
                new IdxArray(new int[] {2, 2, 3}, stored),
                "images",
                new IdxArray(new int[] {2}, new byte[] {0, 46}),
                "labels",
                "t",
                Emnist.Split.BALANCED);
        assertEquals(3, d.rows());
        assertEquals(2, d.cols());
        float[] expected = {1, 4, 2, 5, 3, 6, 11, 14, 12, 15, 13, 16};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] / 255f, d.pixel(i / 6, i % 6), "pixel " + i);
        }
    }

    @Test
    void lettersLabelsOutsideOneToTwentySixAreRejectedNamingTheFile() {
        IdxArray images = new IdxArray(new int[] {2, 2, 2}, new byte[8]);
        for (int bad : new int[] {0, 27}) {
            DataException e = assertThrows(
                    DataException.class,
                    () -> Emnist.fromIdx(
                            images,
                            "img.gz",
                            new IdxArray(new int[] {2}, new byte[] {1, (byte) bad}),
                            "lab.gz",
                            "t",
                            Emnist.Split.LETTERS));
            assertTrue(
                    e.getMessage().contains("lab.gz")
                            && e.getMessage().contains("label " + bad + " at index 1")
                            && e.getMessage().contains("1..26"),
                    e.getMessage());
        }
    }

    @Test
    void aBadZipFallsThroughToTheNextUrlWithAWarningNamingIt() throws IOException {
        new EmnistFetcher(List.of(url("bad"), url("good")), sha, md5).fetch(dataDir, List.of(Emnist.Split.BALANCED));
        assertEquals(1, mirror.badHits());
        assertEquals(1, mirror.goodHits());
        assertArrayEquals(zip, Files.readAllBytes(dir().resolve(EmnistFetcher.ZIP)));
        assertTrue(
                mirror.warned("Checksum mismatch for " + EmnistFetcher.ZIP, sha, md5),
                "warning must name the zip and its expected checksums");
    }

    @Test
    void noGoodZipGivesInstructionsNamingTheZipItsChecksumsTheFilesAndTheFolder() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:1/emnist/" + EmnistFetcher.ZIP);
        EmnistFetcher fetcher = new EmnistFetcher(List.of(unreachable, url("bad")), sha, md5);
        DataException e =
                assertThrows(DataException.class, () -> fetcher.fetch(dataDir, List.of(Emnist.Split.LETTERS)));
        String msg = e.getMessage();
        assertTrue(msg.contains(dir().resolve(EmnistFetcher.ZIP) + "  sha256=" + sha + "  md5=" + md5), msg);
        for (String f : Emnist.Split.LETTERS.files()) {
            assertTrue(msg.contains(f), () -> "must name " + f + ": " + msg);
        }
        assertTrue(msg.contains("into " + dir()), msg);
        assertEquals(List.of(), folderContents(), "a failed fetch must leave nothing behind");
    }

    @Test
    void aZipPlacedByHandIsUsedWithoutAnyUrl() throws IOException {
        Files.createDirectories(dir());
        Files.write(dir().resolve(EmnistFetcher.ZIP), zip);
        new EmnistFetcher(List.of(), sha, md5).fetch(dataDir, List.of(Emnist.Split.LETTERS, Emnist.Split.BALANCED));
        assertEquals(6, Datasets.load("emnist-letters", dataDir).train().size());
        assertEquals(5, Datasets.load("emnist-balanced", dataDir).train().size());
    }

    @Test
    void aChangedExtractedFileIsExtractedAgainFromTheKeptZip() throws IOException {
        EmnistFetcher fetcher = new EmnistFetcher(List.of(url("good")), sha, md5);
        fetcher.fetch(dataDir, List.of(Emnist.Split.LETTERS));
        Path labels = dir().resolve("emnist-letters-test-labels-idx1-ubyte.gz");
        Files.write(labels, new byte[] {1, 2, 3});
        fetcher.fetch(dataDir, List.of(Emnist.Split.LETTERS));
        assertArrayEquals(entries.get("emnist-letters-test-labels-idx1-ubyte.gz"), Files.readAllBytes(labels));
        assertEquals(1, mirror.goodHits(), "the kept zip is used, not downloaded again");
    }

    @Test
    void aZipWithoutAFileOfTheSplitNamesTheEntry() throws Exception {
        entries.remove("emnist-balanced-test-labels-idx1-ubyte.gz");
        rebuildZip();
        EmnistFetcher fetcher = new EmnistFetcher(List.of(url("good")), sha, md5);
        DataException e =
                assertThrows(DataException.class, () -> fetcher.fetch(dataDir, List.of(Emnist.Split.BALANCED)));
        assertTrue(e.getMessage().contains("gzip/emnist-balanced-test-labels-idx1-ubyte.gz"), e.getMessage());
        assertTrue(
                !Files.exists(dir().resolve(EmnistFetcher.manifestName(Emnist.Split.BALANCED))),
                "an incomplete split is not marked as extracted");
    }

    @Test
    void loadingWithoutTheFilesNamesThemTheFolderAndTheCommand() {
        for (Emnist.Split s : Emnist.Split.values()) {
            DataException e = assertThrows(DataException.class, () -> Datasets.load(s.datasetName(), dataDir));
            String msg = e.getMessage();
            assertTrue(msg.contains("./latentlab fetch-data " + s.datasetName() + " "), msg);
            assertTrue(msg.contains(dir().toString()), msg);
            for (String f : s.files()) {
                assertTrue(msg.contains(f), msg);
            }
        }
    }

    @Test
    void standardChecksumsAreThePublishedOnesAndTheClassesAreNamed() {
        EmnistFetcher.standard(); // validates hex lengths
        assertEquals("58c8d27c78d21e728a6bc7b3cc06412e", EmnistFetcher.STANDARD_MD5, "torchvision's EMNIST.md5");
        assertEquals(
                "fb9bb67e33772a9cc0b895e4ecf36d2cf35be8b709693c3564cea2a019fcda8e",
                EmnistFetcher.STANDARD_SHA256,
                "TensorFlow Datasets' url_checksums/emnist.txt");
        assertThrows(IllegalArgumentException.class, () -> new EmnistFetcher(List.of(), sha, "abc"));
        assertEquals(26, Emnist.Split.LETTERS.numClasses());
        assertEquals(47, Emnist.Split.BALANCED.numClasses());
        assertEquals("a", Emnist.Split.LETTERS.classNames().get(0));
        assertEquals("t", Emnist.Split.BALANCED.classNames().get(46));
        assertEquals(Emnist.Split.LETTERS, Emnist.Split.forDataset("emnist-letters"));
    }

    /** The real files, when a user has fetched them: the published sizes. */
    @Test
    void realFilesHaveThePublishedSizes() {
        Path dir = Emnist.emnistDir(Datasets.defaultDataDir());
        for (Emnist.Split s : Emnist.Split.values()) {
            if (!s.files().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
                continue;
            }
            DataBundle data = Datasets.load(s.datasetName());
            int[] sizes = s == Emnist.Split.LETTERS ? new int[] {124_800, 20_800} : new int[] {112_800, 18_800};
            assertEquals(sizes[0], data.train().size(), s.datasetName());
            assertEquals(sizes[1], data.test().size(), s.datasetName());
        }
        Assumptions.assumeTrue(
                Arrays.stream(Emnist.Split.values())
                        .anyMatch(s -> s.files().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))),
                "EMNIST not in " + dir);
    }
}
