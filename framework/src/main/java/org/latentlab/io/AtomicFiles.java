package org.latentlab.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Atomic writes: content goes to a temporary sibling first and is then renamed into place, so a
 * crash (or SIGKILL) leaves either the old version or the new one.
 *
 * <p>A write that fails (most often a full disk: {@code No space left on device}) throws an
 * {@link UncheckedIOException} whose message names the file or folder that was to be written and
 * the system's reason, in one line the command line prints as it is. The temporary file or
 * folder is removed and the previous version is left untouched, so a run can continue from its
 * last checkpoint once there is space again. A process killed mid-write leaves its temporary
 * sibling behind (a hidden name ending in {@code .tmp}, {@code .newNNN} or {@code .oldNNN}):
 * {@link #removeLeftovers} clears them when a run resumes.
 */
public final class AtomicFiles {
    /** Names of the temporary siblings made here: {@code .NAME<digits>.tmp}, {@code .NAME.new<digits>}, {@code .NAME.old<digits>}. */
    private static final Pattern LEFTOVER = Pattern.compile("\\..+(\\d+\\.tmp|\\.(new|old)\\d+)");

    private AtomicFiles() {}

    /** Writes {@code content} to a temporary file in {@code target}'s folder, then moves it over {@code target}. */
    public static void writeString(Path target, String content) {
        write(target, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }

    /** Lets {@code writer} fill a temporary file, then moves it over {@code target}. */
    public static void write(Path target, IoConsumer<Path> writer) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                writer.accept(tmp);
                shareable(tmp, "rw-r--r--");
                move(tmp, target);
            } catch (IOException | RuntimeException e) {
                bestEffortDelete(tmp, e);
                throw e;
            }
        } catch (IOException e) {
            throw failure(target, e);
        } catch (UncheckedIOException e) {
            throw failure(target, e.getCause());
        }
    }

    /**
     * Lets {@code writer} fill a temporary sibling folder, then swaps it in for {@code target}:
     * the old folder is renamed aside and removed only after the new one is in place. A writer
     * may itself write atomically inside the folder (a model inside a checkpoint); its failure is
     * reported against {@code target}, not the temporary path.
     */
    public static void replaceDirectory(Path target, IoConsumer<Path> writer) {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".new");
            Path old = null;
            try {
                writer.accept(tmp);
                shareable(tmp, "rwxr-xr-x");
                if (Files.exists(abs)) {
                    old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old");
                    Files.delete(old);
                    move(abs, old);
                }
                move(tmp, abs);
            } catch (IOException | RuntimeException e) {
                bestEffortDelete(tmp, e);
                throw e;
            }
            if (old != null) {
                // The new folder is in place; failing to remove the old one loses nothing.
                bestEffortDelete(old, null);
            }
        } catch (IOException e) {
            throw failure(target, e);
        } catch (UncheckedIOException e) {
            throw failure(target, e.getCause());
        }
    }

    /** One line: the target and the system's reason, e.g. {@code cannot write /r/metrics.csv: No space left on device}. */
    private static UncheckedIOException failure(Path target, IOException cause) {
        return new UncheckedIOException("cannot write " + target + ": " + reason(cause), cause);
    }

    /** The system's reason for a failed file operation, without the path Java sometimes puts first. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Deletes a temporary file or folder after a failure; a failure here is added to {@code primary}, never thrown. */
    private static void bestEffortDelete(Path p, Exception primary) {
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                deleteRecursively(p);
            } else {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }

    /**
     * Temp files and folders are created owner-only (0600/0700); results are meant to be read by
     * others too (a shared results folder on a cluster), so they get the usual 0644/0755.
     */
    private static void shareable(Path p, String permissions) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes, anywhere under {@code dir}, the temporary files and folders that writes of this class
     * leave when their process is killed before the rename: they never hold a finished version
     * (that is renamed into place) and can hold half-written JSON or a model as large as a
     * checkpoint. Only for a folder no other process is writing (it would delete a temporary file
     * another writer is about to rename: a run folder while its run resumes, a claimed trial's
     * folder). Returns what it removed, as paths relative to {@code dir}, sorted.
     */
    public static List<String> removeLeftovers(Path dir) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            List<Path> leftovers = new ArrayList<>();
            for (Path p : (Iterable<Path>) entries::iterator) {
                boolean insideOne = leftovers.stream().anyMatch(p::startsWith);
                if (!insideOne
                        && !p.equals(dir)
                        && LEFTOVER.matcher(p.getFileName().toString()).matches()) {
                    leftovers.add(p);
                }
            }
            for (Path p : leftovers) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(p);
                } else {
                    Files.deleteIfExists(p);
                }
                removed.add(dir.relativize(p).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up interrupted writes in " + dir + ": " + reason(e), e);
        }
        removed.sort(null);
        return removed;
    }

    /** Deletes a folder and everything in it. */
    public static void deleteRecursively(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A write step that may throw {@link IOException}. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T value) throws IOException;
    }
}
