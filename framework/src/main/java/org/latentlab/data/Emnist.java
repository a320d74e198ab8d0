package org.latentlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMNIST (Cohen et al. 2017, "EMNIST: an extension of MNIST to handwritten letters"): the {@code letters} and
 * {@code balanced} splits, read from the gzip IDX files of the published {@code gzip.zip} that {@link EmnistFetcher}
 * extracts into {@code <dataDir>/emnist/}.
 *
 * <p>EMNIST stores each image transposed relative to MNIST (row r of the file is column r of the character), so the
 * loader transposes every image: letters come out upright, as MNIST digits do. Labels are mapped to 0-based classes:
 * {@code letters} labels are 1..26 in the files (a/A .. z/Z, upper and lower case merged) and become 0..25;
 * {@code balanced} labels are 0..46 already (digits, 26 upper-case letters, then the 11 lower-case letters that are
 * not merged with their capitals). The per-file SHA-256 of what was read is recorded with the data, as for every
 * dataset; the files themselves are pinned by the checksums of the zip they came from.
 */
public final class Emnist {

    private static final Logger log = LoggerFactory.getLogger(Emnist.class);

    /** An EMNIST split this framework loads, and the dataset name it goes by. */
    public enum Split {
        /** 26 classes, letters a..z with upper and lower case merged: 124,800 train / 20,800 test. */
        LETTERS(Datasets.EMNIST_LETTERS, "letters", 1, letters()),
        /** 47 classes, balanced: 112,800 train / 18,800 test. */
        BALANCED(Datasets.EMNIST_BALANCED, "balanced", 0, balanced());

        private final String datasetName;
        private final String fileSplit;
        private final int labelOffset;
        private final List<String> classNames;

        Split(String datasetName, String fileSplit, int labelOffset, List<String> classNames) {
            this.datasetName = datasetName;
            this.fileSplit = fileSplit;
            this.labelOffset = labelOffset;
            this.classNames = classNames;
        }

        /** The dataset name ({@link Datasets#names()}). */
        public String datasetName() {
            return datasetName;
        }

        /**
         * The four gzip IDX files of this split as named inside {@code gzip.zip} (under {@code gzip/}) and in the
         * data folder: train images, train labels, test images, test labels.
         */
        public List<String> files() {
            String p = "emnist-" + fileSplit + "-";
            return List.of(
                    p + "train-images-idx3-ubyte.gz",
                    p + "train-labels-idx1-ubyte.gz",
                    p + "test-images-idx3-ubyte.gz",
                    p + "test-labels-idx1-ubyte.gz");
        }

        /** Number of classes after mapping: 26 or 47. */
        public int numClasses() {
            return classNames.size();
        }

        /** What is subtracted from a label in the files to give the class: 1 for letters (1..26), else 0. */
        public int labelOffset() {
            return labelOffset;
        }

        /** The character(s) of each class 0..numClasses-1 (letters: "a" stands for a and A). */
        public List<String> classNames() {
            return classNames;
        }

        /** The split named {@code dataset}, or {@code null}. */
        public static Split forDataset(String dataset) {
            return Arrays.stream(values())
                    .filter(s -> s.datasetName.equals(dataset))
                    .findFirst()
                    .orElse(null);
        }

        private static List<String> letters() {
            return IntStream.rangeClosed('a', 'z')
                    .mapToObj(c -> String.valueOf((char) c))
                    .toList();
        }

        private static List<String> balanced() {
            List<String> names = new ArrayList<>();
            IntStream.rangeClosed('0', '9').forEach(c -> names.add(String.valueOf((char) c)));
            IntStream.rangeClosed('A', 'Z').forEach(c -> names.add(String.valueOf((char) c)));
            for (char c : "abdefghnqrt".toCharArray()) {
                names.add(String.valueOf(c));
            }
            return List.copyOf(names);
        }
    }

    private Emnist() {}

    /** Where the extracted EMNIST files (and the downloaded {@code gzip.zip}) live under a data folder. */
    public static Path emnistDir(Path dataDir) {
        return dataDir.resolve("emnist");
    }

