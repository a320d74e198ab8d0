package org.latentlab.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks of a saved SameDiff graph ({@code graph.sdz}, a FlatBuffers file) before and after SameDiff reads it, so
 * that a truncated, empty or foreign file is reported as such instead of as SameDiff's bare exception (M2.1 says
 * {@code null} for a truncated file). A model saved by this version has a sidecar {@code graph.sdz.json} with the
 * file's size and SHA-256; older ones are judged by the FlatBuffers header alone.
 */
final class GraphFileCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bytes of a FlatBuffers header: the root table offset and the table's offset to its vtable. */
    private static final int HEADER = 8;

    private GraphFileCheck() {}

    /** The sidecar's JSON for {@code graph}: {"bytes": N, "sha256": "..."}. */
    static String describe(Path graph) throws IOException {
        return describe(graph, null);
    }

    /**
     * The sidecar's JSON for {@code graph}, with the {@link StateFingerprint} of the model it was saved from when
     * {@code state} is not null: {"bytes": N, "sha256": "...", "state": "..."}.
     */
    static String describe(Path graph, String state) throws IOException {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("bytes", Files.size(graph));
        facts.put("sha256", sha256(graph));
        if (state != null) {
            facts.put("state", state);
        }
        return JSON.writeValueAsString(facts);
    }

    /**
     * True if the folder holds a graph file saved from a model whose {@link StateFingerprint} was {@code state}, with
     * its sidecar and the size the sidecar records (its hash is checked when it is loaded); false if anything is
     * missing, unreadable or different.
     */
    static boolean holdsState(Path graph, Path sidecar, String state) {
        if (state == null || !Files.isRegularFile(graph) || !Files.isRegularFile(sidecar)) {
            return false;
        }
        try {
            JsonNode facts = JSON.readTree(sidecar.toFile());
            return state.equals(facts.path("state").asText(null))
                    && facts.path("bytes").asLong(-1) == Files.size(graph);
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a message naming {@code graph} and what is wrong with it, before SameDiff parses it. */
    static void verify(Path graph, Path sidecar) {
        try {
            long size = Files.size(graph);
            if (size == 0) {
                throw new IllegalArgumentException(
                        "model graph " + graph + " is empty (0 bytes): not a SameDiff model file");
            }
            if (Files.isRegularFile(sidecar)) {
                JsonNode expected;
                try {
                    expected = JSON.readTree(sidecar.toFile());
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            "model graph check " + sidecar + " is not valid JSON: " + e.getOriginalMessage(), e);
                }
                long bytes = expected.path("bytes").asLong(-1);
                if (bytes >= 0 && size < bytes) {
                    throw new IllegalArgumentException(
                            "model graph " + graph + " is truncated: " + size + " of the " + bytes + " bytes saved");
                }
                if (bytes >= 0 && size > bytes) {
                    throw new IllegalArgumentException("model graph " + graph + " has " + size + " bytes, "
                            + (size - bytes) + " more than the " + bytes + " saved: not the file that was saved");
                }
                String sha = expected.path("sha256").asText("");
                if (!sha.isEmpty() && !sha.equalsIgnoreCase(sha256(graph))) {
                    throw new IllegalArgumentException(
                            "model graph " + graph + " is damaged: its SHA-256 differs from the" + " one saved in "
                                    + sidecar.getFileName() + " (same size, " + size + " bytes)");
                }
            }
            String header = headerProblem(graph, size);
            if (header != null) {
                throw new IllegalArgumentException("model graph " + graph + ": " + header);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model graph " + graph + ": " + e.getMessage(), e);
        }
    }

    /** What SameDiff's failure on {@code graph} means, for the message: never just "null". */
    static String explain(Path graph, Throwable e) {
        long size;
        try {
            size = Files.size(graph);
        } catch (IOException io) {
            size = -1;
        }
        String what = e instanceof OutOfMemoryError
                ? "it declares arrays larger than the memory"
                : "SameDiff cannot parse it; --verbose shows where";
        return size + " bytes, not a complete SameDiff model file: truncated or damaged (" + what + ")";
    }

    /** A problem with the FlatBuffers header, or null if it looks sound. */
    private static String headerProblem(Path graph, long size) throws IOException {
        if (size < HEADER) {
            return "truncated: " + size + " bytes, shorter than a FlatBuffers header (" + HEADER + " bytes); not a"
                    + " complete SameDiff model file";
        }
        byte[] head = new byte[HEADER];
        try (InputStream in = Files.newInputStream(graph)) {
            if (in.readNBytes(head, 0, HEADER) < HEADER) {
                return "truncated: " + size + " bytes";
            }
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long root = Integer.toUnsignedLong(b.getInt(0));
        if (head[0] == 'P' && head[1] == 'K') {
            return "a zip archive, not a SameDiff model file (SameDiff writes FlatBuffers)";
        }
        if (root < 4 || root + 4 > size) {
            return String.format(
                    "not a SameDiff model file: its first 4 bytes (root offset %d) point outside its %d bytes",
                    root, size);
        }
        return null;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
