package org.latentlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal sequential reader for (ustar/pax/GNU) tar streams, enough for npm package tarballs.
 * Written here rather than relying on a transitive commons-compress, which a future nd4j may drop.
 */
final class TarReader {

    record Entry(String name, long size, char type) {
        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private final InputStream in;
    private long remaining; // content bytes of the current entry not yet consumed
    private long padding; // zero bytes after the content up to the 512-byte boundary

    TarReader(InputStream in) {
        this.in = in;
    }

    /** Advances to the next entry, or returns null at the end of the archive. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || isZero(header)) {
                return null;
            }
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            if (type == 'x' || type == 'L') {
                // pax extended header or GNU long name: applies to the next entry.
                byte[] body = in.readNBytes((int) size);
                skipFully(pad(size));
                String override = type == 'L' ? string(body, 0, body.length) : paxPath(body);
                if (override != null) {
                    longName = override;
                }
                continue;
            }
            if (type == 'g') {
                skipFully(size + pad(size));
                continue;
            }
            if (longName == null && !prefix.isEmpty() && "ustar".equals(string(header, 257, 5))) {
                name = prefix + "/" + name;
            }
            remaining = size;
            padding = pad(size);
            return new Entry(longName != null ? longName : name, size, type);
        }
    }

    /** Content of the current entry; closing it does not close the archive. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new IOException("tar archive truncated inside an entry");
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new IOException("tar archive truncated inside an entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private static String paxPath(byte[] body) {
        // Records are "<len> key=value\n".
        String s = new String(body, StandardCharsets.UTF_8);
        String result = null;
        for (String line : s.split("\n")) {
            int sp = line.indexOf(' ');
            int eq = line.indexOf('=');
            if (sp > 0 && eq > sp && line.substring(sp + 1, eq).equals("path")) {
                result = line.substring(eq + 1);
            }
        }
        return result;
    }

    private static long pad(long size) {
        return (512 - size % 512) % 512;
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("tar archive truncated");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        String s = string(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar header has a bad size field '" + s + "'");
        }
    }
}
