package org.latentlab.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void writtenFilesAndFoldersAreReadableByOthersAndLeaveNoTempBehind() throws Exception {
        Path f = tmp.resolve("a/b/result.json");
        AtomicFiles.writeString(f, "{}");
        AtomicFiles.writeString(f, "{\"x\": 1}");
        assertEquals("{\"x\": 1}", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

        Path d = tmp.resolve("model");
        AtomicFiles.replaceDirectory(d, t -> Files.writeString(t.resolve("m.txt"), "1"));
        AtomicFiles.replaceDirectory(d, t -> Files.writeString(t.resolve("m.txt"), "2"));
        assertEquals("2", Files.readString(d.resolve("m.txt")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        try (var files = Files.list(tmp)) {
            assertEquals(2, files.count(), "only a/ and model/: no temp files or folders left");
        }
    }

    /** What a full disk looks like to Java: the write fails midway with this IOException. */
    private static final String ENOSPC = "No space left on device";

    @Test
    void aFailedWriteNamesTheFileKeepsTheOldVersionAndLeavesNoTemp() throws Exception {
        Path f = tmp.resolve("results.csv");
        AtomicFiles.writeString(f, "old table\n");
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> AtomicFiles.write(f, t -> {
                    Files.writeString(t, "half a new ta");
                    throw new IOException(ENOSPC);
                }));
        assertEquals("cannot write " + f + ": " + ENOSPC, e.getMessage());
        assertEquals("old table\n", Files.readString(f));
        assertEquals(List.of("results.csv"), names(tmp));
    }

    @Test
    void aFailedFolderSwapNamesTheFolderKeepsTheOldOneAndLeavesNoTemp() throws Exception {
        Path cp = tmp.resolve("checkpoints/epoch-0002");
        AtomicFiles.replaceDirectory(cp, t -> Files.writeString(t.resolve("state.json"), "{\"epoch\": 2}"));
        // A nested atomic save (a model inside a checkpoint) fails: reported against the checkpoint, not a temp path.
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> AtomicFiles.replaceDirectory(
                        cp,
                        t -> AtomicFiles.replaceDirectory(t.resolve("model"), m -> {
                            Files.writeString(m.resolve("model.json"), "{}");
                            throw new IOException(ENOSPC);
                        })));
        assertEquals("cannot write " + cp + ": " + ENOSPC, e.getMessage());
        assertEquals("{\"epoch\": 2}", Files.readString(cp.resolve("state.json")));
        assertEquals(List.of("epoch-0002"), names(cp.getParent()));
        assertEquals(List.of("state.json"), names(cp));

        // The same for a folder that did not exist yet: nothing appears under its name or a temporary one.
        Path next = tmp.resolve("checkpoints/epoch-0003");
        assertThrows(
                UncheckedIOException.class,
                () -> AtomicFiles.replaceDirectory(next, t -> {
                    throw new IOException(ENOSPC);
                }));
        assertEquals(List.of("epoch-0002"), names(cp.getParent()));
    }

    @Test
    void leftoversOfKilledWritesAreRemovedAndNothingElse() throws Exception {
        Files.writeString(tmp.resolve("metrics.csv"), "x");
        Files.writeString(tmp.resolve(".metrics.csv8012345678901234.tmp"), "half");
        Files.createDirectories(tmp.resolve(".epoch-0002.new1234567/model"));
        Files.writeString(tmp.resolve(".epoch-0002.new1234567/model/graph.sdz"), "half");
        Files.createDirectories(tmp.resolve(".model.old99"));
        Files.writeString(tmp.resolve(".keep"), "a user's file");
        Files.createDirectories(tmp.resolve("epoch-0001"));
        assertEquals(
                List.of(".epoch-0002.new1234567", ".metrics.csv8012345678901234.tmp", ".model.old99"),
                AtomicFiles.removeLeftovers(tmp));
        assertEquals(List.of(".keep", "epoch-0001", "metrics.csv"), names(tmp));
        assertEquals(List.of(), AtomicFiles.removeLeftovers(tmp.resolve("missing")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void leftoversOfKilledWritesAreRemovedAtAnyDepth() throws Exception {
        Path trial = tmp.resolve("trial");
        Files.createDirectories(trial.resolve("checkpoints/.epoch-0002.new123/model"));
        Files.writeString(trial.resolve("checkpoints/.epoch-0002.new123/state.json"), "{\"epo");
        Files.createDirectories(trial.resolve("checkpoints/.epoch-0001.old456"));
        Files.writeString(trial.resolve(".status.json789.tmp"), "{");
        Files.writeString(trial.resolve("status.json"), "{}");
        Files.writeString(trial.resolve(".lock"), "pid 1");
        Files.createDirectories(trial.resolve("checkpoints/epoch-0001"));
        Files.writeString(trial.resolve("checkpoints/epoch-0001/state.json"), "{}");

        assertEquals(
                List.of(".status.json789.tmp", "checkpoints/.epoch-0001.old456", "checkpoints/.epoch-0002.new123"),
                AtomicFiles.removeLeftovers(trial));
        try (var files = Files.walk(trial)) {
            assertEquals(
                    List.of(
                            "",
                            ".lock",
                            "checkpoints",
                            "checkpoints/epoch-0001",
                            "checkpoints/epoch-0001/state.json",
                            "status.json"),
                    files.map(f -> trial.relativize(f).toString()).sorted().toList());
        }
        assertEquals(List.of(), AtomicFiles.removeLeftovers(trial));
        assertEquals(List.of(), AtomicFiles.removeLeftovers(tmp.resolve("absent")));
    }
}