    /**
     * Reads {@code split} from {@code <dataDir>/emnist/}, each image transposed to upright and the labels mapped
     * to 0-based classes.
     *
     * @throws DataException if a file is missing (naming the files, the folder and the {@code fetch-data} command)
     *     or is not a valid EMNIST file
     */
    public static DataBundle load(Path dataDir, Split split) {
        Path dir = emnistDir(dataDir).toAbsolutePath();
        List<String> files = split.files();
        List<String> missing =
                files.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new DataException("EMNIST files " + missing + " are missing from " + dir
                    + "; run ./latentlab fetch-data " + split.datasetName() + " to download EMNIST's gzip.zip and"
                    + " extract them (expected " + files + ")");
        }
        long start = System.nanoTime();
        List<DataFile> read = new ArrayList<>();
        String name = split.datasetName();
        DataBundle bundle = new DataBundle(
                dataset(dir.resolve(files.get(0)), dir.resolve(files.get(1)), name + "-train", split, read),
                dataset(dir.resolve(files.get(2)), dir.resolve(files.get(3)), name + "-test", split, read),
                read);
        log.info(
                "Loaded {} from {}: {} train, {} test images in {} ms",
                name,
                dir,
                bundle.train().size(),
                bundle.test().size(),
                (System.nanoTime() - start) / 1_000_000);
        return bundle;
    }

    private static ImageDataset dataset(
            Path imagesFile, Path labelsFile, String name, Split split, List<DataFile> read) {
        IdxArray images = Datasets.readFile(imagesFile, read);
        IdxArray labels = Datasets.readFile(labelsFile, read);
        return fromIdx(images, imagesFile.toString(), labels, labelsFile.toString(), name, split);
    }

    /**
     * Builds an EMNIST dataset from already-read IDX arrays: images [N, rows, cols] are transposed to [N, cols, rows]
     * and labels shifted by {@link Split#labelOffset()}; the source names appear in errors.
     */
    static ImageDataset fromIdx(
            IdxArray images, String imagesSource, IdxArray labels, String labelsSource, String name, Split split) {
        if (images.rank() != 3) {
            throw new DataException("Image IDX file " + imagesSource
                    + " must have 3 dimensions [N, rows, cols] but has shape " + Arrays.toString(images.shape()));
        }
        if (labels.rank() != 1) {
            throw new DataException("Label IDX file " + labelsSource + " must have 1 dimension [N] but has shape "
                    + Arrays.toString(labels.shape()));
        }
        if (images.count() != labels.count()) {
            throw new DataException("Dataset " + name + ": image file " + imagesSource + " holds " + images.count()
                    + " images but label file " + labelsSource + " holds " + labels.count() + " labels");
        }
        int offset = split.labelOffset();
        int classes = split.numClasses();
        int[] lab = new int[labels.count()];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = labels.unsigned(i) - offset;
            if (lab[i] < 0 || lab[i] >= classes) {
                throw new DataException("Label IDX file " + labelsSource + ": label " + labels.unsigned(i)
                        + " at index " + i + " is outside " + offset + ".." + (offset + classes - 1) + " (EMNIST "
                        + split.datasetName() + " has " + classes + " classes)");
            }
        }
        return new ImageDataset(name, transposedPixels(images), lab, images.dim(2), images.dim(1), classes);
    }

    /**
     * The pixels of images [N, rows, cols] as floats in [0,1], each image transposed: pixel (r, c) of the result,
     * an image of {@code cols} rows and {@code rows} columns, is pixel (c, r) of the file.
     */
    static float[] transposedPixels(IdxArray images) {
        int n = images.count();
        int rows = images.dim(1);
        int cols = images.dim(2);
        byte[] raw = images.data();
        float[] px = new float[raw.length];
        int size = rows * cols;
        for (int i = 0; i < n; i++) {
            int base = i * size;
            for (int r = 0; r < cols; r++) {
                for (int c = 0; c < rows; c++) {
                    px[base + r * rows + c] = (raw[base + c * cols + r] & 0xFF) / 255f;
                }
            }
        }
        return px;
    }
}
