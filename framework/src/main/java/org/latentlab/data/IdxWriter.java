package org.latentlab.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files, raw or gzip. Used by tests and to create the shipped sample.
 *
 * <p>Writes go to a temporary file in the target folder and are then moved atomically, so a
 * crash never leaves a half-written file that {@link IdxReader} would later reject.
 */
public final class IdxWriter {

    private IdxWriter() {}

    /** Writes {@code array} to {@code file} (gzip-compressed if {@code gzip}), replacing it atomically. */
    public static void write(Path file, IdxArray array, boolean gzip) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
                write(out, array);
            }
            makeWorldReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new DataException("Cannot write IDX file " + target + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes the IDX bytes (header and data, uncompressed) to a stream; does not close it. */
    public static void write(OutputStream out, IdxArray array) throws IOException {
        int[] shape = array.shape();
        out.write(new byte[] {0, 0, 0x08, (byte) shape.length});
        for (int d : shape) {
            out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        }
        out.write(array.data());
    }

    /** Temp files are created owner-only; data files are meant to be shared, like any other output file. */
    static void makeWorldReadable(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default ACLs already apply.
        }
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // Best effort: a leftover temp file is harmless, the real error matters more.
            }
        }
    }
}
