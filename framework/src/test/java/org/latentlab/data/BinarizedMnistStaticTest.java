package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.config.InvalidConfigException;

/** Static binarized MNIST: small generated .amat fixtures in the published format, a local HTTP server, no network. */
class BinarizedMnistStaticTest {

    /** Lines of the small fixture files: training, validation, test. */
    static final Map<String, Integer> LINES = Map.of(
            BinarizedMnistStatic.TRAIN_FILE,
            6,
            BinarizedMnistStatic.VALIDATION_FILE,
            3,
            BinarizedMnistStatic.TEST_FILE,
            4);

    @TempDir
    Path dataDir;

    private final Map<String, byte[]> files = new HashMap<>();
    private final Map<String, String> sha = new HashMap<>();

    /** Serves the files; a corrupted one has its first value flipped, so it is well-formed but not the published. */
    @RegisterExtension
    final LocalMirror mirror = new LocalMirror((name, corrupt) -> {
        byte[] body = files.get(name);
        if (body == null || !corrupt) {
            return body;
        }
        body = body.clone();
        body[0] = (byte) (body[0] == '0' ? '1' : '0');
        return body;
    });

    @BeforeEach
    void setUp() {
        long seed = 1;
        for (String f : BinarizedMnistStatic.FILES) {
            byte[] bytes = amat(LINES.get(f), seed++);
            files.put(f, bytes);
            sha.put(f, LocalMirror.hex("SHA-256", bytes));
        }
    }

    /** {@code lines} images of 784 seeded 0/1 values in the published layout: "v v ... v\n", 1,568 bytes a line. */
    static byte[] amat(int lines, long seed) {
        Random r = new Random(seed);
        byte[] out = new byte[lines * 784 * 2];
        for (int i = 0; i < lines * 784; i++) {
            out[2 * i] = (byte) (r.nextInt(4) == 0 ? '1' : '0');
            out[2 * i + 1] = (byte) ((i + 1) % 784 == 0 ? '\n' : ' ');
        }
        return out;
    }

    private BinarizedMnistStatic source(URI... mirrors) {
        return new BinarizedMnistStatic(List.of(mirrors), sha, LINES);
    }

    private Path put(String file, byte[] bytes) throws IOException {
        Path dir = BinarizedMnistStatic.staticDir(dataDir);
        Files.createDirectories(dir);
        return Files.write(dir.resolve(file), bytes);
    }

    private void putAll() throws IOException {
        for (String f : BinarizedMnistStatic.FILES) {
            put(f, files.get(f));
        }
    }

    @Test
    void fetchesVerifiesAndLoadsThePublishedSplitWithoutLabels() throws IOException {
        Path dir = source(mirror.uri("good")).fetch(dataDir);
        assertEquals(BinarizedMnistStatic.staticDir(dataDir).toAbsolutePath(), dir);
        LocalMirror.assertHoldsExactly(dir, files);
        assertEquals(3, mirror.goodHits());
        source(mirror.uri("good")).fetch(dataDir);
        assertEquals(3, mirror.goodHits(), "verified files must not be downloaded again");

        DataBundle data = source().load(dataDir, "static");
        assertEquals(6, data.train().size());
        assertEquals(3, data.validation().size());
        assertEquals(4, data.test().size());
        assertEquals("static-validation", data.validation().name());
        assertEquals(28, data.train().rows());
        assertFalse(data.train().hasLabels());
        assertFalse(data.test().hasLabels());
        assertFalse(data.train().dynamicallyBinarized(), "the binarization is fixed");
        assertEquals(BinarizedMnistStatic.BINARIZATION, data.binarization());
        assertTrue(data.binarization().startsWith("static"), data.binarization());
        // pixel 1 of test image 2 is the value on line 3, position 2
        byte[] test = files.get(BinarizedMnistStatic.TEST_FILE);
        assertEquals(test[2 * (2 * 784 + 1)] == '1' ? 1f : 0f, data.test().pixel(2, 1));
        assertEquals(3, data.files().size());
        for (DataFile f : data.files()) {
            String name = Path.of(f.file()).getFileName().toString();
            assertEquals(sha.get(name), f.sha256(), "provenance records the SHA-256 of " + name);
            assertEquals(files.get(name).length, f.bytes());
        }
    }

