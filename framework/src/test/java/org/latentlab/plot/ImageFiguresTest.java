package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.train.TinyAutoencoder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ImageFiguresTest {
    private static final int D = 784;
    private static ImageDataset mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void data() {
        mnist = Datasets.load(Datasets.MNIST_SAMPLE).test();
    }

    private static INDArray firstImages(int n) {
        return mnist.features(IntStream.range(0, n).toArray());
    }

    /** A decoder written in plain Java: pixel p of code z is sigmoid(sum_j z_j sin(0.01 p (j + 1) + j)). */
    private static float[] decodeOne(float[] z) {
        float[] out = new float[D];
        for (int p = 0; p < D; p++) {
            double s = 0;
            for (int j = 0; j < z.length; j++) {
                s += z[j] * Math.sin(0.01 * p * (j + 1) + j);
            }
            out[p] = (float) (1 / (1 + Math.exp(-s)));
        }
        return out;
    }

    private static final Function<INDArray, INDArray> DECODER = codes -> {
        float[][] z = codes.castTo(DataType.FLOAT).toFloatMatrix();
        float[][] out = new float[z.length][];
        for (int i = 0; i < z.length; i++) {
            out[i] = decodeOne(z[i]);
        }
        return Nd4j.create(out);
    };

    private static float[] pixels(List<String> row, int from) {
        float[] p = new float[D];
        for (int i = 0; i < D; i++) {
            p[i] = Float.parseFloat(row.get(from + i));
        }
        return p;
    }

    /** The raster embedded in the SVG's single {@code <image>} element. */
    private static BufferedImage embeddedImage(Document svg) throws Exception {
        NodeList images = svg.getElementsByTagNameNS("*", "image");
        assertEquals(1, images.getLength(), "one embedded raster");
        Element image = (Element) images.item(0);
        assertTrue(image.getAttribute("style").contains("pixelated"));
        String href = image.getAttributeNS("http://www.w3.org/1999/xlink", "href");
        assertTrue(href.startsWith("data:image/png;base64,"), "lossless PNG cells");
        byte[] png = Base64.getDecoder().decode(href.substring("data:image/png;base64,".length()));
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** Where {@code small} (gray) lies in {@code big} (RGB, gray drawn as r = g = b), or null. */
    private static int[] find(BufferedImage big, BufferedImage small) {
        for (int y = 0; y + small.getHeight() <= big.getHeight(); y++) {
            for (int x = 0; x + small.getWidth() <= big.getWidth(); x++) {
                if (matches(big, small, x, y)) {
                    return new int[] {x, y};
                }
            }
        }
        return null;
    }

    private static boolean matches(BufferedImage big, BufferedImage small, int x0, int y0) {
        for (int y = 0; y < small.getHeight(); y++) {
            for (int x = 0; x < small.getWidth(); x++) {
                int rgb = big.getRGB(x0 + x, y0 + y);
                int v = small.getRaster().getSample(x, y, 0);
                if ((rgb & 255) != v || ((rgb >> 8) & 255) != v || ((rgb >> 16) & 255) != v) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void reconstructionGridPairsRowsAndKeepsEveryPixel() throws Exception {
        int n = 12;
        INDArray x = firstImages(n);
        INDArray rec = x.mul(0.5).add(0.25);
        int[] labels = mnist.labels(IntStream.range(0, n).toArray());
        PlotFiles f =
                new ImageFigures(28, 28).reconstructions(tmp, "rec", "Inputs and reconstructions", x, rec, labels);
        PlotChecks.checkFiles(f, tmp, "rec");

        // 12 pairs in rows of 10: input row, its reconstructions, the 2 remaining inputs, their reconstructions
        float[][] cells = ImageGrid.interleaveRows(x.toFloatMatrix(), rec.toFloatMatrix(), 10);
        BufferedImage grid = new ImageGrid(28, 28)
                .columns(10)
                .scale(2)
                .separator(2)
                .separatorGray(1f)
                .render(cells);
        assertEquals(4 * 56 + 3 * 2, grid.getHeight());
        BufferedImage png = PlotChecks.png(f);
        assertEquals(44 + grid.getHeight() + 16, png.getHeight());
        int[] at = find(png, grid);
        assertTrue(at != null && at[1] == 44, "the cells are drawn 1:1 below the title");
        Document svg = PlotChecks.svg(f);
        BufferedImage embedded = embeddedImage(svg);
        assertTrue(embedded.getWidth() == grid.getWidth() && matches(toRgb(embedded), grid, 0, 0), "SVG cells exact");
        List<String> texts = PlotChecks.svgTexts(svg);
        assertTrue(texts.contains("Inputs and reconstructions"));
        assertEquals(2, texts.stream().filter("input"::equals).count(), "row labels: " + texts);
        assertEquals(2, texts.stream().filter("reconstruction"::equals).count(), "row labels: " + texts);

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("role", "index", "label", "p0"), csv.get(0).subList(0, 4));
        assertEquals("p783", csv.get(0).get(3 + 783));
        assertEquals(1 + 2 * n, csv.size());
        float[][] in = x.toFloatMatrix();
        float[][] out = rec.toFloatMatrix();
        for (int i = 0; i < n; i++) {
            List<String> a = csv.get(1 + 2 * i);
            List<String> b = csv.get(2 + 2 * i);
            assertEquals(List.of("input", String.valueOf(i), String.valueOf(labels[i])), a.subList(0, 3));
            assertEquals(List.of("reconstruction", String.valueOf(i), String.valueOf(labels[i])), b.subList(0, 3));
            assertTrue(Arrays.equals(in[i], pixels(a, 3)), "input " + i + " round-trips exactly");
            assertTrue(Arrays.equals(out[i], pixels(b, 3)), "reconstruction " + i + " round-trips exactly");
        }
    }

    @Test
    void denoisingGridStacksNoisyDenoisedAndCleanRows() throws Exception {
        int n = 13;
        INDArray clean = firstImages(n);
        INDArray noisy = clean.mul(0.5).add(0.5);
        INDArray denoised = clean.mul(0.8).add(0.1);
        int[] labels = mnist.labels(IntStream.range(0, n).toArray());
        PlotFiles f = new ImageFigures(28, 28)
                .denoising(tmp, "denoising", "Noisy, denoised and clean", noisy, denoised, clean, labels);
        PlotChecks.checkFiles(f, tmp, "denoising");

        // 13 images in groups of 10: noisy, denoised, clean rows of 10, then of 3 (the rest of those rows blank)
        float[][][] roles = {noisy.toFloatMatrix(), denoised.toFloatMatrix(), clean.toFloatMatrix()};
        float[][] cells = new float[6 * 10][];
        for (int g = 0; g < 2; g++) {
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < 10 && g * 10 + j < n; j++) {
                    cells[(g * 3 + r) * 10 + j] = roles[r][g * 10 + j];
                }
            }
        }
        BufferedImage grid = new ImageGrid(28, 28)
                .columns(10)
                .scale(2)
                .separator(2)
                .separatorGray(1f)
                .render(cells);
        BufferedImage png = PlotChecks.png(f);
        assertEquals(44 + grid.getHeight() + 16, png.getHeight());
        int[] at = find(png, grid);
        assertTrue(at != null && at[1] == 44, "the cells are drawn 1:1 below the title");
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        for (String role : List.of("noisy", "denoised", "clean")) {
            assertEquals(2, texts.stream().filter(role::equals).count(), role + " labels two rows: " + texts);
        }

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("role", "index", "label", "p0"), csv.get(0).subList(0, 4));
        assertEquals(1 + 3 * n, csv.size());
        List<String> names = List.of("noisy", "denoised", "clean");
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 3; r++) {
                List<String> row = csv.get(1 + 3 * i + r);
                assertEquals(List.of(names.get(r), String.valueOf(i), String.valueOf(labels[i])), row.subList(0, 3));
                assertTrue(Arrays.equals(roles[r][i], pixels(row, 3)), names.get(r) + " " + i + " exact");
            }
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageFigures(28, 28)
                        .denoising(tmp, "bad", "t", noisy, denoised, firstImages(3), labels))
                .getMessage()
                .contains("13, 13 and 3"));
    }

    private static BufferedImage toRgb(BufferedImage gray) {
        BufferedImage rgb = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < gray.getHeight(); y++) {
            for (int x = 0; x < gray.getWidth(); x++) {
                int v = gray.getRaster().getSample(x, y, 0);
                rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return rgb;
    }

    @Test
    void reconstructionGridRejectsMismatchedInput() {
        ImageFigures f = new ImageFigures(28, 28);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> f.reconstructions(tmp, "r", "t", firstImages(3), firstImages(2), null));
        assertTrue(e.getMessage().contains("3 inputs and 2 reconstructions"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> f.reconstructions(tmp, "r", "t", firstImages(3), firstImages(3), new int[2]));
        assertTrue(e.getMessage().contains("2 labels for 3"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> f.reconstructions(tmp, "r", "t", Nd4j.zeros(2, 100), Nd4j.zeros(2, 100), null));
        assertTrue(e.getMessage().contains("100 values per image"), e.getMessage());
    }

    @Test
    void sampleGridWritesEverySample() throws Exception {
        INDArray samples = Nd4j.rand(DataType.FLOAT, 16, D);
        PlotFiles f = new ImageFigures(28, 28).columns(8).samples(tmp, "samples", "Samples from the prior", samples);
        PlotChecks.checkFiles(f, tmp, "samples");
        BufferedImage png = PlotChecks.png(f);
        assertEquals(44 + 2 * 56 + 2 + 16, png.getHeight());
        BufferedImage grid = new ImageGrid(28, 28)
                .columns(8)
                .scale(2)
                .separator(2)
                .separatorGray(1f)
                .render(samples);
        assertTrue(find(png, grid) != null, "cells drawn exactly");
        assertTrue(PlotChecks.svgTexts(PlotChecks.svg(f)).contains("Samples from the prior"));
        List<List<String>> csv = PlotChecks.csv(f);
        float[][] s = samples.toFloatMatrix();
        for (int i = 0; i < 16; i++) {
            assertEquals(String.valueOf(i), csv.get(i + 1).get(0));
            assertTrue(Arrays.equals(s[i], pixels(csv.get(i + 1), 1)));
        }
        assertThrows(IllegalArgumentException.class, () -> new ImageFigures(28, 28)
                .samples(tmp, "s", "t", Nd4j.empty(DataType.FLOAT)));
    }

    @Test
    void interpolationWalksTheStraightLineAndEndsAtTheDecodedCodes() throws Exception {
        Random r = new Random(2);
        int pairs = 3;
        int d = 4;
        int steps = 5;
        float[][] a = new float[pairs][d];
        float[][] b = new float[pairs][d];
        for (int p = 0; p < pairs; p++) {
            for (int j = 0; j < d; j++) {
                a[p][j] = (float) r.nextGaussian();
                b[p][j] = (float) r.nextGaussian();
            }
        }
        PlotFiles f = new ImageFigures(28, 28)
                .interpolation(tmp, "interp", "Interpolation", DECODER, Nd4j.create(a), Nd4j.create(b), steps);
        PlotChecks.checkFiles(f, tmp, "interp");
        PlotChecks.png(f);
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        assertTrue(texts.containsAll(List.of("t=0.00", "t=0.25", "t=1.00", "pair 1", "pair 3")), texts.toString());

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(
                List.of("pair", "step", "t", "role", "z0", "z1", "z2", "z3", "p0"),
                csv.get(0).subList(0, 9));
        assertEquals(1 + pairs * steps, csv.size());
        for (int p = 0; p < pairs; p++) {
            for (int s = 0; s < steps; s++) {
                List<String> row = csv.get(1 + p * steps + s);
                double t = s / 4.0;
                assertEquals(
                        List.of(String.valueOf(p), String.valueOf(s), String.valueOf(t), "decoded"), row.subList(0, 4));
                float[] z = new float[d];
                for (int j = 0; j < d; j++) {
                    z[j] = (float) ((1 - t) * a[p][j] + t * b[p][j]);
                    assertEquals(z[j], Float.parseFloat(row.get(4 + j)));
                }
                assertTrue(Arrays.equals(decodeOne(z), pixels(row, 4 + d)));
            }
            // the ends are the decodings of the given codes themselves
            assertTrue(Arrays.equals(decodeOne(a[p]), pixels(csv.get(1 + p * steps), 4 + d)));
            assertTrue(Arrays.equals(decodeOne(b[p]), pixels(csv.get(p * steps + steps), 4 + d)));
        }
    }

    @Test
    void interpolationWithAModelFramesEachRowWithItsInputs() throws Exception {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(D, 2, 1.0), 5);
        INDArray xa = mnist.features(new int[] {0, 1});
        INDArray xb = mnist.features(new int[] {2, 3});
        PlotFiles f = new ImageFigures(28, 28).interpolation(tmp, "mi", "Model interpolation", model, xa, xb, 4);
        PlotChecks.png(f);
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(1 + 2 * (4 + 2), csv.size());
        float[][] recA = model.decode(model.encode(xa)).toFloatMatrix();
        float[][] recB = model.decode(model.encode(xb)).toFloatMatrix();
        for (int p = 0; p < 2; p++) {
            List<List<String>> rows = csv.subList(1 + p * 6, 7 + p * 6);
            assertEquals("input_a", rows.get(0).get(3));
            assertEquals("input_b", rows.get(5).get(3));
            assertTrue(Arrays.equals(xa.toFloatMatrix()[p], pixels(rows.get(0), 6)));
            assertTrue(Arrays.equals(xb.toFloatMatrix()[p], pixels(rows.get(5), 6)));
            float[] first = pixels(rows.get(1), 6);
            float[] last = pixels(rows.get(4), 6);
            for (int i = 0; i < D; i++) {
                assertEquals(recA[p][i], first[i], 1e-6, "t = 0 is the reconstruction of input a");
                assertEquals(recB[p][i], last[i], 1e-6, "t = 1 is the reconstruction of input b");
            }
        }
    }

    @Test
    void interpolationRejectsBadInput() {
        ImageFigures f = new ImageFigures(28, 28);
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 3);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> f.interpolation(tmp, "i", "t", DECODER, a, Nd4j.zeros(DataType.FLOAT, 2, 4), 5));
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.interpolation(tmp, "i", "t", DECODER, a, a, 1));
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 2, 3);
        nan.putScalar(1, 2, Float.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> f.interpolation(tmp, "i", "t", DECODER, a, nan, 3));
        assertTrue(e.getMessage().contains("codesB[1, 2]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> f.interpolation(tmp, "i", "t", c -> Nd4j.zeros(1, D), a, a, 3));
        assertTrue(e.getMessage().contains("decoder returned"), e.getMessage());
    }

    @Test
    void manifoldGridDecodesTheNormalQuantiles() throws Exception {
        double[] z1 = StandardNormal.quantileGrid(20);
        double[] z2 = new double[20];
        for (int i = 0; i < 20; i++) {
            z2[i] = z1[19 - i];
        }
        PlotFiles f = new ImageFigures(28, 28).manifold(tmp, "manifold", "Latent manifold", DECODER, z1, z2);
        PlotChecks.checkFiles(f, tmp, "manifold");
        BufferedImage png = PlotChecks.png(f);
        assertTrue(png.getWidth() >= 20 * 56 && png.getHeight() >= 20 * 56);
        List<String> texts = PlotChecks.svgTexts(PlotChecks.svg(f));
        assertTrue(texts.containsAll(List.of("1.96", "-1.96", "z2 \\ z1", "Latent manifold")), texts.toString());

        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("row", "col", "z1", "z2", "p0"), csv.get(0).subList(0, 5));
        assertEquals(1 + 400, csv.size());
        // Phi^-1(0.975) = 1.959964 is the last of the 20 midpoint quantiles (19.5 / 20 = 0.975)
        List<String> topRight = csv.get(1 + 19);
        assertEquals(List.of("0", "19"), topRight.subList(0, 2));
        assertEquals(1.959964, Float.parseFloat(topRight.get(2)), 1e-6);
        assertEquals(1.959964, Float.parseFloat(topRight.get(3)), 1e-6, "z2 is largest in the top row");
        NormalDistribution normal = new NormalDistribution(0, 1);
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 20; c++) {
                List<String> row = csv.get(1 + r * 20 + c);
                float zc = Float.parseFloat(row.get(2));
                float zr = Float.parseFloat(row.get(3));
                assertEquals(normal.inverseCumulativeProbability((c + 0.5) / 20), zc, 1e-6);
                assertEquals(normal.inverseCumulativeProbability((19 - r + 0.5) / 20), zr, 1e-6);
                assertTrue(Arrays.equals(decodeOne(new float[] {zc, zr}), pixels(row, 4)));
            }
        }
    }

    @Test
    void manifoldOfAGenerativeModelUsesQuantilesAndOfAPlainAutoencoderTheCodeRange() throws Exception {
        AutoencoderModel<?> gen = TinyGenerative.TYPE.build(new TinyGenerative.Config(D, 2), 3);
        List<List<String>> csv =
                PlotChecks.csv(new ImageFigures(28, 28).manifold(tmp, "g", "generative", gen, 4, null));
        NormalDistribution normal = new NormalDistribution(0, 1);
        for (int c = 0; c < 4; c++) {
            assertEquals(
                    normal.inverseCumulativeProbability((c + 0.5) / 4),
                    Float.parseFloat(csv.get(1 + c).get(2)),
                    1e-6);
            assertEquals(
                    normal.inverseCumulativeProbability((3 - c + 0.5) / 4),
                    Float.parseFloat(csv.get(1 + 4 * c).get(3)),
                    1e-6);
        }

        AutoencoderModel<?> ae = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(D, 2, 1.0), 3);
        INDArray data = firstImages(200);
        float[][] codes = ae.encode(data).toFloatMatrix();
        double min0 = Double.MAX_VALUE;
        double max0 = -Double.MAX_VALUE;
        double min1 = Double.MAX_VALUE;
        double max1 = -Double.MAX_VALUE;
        for (float[] code : codes) {
            min0 = Math.min(min0, code[0]);
            max0 = Math.max(max0, code[0]);
            min1 = Math.min(min1, code[1]);
            max1 = Math.max(max1, code[1]);
        }
        assertTrue(max0 > min0 && max1 > min1);
        csv = PlotChecks.csv(new ImageFigures(28, 28).manifold(tmp, "ae", "plain", ae, 5, data));
        assertEquals((float) min0, Float.parseFloat(csv.get(1).get(2)), "left column: smallest z1");
        assertEquals((float) max0, Float.parseFloat(csv.get(5).get(2)), "right column: largest z1");
        assertEquals((float) max1, Float.parseFloat(csv.get(1).get(3)), "top row: largest z2");
        assertEquals((float) min1, Float.parseFloat(csv.get(21).get(3)), "bottom row: smallest z2");
        assertEquals(
                (float) (min0 + (max0 - min0) / 2), Float.parseFloat(csv.get(3).get(2)), 1e-6);
    }

    @Test
    void manifoldRejectsWhatItCannotDraw() {
        ImageFigures f = new ImageFigures(28, 28);
        AutoencoderModel<?> wide = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(D, 8, 1.0), 3);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> f.manifold(tmp, "m", "t", wide, 10, firstImages(5)));
        assertTrue(e.getMessage().contains("2-D code") && e.getMessage().contains("codeSize 8"), e.getMessage());
        AutoencoderModel<?> ae = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(D, 2, 1.0), 3);
        e = assertThrows(IllegalArgumentException.class, () -> f.manifold(tmp, "m", "t", ae, 10, null));
        assertTrue(e.getMessage().contains("needs data"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> f.manifold(tmp, "m", "t", DECODER, new double[] {0, Double.NaN}, new double[] {0}));
        assertTrue(e.getMessage().contains("z1[1]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> f.manifold(tmp, "m", "t", DECODER, new double[0], new double[] {0}));
        assertTrue(e.getMessage().contains("z1 values are empty"), e.getMessage());
    }

    @Test
    void filtersAreEachScaledToTheirOwnRange() throws Exception {
        Random r = new Random(4);
        int units = 7;
        float[][] w = new float[D][units];
        for (int p = 0; p < D; p++) {
            for (int u = 0; u < units; u++) {
                // each unit on its own scale and offset; unit 6 constant
                w[p][u] = u == 6 ? 0.3f : (float) (r.nextGaussian() * Math.pow(10, u - 3) + u);
            }
        }
        PlotFiles f = new ImageFigures(28, 28).filters(tmp, "filters", "First-layer filters", Nd4j.create(w), 100);
        PlotChecks.checkFiles(f, tmp, "filters");
        PlotChecks.png(f);
        assertTrue(PlotChecks.svgTexts(PlotChecks.svg(f)).contains("First-layer filters (7 of 7, weights)"));
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals(List.of("filter", "raw_min", "raw_max", "p0"), csv.get(0).subList(0, 4));
        assertEquals(1 + units, csv.size());
        for (int u = 0; u < units; u++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int p = 0; p < D; p++) {
                min = Math.min(min, w[p][u]);
                max = Math.max(max, w[p][u]);
            }
            List<String> row = csv.get(1 + u);
            assertEquals(min, Float.parseFloat(row.get(1)));
            assertEquals(max, Float.parseFloat(row.get(2)));
            float[] px = pixels(row, 3);
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (int p = 0; p < D; p++) {
                assertTrue(px[p] >= 0f && px[p] <= 1f, "normalised to [0, 1]");
                lo = Math.min(lo, px[p]);
                hi = Math.max(hi, px[p]);
                double expected = u == 6 ? 0.5 : (w[p][u] - (double) min) / ((double) max - min);
                assertEquals(expected, px[p], 1e-6);
            }
            if (u != 6) {
                assertEquals(0f, lo, "each filter's smallest weight is black");
                assertEquals(1f, hi, "each filter's largest weight is white");
            }
        }
        List<List<String>> few = PlotChecks.csv(new ImageFigures(28, 28).filters(tmp, "f3", "t", Nd4j.create(w), 3));
        assertEquals(1 + 3, few.size(), "at most maxFilters");
    }

    @Test
    void firstLayerIsFoundByItsInputSize() {
        AutoencoderModel<?> ae = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(D, 8, 1.0), 3);
        FirstLayerWeights layer = FirstLayerWeights.of(ae, 28, 28);
        assertEquals("enc/W", layer.variable());
        assertEquals(8, layer.count());
        float[][] w = ae.graph().getVariable("enc/W").getArr().toFloatMatrix();
        for (int u = 0; u < 8; u++) {
            for (int p = 0; p < D; p++) {
                assertEquals(w[p][u], layer.filters()[u][p]);
            }
        }
        AutoencoderModel<?> gen = TinyGenerative.TYPE.build(new TinyGenerative.Config(D, 2), 3);
        assertEquals("encoder/0/W", FirstLayerWeights.of(gen, 28, 28).variable());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FirstLayerWeights.of(ae, 10, 10));
        assertTrue(e.getMessage().contains("784"), e.getMessage());
    }

    @Test
    void convolutionKernelsBecomeSmallImages() throws Exception {
        INDArray kernels = Nd4j.rand(DataType.FLOAT, 3, 3, 1, 4);
        FirstLayerWeights layer = FirstLayerWeights.ofConvKernels("encoder/conv0/W", kernels);
        assertEquals(4, layer.count());
        assertTrue(layer.convolutional());
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(kernels.getFloat(i, j, 0, c), layer.filters()[c][i * 3 + j]);
                }
            }
        }
        PlotFiles f = ImageFigures.filters(tmp, "conv", "Conv filters", layer, 100);
        BufferedImage png = PlotChecks.png(f);
        // 3x3 kernels are enlarged to 42-pixel cells: 4 cells and 3 separators
        assertTrue(png.getWidth() >= 4 * 42 + 3 * 2);
        assertEquals(44 + 42 + 16, png.getHeight());
        assertThrows(
                IllegalArgumentException.class,
                () -> FirstLayerWeights.ofConvKernels("w", Nd4j.rand(DataType.FLOAT, 3, 3, 2, 4)));
    }
}
