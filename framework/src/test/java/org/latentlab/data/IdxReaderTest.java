package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    static IdxArray sample() {
        byte[] data = new byte[3 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7); // covers values above 127, i.e. the unsigned range
        }
        return new IdxArray(new int[] {3, 4, 5}, data);
    }

    static byte[] idxBytes(IdxArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.write(out, a);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    @Test
    void roundTripsRawFile() {
        Path f = dir.resolve("a-idx3-ubyte");
        IdxWriter.write(f, sample(), false);
        IdxArray back = IdxReader.read(f);
        assertEquals(sample(), back);
        assertArrayEquals(new int[] {3, 4, 5}, back.shape());
        assertEquals(20, back.itemSize());
        assertEquals((byte) (59 * 7) & 0xFF, back.unsigned(59));
    }

    @Test
    void roundTripsGzipFileDetectedByMagicNotName() throws IOException {
        // Deliberately no .gz suffix: detection must use the 1f 8b magic.
        Path f = dir.resolve("compressed-without-suffix");
        IdxWriter.write(f, sample(), true);
        byte[] head = Arrays.copyOf(Files.readAllBytes(f), 2);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, head);
        assertEquals(sample(), IdxReader.read(f));
    }

    @Test
    void readsOneDimensionalLabelsFromStream() throws IOException {
        IdxArray labels = new IdxArray(new int[] {4}, new byte[] {1, 2, 3, 9});
        IdxArray back = IdxReader.read(new ByteArrayInputStream(gzip(idxBytes(labels))), "labels.gz");
        assertEquals(labels, back);
        assertEquals(1, back.itemSize());
    }

    @Test
    void writeLeavesNoTempFiles() throws IOException {
        IdxWriter.write(dir.resolve("x"), sample(), true);
        IdxWriter.write(dir.resolve("x"), sample(), false); // replace in place
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        assertEquals(sample(), IdxReader.read(dir.resolve("x")));
    }

    private DataException readBroken(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains(f.toString()), () -> "message must name the file: " + e.getMessage());
        return e;
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] b = idxBytes(sample());
        b[1] = 0x12;
        DataException e = readBroken("bad-magic", b);
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertTrue(e.getMessage().contains("0x12"), e.getMessage());
    }

    @Test
    void rejectsUnknownAndUnsupportedTypeCodes() throws IOException {
        byte[] b = idxBytes(sample());
        b[2] = 0x05;
        assertTrue(readBroken("unknown-type", b).getMessage().contains("unknown data type code 0x05"));
        b[2] = 0x0D;
        assertTrue(readBroken("float-type", b).getMessage().contains("0x0D (float)"));
    }

    @Test
    void rejectsBadRank() throws IOException {
        byte[] b = idxBytes(sample());
        b[3] = 0;
        assertTrue(readBroken("rank0", b).getMessage().contains("0 dimensions"));
        b[3] = 5;
        assertTrue(readBroken("rank5", b).getMessage().contains("5 dimensions"));
    }

    @Test
    void rejectsZeroDimension() throws IOException {
        byte[] b = idxBytes(sample());
        b[8 + 3] = 0; // second dimension: 4 -> 0
        assertTrue(readBroken("zero-dim", b).getMessage().contains("dimension 1 of size 0"));
    }

    @Test
    void rejectsSizesBeyondAJavaArray() throws IOException {
        byte[] b = {0, 0, 8, 4, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1};
        assertTrue(readBroken("huge", b).getMessage().contains("more than a Java array can hold"));
    }

    @Test
    void writtenFilesAreReadableByOthers() throws IOException {
        Path f = dir.resolve("shared");
        IdxWriter.write(f, sample(), true);
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertTrue(Files.getPosixFilePermissions(f).contains(PosixFilePermission.OTHERS_READ));
        }
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] b = idxBytes(sample());
        DataException e = readBroken("truncated", Arrays.copyOf(b, b.length - 7));
        assertTrue(e.getMessage().contains("expected 60 bytes of data after the header"), e.getMessage());
        assertTrue(e.getMessage().contains("found 53"), e.getMessage());
    }

    @Test
    void rejectsTruncatedGzipData() throws IOException {
        byte[] b = idxBytes(sample());
        DataException e = readBroken("truncated.gz", gzip(Arrays.copyOf(b, b.length - 1)));
        assertTrue(e.getMessage().contains("found 59"), e.getMessage());
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        assertTrue(readBroken("short", new byte[] {0, 0}).getMessage().contains("too short"));
        assertTrue(readBroken("short-dims", new byte[] {0, 0, 8, 3, 0, 0, 0, 3})
                .getMessage()
                .contains("header"));
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] b = idxBytes(sample());
        DataException e = readBroken("trailing", Arrays.copyOf(b, b.length + 3));
        assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());
    }

    @Test
    void rejectsMissingFile() {
        Path f = dir.resolve("does-not-exist");
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void streamErrorsNameTheDisplayName() {
        DataException e = assertThrows(
                DataException.class,
                () -> IdxReader.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}), "classpath:/x/y.gz"));
        assertTrue(e.getMessage().contains("classpath:/x/y.gz"), e.getMessage());
    }
}
