package org.latentlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Reads a plot's three files back and checks what every plot must satisfy. */
final class PlotChecks {
    private PlotChecks() {}

    /** The three files exist beside each other with the expected names, and no temp files are left. */
    static void checkFiles(PlotFiles f, Path dir, String name) throws IOException {
        assertEquals(dir.resolve(name + ".png").toAbsolutePath(), f.png());
        assertEquals(dir.resolve(name + ".svg").toAbsolutePath(), f.svg());
        assertEquals(dir.resolve(name + ".csv").toAbsolutePath(), f.csv());
        for (Path p : List.of(f.png(), f.svg(), f.csv())) {
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, p + " written");
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    /** The PNG, decoded; it must not be blank (pixel variance > 0). */
    static BufferedImage png(PlotFiles f) throws IOException {
        BufferedImage img = ImageIO.read(f.png().toFile());
        assertNotNull(img, "PNG decodes");
        assertTrue(variance(img) > 0, "PNG is not blank");
        return img;
    }

    static double variance(BufferedImage img) {
        double sum = 0;
        double sq = 0;
        long n = (long) img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                double v = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                sum += v;
                sq += v * v;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    /** Number of pixels whose RGB is exactly {@code rgb}. */
    static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The SVG parsed as XML without fetching any DTD; its root must be {@code <svg>}. */
    static Document svg(PlotFiles f) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(f.svg().toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        return doc;
    }

    /** The text of every {@code <title>} and {@code <text>} element. */
    static List<String> svgTexts(Document doc) {
        List<String> out = new ArrayList<>();
        for (String tag : List.of("title", "text")) {
            NodeList nodes = doc.getElementsByTagNameNS("*", tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add(nodes.item(i).getTextContent());
            }
        }
        return out;
    }

    /** The CSV's rows, header first; cells unquoted (RFC 4180). */
    static List<List<String>> csv(PlotFiles f) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        String text = Files.readString(f.csv(), StandardCharsets.UTF_8);
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        assertTrue(row.isEmpty() && cell.length() == 0, "CSV ends with a line break");
        int width = rows.get(0).size();
        for (List<String> r : rows) {
            assertEquals(width, r.size(), "every CSV row has as many cells as the header");
        }
        return rows;
    }
}
