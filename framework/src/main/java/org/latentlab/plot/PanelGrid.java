package org.latentlab.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Figures already written as PNGs (one per run: its reconstructions, filters, samples) tiled side by side, each
 * under a title of its own, as one figure: {@code NAME.png}, {@code NAME.svg} (each panel embedded as a PNG drawn
 * 1:1, titles as text) and {@code NAME.csv} (one row per panel: {@code panel,panel_title,source,x,y,width,height},
 * where x, y are the panel image's top-left corner in the PNG and source is the file's name, or empty for a
 * missing panel). A panel whose image is missing ({@link Panel#missing}) keeps its place and title and is
 * marked "no figure", so one run without, say, prior samples does not shift the others. Panels are drawn at
 * their own size (never rescaled, so image cells stay sharp), centred in cells as large as the largest panel.
 *
 * <pre>{@code
 * PanelGrid.write(dir, "samples_grid", "Samples of each trial",
 *         List.of(new PanelGrid.Panel("model=vae", vaeDir.resolve("plots/samples.png")), PanelGrid.Panel.missing("model=ae")), 2);
 * }</pre>
 */
public final class PanelGrid {
    /** Space between panels and around the figure, in pixels. */
    static final int GAP = 16;

    static final int FIGURE_TITLE_BAND = 44;
    static final int PANEL_TITLE_BAND = 26;
    /** Size of a missing panel's cell when no panel has an image to take the size from. */
    static final int EMPTY_SIDE = 200;

    private static final Color MISSING_FILL = new Color(0xF2, 0xF2, 0xF2);

    /**
     * One panel: its title, the PNG to show (null when this run has no such figure) and how many pixel rows to leave
     * out at the top of the PNG (its own title band, which the panel's title replaces).
     */
    public record Panel(String title, Path png, int cropTop) {
        public Panel {
            Objects.requireNonNull(title, "panel title");
            if (cropTop < 0) {
                throw new IllegalArgumentException("panel '" + title + "': cropTop must be >= 0 but was " + cropTop);
            }
        }

        /** A panel showing the whole of {@code png}. */
        public Panel(String title, Path png) {
            this(title, png, 0);
        }

        /**
         * A panel showing a figure written by {@link ImageFigures} without that figure's own title band: the
         * panel's title says what the figure's title said.
         */
        public static Panel belowTitle(String title, Path png) {
            return new Panel(title, png, ImageFigures.TITLE_BAND);
        }

        /** A panel marked as missing: it keeps its place and title. */
        public static Panel missing(String title) {
            return new Panel(title, null, 0);
        }
    }

    private PanelGrid() {}

    /**
     * Tiles {@code panels} in rows of {@code columns} under {@code title} and writes the figure into {@code dir}.
     *
     * @throws IllegalArgumentException for no panels, columns below 1, or a panel file that is not a readable PNG
     *                                  (its path named)
     */
    public static PlotFiles write(Path dir, String name, String title, List<Panel> panels, int columns) {
        if (panels == null || panels.isEmpty()) {
            throw new IllegalArgumentException("panel grid '" + name + "' needs at least one panel but got none");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("panel grid columns must be >= 1 but was " + columns);
        }
        FigureWriter.init();
        List<BufferedImage> images = new ArrayList<>();
        int cellW = 0;
        int cellH = 0;
        for (Panel p : panels) {
            BufferedImage img = p.png() == null ? null : read(p.png());
            if (img != null && p.cropTop() > 0 && p.cropTop() < img.getHeight()) {
                img = img.getSubimage(0, p.cropTop(), img.getWidth(), img.getHeight() - p.cropTop());
            }
            images.add(img);
            if (img != null) {
                cellW = Math.max(cellW, img.getWidth());
                cellH = Math.max(cellH, img.getHeight());
            }
        }
        if (cellW == 0) {
            cellW = EMPTY_SIDE;
            cellH = EMPTY_SIDE;
        }
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        long width = (long) cols * cellW + (long) (cols + 1) * GAP;
        long height = FIGURE_TITLE_BAND + (long) rows * (PANEL_TITLE_BAND + cellH + GAP);
        FigureWriter.checkSize((int) Math.min(width, Integer.MAX_VALUE), (int) Math.min(height, Integer.MAX_VALUE));
        int[][] corners = new int[panels.size()][];
        Csv csv = new Csv(List.of("panel", "panel_title", "source", "x", "y", "width", "height"));
        for (int i = 0; i < panels.size(); i++) {
            int cellX = GAP + (i % cols) * (cellW + GAP);
            int cellY = FIGURE_TITLE_BAND + (i / cols) * (PANEL_TITLE_BAND + cellH + GAP) + PANEL_TITLE_BAND;
            BufferedImage img = images.get(i);
            int w = img == null ? cellW : img.getWidth();
            int h = img == null ? cellH : img.getHeight();
            int x = cellX + (cellW - w) / 2;
            corners[i] = new int[] {x, cellY, w, h, cellX};
            Path png = panels.get(i).png();
            csv.row(
                    i,
                    panels.get(i).title(),
                    png == null ? "" : png.getFileName().toString(),
                    x,
                    cellY,
                    img == null ? 0 : w,
                    img == null ? 0 : h);
        }
        int finalCellW = cellW;
        FigureWriter.Painter painter = (g, w, h) -> {
            Figures.drawFitted(g, title, FigureWriter.TITLE_FONT, w / 2.0, 29, w - 20);
            Font panelFont = FigureWriter.LABEL_FONT.deriveFont(Font.BOLD, 14f);
            for (int i = 0; i < panels.size(); i++) {
                int[] c = corners[i];
                Figures.drawFitted(
                        g, panels.get(i).title(), panelFont, c[4] + finalCellW / 2.0, c[1] - 8, finalCellW - 4);
                BufferedImage img = images.get(i);
                if (img != null) {
                    g.drawImage(img, c[0], c[1], null);
                } else {
                    g.setColor(MISSING_FILL);
                    g.fillRect(c[0], c[1], c[2], c[3]);
                    FigureWriter.drawCentered(
                            g, "no figure", FigureWriter.LABEL_FONT, c[0] + c[2] / 2.0, c[1] + c[3] / 2.0);
                }
            }
        };
        return FigureWriter.write(dir, name, title, (int) width, (int) height, painter, csv.toString());
    }

    private static BufferedImage read(Path png) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            if (img == null) {
                throw new IllegalArgumentException("panel image " + png + " is not a PNG ImageIO can read");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read panel image " + png, e);
        }
    }
}
