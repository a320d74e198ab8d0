package org.latentlab.plot;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes images as one PNG grid a person can look at: cells of {@code rows x cols} pixels, laid out
 * left to right in {@code columns} per grid row, separated by {@code separator} pixels of gray, each image pixel
 * drawn as a {@code scale x scale} block. Values are clamped to [0, 1] (NaN is drawn black); 0 is black, 1 white.
 *
 * <p>Grey images (one channel, the default) give an 8-bit grey PNG. Colour images ({@code new ImageGrid(3, rows,
 * cols)}) have {@code 3 * rows * cols} values each in CHW order, as {@code ImageDataset} keeps them: the red plane
 * row-major, then the green, then the blue; they give an RGB PNG, each channel clamped and scaled as above.
 *
 * <pre>{@code
 * new ImageGrid(28, 28).columns(10).scale(2).write(path, images);   // images: INDArray [N, 784]
 * ImageGrid.writeReconstructions(path, x, xHat, 28, 28);             // inputs above their reconstructions
 * ImageGrid.writeSamples(path, samples, 28, 28, 8);
 * }</pre>
 *
 * <p>Writes are atomic: the PNG goes to a temp file in the target's folder and is then moved over the target,
 * so a reader never sees half an image. Missing parent folders are created. I/O failures are thrown as
 * {@link UncheckedIOException} with the path in the message. Instances are mutable and not thread-safe.
 */
public final class ImageGrid {

    /** Default number of images per grid row. */
    public static final int DEFAULT_COLUMNS = 10;
    /** Default separator width in output pixels. */
    public static final int DEFAULT_SEPARATOR = 2;
    /** Default upscaling factor. */
    public static final int DEFAULT_SCALE = 2;
    /** Default separator gray: mid gray, visible against both black and white backgrounds. */
    public static final float DEFAULT_SEPARATOR_GRAY = 0.5f;

    private final int channels;
    private final int rows;
    private final int cols;
    private int columns = DEFAULT_COLUMNS;
    private int separator = DEFAULT_SEPARATOR;
    private int scale = DEFAULT_SCALE;
    private float separatorGray = DEFAULT_SEPARATOR_GRAY;

    /** A grid of grey images that are each {@code rows} high and {@code cols} wide. */
    public ImageGrid(int rows, int cols) {
        this(1, rows, cols);
    }

