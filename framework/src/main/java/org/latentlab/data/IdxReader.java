package org.latentlab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (MNIST, Fashion-MNIST, EMNIST), raw or gzip-compressed.
 *
 * <p>Gzip is recognised by its magic bytes rather than the file name because mirrors and caches
 * rename files freely. The reader is strict (exact data length, no trailing bytes) since a silently
 * truncated download would otherwise train on garbage.
 */
public final class IdxReader {

    private static final int TYPE_UBYTE = 0x08;

    private IdxReader() {}

    /** Reads an IDX file; every error message names {@code file}. */
    public static IdxArray read(Path file) {
        if (!Files.exists(file)) {
            throw new DataException("IDX file not found: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new DataException("IDX file is not a readable regular file: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new DataException("Cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads IDX content from a stream (for classpath resources); {@code displayName} stands for the
     * source in error messages. The stream is read to its end but not closed.
     */
    public static IdxArray read(InputStream stream, String displayName) {
        try {
            InputStream in = maybeGunzip(new BufferedInputStream(stream), displayName);
            return readIdx(in, displayName);
        } catch (EOFException e) {
            throw new DataException(
                    "IDX file " + displayName + " is truncated: its gzip stream ends early (" + e.getMessage() + ")",
                    e);
        } catch (ZipException e) {
            throw new DataException(
                    "IDX file " + displayName + " is damaged: not valid gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException("Cannot read IDX file " + displayName + ": " + e.getMessage(), e);
        }
    }

    private static InputStream maybeGunzip(BufferedInputStream in, String name) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static IdxArray readIdx(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataException("IDX file " + name + " is too short: expected a 4-byte magic number but found "
                    + magic.length + " bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataException(String.format(
                    "IDX file %s has a bad magic number: expected first two bytes 0x00 0x00 but found 0x%02X 0x%02X",
                    name, magic[0] & 0xFF, magic[1] & 0xFF));
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UBYTE) {
            String known = typeName(type);
            throw new DataException(
                    known == null
                            ? String.format(
                                    "IDX file %s has unknown data type code 0x%02X: expected one of 0x08, 0x09, 0x0B,"
                                            + " 0x0C, 0x0D, 0x0E (only 0x08 unsigned byte is supported)",
                                    name, type)
                            : String.format(
                                    "IDX file %s has data type 0x%02X (%s), which is not supported: expected 0x08"
                                            + " (unsigned byte)",
                                    name, type, known));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > 4) {
            throw new DataException("IDX file " + name + " declares " + rank + " dimensions: expected 1..4");
        }
        byte[] dims = in.readNBytes(4 * rank);
        if (dims.length < 4 * rank) {
            throw new DataException("IDX file " + name + " is truncated in its header: expected " + 4 * rank
                    + " bytes of dimension sizes but found " + dims.length);
        }
        int[] shape = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = ((dims[4 * i] & 0xFF) << 24)
                    | ((dims[4 * i + 1] & 0xFF) << 16)
                    | ((dims[4 * i + 2] & 0xFF) << 8)
                    | (dims[4 * i + 3] & 0xFF);
            if (shape[i] <= 0) {
                throw new DataException("IDX file " + name + " has dimension " + i + " of size "
                        + Integer.toUnsignedString(shape[i]) + ": expected a size in 1.." + Integer.MAX_VALUE);
            }
            expected *= shape[i];
            // Java arrays are int-indexed; nothing in the MNIST family comes near this. Checked per
            // dimension so the long product cannot overflow.
            if (expected > Integer.MAX_VALUE - 16) {
                throw new DataException("IDX file " + name + " declares more than " + (Integer.MAX_VALUE - 16)
                        + " bytes of data (dimensions 0.." + i + " = " + Arrays.toString(Arrays.copyOf(shape, i + 1))
                        + "): more than a Java array can hold");
            }
        }
        byte[] data = in.readNBytes((int) expected);
        if (data.length < expected) {
            throw new DataException("IDX file " + name + " is truncated: expected " + expected
                    + " bytes of data after the header (shape " + Arrays.toString(shape) + ") but found "
                    + data.length);
        }
        long trailing = 0;
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            trailing += n;
        }
        if (trailing > 0) {
            throw new DataException("IDX file " + name + " has " + trailing + " trailing bytes: expected exactly "
                    + expected + " bytes of data after the header (shape " + Arrays.toString(shape) + ")");
        }
        return new IdxArray(shape, data);
    }

    private static String typeName(int code) {
        return switch (code) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> null;
        };
    }
}
