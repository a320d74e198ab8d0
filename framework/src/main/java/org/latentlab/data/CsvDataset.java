package org.latentlab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset {@code csv:FILE[,TEST_FILE][?label=..&header=..&range=..&size=..&channels=..&test=..&seed=..]}: images
 * as rows of comma-separated pixel values, with one label column.
 *
 * <ul>
 *   <li><b>Header.</b> {@code header=auto} (the default) takes the first non-blank line for a header when two or
 *       more of its fields are not numbers, or one of them is the label column's name; {@code header=yes} and
 *       {@code header=no} say so. Blank lines are skipped; values may be surrounded by spaces; a field in double
 *       quotes loses its quotes (commas inside quotes are not supported).</li>
 *   <li><b>Label.</b> {@code label=NAME} names the label column in the header (default {@code label}, any case);
 *       {@code label=INDEX} gives its 0-based position. Without a header the label is column 0 unless
 *       {@code label=INDEX} says otherwise. If every label is a whole number &gt;= 0, it is the class number
 *       (classes 0..max); otherwise the distinct labels, sorted ({@link String#compareTo}), are the classes.</li>
 *   <li><b>Pixels.</b> Every other column, row-major. {@code range=255}: values in [0, 255], divided by 255 (as
 *       {@code v / 255f}, so a CSV of MNIST gives the pixels of its IDX files); {@code range=1}: values in [0, 1], as
 *       they are; {@code range=auto} (the default): 255 if any value of the file(s) is above 1, else 1 (the choice is
 *       logged). {@code size=HxW} (or {@code N}) gives the image size, which must account for every pixel column;
 *       without it the images are square. {@code channels=3}: each row holds the red values of the image, then the
 *       green, then the blue (CHW, each plane row-major), as {@link ImageDataset} keeps them.</li>
 *   <li><b>Split.</b> Two files are the train and test parts; one file is split by {@link SeededTestSplit} with
 *       {@code test=} (default 0.2) and {@code seed=} (default 0).</li>
 *   <li><b>Provenance.</b> Each file read, with its size and SHA-256, as for the IDX datasets.</li>
 * </ul>
 *
 * <p>A wrong column count, a value that is not a number or outside the range, or a file without data rows is an
 * error that names the file, line and column.
 */
public final class CsvDataset {

    private static final Logger log = LoggerFactory.getLogger(CsvDataset.class);

    /** The prefix of the dataset names this class loads. */
    public static final String PREFIX = "csv:";

    private static final List<String> OPTIONS = List.of("label", "header", "range", "size", "channels", "test", "seed");
    private static final String DEFAULT_LABEL = "label";

    private CsvDataset() {}

    /** Whether {@code name} is a {@code csv:} dataset name (the prefix in any case). */
    public static boolean handles(String name) {
        return name != null && name.trim().regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** One file's rows: raw pixel values (not yet scaled), labels as written, and the file's record. */
    private record Rows(float[] values, int count, int pixelColumns, String[] labels, float max, DataFile file) {}

    /** Loads dataset {@code name} ({@link #handles}). */
    public static DataBundle load(String name) {
        long start = System.nanoTime();
        DatasetSpec spec = DatasetSpec.parse(name.trim(), PREFIX, OPTIONS);
        int channels = spec.channels();
        String[] locations = spec.location().split(",", -1);
        if (locations.length > 2) {
            throw new DataException("Dataset " + spec.name() + ": give one CSV file (split with test= and seed=) or"
                    + " two, train and test, separated by a comma; got " + locations.length);
        }
        if (locations.length == 2 && (spec.has("test") || spec.has("seed"))) {
            throw new DataException("Dataset " + spec.name() + ": the two files are the train and test parts; drop the"
                    + " test= and seed= options");
        }
        String header = spec.string("header", "auto").toLowerCase(Locale.ROOT);
        if (!List.of("auto", "yes", "no").contains(header)) {
            throw spec.bad("header", header, "auto, yes or no");
        }
        String range = spec.string("range", "auto").toLowerCase(Locale.ROOT);
        if (!List.of("auto", "255", "1").contains(range)) {
            throw spec.bad("range", range, "auto, 255 (values in [0, 255]) or 1 (values in [0, 1])");
        }
        List<Rows> parts = new ArrayList<>();
        for (String location : locations) {
            if (location.isBlank()) {
                throw new DataException("Dataset " + spec.name() + ": an empty file name in '" + spec.location() + "'");
            }
            Path file = DatasetSpec.path(location.trim()).toAbsolutePath().normalize();
            parts.add(read(file, spec, header, range.equals("1") ? 1f : 255f));
        }
        if (parts.size() == 2 && parts.get(0).pixelColumns() != parts.get(1).pixelColumns()) {
            throw new DataException("Dataset " + spec.name() + ": train file "
                    + parts.get(0).file().file() + " has "
                    + parts.get(0).pixelColumns() + " pixel columns but test file "
                    + parts.get(1).file().file()
                    + " has " + parts.get(1).pixelColumns());
        }
        int pixelColumns = parts.get(0).pixelColumns();
        int[] size = imageSize(spec, pixelColumns, channels, parts.get(0).file().file());
        float max = 0;
        for (Rows rows : parts) {
            max = Math.max(max, rows.max());
        }
        boolean byte255 = range.equals("255") || (range.equals("auto") && max > 1);
        List<String> allLabels = new ArrayList<>();
        parts.forEach(p -> allLabels.addAll(Arrays.asList(p.labels())));
        List<String> classes = classNames(allLabels);
        int numClasses = classes == null ? maxLabel(allLabels) + 1 : classes.size();
        String shortName = PREFIX + Path.of(parts.get(0).file().file()).getFileName();
        List<int[]> labelParts = new ArrayList<>();
        for (Rows rows : parts) {
            if (byte255) {
                float[] pixels = rows.values();
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = pixels[i] / 255f;
                }
            }
            int[] labels = new int[rows.count()];
            for (int i = 0; i < labels.length; i++) {
                String l = rows.labels()[i];
                labels[i] = classes == null ? Integer.parseInt(l) : classes.indexOf(l);
            }
            labelParts.add(labels);
        }
        List<DataFile> files = parts.stream().map(Rows::file).toList();
        DataBundle bundle;
        if (parts.size() == 1) {
            bundle = SeededTestSplit.split(
                    shortName,
                    parts.get(0).values(),
                    labelParts.get(0),
                    channels,
                    size[0],
                    size[1],
                    numClasses,
                    spec.fraction("test", SeededTestSplit.DEFAULT_TEST_FRACTION),
                    spec.longValue("seed", SeededTestSplit.DEFAULT_SEED),
                    files);
        } else {
            bundle = new DataBundle(
                    new ImageDataset(
                            shortName + "-train",
                            parts.get(0).values(),
                            labelParts.get(0),
                            channels,
                            size[0],
                            size[1],
                            numClasses),
                    new ImageDataset(
                            shortName + "-test",
                            parts.get(1).values(),
                            labelParts.get(1),
                            channels,
                            size[0],
                            size[1],
                            numClasses),
                    files);
        }
        log.info(
                "Loaded {}: {} train, {} test images of {}x{} in {} classes{}; pixel values read as [0, {}]{} in {} ms",
                spec.name(),
                bundle.train().size(),
                bundle.test().size(),
                size[0],
                size[1],
                numClasses,
                classes == null ? "" : " " + classes,
                byte255 ? 255 : 1,
                range.equals("auto") ? " (range=auto: the largest value is " + max + ")" : "",
                (System.nanoTime() - start) / 1_000_000);
        return bundle;
    }

    /** The image size: the {@code size} option, checked against the pixel columns, else a square. */
    private static int[] imageSize(DatasetSpec spec, int pixelColumns, int channels, String file) {
        int[] size = spec.size("size");
        if (size != null) {
            if ((long) size[0] * size[1] * channels != pixelColumns) {
                throw new DataException("Dataset " + spec.name() + ": size=" + size[0] + "x" + size[1] + " needs "
                        + (long) size[0] * size[1] * channels + " pixel columns, but the rows of " + file + " have "
                        + pixelColumns);
            }
            return size;
        }
        int side = (int) Math.round(Math.sqrt(pixelColumns / (double) channels));
        if ((long) side * side * channels != pixelColumns) {
            throw new DataException("Dataset " + spec.name() + ": the rows of " + file + " have " + pixelColumns
                    + " pixel values, not " + (channels == 1 ? "a square number" : channels + " times a square number")
                    + "; give the image size as HEIGHTxWIDTH with the size option,"
                    + " e.g. " + PREFIX + spec.location() + "?size=HxW");
        }
        return new int[] {side, side};
    }

    /** Null when every label is a whole number >= 0 (the class numbers), else the sorted distinct labels. */
    private static List<String> classNames(List<String> labels) {
        boolean numbers = labels.stream().allMatch(l -> l.matches("\\d{1,9}"));
        return numbers ? null : List.copyOf(new TreeSet<>(labels));
    }

    private static int maxLabel(List<String> labels) {
        return labels.stream().mapToInt(Integer::parseInt).max().orElse(0);
    }

    /** Reads one CSV file; {@code limit} is the largest pixel value allowed (255 unless {@code range=1}). */
    private static Rows read(Path file, DatasetSpec spec, String headerMode, float limit) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("Dataset " + spec.name() + ": CSV file " + file
                    + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (DigestInputStream digest = new DigestInputStream(Files.newInputStream(file), sha);
                BufferedReader in = new BufferedReader(new InputStreamReader(digest, StandardCharsets.UTF_8))) {
            float[] values = new float[1 << 16];
            int used = 0;
            List<String> labels = new ArrayList<>();
            String[] names = null;
            int columns = -1;
            int labelColumn = -1;
            int firstLine = -1;
            float max = 0;
            int lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a UTF-8 byte order mark
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line);
                if (columns < 0) {
                    columns = fields.length;
                    firstLine = lineNo;
                    if (isHeader(fields, headerMode, spec)) {
                        names = fields;
                        labelColumn = labelColumn(spec, file, fields);
                        continue;
                    }
                    labelColumn = labelColumn(spec, file, null);
                    if (labelColumn >= columns) {
                        throw new DataException("CSV file " + file + ": label=" + labelColumn + " is beyond its "
                                + columns + " columns (0-based)");
                    }
                }
                if (fields.length != columns) {
                    throw new DataException("CSV file " + file + " line " + lineNo + ": " + fields.length
                            + " values, but line " + firstLine + " has " + columns);
                }
                if (columns < 2) {
                    throw new DataException("CSV file " + file + " line " + lineNo + ": only " + columns
                            + " column; each row needs a label and at least one pixel value");
                }
                if (used + columns > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, used + columns));
                }
                for (int c = 0; c < columns; c++) {
                    if (c == labelColumn) {
                        if (fields[c].isEmpty()) {
                            throw new DataException("CSV file " + file + " line " + lineNo + ", column " + (c + 1)
                                    + column(names, c) + ": the label is empty");
                        }
                        labels.add(fields[c]);
                        continue;
                    }
                    float v;
                    try {
                        v = Float.parseFloat(fields[c]);
                    } catch (NumberFormatException e) {
                        throw new DataException("CSV file " + file + " line " + lineNo + ", column " + (c + 1)
                                + column(names, c) + ": '" + fields[c] + "' is not a number");
                    }
                    if (!(v >= 0 && v <= limit)) {
                        throw new DataException("CSV file " + file + " line " + lineNo + ", column " + (c + 1)
                                + column(names, c) + ": pixel value " + fields[c] + " is outside [0, " + (int) limit
                                + "]" + (limit == 1 ? " (range=1)" : " (pixel values are in [0, 255] or [0, 1])"));
                    }
                    max = Math.max(max, v);
                    values[used++] = v;
                }
            }
            if (labels.isEmpty()) {
                throw new DataException("CSV file " + file + " has no data rows");
            }
            digest.transferTo(OutputStream.nullOutputStream());
            DataFile record = new DataFile(
                    file.toString(), Files.size(file), HexFormat.of().formatHex(sha.digest()));
            return new Rows(
                    Arrays.copyOf(values, used),
                    labels.size(),
                    columns - 1,
                    labels.toArray(new String[0]),
                    max,
                    record);
        } catch (IOException e) {
            throw new DataException("CSV file " + file + " cannot be read: " + e, e);
        }
    }

    /** The fields of a line, trimmed, without surrounding double quotes. */
    private static String[] split(String line) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int comma = line.indexOf(',', from);
            String field = (comma < 0 ? line.substring(from) : line.substring(from, comma)).trim();
            if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                field = field.substring(1, field.length() - 1).trim();
            }
            out.add(field);
            if (comma < 0) {
                return out.toArray(new String[0]);
            }
            from = comma + 1;
        }
    }

    private static boolean isHeader(String[] fields, String mode, DatasetSpec spec) {
        if (!mode.equals("auto")) {
            return mode.equals("yes");
        }
        String labelName = spec.string("label", DEFAULT_LABEL);
        boolean byName = !labelName.matches("\\d{1,9}"); // a column number is no header name
        int notNumbers = 0;
        for (String f : fields) {
            if (byName && f.equalsIgnoreCase(labelName)) {
                return true;
            }
            try {
                Float.parseFloat(f);
            } catch (NumberFormatException e) {
                notNumbers++;
            }
        }
        return notNumbers >= 2;
    }

    /** The 0-based label column, from the header ({@code names}, or null without one) and the label option. */
    private static int labelColumn(DatasetSpec spec, Path file, String[] names) {
        String option = spec.string("label", null);
        boolean index = option != null && option.matches("\\d{1,9}");
        if (names != null) {
            String wanted = option == null ? DEFAULT_LABEL : option;
            for (int c = 0; c < names.length; c++) {
                if (names[c].equalsIgnoreCase(wanted)) {
                    return c;
                }
            }
            if (index && Integer.parseInt(option) < names.length) {
                return Integer.parseInt(option);
            }
            throw new DataException("CSV file " + file + ": its header has no column named '" + wanted + "' (it starts "
                    + String.join(",", Arrays.asList(names).subList(0, Math.min(5, names.length)))
                    + (names.length > 5 ? ",..." : "") + "); name the label column with the label option, e.g. "
                    + PREFIX + spec.location() + "?label=" + names[0]);
        }
        if (option == null) {
            return 0;
        }
        if (!index) {
            throw new DataException("CSV file " + file + " has no header row, so label=" + option + " names no column;"
                    + " give the label column's 0-based position (label=0), or header=yes if its first line is one");
        }
        return Integer.parseInt(option);
    }

    private static String column(String[] names, int c) {
        return names == null ? "" : " (" + names[c] + ")";
    }
}