    /**
     * A grid of images of {@code channels} planes (1: grey, 3: red, green, blue, CHW), each {@code rows} high and
     * {@code cols} wide.
     */
    public ImageGrid(int channels, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("Image size must be positive but was " + rows + "x" + cols);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images must have 1 (grey) or 3 (RGB) channels but have " + channels);
        }
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
    }

    /** Values per image: channels * rows * cols. */
    private int valuesPerImage() {
        return channels * rows * cols;
    }

    /** {@code CxHxW}, or {@code HxW} for grey images, for messages. */
    private String describe() {
        return channels == 1 ? rows + "x" + cols : channels + "x" + rows + "x" + cols;
    }

    /** Images per grid row (default {@value #DEFAULT_COLUMNS}). */
    public ImageGrid columns(int columns) {
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be positive but was " + columns);
        }
        this.columns = columns;
        return this;
    }

    /** Separator width in output pixels, 0 for none (default {@value #DEFAULT_SEPARATOR}). */
    public ImageGrid separator(int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("separator must be >= 0 but was " + pixels);
        }
        this.separator = pixels;
        return this;
    }

    /** Upscaling factor, 1 for none (default {@value #DEFAULT_SCALE}). */
    public ImageGrid scale(int factor) {
        if (factor < 1 || factor > 64) {
            throw new IllegalArgumentException("scale must be in 1..64 but was " + factor);
        }
        this.scale = factor;
        return this;
    }

    /** Gray value of separators and empty cells, in [0, 1] (default {@value #DEFAULT_SEPARATOR_GRAY}). */
    public ImageGrid separatorGray(float gray) {
        this.separatorGray = gray;
        return this;
    }

    /**
     * Renders {@code images} ([N, channels*rows*cols], or any shape with N first and channels*rows*cols values per
     * image).
     */
    public BufferedImage render(INDArray images) {
        return render(toRows(images));
    }

    /**
     * Renders {@code images}, each {@code channels*rows*cols} values (CHW, each plane row-major); a null entry is an
     * empty cell
     * (drawn in the separator gray), which lets callers lay out rows of different lengths.
     */
    public BufferedImage render(float[][] images) {
        int n = images.length;
        if (n == 0) {
            throw new IllegalArgumentException("No images to render");
        }
        int gridCols = Math.min(columns, n);
        int gridRows = (n + columns - 1) / columns;
        int cellW = cols * scale;
        int cellH = rows * scale;
        long width = (long) gridCols * cellW + (long) (gridCols - 1) * separator;
        long height = (long) gridRows * cellH + (long) (gridRows - 1) * separator;
        if (width * height > 1L << 28) {
            throw new IllegalArgumentException("Image grid of " + width + "x" + height + " pixels is too large: "
                    + "write fewer images or a smaller scale");
        }
        if (channels == 3) {
            return renderRgb(images, (int) width, (int) height, cellW, cellH);
        }
        BufferedImage img = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int background = toByte(separatorGray);
        int[] fill = new int[(int) width];
        Arrays.fill(fill, background);
        for (int y = 0; y < height; y++) {
            raster.setSamples(0, y, (int) width, 1, 0, fill);
        }
        for (int i = 0; i < n; i++) {
            float[] image = images[i];
            if (image == null) {
                continue;
            }
            checkLength(image, i);
            int x0 = (i % columns) * (cellW + separator);
            int y0 = (i / columns) * (cellH + separator);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int v = toByte(image[r * cols + c]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(x0 + c * scale + dx, y0 + r * scale + dy, 0, v);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** {@link #render(float[][])} for colour images: an RGB image, the separators in the separator gray. */
    private BufferedImage renderRgb(float[][] images, int width, int height, int cellW, int cellH) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int g = toByte(separatorGray);
        int[] fill = new int[width];
        Arrays.fill(fill, (g << 16) | (g << 8) | g);
        for (int y = 0; y < height; y++) {
            img.setRGB(0, y, width, 1, fill, 0, width);
        }
        int plane = rows * cols;
        for (int i = 0; i < images.length; i++) {
            float[] image = images[i];
            if (image == null) {
                continue;
            }
            checkLength(image, i);
            int x0 = (i % columns) * (cellW + separator);
            int y0 = (i / columns) * (cellH + separator);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int p = r * cols + c;
                    int rgb = (toByte(image[p]) << 16) | (toByte(image[plane + p]) << 8) | toByte(image[2 * plane + p]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    private void checkLength(float[] image, int i) {
        if (image.length != valuesPerImage()) {
            throw new IllegalArgumentException("Image " + i + " has " + image.length + " values but a " + describe()
                    + " image has " + valuesPerImage());
        }
    }

    /** Renders and atomically writes {@code images} as a PNG; returns {@code path}. */
    public Path write(Path path, INDArray images) {
        return writePng(path, render(images));
    }

    /** Renders and atomically writes {@code images} (null entries are empty cells) as a PNG; returns {@code path}. */
    public Path write(Path path, float[][] images) {
        return writePng(path, render(images));
    }

    /**
     * Inputs above their reconstructions: for N pairs and C = min(N, {@value #DEFAULT_COLUMNS}) columns, a row of
     * C inputs, below it the row of their C outputs, then the next C inputs, and so on.
     */
    public static Path writeReconstructions(Path path, INDArray inputs, INDArray outputs, int rows, int cols) {
        int n = (int) inputs.size(0);
        return writeReconstructions(path, inputs, outputs, rows, cols, Math.max(1, Math.min(n, DEFAULT_COLUMNS)));
    }

    /** {@link #writeReconstructions(Path, INDArray, INDArray, int, int)} with {@code columns} pairs per row. */
    public static Path writeReconstructions(
            Path path, INDArray inputs, INDArray outputs, int rows, int cols, int columns) {
        return writeReconstructions(path, inputs, outputs, 1, rows, cols, columns);
    }

    /** {@link #writeReconstructions(Path, INDArray, INDArray, int, int, int)} of images with {@code channels}. */
    public static Path writeReconstructions(
            Path path, INDArray inputs, INDArray outputs, int channels, int rows, int cols, int columns) {
        return writePng(
                path, new ImageGrid(channels, rows, cols).columns(columns).renderReconstructions(inputs, outputs));
    }

    /** Renders inputs above their outputs, {@link #columns} pairs per row, as {@link #writeReconstructions} writes them. */
    public BufferedImage renderReconstructions(INDArray inputs, INDArray outputs) {
        float[][] in = toRows(inputs);
        float[][] out = toRows(outputs);
        if (in.length != out.length) {
            throw new IllegalArgumentException("Reconstructions need as many outputs as inputs but got " + in.length
                    + " inputs and " + out.length + " outputs");
        }
        return render(interleaveRows(in, out, columns));
    }

    /** Writes {@code samples} ([N, rows*cols]) in a grid of {@code columns} per row. */
    public static Path writeSamples(Path path, INDArray samples, int rows, int cols, int columns) {
        return writeSamples(path, samples, 1, rows, cols, columns);
    }

    /** Writes {@code samples} ([N, channels*rows*cols]) in a grid of {@code columns} per row. */
    public static Path writeSamples(Path path, INDArray samples, int channels, int rows, int cols, int columns) {
        return new ImageGrid(channels, rows, cols).columns(columns).write(path, samples);
    }

    /** Cells for {@link #render(float[][])}: chunks of {@code columns} from {@code a}, each followed by the same from {@code b}. */
    static float[][] interleaveRows(float[][] a, float[][] b, int columns) {
        List<float[]> cells = new ArrayList<>();
        for (int start = 0; start < a.length; start += columns) {
            int end = Math.min(a.length, start + columns);
            for (int i = start; i < end; i++) {
                cells.add(a[i]);
            }
            // pad a short last input row so its outputs start on a grid row of their own
            cells.addAll(Collections.nCopies(start + columns - end, (float[]) null));
            for (int i = start; i < end; i++) {
                cells.add(b[i]);
            }
        }
        return cells.toArray(new float[0][]);
    }

    private float[][] toRows(INDArray images) {
        if (images == null || images.rank() < 1 || images.isEmpty()) {
            throw new IllegalArgumentException("No images to render");
        }
        long n = images.rank() == 1 ? 1 : images.size(0);
        long per = images.length() / n;
        if (per != valuesPerImage()) {
            throw new IllegalArgumentException("Images of shape " + Arrays.toString(images.shape()) + " have " + per
                    + " values each but a " + describe() + " image has " + valuesPerImage());
        }
        INDArray matrix = images.castTo(DataType.FLOAT).reshape('c', n, per);
        return matrix.toFloatMatrix();
    }

    private static int toByte(float v) {
        if (!(v > 0f)) {
            return 0; // also NaN
        }
        if (v >= 1f) {
            return 255;
        }
        return Math.round(v * 255f);
    }

    private static Path writePng(Path path, BufferedImage img) {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write image grid " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
