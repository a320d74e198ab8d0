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
}
