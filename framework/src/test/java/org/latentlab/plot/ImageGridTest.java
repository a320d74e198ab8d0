package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    @TempDir
    Path tmp;

    /** Image i is filled with the constant value[i]. */
    private static float[][] constantImages(int rows, int cols, float... values) {
        float[][] images = new float[values.length][rows * cols];
        for (int i = 0; i < values.length; i++) {
            Arrays.fill(images[i], values[i]);
        }
        return images;
    }

    private static int gray(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    @Test
    void writesGridWithSeparatorsScaleAndClamping() throws IOException {
        // 5 images of 3x2 (rows x cols), 2 per row -> 3 grid rows; scale 2, separator 1
        float[][] images = constantImages(3, 2, 0f, 1f, 0.5f, -3f, 7f);
        Path png = new ImageGrid(3, 2)
                .columns(2)
                .scale(2)
                .separator(1)
                .separatorGray(0.25f)
                .write(tmp.resolve("sub/grid.png"), images);
        BufferedImage img = ImageIO.read(png.toFile());
        int cellW = 2 * 2;
        int cellH = 3 * 2;
        assertEquals(2 * cellW + 1, img.getWidth());
        assertEquals(3 * cellH + 2, img.getHeight());
        assertEquals(0, gray(img, 0, 0)); // image 0: black
        assertEquals(255, gray(img, cellW + 1, 0)); // image 1: white, right of the separator
        assertEquals(255, gray(img, 2 * cellW, cellH - 1)); // its last pixel
        assertEquals(64, gray(img, cellW, 0)); // separator column: 0.25 -> 64
        assertEquals(64, gray(img, 0, cellH)); // separator row
        assertEquals(128, gray(img, 1, cellH + 1 + 1)); // image 2: 0.5 -> 128
        assertEquals(0, gray(img, cellW + 1, cellH + 1)); // image 3: -3 clamped to 0
        assertEquals(255, gray(img, 0, 2 * (cellH + 1))); // image 4: 7 clamped to 255
        assertEquals(64, gray(img, cellW + 1, 2 * (cellH + 1))); // empty cell after image 4
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "no temp file is left behind");
        }
    }

    @Test
    void rendersPixelsInRowMajorOrderFromAnINDArray() throws IOException {
        // one 2x3 image with distinct values, no scale, no separator
        float[] values = {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f};
        Path png = new ImageGrid(2, 3)
                .scale(1)
                .separator(0)
                .write(tmp.resolve("one.png"), Nd4j.createFromArray(new float[][] {values}));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3, img.getWidth());
        assertEquals(2, img.getHeight());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(Math.round(values[r * 3 + c] * 255), gray(img, c, r), "pixel " + r + "," + c);
            }
        }
    }

    @Test
    void reconstructionsPutInputsAboveTheirOutputs() throws IOException {
        int n = 3;
        // inputs are black (0), outputs white (1); 2 pairs per row -> rows: in, out, in(1 + pad), out
        Path png = ImageGrid.writeReconstructions(
                tmp.resolve("rec.png"), Nd4j.zeros(n, 4 * 4), Nd4j.ones(n, 1, 4, 4), 4, 4, 2);
        BufferedImage img = ImageIO.read(png.toFile());
        int cell = 4 * ImageGrid.DEFAULT_SCALE;
        int step = cell + ImageGrid.DEFAULT_SEPARATOR;
        assertEquals(2 * cell + ImageGrid.DEFAULT_SEPARATOR, img.getWidth());
        assertEquals(4 * cell + 3 * ImageGrid.DEFAULT_SEPARATOR, img.getHeight());
        assertEquals(0, gray(img, 0, 0));
        assertEquals(0, gray(img, step, 0));
        assertEquals(255, gray(img, 0, step));
        assertEquals(255, gray(img, step, step));
        assertEquals(0, gray(img, 0, 2 * step));
        assertEquals(128, gray(img, step, 2 * step)); // padding cell beside the last input
        assertEquals(255, gray(img, 0, 3 * step));
        assertEquals(128, gray(img, step, 3 * step)); // no fourth output
    }

    @Test
    void samplesUseTheGivenColumns() throws IOException {
        Path png = ImageGrid.writeSamples(tmp.resolve("s.png"), Nd4j.rand(7, 9), 3, 3, 4);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * 6 + 3 * 2, img.getWidth());
        assertEquals(2 * 6 + 2, img.getHeight());
    }

    @Test
    void overwritesAnExistingFile() throws IOException {
        Path target = tmp.resolve("x.png");
        Files.writeString(target, "old");
        ImageGrid.writeSamples(target, Nd4j.zeros(1, 4), 2, 2, 1);
        assertEquals(4, ImageIO.read(target.toFile()).getWidth());
    }

    @Test
    void rejectsWrongImageSizeAndUnwritableTarget() throws IOException {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ImageGrid(28, 28).render(Nd4j.zeros(2, 10)));
        assertTrue(e.getMessage().contains("28x28"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        UncheckedIOException io = assertThrows(
                UncheckedIOException.class,
                () -> ImageGrid.writeSamples(file.resolve("a.png"), Nd4j.zeros(1, 4), 2, 2, 1));
        assertTrue(io.getMessage().contains("a.png"), io.getMessage());
    }
}
