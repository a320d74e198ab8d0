package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Colour (3-channel, CHW) images are drawn in colour; grey ones as before. */
class ColourImagesTest {

    @TempDir
    Path tmp;

    /** A 2x3 image of one colour in every pixel, CHW. */
    private static float[] solid(float r, float g, float b) {
        float[] px = new float[3 * 6];
        for (int p = 0; p < 6; p++) {
            px[p] = r;
            px[6 + p] = g;
            px[12 + p] = b;
        }
        return px;
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    @Test
    void aColourGridHasTheColoursOfItsPlanes() {
        float[][] images = {solid(1f, 0f, 0f), solid(0.2f, 0.4f, 0.6f)};
        images[0][12 + 5] = 1f; // last pixel (row 1, column 2) of the first image: blue plane on, so magenta
        BufferedImage img =
                new ImageGrid(3, 2, 3).scale(1).separator(1).separatorGray(0.5f).render(images);
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        assertEquals(3 + 1 + 3, img.getWidth());
        assertEquals(2, img.getHeight());
        assertEquals(rgb(255, 0, 0), img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(rgb(255, 0, 255), img.getRGB(2, 1) & 0xFFFFFF, "CHW: the blue plane's last value");
        assertEquals(rgb(128, 128, 128), img.getRGB(3, 0) & 0xFFFFFF, "separator");
        assertEquals(rgb(51, 102, 153), img.getRGB(4, 1) & 0xFFFFFF);
    }

    @Test
    void greyGridsStayEightBitGrey() {
        BufferedImage img = new ImageGrid(2, 3).scale(1).render(new float[][] {{0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f}});
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        assertEquals(51, img.getRaster().getSample(1, 0, 0));
        assertEquals(
                BufferedImage.TYPE_BYTE_GRAY,
                new ImageGrid(1, 2, 3)
                        .scale(1)
                        .render(new float[][] {new float[6]})
                        .getType());
    }

    @Test
    void aGridChecksValuesPerColourImage() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ImageGrid(3, 2, 3).render(new float[][] {new float[6]}));
        assertTrue(e.getMessage().contains("a 3x2x3 image has 18"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2, 2, 3));
    }

    @Test
    void colourFiguresShowTheImagesColoursAndWriteChwPixels() throws IOException {
        INDArray samples = Nd4j.create(new float[][] {solid(0.2f, 0.4f, 0.6f), solid(0f, 1f, 0f)});
        PlotFiles f = new ImageFigures(3, 2, 3).samples(tmp, "samples", "Colour samples", samples);
        BufferedImage png = PlotChecks.png(f);
        assertEquals(2 * 2 * 6, PlotChecks.count(png, rgb(51, 102, 153)), "each pixel drawn 2x2");
        assertEquals(2 * 2 * 6, PlotChecks.count(png, rgb(0, 255, 0)));
        List<List<String>> csv = PlotChecks.csv(f);
        assertEquals("p17", csv.get(0).get(csv.get(0).size() - 1), "3 * 2 * 3 values per image");
        assertEquals("0.6", csv.get(1).get(1 + 12));
    }

    @Test
    void colourConvolutionKernelsAreColourFilters() throws IOException {
        // [kH, kW, inC, C] = [2, 2, 3, 4]; filter o has (r, c, channel) = 100 * channel + 10 * r + c + o / 10
        INDArray k = Nd4j.create(DataType.FLOAT, 2, 2, 3, 4);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int o = 0; o < 4; o++) {
                        k.putScalar(new int[] {r, c, ch, o}, 100 * ch + 10 * r + c + o / 10f);
                    }
                }
            }
        }
        FirstLayerWeights layer = FirstLayerWeights.ofConvKernels("encoder/conv0/W", k);
        assertEquals(3, layer.channels());
        assertEquals(4, layer.count());
        assertArrayEquals(
                new float[] {0.2f, 1.2f, 10.2f, 11.2f, 100.2f, 101.2f, 110.2f, 111.2f, 200.2f, 201.2f, 210.2f, 211.2f},
                layer.filters()[2],
                1e-4f);
        PlotFiles f = ImageFigures.filters(tmp, "filters", "Colour filters", layer, 10);
        BufferedImage png = PlotChecks.png(f);
        // normalised over the whole filter (min o/10 in red, max 211 + o/10 in blue): the top-left pixel of every
        // filter is (0, 100/211, 200/211), drawn as a block of 16x16 pixels (scale 16)
        assertTrue(PlotChecks.count(png, rgb(0, 121, 242)) >= 4 * 16 * 16, "colour filter pixels");

        FirstLayerWeights dense = FirstLayerWeights.ofMatrix("w", Nd4j.rand(DataType.FLOAT, 3 * 6 + 2, 5), 3, 2, 3);
        assertEquals(18, dense.filters()[0].length);
    }
}
