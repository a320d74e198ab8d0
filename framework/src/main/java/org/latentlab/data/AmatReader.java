package org.latentlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a binary {@code .amat} file of the static binarized MNIST (Larochelle &amp; Murray 2011): one image per
 * line, its pixels as whitespace-separated {@code 0} or {@code 1} values, no labels. Strict: every line must hold
 * exactly the expected number of values, each exactly {@code 0} or {@code 1}, and the file exactly the expected
 * number of lines (a final newline is optional; a blank line is an error). An error names the file, the line
 * number (from 1) and the problem. The SHA-256 of the bytes is computed while they are read.
 */
public final class AmatReader {

    private static final int MAX_SHOWN = 16;

    private AmatReader() {}

    /** The images of a file and the file as read. */
    public record Read(float[] pixels, DataFile file) {}

    /**
     * Reads {@code file}, which must hold exactly {@code lines} lines of {@code values} 0/1 values each.
     *
     * @throws DataException naming the file, the line and the problem if it does not
     */
    public static Read read(Path file, int lines, int values) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new DataException("amat file is not a readable regular file: " + file);
        }
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            float[] pixels = parse(in, file.toString(), lines, values);
            in.transferTo(OutputStream.nullOutputStream());
            return new Read(
                    pixels,
                    new DataFile(
                            file.toString(), Files.size(file), HexFormat.of().formatHex(sha.digest())));
        } catch (IOException e) {
            throw new DataException("Cannot read amat file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code in} as {@code lines} lines of {@code values} 0/1 values; {@code source} names it in errors. */
    static float[] parse(InputStream in, String source, int lines, int values) throws IOException {
        if (lines < 0 || values <= 0) {
            throw new IllegalArgumentException("lines must be >= 0 and values > 0, got " + lines + ", " + values);
        }
        float[] pixels = new float[Math.multiplyExact(lines, values)];
        int line = 1; // the line being read
        int count = 0; // values read on it
        byte[] token = new byte[MAX_SHOWN];
        int tokenLength = 0;
        boolean lineHasContent = false;
        byte[] buffer = new byte[1 << 16];
        int filled = 0;
        int at = 0;
        while (true) {
            if (at == filled) {
                filled = Math.max(0, in.read(buffer));
                at = 0;
            }
            boolean end = filled == 0;
            int b = end ? -1 : buffer[at++];
            boolean separator = end || b == ' ' || b == '\t' || b == '\r' || b == '\n';
            if (!separator) {
                if (line > lines) {
                    throw new DataException(source + ": line " + line + ": more lines than the " + lines + " expected");
                }
                if (tokenLength < token.length) {
                    token[tokenLength] = (byte) b;
                }
                tokenLength++;
                lineHasContent = true;
                continue;
            }
            if (tokenLength > 0) {
                if (tokenLength != 1 || (token[0] != '0' && token[0] != '1')) {
                    String shown =
                            new String(token, 0, Math.min(tokenLength, token.length), StandardCharsets.ISO_8859_1)
                                    + (tokenLength > token.length ? "..." : "");
                    throw new DataException(source + ": line " + line + ": value " + (count + 1) + " is '" + shown
                            + "', expected 0 or 1");
                }
                if (count == values) {
                    throw new DataException(
                            source + ": line " + line + ": more than the " + values + " values expected per line");
                }
                pixels[(line - 1) * values + count] = token[0] == '1' ? 1f : 0f;
                count++;
                tokenLength = 0;
            }
            if (b == '\n' || (end && lineHasContent)) {
                if (count != values) {
                    throw new DataException(source + ": line " + line + ": "
                            + (count == 0 ? "blank line" : count + " values") + ", expected " + values);
                }
                line++;
                count = 0;
                lineHasContent = false;
            }
            if (end) {
                break;
            }
        }
        int read = line - 1;
        if (read != lines) {
            throw new DataException(source + ": " + read + " lines, expected " + lines + " (one image per line)");
        }
        return pixels;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
