package org.latentlab.plot;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.latentlab.io.AtomicFiles;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Paints one figure twice, into a PNG raster and into an SVG (VectorGraphics2D), and writes both plus the
 * figure's CSV atomically as {@code NAME.png}, {@code NAME.svg}, {@code NAME.csv}.
 */
final class FigureWriter {
    /** Fonts for text drawn outside XChart (figure titles, image-grid labels). */
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);

    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font SMALL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color TEXT = new Color(0x22, 0x22, 0x22);

    /** Largest figure either side, in pixels: beyond it a PNG is no longer something to look at. */
    static final int MAX_SIDE = 16_384;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    static {
        // Plots are made on servers and in containers without a display. The property only takes effect if it is
        // set before AWT's first use, so it is set when this class loads, unless the JVM was given a value.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private FigureWriter() {}

    /** Draws a figure of {@code width x height} pixels onto {@code g}, whose background is already white. */
    @FunctionalInterface
    interface Painter {
        void paint(Graphics2D g, int width, int height);
    }

    /** Makes sure headless mode is chosen before a caller touches AWT (fonts, images) itself. */
    static void init() {
        // loading the class runs the static initialiser; nothing else to do
    }

    /** Checks that {@code name} is a plain file-name stem, so a plot never writes outside its folder. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("plot name must be a plain file name stem (letters, digits, '.', '_', "
                    + "'-', not starting with '.') but was '" + name + "'");
        }
        return name;
    }

    static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("figure size " + width + "x" + height + " is outside 1.." + MAX_SIDE
                    + " pixels per side: plot fewer panels or images");
        }
    }

    /** Paints the figure into PNG and SVG, and writes them with {@code csv} into {@code dir}. */
    static PlotFiles write(Path dir, String name, String title, int width, int height, Painter painter, String csv) {
        checkName(name);
        checkSize(width, height);
        if (dir == null) {
            throw new IllegalArgumentException("plot folder is null");
        }
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        Path csvFile = dir.resolve(name + ".csv");
        BufferedImage image = renderPng(width, height, painter);
        byte[] svgBytes = renderSvg(width, height, title, painter);
        AtomicFiles.write(csvFile, tmp -> {
            Files.writeString(tmp, csv, StandardCharsets.UTF_8);
            readableByAll(tmp);
        });
        AtomicFiles.write(svg, tmp -> {
            Files.write(tmp, svgBytes);
            readableByAll(tmp);
        });
        AtomicFiles.write(png, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            readableByAll(tmp);
        });
        return new PlotFiles(png.toAbsolutePath(), svg.toAbsolutePath(), csvFile.toAbsolutePath());
    }

    /**
     * Temp files are created owner-only (0600); plots are meant to be shared (a report server, a colleague on a
     * cluster), so they get the usual 0644 before they are moved into place.
     */
    private static void readableByAll(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static BufferedImage renderPng(int width, int height, Painter painter) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            prepare(g, width, height);
            painter.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    static byte[] renderSvg(int width, int height, String title, Painter painter) {
        VectorGraphics2D g = new VectorGraphics2D();
        prepare(g, width, height);
        painter.paint(g, width, height);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try {
            new SVGProcessor()
                    .getDocument(g.getCommands(), new PageSize(0, 0, width, height))
                    .writeTo(raw);
            return finishSvg(raw.toByteArray(), title);
        } catch (IOException e) {
            throw new IllegalStateException("VectorGraphics2D could not write the SVG: " + e.getMessage(), e);
        } finally {
            g.dispose();
        }
    }

    /**
     * Post-processes VectorGraphics2D's output: adds a {@code <title>} (the figure title, which XChart draws as
     * glyph outlines only), asks viewers to scale embedded raster cells without smoothing, and drops the
     * DOCTYPE, whose external DTD would make naive XML readers go online.
     */
    private static byte[] finishSvg(byte[] svg, String title) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
            Element root = doc.getDocumentElement();
            if (title != null && !title.isBlank()) {
                Element t = doc.createElementNS(root.getNamespaceURI(), "title");
                t.setTextContent(title);
                root.insertBefore(t, root.getFirstChild());
            }
            NodeList images = doc.getElementsByTagNameNS("*", "image");
            for (int i = 0; i < images.getLength(); i++) {
                ((Element) images.item(i)).setAttribute("style", "image-rendering:pixelated");
            }
            Transformer tr = TransformerFactory.newInstance().newTransformer();
            tr.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            tr.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream(svg.length + 256);
            doc.setXmlStandalone(true);
            tr.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (ParserConfigurationException | SAXException | IOException | TransformerException e) {
            throw new IllegalStateException(
                    "cannot post-process the SVG written by VectorGraphics2D: " + e.getMessage(), e);
        }
    }

    /** White background and quality hints, the same for PNG and SVG. */
    private static void prepare(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        // image cells are digits: enlarge them as blocks, never blur them
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    /** Draws {@code text} centred horizontally on {@code cx} with its baseline at {@code baseline}. */
    static void drawCentered(Graphics2D g, String text, Font font, double cx, double baseline) {
        g.setFont(font);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (cx - fm.stringWidth(text) / 2.0), (float) baseline);
    }

    /** Draws {@code text} right-aligned at {@code right}, vertically centred on {@code cy}. */
    static void drawRight(Graphics2D g, String text, Font font, double right, double cy) {
        g.setFont(font);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(
                text, (float) (right - fm.stringWidth(text)), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws {@code text} left-aligned at {@code left}, vertically centred on {@code cy}. */
    static void drawLeft(Graphics2D g, String text, Font font, double left, double cy) {
        g.setFont(font);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) left, (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Width of {@code text} in {@code font}, measured on a scratch raster (works headless). */
    static int textWidth(String text, Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            return g.getFontMetrics(font).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    /** Height of one line of {@code font} (ascent + descent + leading), measured like {@link #textWidth}. */
    static int lineHeight(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font).getHeight();
        } finally {
            g.dispose();
        }
    }
}
