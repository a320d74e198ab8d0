package org.latentlab.data;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * N labelled images of {@code channels x rows x cols} values held on the heap as flat floats in [0,1].
 *
 * <p>An unlabelled dataset (such as the static binarized MNIST, whose files carry no labels) answers every
 * question about labels ({@link #numClasses}, {@link #label}, {@link #labels()}, {@link #withClasses},
 * {@link #oneHotLabels}) with a {@link DataException} that says so; its batches ({@link #batch},
 * {@link BatchIterator}) carry label 0 for every image, as the label-free paths of the models expect. Code that
 * needs labels asks {@link #hasLabels()} first and skips, or fails with a clear error ({@link #unlabelled},
 * {@link #hasLabels()}).
 *
 * <p>Each image is one flat row of {@link #featureSize()} = channels * rows * cols values in CHW order: the whole
 * first channel row-major, then the second, and so on. Grey images have one channel (MNIST: 1 x 28 x 28, 784
 * values); colour images three, red, green, blue (CIFAR-10: 3 x 32 x 32, the 1,024 red values, then the 1,024
 * green, then the 1,024 blue).
 *
 * <p>Kept as a plain Java array rather than one big INDArray so that gathering arbitrary rows for
 * a mini-batch is a few {@code System.arraycopy} calls plus one {@code Nd4j.create}, with no
 * native gather op and no off-heap copy of the whole set. Images read from 8-bit files (IDX: the MNIST family) keep
 * their bytes, each standing for the float {@code byte / 255f}, and become floats only in a batch: a quarter of the
 * memory, and a quarter of the fresh pages to touch when the set is loaded and split (on the 2-core AMD EPYC VM of
 * 2026-12-04 a new 188 MB float array cost 470 ms in page faults alone). Every value read is the same either way.
 *
 * <p>A dataset can be marked for dynamic binarization ({@link #withDynamicBinarization()}): its pixels stay grey
 * intensities, and the trainer binarizes each training batch afresh ({@link Binarization}). Everything else that
 * reads its pixels ({@link #features}, {@link #batch}) reads the intensities; the subsets and splits made from it
 * keep the mark.
 *
 * <p>Arrays handed in are not copied; treat an instance as immutable.
 */
public final class ImageDataset {

    private final String name;
    private final Pixels pixels;
    private final int[] labels;
    private final int channels;
    private final int rows;
    private final int cols;
    private final int numClasses;
    private final boolean dynamicBinarization;
    private final boolean labelled;

    /**
     * Grey images (one channel).
     *
     * @param pixels     {@code labels.length * rows * cols} values in [0,1], image after image, row-major
     * @param labels     class per image, in 0..numClasses-1
     */
    public ImageDataset(String name, float[] pixels, int[] labels, int rows, int cols, int numClasses) {
        this(name, pixels, labels, 1, rows, cols, numClasses);
    }

    /**
     * Images of {@code channels} planes.
     *
     * @param pixels     {@code labels.length * channels * rows * cols} values in [0,1], image after image, each in
     *                   CHW order (channel after channel, each row-major)
     * @param labels     class per image, in 0..numClasses-1
     * @param channels   1 (grey) or 3 (red, green, blue)
     */
    public ImageDataset(String name, float[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {
        this(name, pixels, labels, channels, rows, cols, numClasses, true);
    }

    /**
     * {@code pixels.length / (rows * cols)} grey images without labels ({@link #hasLabels()} is false).
     *
     * @param pixels a whole number of {@code rows * cols} images with values in [0,1], image after image, row-major
     */
    public static ImageDataset unlabelled(String name, float[] pixels, int rows, int cols) {
        Objects.requireNonNull(pixels, "pixels");
        if (rows <= 0 || cols <= 0) {
            throw new DataException("Dataset " + name + ": image size must be positive but is " + rows + "x" + cols);
        }
        if (pixels.length % (rows * cols) != 0) {
            throw new DataException("Dataset " + name + ": " + pixels.length + " pixels are not a whole number of "
                    + rows + "x" + cols + " images");
        }
        return new ImageDataset(name, pixels, new int[pixels.length / (rows * cols)], 1, rows, cols, 1, false);
    }

    private ImageDataset(
            String name,
            float[] pixels,
            int[] labels,
            int channels,
            int rows,
            int cols,
            int numClasses,
            boolean labelled) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new DataException("Dataset " + name + ": image size must be positive but is " + rows + "x" + cols);
        }
        if (channels != 1 && channels != 3) {
            throw new DataException(
                    "Dataset " + name + ": images must have 1 (grey) or 3 (RGB) channels but have " + channels);
        }
        if (numClasses <= 0) {
            throw new DataException("Dataset " + name + ": numClasses must be > 0 but is " + numClasses);
        }
        long expected = (long) labels.length * channels * rows * cols;
        if (pixels.length != expected) {
            throw new DataException(
                    "Dataset " + name + ": " + labels.length + " labels of " + shapeOf(channels, rows, cols)
                            + " images need " + expected + " pixels but found " + pixels.length
                            + " (images count != labels count?)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new DataException("Dataset " + name + ": label " + labels[i] + " at index " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        for (int i = 0; i < pixels.length; i++) {
            // Negated test so NaN is rejected too.
            if (!(pixels[i] >= 0f && pixels[i] <= 1f)) {
                throw new DataException("Dataset " + name + ": pixel " + i + " (image " + i / (channels * rows * cols)
                        + ") is " + pixels[i] + ", expected a value in [0,1]");
            }
        }
        this.pixels = new FloatPixels(pixels);
        this.labels = labels;
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
        this.dynamicBinarization = false;
        this.labelled = labelled;
    }

    /** Images of 8-bit values, each standing for {@code value / 255f}; {@code labels} checked by the caller. */
    private ImageDataset(String name, byte[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {
        this.name = Objects.requireNonNull(name, "name");
        long expected = (long) labels.length * channels * rows * cols;
        if (pixels.length != expected) {
            throw new DataException(
                    "Dataset " + name + ": " + labels.length + " labels of " + shapeOf(channels, rows, cols)
                            + " images need " + expected + " pixels but found " + pixels.length
                            + " (images count != labels count?)");
        }
        this.pixels = new BytePixels(pixels);
        this.labels = labels;
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
        this.dynamicBinarization = false;
        this.labelled = true;
    }

    /**
     * Labelled images of 8-bit intensities (0 black to 255 white, CHW order image after image), each read as
     * {@code value / 255f}; the array is kept, not copied. For loaders of 8-bit files.
     *
     * @param labels class per image, in 0..numClasses-1
     */
    static ImageDataset ofBytes(
            String name, byte[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new DataException("Dataset " + name + ": image size must be positive but is " + rows + "x" + cols);
        }
        if (channels != 1 && channels != 3) {
            throw new DataException(
                    "Dataset " + name + ": images must have 1 (grey) or 3 (RGB) channels but have " + channels);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new DataException("Dataset " + name + ": label " + labels[i] + " at index " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        return new ImageDataset(name, pixels, labels, channels, rows, cols, numClasses);
    }

    /** {@code source}'s images under {@code name}, marked for dynamic binarization or not; nothing is checked again. */
    private ImageDataset(ImageDataset source, String name, Pixels pixels, int[] labels, boolean dynamicBinarization) {
        this.name = Objects.requireNonNull(name, "name");
        this.pixels = pixels;
        this.labels = labels;
        this.channels = source.channels;
        this.rows = source.rows;
        this.cols = source.cols;
        this.numClasses = source.numClasses;
        this.dynamicBinarization = dynamicBinarization;
        this.labelled = source.labelled;
    }

    /** Reads an image IDX file ([N, rows, cols] ubyte) and a label IDX file ([N] ubyte), 10 classes. */
    public static ImageDataset fromIdx(Path images, Path labels, String name) {
        return fromIdx(IdxReader.read(images), images.toString(), IdxReader.read(labels), labels.toString(), name);
    }

    /** Builds a 10-class dataset from already-read IDX arrays; the source names appear in errors. */
    public static ImageDataset fromIdx(
            IdxArray images, String imagesSource, IdxArray labels, String labelsSource, String name) {
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
        int[] lab = new int[labels.count()];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = labels.unsigned(i);
            if (lab[i] > 9) {
                throw new DataException(
                        "Label IDX file " + labelsSource + ": label " + lab[i] + " at index " + i + " is outside 0..9");
            }
        }
        return new ImageDataset(name, images.data(), lab, 1, images.dim(1), images.dim(2), 10);
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    /** Values per pixel: 1 (grey) or 3 (red, green, blue, stored as planes one after another). */
    public int channels() {
        return channels;
    }

    /** Image height. */
    public int rows() {
        return rows;
    }

    /** Image width. */
    public int cols() {
        return cols;
    }

    /** The image shape {@code [channels, rows, cols]}. */
    public List<Integer> shape() {
        return List.of(channels, rows, cols);
    }

    /** The image shape as text, {@code CxHxW} (e.g. {@code 3x32x32}; grey images {@code 1x28x28}). */
    public String shapeText() {
        return shapeOf(channels, rows, cols);
    }

    /** {@code CxHxW}. */
    public static String shapeOf(int channels, int rows, int cols) {
        return channels + "x" + rows + "x" + cols;
    }

    /** Whether the images have class labels; the label accessors of an unlabelled dataset throw. */
    public boolean hasLabels() {
        return labelled;
    }

    /** Number of classes. @throws DataException if the dataset has no labels */
    public int numClasses() {
        requireLabels("a number of classes");
        return numClasses;
    }

    /** Fails with a message naming the dataset and {@code what} needed its labels, unless it has them. */
    private void requireLabels(String what) {
        if (!labelled) {
            throw new DataException("Dataset " + name + " has no labels, so it has no " + what);
        }
    }

    /**
     * Whether the trainer binarizes this dataset's training batches afresh each step ({@link Binarization#forStep});
     * its pixels are then the intensities the draws are made from.
     */
    public boolean dynamicallyBinarized() {
        return dynamicBinarization;
    }

    /** These images, marked for dynamic binarization in training ({@link #dynamicallyBinarized()}). */
    public ImageDataset withDynamicBinarization() {
        return new ImageDataset(this, name, pixels, labels, true);
    }

    /**
     * These images binarized once: each pixel 1 with probability its intensity, else 0, drawn in order (image
     * after image, row-major) from a {@link NoiseSource} seeded with {@code seed}. The same seed gives the same
     * images; the first {@code k} images of the result depend only on the first {@code k} images here. Not marked
     * for dynamic binarization.
     */
    public ImageDataset binarized(long seed) {
        float[] out = pixels.toFloats();
        Binarization.drawInPlace(out, new NoiseSource(seed));
        return new ImageDataset(this, name, new FloatPixels(out), labels, false);
    }

    /** These images under another name. */
    public ImageDataset withName(String newName) {
        return new ImageDataset(this, newName, pixels, labels, dynamicBinarization);
    }

    /** Values per image: channels * rows * cols (rows * cols for grey images). */
    public int featureSize() {
        return channels * rows * cols;
    }

    /** Value {@code p} (CHW order; row-major for grey images) of image {@code i}. */
    public float pixel(int i, int p) {
        return pixels.get(i * featureSize() + p);
    }

    public int label(int i) {
        requireLabels("label of image " + i);
        return labels[i];
    }

    /** All images as a FLOAT matrix [N, channels*rows*cols]. */
    public INDArray features() {
        // Nd4j.create copies into native memory, so the heap array is never shared with the result.
        return Nd4j.create(pixels.floats(), new long[] {size(), featureSize()}, DataType.FLOAT);
    }

    /** The given images, in the given order, as a FLOAT matrix [indices.length, featureSize]. */
    public INDArray features(int[] indices) {
        return Nd4j.create(gather(indices), new long[] {indices.length, featureSize()}, DataType.FLOAT);
    }

    /**
     * The given images, in the given order, written into {@code into} (a dense FLOAT array of shape
     * {@code [indices.length, featureSize]} in host memory): row by row from the pixel array, without
     * a new native buffer (whose fresh pages the kernel zeroes) or a heap copy in between.
     *
     * <p>Writes through the array's host buffer: for the CPU backend.
     *
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} has another shape or type, or is not a dense c-order array
     */
    public INDArray featuresInto(int[] indices, INDArray into) {
        int fs = featureSize();
        if (into.dataType() != DataType.FLOAT
                || into.rank() != 2
                || into.size(0) != indices.length
                || into.size(1) != fs
                || into.ordering() != 'c'
                || !Shape.hasDefaultStridesForShape(into)
                || into.offset() + into.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dataset " + name + ": expected a dense c-order FLOAT array of shape ["
                    + indices.length + ", " + fs + "], got " + into.dataType() + " " + Arrays.toString(into.shape())
                    + " order " + into.ordering());
        }
        FloatBuffer out = into.data().asNioFloat();
        int base = (int) into.offset();
        float[] row = pixels instanceof FloatPixels ? null : new float[fs];
        for (int i = 0; i < indices.length; i++) {
            int from = checkIndex(indices[i]) * fs;
            if (pixels instanceof FloatPixels f) {
                out.put(base + i * fs, f.values, from, fs);
            } else {
                pixels.copyTo(from, row, 0, fs);
                out.put(base + i * fs, row, 0, fs);
            }
        }
        return into;
    }

    /** Labels of the given images, in the given order. */
    public int[] labels(int[] indices) {
        requireLabels("labels");
        return batchLabels(indices);
    }

    /** What a batch of the given images carries as labels: theirs, or 0 for each image of an unlabelled dataset. */
    int[] batchLabels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[checkIndex(indices[i])];
        }
        return out;
    }

    /** All labels (a copy). */
    public int[] labels() {
        requireLabels("labels");
        return labels.clone();
    }

    /** One-hot labels of the given images as a FLOAT matrix [indices.length, numClasses]. */
    public INDArray oneHotLabels(int[] indices) {
        requireLabels("labels");
        float[] out = new float[indices.length * numClasses];
        for (int i = 0; i < indices.length; i++) {
            out[i * numClasses + labels[checkIndex(indices[i])]] = 1f;
        }
        return Nd4j.create(out, new long[] {indices.length, numClasses}, DataType.FLOAT);
    }

    /** The examples at {@code indices} as a batch: features, labels and the indices. */
    public Batch batch(int[] indices) {
        return new Batch(features(indices), batchLabels(indices), indices.clone());
    }

    /**
     * The examples whose label is one of {@code classes}, in their order (e.g. one digit as the
     * "normal" class of an anomaly-detection run). Unknown classes are an error, and so is an
     * empty result.
     */
    public ImageDataset withClasses(Collection<Integer> classes) {
        if (!labelled) {
            throw new IllegalArgumentException(
                    name + " has no labels, so it cannot be filtered by class (asked for classes " + classes + ")");
        }
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException(name + ": class " + c + " outside 0.." + (numClasses - 1));
            }
        }
        int[] keep = IntStream.range(0, size())
                .filter(i -> classes.contains(labels[i]))
                .toArray();
        if (keep.length == 0) {
            throw new IllegalArgumentException(name + ": no example has a label in " + classes);
        }
        return subset(keep);
    }

    /** A new dataset with the given images in the given order (same name). */
    public ImageDataset subset(int[] indices) {
        return new ImageDataset(
                this,
                name,
                pixels.gather(checkedIndices(indices), featureSize()),
                batchLabels(indices),
                dynamicBinarization);
    }

    /** The first {@code n} images (all of them if the dataset is smaller). */
    public ImageDataset head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("head: n must be >= 0 but was " + n);
        }
        int m = Math.min(n, size());
        return new ImageDataset(
                this, name, pixels.head(m * featureSize()), Arrays.copyOf(labels, m), dynamicBinarization);
    }

    /**
     * Splits into train and validation parts with a seeded shuffle: disjoint, covering every image,
     * and the same for the same seed. The validation part gets {@code round(size * fraction)} images;
     * both parts keep the original order of their images so the split is easy to inspect.
     */
    public TrainValidationSplit split(double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "split: validationFraction must be in [0,1) but was " + validationFraction);
        }
        int n = size();
        int nVal = (int) Math.round(n * validationFraction);
        int[] perm = shuffledRange(n, new Random(seed));
        int[] val = Arrays.copyOfRange(perm, 0, nVal);
        int[] train = Arrays.copyOfRange(perm, nVal, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new TrainValidationSplit(
                rename(subset(train), name + "-train"), rename(subset(val), name + "-validation"));
    }

    /**
     * {@code n} of the images, as equal in number per class as the data allows, in their original order (same
     * name). Each class present gets {@code n / classes}; a class with fewer images gives all it has and the rest
     * is shared among the others; what does not divide evenly goes one image each to the lowest class numbers.
     * Which images of a class are taken is a seeded shuffle of that class, so the same seed gives the same subset,
     * and for one seed a smaller subset is part of a larger one.
     *
     * @throws IllegalArgumentException if {@code n} is negative or larger than {@link #size()}
     */
    public ImageDataset balancedSubset(int n, long seed) {
        return subset(balancedIndices(n, seed));
    }

    /** The ascending indices of {@link #balancedSubset}. */
    int[] balancedIndices(int n, long seed) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException(
                    "balancedSubset: n must be in 0.." + size() + " (the size of " + name + ") but was " + n);
        }
        int[][] byClass = new int[numClasses][];
        int[] count = new int[numClasses];
        for (int label : labels) {
            count[label]++;
        }
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[count[c]];
        }
        int[] filled = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        int[] quota = balancedQuotas(count, n);
        Random rng = new Random(seed);
        int[] chosen = new int[n];
        int next = 0;
        for (int c = 0; c < numClasses; c++) {
            // every class is shuffled whatever its quota, so the draws of one class do not depend on n
            int[] order = shuffledRange(count[c], rng);
            for (int k = 0; k < quota[c]; k++) {
                chosen[next++] = byClass[c][order[k]];
            }
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * How many of {@code n} to take from each class of {@code count}: max-min fair (water-filling), the remainder
     * one each to the lowest class numbers that still have images; requires {@code n <= sum(count)}.
     */
    static int[] balancedQuotas(int[] count, int n) {
        int[] quota = new int[count.length];
        int left = n;
        while (left > 0) {
            int open = 0;
            for (int c = 0; c < count.length; c++) {
                open += quota[c] < count[c] ? 1 : 0;
            }
            int share = left / open;
            for (int c = 0; c < count.length && left > 0; c++) {
                if (quota[c] < count[c]) {
                    int add = share == 0 ? 1 : Math.min(share, count[c] - quota[c]);
                    quota[c] += add;
                    left -= add;
                }
            }
        }
        return quota;
    }

    private ImageDataset rename(ImageDataset d, String newName) {
        return d.withName(newName);
    }

    /** 0..n-1 in Fisher-Yates order drawn from {@code rng}; {@link Random} is specified, so stable across JDKs. */
    static int[] shuffledRange(int n, Random rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    private float[] gather(int[] indices) {
        int fs = featureSize();
        float[] out = new float[indices.length * fs];
        for (int i = 0; i < indices.length; i++) {
            pixels.copyTo(checkIndex(indices[i]) * fs, out, i * fs, fs);
        }
        return out;
    }

    private int[] checkedIndices(int[] indices) {
        for (int i : indices) {
            checkIndex(i);
        }
        return indices;
    }

    /** Whether the images are held as 8-bit values (see the class comment), for tests. */
    boolean heldAsBytes() {
        return pixels instanceof BytePixels;
    }

    /** The pixel values of a dataset, image after image. */
    private sealed interface Pixels permits FloatPixels, BytePixels {
        int length();

        float get(int i);

        /** Values {@code from .. from+n-1} into {@code dst} from {@code at}. */
        void copyTo(int from, float[] dst, int at, int n);

        /** The rows (of {@code rowSize} values) at {@code rows}, in that order, held the same way. */
        Pixels gather(int[] rows, int rowSize);

        /** The first {@code n} values, held the same way. */
        Pixels head(int n);

        /** All values as floats; the caller must not write into the result. */
        float[] floats();

        /** All values as a new float array. */
        float[] toFloats();
    }

    private record FloatPixels(float[] values) implements Pixels {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public float get(int i) {
            return values[i];
        }

        @Override
        public void copyTo(int from, float[] dst, int at, int n) {
            System.arraycopy(values, from, dst, at, n);
        }

        @Override
        public Pixels gather(int[] rows, int rowSize) {
            float[] out = new float[rows.length * rowSize];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(values, rows[i] * rowSize, out, i * rowSize, rowSize);
            }
            return new FloatPixels(out);
        }

        @Override
        public Pixels head(int n) {
            return new FloatPixels(Arrays.copyOf(values, n));
        }

        @Override
        public float[] floats() {
            return values;
        }

        @Override
        public float[] toFloats() {
            return values.clone();
        }
    }

    private record BytePixels(byte[] values) implements Pixels {
        /** {@code VALUE[b] = b / 255f}, the float each byte stands for. */
        private static final float[] VALUE = new float[256];

        static {
            for (int b = 0; b < 256; b++) {
                VALUE[b] = b / 255f;
            }
        }

        @Override
        public int length() {
            return values.length;
        }

        @Override
        public float get(int i) {
            return VALUE[values[i] & 0xFF];
        }

        @Override
        public void copyTo(int from, float[] dst, int at, int n) {
            for (int k = 0; k < n; k++) {
                dst[at + k] = VALUE[values[from + k] & 0xFF];
            }
        }

        @Override
        public Pixels gather(int[] rows, int rowSize) {
            byte[] out = new byte[rows.length * rowSize];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(values, rows[i] * rowSize, out, i * rowSize, rowSize);
            }
            return new BytePixels(out);
        }

        @Override
        public Pixels head(int n) {
            return new BytePixels(Arrays.copyOf(values, n));
        }

        @Override
        public float[] floats() {
            return toFloats();
        }

        @Override
        public float[] toFloats() {
            float[] out = new float[values.length];
            copyTo(0, out, 0, values.length);
            return out;
        }
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException(
                    "Dataset " + name + ": index " + i + " outside 0.." + (labels.length - 1));
        }
        return i;
    }

    @Override
    public String toString() {
        return "ImageDataset[" + name + ", " + size() + " images "
                + (channels == 1 ? rows + "x" + cols : shapeText() + " (CxHxW)") + ", "
                + (labelled ? numClasses + " classes" : "no labels")
                + (dynamicBinarization ? ", dynamically binarized" : "") + "]";
    }
}
