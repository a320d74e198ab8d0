package org.latentlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Damaged IDX files, generated: a valid file (rank 1 to 3, raw or gzip) truncated at any point, with any header
 * byte changed, or with bytes appended. Reading either gives back an array whose shape accounts for every byte, or
 * fails with a {@link DataException} that names the file and the problem (never another exception).
 */
class IdxReaderPropertiesTest {

    /** How to damage a file: {@code kind} 0 truncates, 1 changes a header byte, 2 appends; {@code r} feeds it. */
    record Damage(int kind, long r, boolean gzip, int[] shape) {
        @Override
        public String toString() {
            return "Damage[kind=" + kind + ", r=" + r + ", gzip=" + gzip + ", shape=" + Arrays.toString(shape) + "]";
        }
    }

    @Provide
    Arbitrary<Damage> damages() {
        Arbitrary<int[]> shapes = Arbitraries.integers()
                .between(1, 7)
                .array(int[].class)
                .ofMinSize(1)
                .ofMaxSize(3);
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2), Arbitraries.longs(), Arbitraries.of(true, false), shapes)
                .as(Damage::new);
    }

    private static final List<String> PROBLEMS =
            List.of("truncated", "too short", "magic", "data type", "dimension", "trailing", "damaged", "declares");

    @Property(tries = 300, seed = "20261203")
    void damagedIdxFilesAreReadExactlyOrNamedWithTheirProblem(@ForAll("damages") Damage d) throws IOException {
        Random rng = new Random(d.r());
        int count = Arrays.stream(d.shape()).reduce(1, (a, b) -> a * b);
        byte[] data = new byte[count];
        rng.nextBytes(data);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        IdxWriter.write(raw, new IdxArray(d.shape(), data));
        byte[] bytes = raw.toByteArray();
        int header = 4 + 4 * d.shape().length;
        switch (d.kind()) {
            case 0 -> bytes = Arrays.copyOf(bytes, rng.nextInt(bytes.length));
            case 1 -> bytes[rng.nextInt(header)] = (byte) (rng.nextInt(255) + 1);
            default -> {
                bytes = Arrays.copyOf(bytes, bytes.length + 1 + rng.nextInt(8));
            }
        }
        if (d.gzip()) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write(bytes);
            }
            bytes = gz.toByteArray();
            if (d.kind() == 0 && rng.nextBoolean()) {
                bytes = Arrays.copyOf(bytes, rng.nextInt(bytes.length)); // the gzip stream itself cut short
            }
        }
        Path file = Files.createTempFile("damaged", ".idx");
        try {
            Files.write(file, bytes);
            IdxArray read;
            try {
                read = IdxReader.read(file);
            } catch (DataException e) {
                String m = e.getMessage();
                if (!m.contains(file.toString()) || PROBLEMS.stream().noneMatch(m::contains) || m.contains("\n")) {
                    throw new AssertionError("message must name the file and the problem in one line: " + m, e);
                }
                return;
            }
            // Read without error: only possible when the damage left a well-formed file (a changed byte that
            // still describes the same number of data bytes); then every byte is accounted for.
            long product = Arrays.stream(read.shape()).asLongStream().reduce(1, (a, b) -> a * b);
            if (product != read.data().length) {
                throw new AssertionError(
                        "shape " + Arrays.toString(read.shape()) + " does not match " + read.data().length);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
