package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanelGridTest {
    @TempDir
    Path tmp;

    /** A gray PNG of {@code w x h} whose pixel (x, y) is (7x + 13y) mod 256: every pixel checkable. */
    private Path pattern(String name, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (7 * x + 13 * y) % 256);
            }
        }
        Path p = tmp.resolve(name + ".png");
        assertTrue(ImageIO.write(img, "png", p.toFile()));
        return p;
    }

    @Test
    void tilesThePngsOneToOneUnderTheirTitlesAndMarksAMissingPanel() throws Exception {
        Path a = pattern("a", 40, 30);
        Path b = pattern("b", 24, 50);
        List<PanelGrid.Panel> panels = List.of(
                new PanelGrid.Panel("model=ae, encoderSizes=[32,2]", a),
                PanelGrid.Panel.missing("model=vae, latentSize=2"),
                new PanelGrid.Panel("model=dae", b));
        Path dir = tmp.resolve("plots");
        PlotFiles f = PanelGrid.write(dir, "samples_grid", "Samples of each trial", panels, 2);
        PlotChecks.checkFiles(f, dir, "samples_grid");

        // Layout computed by hand: cells as large as the largest panel (40 x 50), 2 per row, 2 rows.
        int gap = PanelGrid.GAP;
        int band = PanelGrid.PANEL_TITLE_BAND;
        int top = PanelGrid.FIGURE_TITLE_BAND;
        BufferedImage out = ImageIO.read(f.png().toFile());
        assertEquals(2 * 40 + 3 * gap, out.getWidth());
        assertEquals(top + 2 * (band + 50 + gap), out.getHeight());

        List<String> csv = Files.readAllLines(f.csv());
        assertEquals("panel,panel_title,source,x,y,width,height", csv.get(0));
        assertEquals(4, csv.size(), "one row per panel: " + csv);
        int[][] expected = {
            {gap, top + band, 40, 30}, // a: fills its cell's width
            {gap + 40 + gap, top + band, 0, 0}, // missing
            {gap + (40 - 24) / 2, top + band + 50 + gap + band, 24, 50} // b: centred in its cell, second row
        };
        assertEquals("0,\"model=ae, encoderSizes=[32,2]\",a.png," + join(expected[0]), csv.get(1));
        assertEquals("1,\"model=vae, latentSize=2\",," + join(expected[1]), csv.get(2));
        assertEquals("2,model=dae,b.png," + join(expected[2]), csv.get(3));

        // The panels' pixels are copied unchanged at their corners.
        for (int[] e : new int[][] {expected[0], expected[2]}) {
            for (int y = 0; y < e[3]; y++) {
                for (int x = 0; x < e[2]; x++) {
                    int want = (7 * x + 13 * y) % 256;
                    int rgb = out.getRGB(e[0] + x, e[1] + y);
                    assertEquals(want, rgb & 0xFF, "pixel " + x + "," + y + " of the panel at " + e[0] + "," + e[1]);
                    assertEquals(want, (rgb >> 16) & 0xFF);
                }
            }
        }
        // The missing panel's cell is filled (light gray), not left white.
        int cellX = expected[1][0];
        assertNotEquals(0xFFFFFF, out.getRGB(cellX + 2, top + band + 2) & 0xFFFFFF);

        String svg = Files.readString(f.svg());
        assertTrue(svg.contains("<title>Samples of each trial</title>"), svg.substring(0, 300));
        assertTrue(svg.contains("<image"), "panels are embedded as images");
    }

    @Test
    void aPanelBelowItsTitleLeavesOutTheFiguresOwnTitleBand() throws Exception {
        int band = ImageFigures.TITLE_BAND;
        Path a = pattern("a", 30, band + 20);
        Path dir = tmp.resolve("plots");
        PlotFiles f = PanelGrid.write(
                dir, "grid", "Reconstructions of each trial", List.of(PanelGrid.Panel.belowTitle("trial 0", a)), 1);
        BufferedImage out = ImageIO.read(f.png().toFile());
        int top = PanelGrid.FIGURE_TITLE_BAND + PanelGrid.PANEL_TITLE_BAND;
        assertEquals(top + 20 + PanelGrid.GAP, out.getHeight(), "only the 20 rows below the band are drawn");
        List<String> csv = Files.readAllLines(f.csv());
        assertEquals("0,trial 0,a.png," + PanelGrid.GAP + "," + top + ",30,20", csv.get(1));
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                int want = (7 * x + 13 * (y + band)) % 256;
                assertEquals(want, out.getRGB(PanelGrid.GAP + x, top + y) & 0xFF, "pixel " + x + "," + y);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new PanelGrid.Panel("p", a, -1));
    }

    @Test
    void badInputIsAClearError() throws Exception {
        Path dir = tmp.resolve("plots");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PanelGrid.write(dir, "g", "t", List.of(), 2));
        assertTrue(e.getMessage().contains("at least one panel"), e.getMessage());
        Path notPng = tmp.resolve("x.png");
        Files.writeString(notPng, "not an image");
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PanelGrid.write(dir, "g", "t", List.of(new PanelGrid.Panel("p", notPng)), 2));
        assertTrue(e.getMessage().contains(notPng.toString()), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PanelGrid.write(dir, "g", "t", List.of(PanelGrid.Panel.missing("p")), 0));
        assertTrue(e.getMessage().contains("columns must be >= 1 but was 0"), e.getMessage());
    }

    private static String join(int[] v) {
        return v[0] + "," + v[1] + "," + v[2] + "," + v[3];
    }
}
