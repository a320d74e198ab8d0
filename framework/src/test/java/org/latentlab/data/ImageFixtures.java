package org.latentlab.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;

/** Small image files written for the user-dataset tests. */
final class ImageFixtures {
    private ImageFixtures() {}

    /** An 8-bit grey image, {@code level(y, x)} in 0..255, written as {@code format} (png or jpg). */
    static Path grey(Path file, int height, int width, IntBinaryOperator level, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.setSample(x, y, 0, level.applyAsInt(y, x));
            }
        }
        return write(image, format, file);
    }

    /** A 16-bit grey PNG, {@code level(y, x)} in 0..65535. */
    static Path grey16(Path file, int height, int width, IntBinaryOperator level) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.setSample(x, y, 0, level.applyAsInt(y, x));
            }
        }
        return write(image, "png", file);
    }

    /** An RGB image, {@code rgb(y, x)} as 0xRRGGBB. */
    static Path rgb(Path file, int height, int width, IntBinaryOperator rgb, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb.applyAsInt(y, x));
            }
        }
        return write(image, format, file);
    }

    private static Path write(BufferedImage image, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
