package org.latentlab.plot;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The three files every plot writes into its folder: {@code NAME.png} (for reading), {@code NAME.svg}
 * (for papers and zooming) and {@code NAME.csv} (the numbers behind the picture, with a header row).
 */
public record PlotFiles(Path png, Path svg, Path csv) {
    public PlotFiles {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(svg, "svg");
        Objects.requireNonNull(csv, "csv");
    }
}