    @Test
    void aChecksumMismatchIsNotInstalledAndTheNextMirrorIsTried() throws IOException {
        source(mirror.uri("bad"), mirror.uri("good")).fetch(dataDir);
        LocalMirror.assertHoldsExactly(BinarizedMnistStatic.staticDir(dataDir), files);
        assertEquals(3, mirror.badHits());
        assertEquals(3, mirror.goodHits());
    }

    @Test
    void offlineFetchNamesTheFilesTheirChecksumsAndTheFolder() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:1/binarized_mnist/");
        DataException e =
                assertThrows(DataException.class, () -> source(unreachable).fetch(dataDir));
        Path dir = BinarizedMnistStatic.staticDir(dataDir).toAbsolutePath();
        for (String f : BinarizedMnistStatic.FILES) {
            assertTrue(e.getMessage().contains(dir.resolve(f).toString()), e.getMessage());
            assertTrue(e.getMessage().contains("sha256=" + sha.get(f)), e.getMessage());
        }
        assertTrue(e.getMessage().contains("no offline route"), e.getMessage());
        LocalMirror.assertEmpty(dir);
    }

    @Test
    void loadingWithoutTheFilesNamesThemTheFolderAndTheCommand() throws IOException {
        put(BinarizedMnistStatic.TRAIN_FILE, files.get(BinarizedMnistStatic.TRAIN_FILE));
        DataException e =
                assertThrows(DataException.class, () -> Datasets.load(Datasets.BINARIZED_MNIST_STATIC, dataDir));
        String msg = e.getMessage();
        Path dir = BinarizedMnistStatic.staticDir(dataDir).toAbsolutePath();
        assertTrue(
                msg.contains("[binarized_mnist_valid.amat, binarized_mnist_test.amat] are missing from " + dir), msg);
        assertTrue(msg.contains("./latentlab fetch-data binarized-mnist-static"), msg);
        assertTrue(msg.contains(dir.resolve(BinarizedMnistStatic.TEST_FILE) + "  (10000 lines"), msg);
        assertTrue(msg.contains("sha256=" + BinarizedMnistStatic.STANDARD_SHA256.get(BinarizedMnistStatic.TEST_FILE)));
    }

    @Test
    void theStandardSourceInsistsOnThePublishedLineCounts() throws IOException {
        putAll(); // well-formed files, but 6/3/4 lines
        DataException e =
                assertThrows(DataException.class, () -> Datasets.load(Datasets.BINARIZED_MNIST_STATIC, dataDir));
        assertTrue(
                e.getMessage().contains(BinarizedMnistStatic.TRAIN_FILE + ": 6 lines, expected 50000"), e.getMessage());
    }

    private String malformed(String file, byte[] bytes) throws IOException {
        putAll();
        Path p = put(file, bytes);
        DataException e = assertThrows(DataException.class, () -> source().load(dataDir, "static"));
        assertTrue(e.getMessage().startsWith(p.toAbsolutePath().toString()), e.getMessage());
        return e.getMessage().substring(p.toAbsolutePath().toString().length());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String line(int ones) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            b.append(i > 0 ? " " : "").append(i < ones ? '1' : '0');
        }
        return b.toString();
    }

    @Test
    void malformedFilesNameTheFileTheLineAndTheProblem() throws IOException {
        String ok = line(3) + "\n";
        String test = BinarizedMnistStatic.TEST_FILE;
        assertEquals(
                ": line 2: 783 values, expected 784",
                malformed(test, ascii(ok + line(3).substring(2) + "\n" + ok + ok)));
        assertEquals(
                ": line 3: more than the 784 values expected per line",
                malformed(test, ascii(ok + ok + line(3) + " 1\n" + ok)));
        assertEquals(
                ": line 1: value 5 is '2', expected 0 or 1",
                malformed(test, ascii("0 0 0 0 2" + line(0).substring(9) + "\n" + ok + ok + ok)));
        assertEquals(
                ": line 4: value 1 is '0.5', expected 0 or 1",
                malformed(test, ascii(ok + ok + ok + "0.5" + line(0).substring(1) + "\n")));
        assertEquals(": line 2: blank line, expected 784", malformed(test, ascii(ok + "\n" + ok + ok + ok)));
        assertEquals(": 3 lines, expected 4 (one image per line)", malformed(test, ascii(ok + ok + ok)));
        assertEquals(": line 5: more lines than the 4 expected", malformed(test, ascii(ok + ok + ok + ok + ok)));
        assertEquals(": 0 lines, expected 4 (one image per line)", malformed(test, new byte[0]));
    }

    @Test
    void windowsLineEndsTabsAndAMissingFinalNewlineAreRead() throws IOException {
        String crlf = line(1).replace(' ', '\t') + "\r\n";
        putAll();
        put(BinarizedMnistStatic.TEST_FILE, ascii(crlf + crlf + crlf + line(784)));
        DataBundle data = new BinarizedMnistStatic(
                        List.of(),
                        Map.of(
                                BinarizedMnistStatic.TRAIN_FILE, sha.get(BinarizedMnistStatic.TRAIN_FILE),
                                BinarizedMnistStatic.VALIDATION_FILE, sha.get(BinarizedMnistStatic.VALIDATION_FILE),
                                BinarizedMnistStatic.TEST_FILE, "0".repeat(64)),
                        LINES)
                .load(dataDir, "static");
        assertEquals(1f, data.test().pixel(0, 0));
        assertEquals(0f, data.test().pixel(0, 1));
        assertEquals(1f, data.test().pixel(3, 783));
    }

    @Test
    void aRunValidatesOnThePublishedValidationPartAndIgnoresAFraction() throws IOException {
        putAll();
        DataBundle data = source().load(dataDir, "static");
        PreparedData prepared =
                PreparedData.prepare(data, DataRequest.of("static").withValidation(0.5, 3));
        assertEquals(6, prepared.train().size(), "nothing is held out of the training part");
        assertEquals(3, prepared.validationSize());
        assertSame(data.validation(), prepared.validation(), "the published validation images, as they are");
        PreparedData subset =
                PreparedData.prepare(data, DataRequest.of("static").withTrainSize(4, 2));
        assertEquals(4, subset.train().size(), "an unlabelled training part gives a plain seeded subset");
        assertEquals(6, subset.fullTrain().size());
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> PreparedData.prepare(data, DataRequest.of("static").withTrainClasses(List.of(1))));
        assertEquals("trainClasses", e.key());
        assertTrue(e.getMessage().contains("has no labels"), e.getMessage());
    }

    @Test
    void unlabelledImagesAnswerLabelQuestionsWithAClearError() {
        ImageDataset d = ImageDataset.unlabelled("plain", new float[] {0, 1, 1, 0, 1, 1, 0, 0}, 2, 2);
        assertEquals(2, d.size());
        assertFalse(d.hasLabels());
        for (Runnable r : List.<Runnable>of(
                d::numClasses,
                d::labels,
                () -> d.label(0),
                () -> d.labels(new int[] {0}),
                () -> d.oneHotLabels(new int[] {0}))) {
            DataException e = assertThrows(DataException.class, r::run);
            assertTrue(e.getMessage().startsWith("Dataset plain has no labels"), e.getMessage());
        }
        assertArrayEquals(new int[] {0, 0}, d.batch(new int[] {1, 0}).labels(), "batches carry label 0");
        assertFalse(d.subset(new int[] {1}).hasLabels());
        assertFalse(d.split(0.5, 1).validation().hasLabels());
        assertTrue(d.toString().contains("no labels"), d.toString());
        assertNull(new DataBundle(d, d).validation());
        ImageDataset labelled = new ImageDataset("l", new float[4], new int[] {0}, 2, 2, 10);
        assertThrows(DataException.class, () -> new DataBundle(labelled, d));
    }
}
