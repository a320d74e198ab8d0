package org.latentlab.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void leftoversOfKilledWritesAreRemovedAndNothingElse() throws Exception {
        Path trial = tmp.resolve("trial");
        Files.createDirectories(trial.resolve("checkpoints/.epoch-0002.new123/model"));
        Files.writeString(trial.resolve("checkpoints/.epoch-0002.new123/state.json"), "{\"epo");
        Files.createDirectories(trial.resolve("checkpoints/.epoch-0001.old456"));
        Files.writeString(trial.resolve(".status.json789.tmp"), "{");
        Files.writeString(trial.resolve("status.json"), "{}");
        Files.writeString(trial.resolve(".lock"), "pid 1");
        Files.createDirectories(trial.resolve("checkpoints/epoch-0001"));
        Files.writeString(trial.resolve("checkpoints/epoch-0001/state.json"), "{}");

        assertEquals(3, AtomicFiles.removeLeftovers(trial));
        try (var files = Files.walk(trial)) {
            assertEquals(java.util.List.of("", ".lock", "checkpoints", "checkpoints/epoch-0001",
                    "checkpoints/epoch-0001/state.json", "status.json"),
                    files.map(f -> trial.relativize(f).toString()).sorted().toList());
        }
        assertEquals(0, AtomicFiles.removeLeftovers(trial));
        assertEquals(0, AtomicFiles.removeLeftovers(tmp.resolve("absent")));
    }
}
