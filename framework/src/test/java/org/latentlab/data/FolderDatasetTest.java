package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {

    @TempDir
    Path tmp;

    private static final List<String> CLASSES = List.of("ant", "bee", "cat"); // written in another order below
    private static final int H = 4;
    private static final int W = 3;

    /** Grey level of pixel p of image i of class c: tells the image and the class apart. */
    private static int level(int c, int i, int p) {
        return 40 * c + 5 * i + p;
    }

    /** Three classes of five 4x3 grey PNGs, plus files that must be skipped. */
    private Path threeClasses(Path root) throws IOException {
        for (String cls : List.of("cat", "ant", "bee")) {
            int c = CLASSES.indexOf(cls);
            for (int i = 0; i < 5; i++) {
                int image = i;
                ImageFixtures.grey(
                        root.resolve(cls).resolve("img" + i + ".png"),
                        H,
                        W,
                        (y, x) -> level(c, image, y * W + x),
                        "png");
            }
        }
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        Files.writeString(root.resolve("cat/.hidden.png"), "not an image either, but hidden");
        Files.createDirectories(root.resolve("bee/.ipynb_checkpoints"));
        Files.writeString(root.resolve("bee/.ipynb_checkpoints/x.png"), "hidden folder");
        Files.createDirectories(root.resolve(".git"));
        return root;
    }

    /** Image index i of the image whose first pixel is {@code first}, given its class. */
    private static int imageOf(float first, int c) {
        return (Math.round(first * 255) - 40 * c) / 5;
    }

    @Test
    void classesAreTheSortedSubFoldersAndTheSeededSplitTakesAFifthOfEachClass() throws IOException {
        Path root = threeClasses(tmp.resolve("pets"));
        DataBundle data = FolderDataset.load("folder:" + root);
        assertEquals(12, data.train().size());
        assertEquals(3, data.test().size());
        assertEquals(3, data.train().numClasses());
        assertEquals(H, data.train().rows());
        assertEquals(W, data.train().cols());
        assertEquals("folder:pets-train", data.train().name());
        for (ImageDataset part : List.of(data.train(), data.test())) {
            int lastLabel = -1;
            int lastImage = -1;
            for (int k = 0; k < part.size(); k++) {
                int c = part.label(k);
                int i = imageOf(part.pixel(k, 0), c);
                assertTrue(i >= 0 && i < 5, "image " + k + " of " + part + " is not of class " + c);
                for (int p = 0; p < H * W; p++) {
                    assertEquals(level(c, i, p) / 255f, part.pixel(k, p), "pixel " + p + " of image " + k);
                }
                // classes in label order, images of a class in path order
                assertTrue(c > lastLabel || (c == lastLabel && i > lastImage), part + " order at " + k);
                lastLabel = c;
                lastImage = i;
            }
        }
        assertArrayEquals(new int[] {0, 1, 2}, data.test().labels());
    }

    @Test
    void theSplitIsAFunctionOfTheFilesTheShareAndTheSeed() throws IOException {
        Path root = threeClasses(tmp.resolve("pets"));
        DataBundle a = FolderDataset.load("folder:" + root + "?test=0.4&seed=7");
        DataBundle b = FolderDataset.load("folder:" + root + "?seed=7&test=0.4");
        DataBundle other = FolderDataset.load("folder:" + root + "?test=0.4&seed=8");
        assertEquals(6, a.test().size());
        assertEquals(pixels(a.train()), pixels(b.train()));
        assertEquals(pixels(a.test()), pixels(b.test()));
        assertEquals(a.files(), b.files());
        assertNotEquals(pixels(a.test()), pixels(other.test()));
        assertEquals(a.files(), other.files()); // the same files were read
    }

    @Test
    void trainAndTestFoldersAreTheSplit() throws IOException {
        Path root = tmp.resolve("split");
        for (String part : List.of("train", "test")) {
            for (String cls : List.of("zebra", "apple")) {
                int c = cls.equals("apple") ? 0 : 1;
                int n = part.equals("train") ? 3 : 2;
                for (int i = 0; i < n; i++) {
                    int image = i + (part.equals("train") ? 0 : 3);
                    ImageFixtures.grey(
                            root.resolve(part + "/" + cls + "/sub/" + i + ".PNG"),
                            H,
                            W,
                            (y, x) -> level(c, image, y * W + x),
                            "png");
                }
            }
        }
        DataBundle data = FolderDataset.load("folder:" + root);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, data.train().labels());
        assertArrayEquals(new int[] {0, 0, 1, 1}, data.test().labels());
        assertEquals(3, imageOf(data.test().pixel(0, 0), 0));
        assertEquals(4, imageOf(data.test().pixel(3, 0), 1));
        assertEquals(10, data.files().get(0).count());

        DataException e = assertThrows(DataException.class, () -> FolderDataset.load("folder:" + root + "?test=0.3"));
        assertTrue(e.getMessage().contains("train/ and test/"), e.getMessage());
        Path trainOnly = tmp.resolve("trainOnly");
        ImageFixtures.grey(trainOnly.resolve("train/a/0.png"), 2, 2, (y, x) -> 0, "png");
        e = assertThrows(DataException.class, () -> FolderDataset.load("folder:" + trainOnly));
        assertTrue(e.getMessage().contains("has a train/ folder but no test/ folder"), e.getMessage());
    }

    @Test
    void colourImagesBecomeTheirLumaAndGreyLevelsStayExact() throws IOException {
        Path root = tmp.resolve("colour");
        int[][] rgb = {{0x000000, 0xFFFFFF, 0x808080}, {0xFF0000, 0x00FF00, 0x0000FF}, {0x123456, 0x7F7F7F, 0x010203}};
        ImageFixtures.rgb(root.resolve("a/rgb.png"), 3, 3, (y, x) -> rgb[y][x], "png");
        ImageFixtures.grey16(root.resolve("a/deep.png"), 3, 3, (y, x) -> (y * 3 + x) * 8191);
        ImageFixtures.grey(root.resolve("b/grey.png"), 3, 3, (y, x) -> 30 * (y * 3 + x), "png");
        ImageFixtures.grey(root.resolve("b/photo.jpg"), 3, 3, (y, x) -> 30 * (y * 3 + x), "jpg");
        ImageFixtures.grey(root.resolve("c/x.jpeg"), 3, 3, (y, x) -> 100, "jpg");
        DataBundle data = FolderDataset.load("folder:" + root + "?test=0.5"); // PNG, JPEG, 8 and 16 bit together
        assertEquals(2, data.train().size());
        assertEquals(3, data.test().size());
        ImageDataset colour = decoded(root.resolve("a/rgb.png"));
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                int v = rgb[y][x];
                int r = (v >> 16) & 0xFF;
                int g = (v >> 8) & 0xFF;
                int b = v & 0xFF;
                float want = r == g && g == b ? r / 255f : (299 * r + 587 * g + 114 * b) / 255000f;
                assertEquals(want, colour.pixel(0, y * 3 + x), "pixel " + y + "," + x);
            }
        }
        ImageDataset deep = decoded(root.resolve("a/deep.png"));
        ImageDataset grey = decoded(root.resolve("b/grey.png"));
        ImageDataset jpeg = decoded(root.resolve("b/photo.jpg"));
        for (int p = 0; p < 9; p++) {
            assertEquals(p * 8191 / 65535f, deep.pixel(0, p));
            assertEquals(30 * p / 255f, grey.pixel(0, p));
            assertEquals(30 * p / 255f, jpeg.pixel(0, p), 12 / 255f, "a JPEG is close to its levels");
        }
        assertEquals(pixels(jpeg), pixels(decoded(root.resolve("b/photo.jpg"))));
    }

    /** The single image {@code file} decoded as grey, through the same code the loader uses. */
    private static ImageDataset decoded(Path file) throws IOException {
        FolderDataset.Decoded d = FolderDataset.decode(Files.readAllBytes(file), file.toString(), 1);
        return new ImageDataset(file.toString(), d.pixels(), new int[] {0}, d.height(), d.width(), 1);
    }

    @Test
    void colourIsDecodedAsPlanesAndLoadedAsThreeChannels() throws IOException {
        Path file = ImageFixtures.rgb(tmp.resolve("c/x/rgb.png"), 1, 2, (y, x) -> x == 0 ? 0xFF8000 : 0x0000FF, "png");
        FolderDataset.Decoded d = FolderDataset.decode(Files.readAllBytes(file), file.toString(), 3);
        assertArrayEquals(new float[] {1f, 0f, 128 / 255f, 0f, 0f, 1f}, d.pixels()); // R plane, G plane, B plane
        ImageFixtures.rgb(tmp.resolve("c/x/rgb2.png"), 1, 2, (y, x) -> 0x00FF00, "png");
        ImageFixtures.rgb(tmp.resolve("c/y/rgb3.png"), 1, 2, (y, x) -> 0xFFFFFF, "png");
        ImageFixtures.rgb(tmp.resolve("c/y/rgb4.png"), 1, 2, (y, x) -> 0, "png");
        DataBundle b = FolderDataset.load("folder:" + tmp.resolve("c") + "?channels=3&test=0.5");
        assertEquals(List.of(3, 1, 2), b.train().shape());
        assertEquals(6, b.train().featureSize());
        assertEquals(List.of(3, 1, 2), b.test().shape());
    }

    @Test
    void sizeResizesByAreaAveragingAndMixedSizesWithoutItAreAnError() throws IOException {
        Path root = tmp.resolve("mixed");
        Path big = ImageFixtures.grey(root.resolve("train/a/big.png"), 4, 4, (y, x) -> 10 * (y * 4 + x), "png");
        Path small = ImageFixtures.grey(root.resolve("train/b/0.png"), 2, 2, (y, x) -> 100 * y + 50 * x, "png");
        ImageFixtures.grey(root.resolve("test/a/0.png"), 2, 2, (y, x) -> 7, "png");
        ImageFixtures.grey(root.resolve("test/b/0.png"), 2, 2, (y, x) -> 9, "png");
        DataException e = assertThrows(DataException.class, () -> FolderDataset.load("folder:" + root));
        assertTrue(
                e.getMessage().contains(big.toString())
                        && e.getMessage().contains(small + " is 2x2")
                        && e.getMessage().contains("?size=4x4"),
                e.getMessage());

        DataBundle data = FolderDataset.load("folder:" + root + "?size=2");
        assertEquals(2, data.train().rows());
        float[] blockMeans = {25, 45, 105, 125}; // of the levels 0, 10, ..., 150 in 2x2 blocks
        for (int p = 0; p < 4; p++) {
            assertEquals(blockMeans[p] / 255f, data.train().pixel(0, p), 1e-6f);
            assertEquals((100 * (p / 2) + 50 * (p % 2)) / 255f, data.train().pixel(1, p)); // 2x2 stays as it is
        }
        DataBundle bigger = FolderDataset.load("folder:" + root + "?size=3x5");
        assertEquals(3, bigger.test().rows());
        assertEquals(5, bigger.test().cols());
        assertEquals(7 / 255f, bigger.test().pixel(0, 14), 1e-6f);
    }

    @Test
    void areaAveragingIsExactForBlocksFractionsAndTheIdentity() {
        float a = 0.2f;
        float b = 0.5f;
        float c = 0.9f;
        assertArrayEquals(
                new float[] {(float) ((2.0 * a + b) / 3), (float) ((b + 2.0 * c) / 3)},
                AreaResize.resize(new float[] {a, b, c}, 1, 1, 3, 1, 2));
        assertArrayEquals(new float[] {a, a, b, b}, AreaResize.resize(new float[] {a, b}, 1, 1, 2, 1, 4));
        float[] block = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f, 0f, 0.25f, 0.75f, 0.6f, 0.3f, 0.05f};
        float[] half = AreaResize.resize(block, 1, 4, 4, 2, 2);
        assertEquals((0.1 + 0.2 + 0.5 + 0.6) / 4, half[0], 1e-6);
        assertEquals((0.9 + 1 + 0.75 + 0.6) / 4, half[2], 1e-6);
        assertArrayEquals(block, AreaResize.resize(block, 1, 4, 4, 4, 4));
        // planes are resized one by one
        float[] two = AreaResize.resize(new float[] {a, b, c, c, b, a}, 2, 1, 3, 1, 2);
        assertEquals((float) ((2.0 * c + b) / 3), two[2]);
    }

    @Test
    void provenanceIsOneRecordForTheFolderWithTheManifestHash() throws Exception {
        Path root = threeClasses(tmp.resolve("pets"));
        DataBundle data = FolderDataset.load("folder:" + root);
        assertEquals(1, data.files().size());
        DataFile record = data.files().get(0);
        List<Path> images;
        try (Stream<Path> walk = Files.walk(root)) {
            images = walk.filter(p -> p.toString().endsWith(".png"))
                    .filter(p -> !root.relativize(p).toString().contains(".ipynb_checkpoints"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        }
        assertEquals(15, images.size());
        assertEquals(root.toAbsolutePath().toString(), record.file());
        assertEquals(15, record.count());
        long bytes = 0;
        List<String> lines = new ArrayList<>();
        for (Path p : images) {
            byte[] content = Files.readAllBytes(p);
            bytes += content.length;
            lines.add(hex(content) + "  " + root.relativize(p).toString().replace('\\', '/'));
        }
        lines.sort((x, y) -> x.substring(66).compareTo(y.substring(66)));
        String manifest = String.join("\n", lines) + "\n";
        assertEquals(bytes, record.bytes());
        assertEquals(hex(manifest.getBytes(StandardCharsets.UTF_8)), record.sha256());

        // Changing one image changes the hash; so does renaming one (its label may change with its folder).
        Files.move(root.resolve("ant/img4.png"), root.resolve("ant/img9.png"));
        assertNotEquals(
                record.sha256(),
                FolderDataset.load("folder:" + root).files().get(0).sha256());
    }

    private static String hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void badFoldersAndFilesAreNamedWithTheProblem() throws IOException {
        assertError(
                "folder:" + tmp.resolve("nowhere"),
                "does not exist",
                tmp.resolve("nowhere").toString());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertError("folder:" + empty, "has no class folders", empty.toString());
        Path loose = tmp.resolve("loose");
        ImageFixtures.grey(loose.resolve("0.png"), 2, 2, (y, x) -> 0, "png");
        assertError("folder:" + loose, "holds images such as 0.png", "sub-folder named after the class");

        Path noImages = tmp.resolve("noImages");
        ImageFixtures.grey(noImages.resolve("a/0.png"), 2, 2, (y, x) -> 0, "png");
        Files.createDirectories(noImages.resolve("b"));
        Files.writeString(noImages.resolve("b/readme.txt"), "x");
        assertError("folder:" + noImages, noImages.resolve("b") + " has no PNG or JPEG images", "1 other file");

        Path corrupt = tmp.resolve("corrupt");
        ImageFixtures.grey(corrupt.resolve("a/0.png"), 2, 2, (y, x) -> 0, "png");
        Files.writeString(corrupt.resolve("a/1.png"), "this is text, not a PNG");
        assertError("folder:" + corrupt, corrupt.resolve("a/1.png").toString(), "is not a PNG or JPEG image");

        Path truncated = tmp.resolve("truncated");
        Path good = ImageFixtures.grey(truncated.resolve("a/0.png"), 8, 8, (y, x) -> 3 * x, "png");
        byte[] whole = Files.readAllBytes(good);
        Files.write(truncated.resolve("a/1.png"), Arrays.copyOf(whole, whole.length / 2));
        assertError("folder:" + truncated, truncated.resolve("a/1.png").toString());

        Path ok = tmp.resolve("ok");
        ImageFixtures.grey(ok.resolve("a/0.png"), 2, 2, (y, x) -> 0, "png");
        ImageFixtures.grey(ok.resolve("a/1.png"), 2, 2, (y, x) -> 0, "png");
        assertError("folder:" + ok + "?sise=28", "unknown option 'sise'", "size, channels, test, seed");
        assertError("folder:" + ok + "?size=big", "size=big must be HEIGHTxWIDTH");
        assertError("folder:" + ok + "?test=1.5", "test=1.5 must be a share between 0 and 1");
        assertError("folder:" + ok + "?size", "'size' is not key=value");
        assertError("folder:" + ok + "?test=0.01", "leaves 2 to train on and 0 to test on");
        assertError("folder:?size=2", "no path after 'folder:'");
    }

    private static void assertError(String name, String... parts) {
        DataException e = assertThrows(DataException.class, () -> FolderDataset.load(name), name);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void datasetsDispatchesOnThePrefixAndKeepsThePathsCase() throws IOException {
        Path root = threeClasses(tmp.resolve("MyPets"));
        DataBundle data = Datasets.load("Folder:" + root, tmp.resolve("unused"));
        assertEquals(15, data.train().size() + data.test().size());
        assertTrue(Datasets.isKnown("folder:" + root));
        assertTrue(Datasets.isKnown("csv:x.csv"));
        assertTrue(Datasets.isKnown("mnist-sample"));
        assertFalse(Datasets.isKnown("cifar"));
        assertEquals("mnist-sample", UserDatasets.fileKey("mnist-sample"));
        String a = UserDatasets.fileKey("folder:/a/b_c");
        String b = UserDatasets.fileKey("folder:/a_b/c");
        assertTrue(a.matches("[A-Za-z0-9.+_-]+"), a);
        assertNotEquals(a, b);
    }

    private static List<Float> pixels(ImageDataset d) {
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            for (int p = 0; p < d.featureSize(); p++) {
                out.add(d.pixel(i, p));
            }
            out.add((float) -d.label(i));
        }
        return out;
    }
}
