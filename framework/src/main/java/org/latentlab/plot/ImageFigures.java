package org.latentlab.plot;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Figures made of images (values in [0, 1], 0 black; grey, or colour when made with 3 channels): reconstructions,
 * samples, interpolations
 * between codes, the decoded 2-D latent manifold and first-layer filters. The cells are rendered by
 * {@link ImageGrid}; titles and row/column labels are drawn as text around them.
 *
 * <p>Each method writes {@code NAME.png}, {@code NAME.svg} (the cells as one embedded PNG drawn 1:1, marked
 * {@code image-rendering:pixelated}; the labels as SVG text) and {@code NAME.csv} into a folder, atomically, and
 * returns their paths. Every CSV has one row per image: what it is (role, index, label, code values ...) and
 * then its pixels {@code p0..p(D-1)} in row-major order (colour images: CHW, the red plane, then green, then blue,
 * as the dataset rows), written with {@link Float#toString} so they parse back
 * exactly. Instances hold the image size and layout settings; they are mutable and not thread-safe.
 *
 * <pre>{@code
 * ImageFigures f = new ImageFigures(28, 28);
 * f.reconstructions(dir, "reconstructions", "VAE: test inputs and reconstructions", x, model.reconstruct(x, noise), labels);
 * f.samples(dir, "samples", "VAE: samples from the prior", ((Generative) model).sample(64, noise));
 * f.interpolation(dir, "interpolation", "Interpolation between test images", model, xa, xb, 10);
 * f.manifold(dir, "manifold", "Decoded latent grid", model, 20, test.features());
 * ImageFigures.filters(dir, "filters", "First-layer filters", FirstLayerWeights.of(model, 28, 28), 100);
 * }</pre>
 */
public final class ImageFigures {
    /** Default images per grid row. */
    public static final int DEFAULT_COLUMNS = 10;
    /** Default upscaling of each image pixel. */
    public static final int DEFAULT_SCALE = 2;
    /** Most steps an interpolation may have. */
    public static final int MAX_STEPS = 50;
    /** Most cells per side of a manifold grid. */
    public static final int MAX_MANIFOLD = 60;

    private static final int SEPARATOR = 2;
    private static final int MARGIN = 16;
    /**
     * Height in pixels of the title band at the top of every figure this class writes. A panel grid that titles
     * each panel itself leaves the band out ({@link PanelGrid.Panel#belowTitle}).
     */
    public static final int TITLE_BAND = 44;

    private final int channels;
    private final int rows;
    private final int cols;
    private int columns = DEFAULT_COLUMNS;
    private int scale = DEFAULT_SCALE;

    /** Figures of grey images that are {@code imageRows} high and {@code imageCols} wide (28 x 28 for MNIST). */
    public ImageFigures(int imageRows, int imageCols) {
        this(1, imageRows, imageCols);
    }

    /**
     * Figures of images of {@code channels} planes (1: grey; 3: red, green, blue, CHW, drawn in colour), each
     * {@code imageRows} high and {@code imageCols} wide (3 x 32 x 32 for CIFAR-10).
     */
    public ImageFigures(int channels, int imageRows, int imageCols) {
        if (imageRows <= 0 || imageCols <= 0) {
            throw new IllegalArgumentException("image size must be positive but was " + imageRows + "x" + imageCols);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 (grey) or 3 (RGB) channels but have " + channels);
        }
        this.channels = channels;
        this.rows = imageRows;
        this.cols = imageCols;
    }

    /** Images per grid row for reconstructions and samples (default {@value #DEFAULT_COLUMNS}). */
    public ImageFigures columns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1 but was " + columns);
        }
        this.columns = columns;
        return this;
    }

    /** Output pixels per image pixel (default {@value #DEFAULT_SCALE}). */
    public ImageFigures scale(int scale) {
        if (scale < 1 || scale > 16) {
            throw new IllegalArgumentException("scale must be in 1..16 but was " + scale);
        }
        this.scale = scale;
        return this;
    }

    // ------------------------------------------------------------------------------------------------ reconstructions

    /**
     * Inputs above their reconstructions: a row of up to {@code columns} inputs labelled "input", below it the
     * row of their reconstructions labelled "reconstruction", then the next pair of rows. CSV:
     * {@code role,index,label,p0..} with role {@code input} or {@code reconstruction}, index the pair number and
     * label the class ({@code labels} may be null: empty cells).
     *
     * @throws IllegalArgumentException if the counts of inputs, reconstructions and labels differ, or an image
     *                                  does not have rows*cols values
     */
    public PlotFiles reconstructions(
            Path dir, String name, String title, INDArray inputs, INDArray reconstructions, int[] labels) {
        float[][] in = images("inputs", inputs);
        float[][] out = images("reconstructions", reconstructions);
        if (in.length != out.length) {
            throw new IllegalArgumentException("reconstruction grid needs as many reconstructions as inputs but got "
                    + in.length + " inputs and " + out.length + " reconstructions");
        }
        checkLabels(labels, in.length, "inputs");
        int c = Math.min(columns, in.length);
        float[][] cells = ImageGrid.interleaveRows(in, out, c);
        int gridRows = (cells.length + c - 1) / c;
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < gridRows; r++) {
            rowLabels.add(r % 2 == 0 ? "input" : "reconstruction");
        }
        Csv csv = new Csv(header(List.of("role", "index", "label")));
        for (int i = 0; i < in.length; i++) {
            csv.row(List.of("input", i, labelCell(labels, i)), in[i]);
            csv.row(List.of("reconstruction", i, labelCell(labels, i)), out[i]);
        }
        return write(dir, name, title, cells, c, rowLabels, List.of(), "", csv);
    }

    // ------------------------------------------------------------------------------------------------ denoising

    /**
     * What a denoising model does: for each group of up to {@code columns} test images, a row of corrupted
     * inputs ("noisy"), below it the model's reconstructions of them ("denoised"), then the clean images
     * ("clean"). CSV: {@code role,index,label,p0..} with role {@code noisy}, {@code denoised} or {@code clean}
     * and index the image number ({@code labels} may be null: empty cells).
     *
     * @throws IllegalArgumentException if the three image counts (or the label count) differ, or an image
     *                                  does not have rows*cols values
     */
    public PlotFiles denoising(
            Path dir, String name, String title, INDArray noisy, INDArray denoised, INDArray clean, int[] labels) {
        float[][] in = images("noisy", noisy);
        float[][] out = images("denoised", denoised);
        float[][] target = images("clean", clean);
        if (in.length != out.length || in.length != target.length) {
            throw new IllegalArgumentException("denoising figure needs as many noisy, denoised and clean images but"
                    + " got " + in.length + ", " + out.length + " and " + target.length);
        }
        checkLabels(labels, in.length, "noisy images");
        int c = Math.min(columns, in.length);
        int groups = (in.length + c - 1) / c;
        float[][] cells = new float[groups * 3 * c][];
        List<String> rowLabels = new ArrayList<>();
        List<String> roles = List.of("noisy", "denoised", "clean");
        float[][][] byRole = {in, out, target};
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 3; r++) {
                rowLabels.add(roles.get(r));
                for (int j = 0; j < c && g * c + j < in.length; j++) {
                    cells[(g * 3 + r) * c + j] = byRole[r][g * c + j];
                }
            }
        }
        Csv csv = new Csv(header(List.of("role", "index", "label")));
        for (int i = 0; i < in.length; i++) {
            for (int r = 0; r < 3; r++) {
                csv.row(List.of(roles.get(r), i, labelCell(labels, i)), byRole[r][i]);
            }
        }
        return write(dir, name, title, cells, c, rowLabels, List.of(), "", csv);
    }

    // ------------------------------------------------------------------------------------------------ samples

    /** Samples (e.g. decoded draws from the prior) in rows of {@code columns}. CSV: {@code index,p0..}. */
    public PlotFiles samples(Path dir, String name, String title, INDArray samples) {
        float[][] cells = images("samples", samples);
        Csv csv = new Csv(header(List.of("index")));
        for (int i = 0; i < cells.length; i++) {
            csv.row(List.of(i), cells[i]);
        }
        return write(dir, name, title, cells, Math.min(columns, cells.length), List.of(), List.of(), "", csv);
    }

    // ------------------------------------------------------------------------------------------------ interpolation

    /**
     * For each pair p, the decoded points on the straight line between {@code codesA[p]} and {@code codesB[p]}:
     * {@code decoder((1 - t) a + t b)} for t = 0, 1/(steps-1), ..., 1, one row per pair. The ends are the
     * decodings of the given codes themselves (t = 0 and 1 give a and b exactly). CSV:
     * {@code pair,step,t,role,z0..z(d-1),p0..} with role {@code decoded}.
     *
     * @param decoder maps codes [n, d] to images [n, rows*cols], e.g. {@code model::decode}
     * @throws IllegalArgumentException if the code arrays differ in shape, are empty or not finite, steps is
     *                                  outside 2..{@value #MAX_STEPS}, or the decoder returns the wrong shape
     */
    public PlotFiles interpolation(
            Path dir,
            String name,
            String title,
            Function<INDArray, INDArray> decoder,
            INDArray codesA,
            INDArray codesB,
            int steps) {
        return interpolation(dir, name, title, decoder, codesA, codesB, steps, null, null);
    }

    /**
     * {@link #interpolation(Path, String, String, Function, INDArray, INDArray, int)} between the codes of
     * {@code inputsA[p]} and {@code inputsB[p]} ({@code model.encode}, then {@code model.decode}), with each
     * row framed by the two inputs themselves (roles {@code input_a}, {@code decoded}..., {@code input_b}), so
     * the decoded ends are the model's reconstructions next to their originals.
     */
    public PlotFiles interpolation(
            Path dir,
            String name,
            String title,
            AutoencoderModel<?> model,
            INDArray inputsA,
            INDArray inputsB,
            int steps) {
        float[][] a = images("inputsA", inputsA);
        float[][] b = images("inputsB", inputsB);
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "interpolation needs as many inputsB as inputsA but got " + a.length + " and " + b.length);
        }
        return interpolation(
                dir, name, title, model::decode, model.encode(inputsA), model.encode(inputsB), steps, a, b);
    }

    private PlotFiles interpolation(
            Path dir,
            String name,
            String title,
            Function<INDArray, INDArray> decoder,
            INDArray codesA,
            INDArray codesB,
            int steps,
            float[][] inputsA,
            float[][] inputsB) {
        if (steps < 2 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("interpolation steps must be in 2.." + MAX_STEPS + " but was " + steps);
        }
        double[][] a = codes("codesA", codesA);
        double[][] b = codes("codesB", codesB);
        if (a.length != b.length || a[0].length != b[0].length) {
            throw new IllegalArgumentException("interpolation needs codesA and codesB of the same shape but got ["
                    + a.length + ", " + a[0].length + "] and [" + b.length + ", " + b[0].length + "]");
        }
        int pairs = a.length;
        int d = a[0].length;
        double[] t = new double[steps];
        for (int s = 0; s < steps; s++) {
            t[s] = s / (double) (steps - 1);
        }
        float[][] z = new float[pairs * steps][d];
        for (int p = 0; p < pairs; p++) {
            for (int s = 0; s < steps; s++) {
                for (int j = 0; j < d; j++) {
                    // (1 - t) a + t b is exactly a at t = 0 and exactly b at t = 1
                    z[p * steps + s][j] = (float) ((1 - t[s]) * a[p][j] + t[s] * b[p][j]);
                }
            }
        }
        float[][] decoded = decode(decoder, z);
        boolean framed = inputsA != null;
        int width = steps + (framed ? 2 : 0);
        float[][] cells = new float[pairs * width][];
        Csv csv = new Csv(header(concat(List.of("pair", "step", "t", "role"), Csv.numbered("z", d))));
        for (int p = 0; p < pairs; p++) {
            int at = p * width;
            if (framed) {
                cells[at++] = inputsA[p];
                csv.row(concat(List.of(p, "", "", "input_a"), Collections.nCopies(d, "")), inputsA[p]);
            }
            for (int s = 0; s < steps; s++) {
                float[] image = decoded[p * steps + s];
                cells[at++] = image;
                List<Object> prefix = new ArrayList<>(List.of(p, s, t[s], "decoded"));
                for (float v : z[p * steps + s]) {
                    prefix.add(v);
                }
                csv.row(prefix, image);
            }
            if (framed) {
                cells[at] = inputsB[p];
                csv.row(concat(List.of(p, "", "", "input_b"), Collections.nCopies(d, "")), inputsB[p]);
            }
        }
        List<String> colLabels = new ArrayList<>();
        if (framed) {
            colLabels.add("input");
        }
        for (double v : t) {
            colLabels.add(String.format(Locale.ROOT, "t=%.2f", v));
        }
        if (framed) {
            colLabels.add("input");
        }
        List<String> rowLabels = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            rowLabels.add("pair " + (p + 1));
        }
        return write(dir, name, title, cells, width, rowLabels, colLabels, "", csv);
    }

    // ------------------------------------------------------------------------------------------------ manifold

    /**
     * The decoder over a 2-D grid of codes: cell (row r, column c) shows {@code decoder([z1[c], z2[r]])}, so
     * z1 runs across and z2 down in the order given. Column labels are the z1 values, row labels the z2 values.
     * CSV: {@code row,col,z1,z2,p0..}, one row per cell (the pixels in the same file, so one table holds the
     * whole figure).
     *
     * @throws IllegalArgumentException for an empty or non-finite value list, more than
     *                                  {@value #MAX_MANIFOLD} values per side, or a decoder output of the wrong
     *                                  shape
     */
    public PlotFiles manifold(
            Path dir, String name, String title, Function<INDArray, INDArray> decoder, double[] z1, double[] z2) {
        checkAxis("z1", z1);
        checkAxis("z2", z2);
        float[][] z = new float[z1.length * z2.length][];
        for (int r = 0; r < z2.length; r++) {
            for (int c = 0; c < z1.length; c++) {
                z[r * z1.length + c] = new float[] {(float) z1[c], (float) z2[r]};
            }
        }
        float[][] decoded = decode(decoder, z);
        Csv csv = new Csv(header(List.of("row", "col", "z1", "z2")));
        for (int r = 0; r < z2.length; r++) {
            for (int c = 0; c < z1.length; c++) {
                float[] cell = z[r * z1.length + c];
                csv.row(List.of(r, c, cell[0], cell[1]), decoded[r * z1.length + c]);
            }
        }
        List<String> colLabels =
                Arrays.stream(z1).mapToObj(ImageFigures::axisValue).toList();
        List<String> rowLabels =
                Arrays.stream(z2).mapToObj(ImageFigures::axisValue).toList();
        return write(dir, name, title, decoded, z1.length, rowLabels, colLabels, "z2 \\ z1", csv);
    }

    /**
     * The manifold of a model with a 2-D code, {@code n x n} cells. For a {@link Generative} model the values on
     * both axes are the standard normal quantiles {@link StandardNormal#quantileGrid(int)} (equal prior
     * probability per step, Kingma &amp; Welling 2014, fig. 4) and {@code data} may be null; for any other model
     * they are n evenly spaced values from the smallest to the largest code of {@code data} on that axis
     * ({@link #codeRange}). z2 is laid out from its largest value at the top to its smallest at the bottom,
     * so the grid has the orientation of a latent scatter plot (z1 to the right, z2 up).
     *
     * @throws IllegalArgumentException if the code is not 2-D, n is outside 2..{@value #MAX_MANIFOLD}, or a
     *                                  non-generative model comes without data
     */
    public PlotFiles manifold(Path dir, String name, String title, AutoencoderModel<?> model, int n, INDArray data) {
        if (model.codeSize() != 2) {
            throw new IllegalArgumentException("a manifold grid needs a model with a 2-D code but "
                    + model.getClass().getSimpleName() + " has codeSize " + model.codeSize());
        }
        if (n < 2 || n > MAX_MANIFOLD) {
            throw new IllegalArgumentException("manifold grid size must be in 2.." + MAX_MANIFOLD + " but was " + n);
        }
        double[] z1;
        double[] z2;
        if (model instanceof Generative) {
            z1 = StandardNormal.quantileGrid(n);
            z2 = StandardNormal.quantileGrid(n);
        } else {
            if (data == null || data.isEmpty()) {
                throw new IllegalArgumentException("a manifold grid of the non-generative "
                        + model.getClass().getSimpleName() + " needs data whose codes give the range");
            }
            INDArray codes = model.encode(data);
            z1 = codeRange(codes, 0, n);
            z2 = codeRange(codes, 1, n);
        }
        return manifold(dir, name, title, model::decode, z1, reversed(z2));
    }

    /**
     * {@code n} evenly spaced values from the smallest to the largest value of column {@code dim} of
     * {@code codes} ([N, d]), both ends included.
     */
    public static double[] codeRange(INDArray codes, int dim, int n) {
        double[][] c = codes("codes", codes);
        if (dim < 0 || dim >= c[0].length) {
            throw new IllegalArgumentException("code dimension " + dim + " is outside 0.." + (c[0].length - 1));
        }
        if (n < 2) {
            throw new IllegalArgumentException("a code range needs n >= 2 but was " + n);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : c) {
            min = Math.min(min, row[dim]);
            max = Math.max(max, row[dim]);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i == n - 1 ? max : min + (max - min) * i / (n - 1);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------------ filters

    /**
     * First-layer filters: dense weights {@code [rows*cols, H]}, one image per column; see
     * {@link #filters(Path, String, String, FirstLayerWeights, int)}.
     */
    public PlotFiles filters(Path dir, String name, String title, INDArray weights, int maxFilters) {
        return filters(
                dir, name, title, FirstLayerWeights.ofMatrix("weights", weights, channels, rows, cols), maxFilters);
    }

    /**
     * The first {@code min(count, maxFilters)} filters of {@code layer}, each scaled to its own range,
     * (w - min) / (max - min), so each shows its pattern at full contrast (a constant filter is drawn mid-gray),
     * ten per row; small convolution kernels are enlarged to at least 40 pixels. CSV:
     * {@code filter,raw_min,raw_max,p0..} with the normalised pixels (raw = raw_min + p * (raw_max - raw_min)).
     *
     * @throws IllegalArgumentException if maxFilters is below 1
     */
    public static PlotFiles filters(Path dir, String name, String title, FirstLayerWeights layer, int maxFilters) {
        if (maxFilters < 1) {
            throw new IllegalArgumentException("maxFilters must be >= 1 but was " + maxFilters);
        }
        int n = Math.min(layer.count(), maxFilters);
        float[][] cells = new float[n][];
        Csv csv = new Csv(concat(
                List.of("filter", "raw_min", "raw_max"),
                Csv.numbered("p", layer.channels() * layer.rows() * layer.cols())));
        for (int i = 0; i < n; i++) {
            float[] w = layer.filters()[i];
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : w) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            cells[i] = normalise(w, min, max);
            csv.row(List.of(i, min, max), cells[i]);
        }
        int scale = Math.max(DEFAULT_SCALE, (int) Math.ceil(40.0 / Math.max(layer.rows(), layer.cols())));
        String subtitle = (title == null || title.isBlank() ? "First-layer filters" : title) + " (" + n + " of "
                + layer.count() + ", " + layer.variable() + ")";
        ImageFigures f = new ImageFigures(layer.channels(), layer.rows(), layer.cols()).scale(Math.min(scale, 16));
        return f.write(dir, name, subtitle, cells, Math.min(10, n), List.of(), List.of(), "", csv);
    }

    /** {@code (v - min) / (max - min)} per value; 0.5 everywhere when the filter is constant. */
    static float[] normalise(float[] w, float min, float max) {
        float[] out = new float[w.length];
        if (!(max > min)) {
            Arrays.fill(out, 0.5f);
            return out;
        }
        double range = (double) max - min;
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) ((w[i] - (double) min) / range);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ layout

    /**
     * Renders {@code cells} ({@code gridColumns} per row, null = blank) with {@link ImageGrid} and writes it under
     * a title, with optional labels left of each grid row and above each grid column.
     */
    private PlotFiles write(
            Path dir,
            String name,
            String title,
            float[][] cells,
            int gridColumns,
            List<String> rowLabels,
            List<String> colLabels,
            String corner,
            Csv csv) {
        FigureWriter.init();
        BufferedImage grid = new ImageGrid(channels, rows, cols)
                .columns(gridColumns)
                .scale(scale)
                .separator(SEPARATOR)
                .separatorGray(1f)
                .render(cells);
        int cellW = cols * scale;
        int cellH = rows * scale;
        Font rowFont = FigureWriter.LABEL_FONT;
        Font colFont = FigureWriter.SMALL_FONT;
        int rowLabelWidth = 0;
        for (String s : rowLabels) {
            rowLabelWidth = Math.max(rowLabelWidth, FigureWriter.textWidth(s, rowFont));
        }
        if (!corner.isEmpty()) {
            rowLabelWidth = Math.max(rowLabelWidth, FigureWriter.textWidth(corner, colFont));
        }
        int labelGap = rowLabelWidth > 0 ? 10 : 0;
        int colBand = colLabels.isEmpty() ? 0 : FigureWriter.lineHeight(colFont) + 6;
        int contentWidth = rowLabelWidth + labelGap + grid.getWidth();
        // A title wider than the images is drawn smaller (down to Figures.drawFitted's 9 points) before it widens
        // the figure: a run's long name must not make its images a small part of a wide, mostly empty figure (as
        // panels side by side in a sweep's grids they would be lost in white space).
        int titleWidth = title == null ? 0 : fittedTitleWidth(title, contentWidth);
        int width = Math.max(contentWidth, titleWidth) + 2 * MARGIN;
        int height = TITLE_BAND + colBand + grid.getHeight() + MARGIN;
        int left = (width - contentWidth) / 2 + rowLabelWidth + labelGap;
        int top = TITLE_BAND + colBand;
        int labelRight = left - labelGap;
        int stepX = cellW + SEPARATOR;
        int stepY = cellH + SEPARATOR;
        int colStride = stride(colLabels, colFont, stepX, true);
        int rowStride = stride(rowLabels, rowFont, stepY, false);
        FigureWriter.Painter painter = (g, w, h) -> {
            if (title != null && !title.isEmpty()) {
                Figures.drawFitted(g, title, FigureWriter.TITLE_FONT, w / 2.0, 29, w - 2 * MARGIN);
            }
            for (int c = 0; c < colLabels.size(); c += colStride) {
                FigureWriter.drawCentered(g, colLabels.get(c), colFont, left + c * stepX + cellW / 2.0, top - 6);
            }
            for (int r = 0; r < rowLabels.size(); r += rowStride) {
                FigureWriter.drawRight(g, rowLabels.get(r), rowFont, labelRight, top + r * stepY + cellH / 2.0);
            }
            if (!corner.isEmpty()) {
                FigureWriter.drawRight(
                        g, corner, colFont, labelRight, top - 6 - FigureWriter.lineHeight(colFont) / 3.0);
            }
            g.drawImage(grid, left, top, null);
        };
        return FigureWriter.write(dir, name, title, width, height, painter, csv.toString());
    }

    /** Width of {@code title} at the size {@link Figures#drawFitted} draws it when it has {@code room} pixels. */
    private static int fittedTitleWidth(String title, int room) {
        Font f = FigureWriter.TITLE_FONT;
        while (f.getSize2D() > 9f && FigureWriter.textWidth(title, f) > room) {
            f = f.deriveFont(f.getSize2D() - 1f);
        }
        return FigureWriter.textWidth(title, f);
    }

    /** Every how many labels to draw so that neighbours (side by side, or one above the other) do not overlap. */
    private static int stride(List<String> labels, Font font, int step, boolean sideBySide) {
        if (labels.isEmpty()) {
            return 1;
        }
        int extent = FigureWriter.lineHeight(font) + 2;
        if (sideBySide) {
            extent = 0;
            for (String s : labels) {
                extent = Math.max(extent, FigureWriter.textWidth(s, font));
            }
            extent += 6;
        }
        return Math.max(1, (int) Math.ceil(extent / (double) step));
    }

    // ------------------------------------------------------------------------------------------------ checks

    private float[][] images(String what, INDArray images) {
        if (images == null || images.isEmpty() || images.rank() < 1) {
            throw new IllegalArgumentException(what + ": no images");
        }
        long n = images.rank() == 1 ? 1 : images.size(0);
        long per = images.length() / n;
        if (per != (long) channels * rows * cols) {
            throw new IllegalArgumentException(what + " of shape " + Arrays.toString(images.shape()) + " have " + per
                    + " values per image but " + describe() + " images have " + channels * rows * cols);
        }
        return images.castTo(DataType.FLOAT).reshape('c', n, per).toFloatMatrix();
    }

    private static double[][] codes(String what, INDArray codes) {
        if (codes == null || codes.isEmpty() || codes.rank() != 2 || codes.size(0) == 0 || codes.size(1) == 0) {
            throw new IllegalArgumentException(what + " must be a non-empty matrix [n, codeSize] but have shape "
                    + (codes == null ? "null" : Arrays.toString(codes.shape())));
        }
        double[][] c = codes.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                if (!Double.isFinite(c[i][j])) {
                    throw new IllegalArgumentException(what + "[" + i + ", " + j + "] is not finite: " + c[i][j]);
                }
            }
        }
        return c;
    }

    private float[][] decode(Function<INDArray, INDArray> decoder, float[][] z) {
        INDArray out = decoder.apply(Nd4j.create(z));
        if (out == null || out.rank() < 1 || out.size(0) != z.length) {
            throw new IllegalArgumentException(
                    "decoder returned " + (out == null ? "null" : "shape " + Arrays.toString(out.shape())) + " for "
                            + z.length + " codes; expected ["
                            + z.length + ", " + channels * rows * cols + "]");
        }
        return images("decoder output", out);
    }

    private static void checkAxis(String axis, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("manifold " + axis + " values are empty");
        }
        if (values.length > MAX_MANIFOLD) {
            throw new IllegalArgumentException(
                    "manifold " + axis + " has " + values.length + " values; at most " + MAX_MANIFOLD);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("manifold " + axis + "[" + i + "] is not finite: " + values[i]);
            }
        }
    }

    private static void checkLabels(int[] labels, int n, String what) {
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("got " + labels.length + " labels for " + n + " " + what);
        }
    }

    private static Object labelCell(int[] labels, int i) {
        return labels == null ? "" : labels[i];
    }

    private List<String> header(List<String> prefix) {
        return concat(prefix, Csv.numbered("p", channels * rows * cols));
    }

    /** {@code HxW} for grey images, {@code CxHxW} for colour ones, for messages. */
    private String describe() {
        return channels == 1 ? rows + "x" + cols : channels + "x" + rows + "x" + cols;
    }

    private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static double[] reversed(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[v.length - 1 - i];
        }
        return out;
    }

    private static String axisValue(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
