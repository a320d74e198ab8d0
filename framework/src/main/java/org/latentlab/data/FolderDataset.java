package org.latentlab.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset {@code folder:PATH[?size=..&channels=..&test=..&seed=..]}: the PNG and JPEG images under {@code PATH}, one
 * sub-folder per class.
 *
 * <ul>
 *   <li><b>Classes.</b> The sub-folders of {@code PATH} (or of {@code PATH/train} and {@code PATH/test}), sorted by
 *       name ({@link String#compareTo}); class {@code k} is the k-th name, so label numbers do not depend on the
 *       file system's listing order. Images may sit in nested folders below a class folder. Files and folders whose
 *       names start with a dot are skipped, and so are files that do not end in {@code .png}, {@code .jpg} or
 *       {@code .jpeg} (any case).</li>
 *   <li><b>Order.</b> Within a class, images in the order of their paths relative to the class folder (with
 *       {@code /}); classes in label order.</li>
 *   <li><b>Split.</b> If {@code PATH} has both a {@code train/} and a {@code test/} folder, they are the two parts;
 *       otherwise a stratified seeded split ({@link SeededTestSplit}) holds out {@code test=} (default 0.2) of each
 *       class with {@code seed=} (default 0).</li>
 *   <li><b>Pixels.</b> {@code channels=1} (the default): grey levels in [0, 1]; a grey image (8 or 16 bit) gives its
 *       stored levels, a colour or palette image gives the luma {@code (299 R + 587 G + 114 B) / 1000} of its sRGB
 *       values (ITU-R BT.601, as PIL's {@code convert("L")} but unrounded). Transparency is ignored.
 *       {@code channels=3}: RGB, the three planes stored one after another (CHW), the sRGB values / 255.</li>
 *   <li><b>Size.</b> {@code size=HxW} or {@code size=N} resizes every image by area averaging ({@link AreaResize});
 *       without it every image must have the same size.</li>
 *   <li><b>Provenance.</b> One {@link DataFile} for the folder: the number of images read, their total bytes and
 *       the SHA-256 of their manifest ({@link #manifestSha256}).</li>
 * </ul>
 */
public final class FolderDataset {

    private static final Logger log = LoggerFactory.getLogger(FolderDataset.class);

    /** The prefix of the dataset names this class loads. */
    public static final String PREFIX = "folder:";

    private static final List<String> OPTIONS = List.of("size", "channels", "test", "seed");
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private FolderDataset() {}

    /** Whether {@code name} is a {@code folder:} dataset name (the prefix in any case). */
    public static boolean handles(String name) {
        return name != null && name.trim().regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** One image file: where it is, its path relative to the dataset folder (with {@code /}), its label. */
    private record Entry(Path file, String relative, int label) {}

    /** One decoded image: {@code channels} planes of {@code height x width} values in [0, 1]. */
    record Decoded(float[] pixels, int height, int width) {}

    /** Loads dataset {@code name} ({@link #handles}). */
    public static DataBundle load(String name) {
        long start = System.nanoTime();
        DatasetSpec spec = DatasetSpec.parse(name.trim(), PREFIX, OPTIONS);
        int channels = spec.channels();
        int[] size = spec.size("size");
        Path root = DatasetSpec.path(spec.location()).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new DataException("Dataset " + spec.name() + ": folder " + root
                    + (Files.exists(root) ? " is not a folder" : " does not exist"));
        }
        Path trainDir = root.resolve("train");
        Path testDir = root.resolve("test");
        boolean hasTrain = Files.isDirectory(trainDir);
        boolean hasTest = Files.isDirectory(testDir);
        if (hasTrain != hasTest) {
            throw new DataException(
                    "Dataset " + spec.name() + ": folder " + root + " has a " + (hasTrain ? "train" : "test")
                            + "/ folder but no " + (hasTrain ? "test" : "train") + "/ folder; give both (each with one"
                            + " sub-folder per class) or neither (one sub-folder per class, split with test= and seed=)");
        }
        String shortName = PREFIX + root.getFileName();
        List<String> classes;
        List<Entry> train;
        List<Entry> test = null;
        if (hasTrain) {
            if (spec.has("test") || spec.has("seed")) {
                throw new DataException("Dataset " + spec.name() + ": folder " + root + " has train/ and test/ folders,"
                        + " which are the split; drop the test= and seed= options");
            }
            List<String> trainClasses = classFolders(trainDir, spec);
            List<String> testClasses = classFolders(testDir, spec);
            TreeSet<String> all = new TreeSet<>(trainClasses);
            all.addAll(testClasses);
            classes = List.copyOf(all);
            if (!trainClasses.equals(testClasses)) {
                log.warn(
                        "Dataset {}: train/ has classes {} and test/ has {}; labels number the union {}",
                        spec.name(),
                        trainClasses,
                        testClasses,
                        classes);
            }
            train = entries(root, trainDir, trainClasses, classes);
            test = entries(root, testDir, testClasses, classes);
        } else {
            classes = classFolders(root, spec);
            train = entries(root, root, classes, classes);
        }
        List<Entry> everything = new ArrayList<>(train);
        if (test != null) {
            everything.addAll(test);
        }
        List<String> manifest = new ArrayList<>();
        long bytes = 0;
        int height = size == null ? -1 : size[0];
        int width = size == null ? -1 : size[1];
        String firstFile = null;
        int fs = -1;
        float[] pixels = null;
        int[] labels = new int[everything.size()];
        for (int i = 0; i < everything.size(); i++) {
            Entry e = everything.get(i);
            byte[] raw;
            try {
                raw = Files.readAllBytes(e.file());
            } catch (IOException ex) {
                throw new DataException("Image " + e.file() + " cannot be read: " + ex, ex);
            }
            bytes += raw.length;
            manifest.add(sha256Hex(raw) + "  " + e.relative());
            Decoded image = decode(raw, e.file().toString(), channels);
            float[] px = image.pixels();
            if (size == null) {
                if (firstFile == null) {
                    height = image.height();
                    width = image.width();
                    firstFile = e.file().toString();
                } else if (image.height() != height || image.width() != width) {
                    throw new DataException("Dataset " + spec.name() + ": image " + e.file() + " is " + image.height()
                            + "x" + image.width() + " (height x width) but " + firstFile + " is " + height + "x" + width
                            + "; resize them all with the size option, e.g. " + PREFIX + spec.location() + "?size="
                            + height + "x" + width);
                }
            } else if (image.height() != height || image.width() != width) {
                px = AreaResize.resize(px, channels, image.height(), image.width(), height, width);
            }
            if (pixels == null) {
                fs = channels * height * width;
                pixels = new float[Math.multiplyExact(everything.size(), fs)];
            }
            System.arraycopy(px, 0, pixels, i * fs, fs);
            labels[i] = e.label();
        }
        DataFile record = new DataFile(root.toString(), bytes, manifestSha256(manifest), everything.size());
        DataBundle bundle;
        if (test == null) {
            double fraction = spec.fraction("test", SeededTestSplit.DEFAULT_TEST_FRACTION);
            long seed = spec.longValue("seed", SeededTestSplit.DEFAULT_SEED);
            bundle = SeededTestSplit.split(
                    shortName,
                    pixels,
                    labels,
                    channels,
                    height,
                    width,
                    classes.size(),
                    fraction,
                    seed,
                    List.of(record));
        } else {
            int n = train.size();
            bundle = new DataBundle(
                    new ImageDataset(
                            shortName + "-train",
                            Arrays.copyOf(pixels, n * fs),
                            Arrays.copyOf(labels, n),
                            channels,
                            height,
                            width,
                            classes.size()),
                    new ImageDataset(
                            shortName + "-test",
                            Arrays.copyOfRange(pixels, n * fs, pixels.length),
                            Arrays.copyOfRange(labels, n, labels.length),
                            channels,
                            height,
                            width,
                            classes.size()),
                    List.of(record));
        }
        log.info(
                "Loaded {}: {} images ({} train, {} test) of {}x{} {} in {} classes {} from {} in {} ms",
                spec.name(),
                everything.size(),
                bundle.train().size(),
                bundle.test().size(),
                height,
                width,
                channels == 1 ? "grey" : "RGB",
                classes.size(),
                classes,
                root,
                (System.nanoTime() - start) / 1_000_000);
        return bundle;
    }

    /** The class folders of {@code dir}, sorted; none is an error, and so are images lying directly in it. */
    private static List<String> classFolders(Path dir, DatasetSpec spec) {
        List<String> folders = new ArrayList<>();
        List<String> loose = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith(".")) {
                    return;
                }
                if (Files.isDirectory(p)) {
                    folders.add(n);
                } else if (isImage(n)) {
                    loose.add(n);
                }
            });
        } catch (IOException e) {
            throw new DataException("Dataset " + spec.name() + ": cannot list folder " + dir + ": " + e, e);
        }
        folders.sort(Comparator.naturalOrder());
        loose.sort(Comparator.naturalOrder());
        if (folders.isEmpty()) {
            throw new DataException("Dataset " + spec.name() + ": folder " + dir + " has no class folders"
                    + (loose.isEmpty() ? " (it is empty of images)" : " (it holds images such as " + loose.get(0) + ")")
                    + "; put each class's images in a sub-folder named after the class");
        }
        if (!loose.isEmpty()) {
            log.warn(
                    "Dataset {}: {} image(s) directly in {} (such as {}) belong to no class folder and are not read",
                    spec.name(),
                    loose.size(),
                    dir,
                    loose.get(0));
        }
        return folders;
    }

    /** The images of each class folder of {@code dir} in {@code present}, labelled by their place in {@code all}. */
    private static List<Entry> entries(Path root, Path dir, List<String> present, List<String> all) {
        List<Entry> out = new ArrayList<>();
        for (String cls : present) {
            Path classDir = dir.resolve(cls);
            List<String> images = new ArrayList<>();
            int[] skipped = {0};
            try (Stream<Path> walk = Files.walk(classDir)) {
                walk.filter(Files::isRegularFile).forEach(p -> {
                    String rel = relative(classDir, p);
                    if (hidden(rel)) {
                        return;
                    }
                    if (isImage(p.getFileName().toString())) {
                        images.add(rel);
                    } else {
                        skipped[0]++;
                    }
                });
            } catch (IOException | RuntimeException e) {
                throw new DataException("Class folder " + classDir + " cannot be listed: " + e, e);
            }
            if (images.isEmpty()) {
                throw new DataException("Class folder " + classDir + " has no PNG or JPEG images (files ending in "
                        + String.join(", ", EXTENSIONS)
                        + (skipped[0] > 0 ? "; it has " + skipped[0] + " other file(s)" : "")
                        + "); remove the folder or add images");
            }
            if (skipped[0] > 0) {
                log.info("Class folder {}: skipped {} file(s) that are not .png, .jpg or .jpeg", classDir, skipped[0]);
            }
            images.sort(Comparator.naturalOrder());
            int label = all.indexOf(cls);
            for (String rel : images) {
                Path file = classDir.resolve(rel);
                out.add(new Entry(file, relative(root, file), label));
            }
        }
        return out;
    }

    private static String relative(Path base, Path file) {
        return base.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isImage(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /**
     * Decodes one image file's bytes ({@code shown} names it in errors) into {@code channels} planes (1: grey, 3:
     * RGB) of values in [0, 1], as the class comment describes.
     */
    static Decoded decode(byte[] bytes, String shown, int channels) {
        BufferedImage image;
        try {
            image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException | RuntimeException e) {
            throw new DataException("Image " + shown + " cannot be decoded (damaged or unsupported PNG/JPEG): " + e, e);
        }
        if (image == null) {
            throw new DataException("Image " + shown + " is not a PNG or JPEG image (no image reader recognised its "
                    + bytes.length + " bytes)");
        }
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        float[] out = new float[channels * plane];
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            // the stored levels; getRGB would pass them through a linear-to-sRGB curve
            Raster raster = image.getRaster();
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * w + x] = v;
                    }
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = image.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF;
                    int g = (rgb >> 8) & 0xFF;
                    int b = rgb & 0xFF;
                    if (channels == 1) {
                        // exact integer weights: a grey pixel stored as RGB gives v / 255f, as stored as grey
                        out[y * w + x] = (299 * r + 587 * g + 114 * b) / 255000f;
                    } else {
                        out[y * w + x] = r / 255f;
                        out[plane + y * w + x] = g / 255f;
                        out[2 * plane + y * w + x] = b / 255f;
                    }
                }
            }
        }
        return new Decoded(out, h, w);
    }

    /**
     * The SHA-256 of a folder dataset's manifest: one line {@code <sha256 of the file>  <path relative to the dataset
     * folder>} per image read (the format of {@code sha256sum}), sorted by path ({@link String#compareTo}, as
     * {@code LC_ALL=C sort}), each ending in a newline, in UTF-8. So {@code cd PATH && find . -type f ... | sed
     * 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum} gives the same hash.
     */
    static String manifestSha256(List<String> lines) {
        List<String> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparing((String l) -> l.substring(66)));
        StringBuilder b = new StringBuilder();
        sorted.forEach(l -> b.append(l).append('\n'));
        return sha256Hex(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
