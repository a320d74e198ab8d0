package org.latentlab.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Atomic writes: content goes to a temporary sibling first and is then renamed into place, so a
 * crash (or SIGKILL) leaves either the old version or the new one.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

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
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lets {@code writer} fill a temporary sibling folder, then swaps it in for {@code target}:
     * the old folder is renamed aside and removed only after the new one is in place.
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
            } finally {
                if (Files.exists(tmp)) {
                    deleteRecursively(tmp);
                }
                if (old != null && Files.exists(old)) {
                    deleteRecursively(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Temp files and folders are created owner-only (0600/0700); results are meant to be read by
     * others too (a shared results folder on a cluster), so they get the usual 0644/0755.
     */
    private static void shareable(Path p, String permissions) throws IOException {
        if (Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Names of what {@link #write} and {@link #replaceDirectory} leave behind when killed mid-write. */
    private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("\\..+(\\.tmp|\\.new\\d+|\\.old\\d+)");

    /**
     * Deletes, anywhere under {@code dir}, the temporary files and folders that writes of this class
     * leave when their process is killed before the rename: they never hold a finished version
     * (that is renamed into place) and can hold half-written JSON. Only for a folder no other
     * process is writing (it would delete a temporary file another writer is about to rename);
     * returns how many it removed.
     */
    public static int removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> entries = Files.walk(dir)) {
            List<Path> leftovers = new ArrayList<>();
            for (Path p : (Iterable<Path>) entries::iterator) {
                boolean insideOne = leftovers.stream().anyMatch(p::startsWith);
                if (!insideOne && !p.equals(dir) && LEFTOVER.matcher(p.getFileName().toString()).matches()) {
                    leftovers.add(p);
                }
            }
            for (Path p : leftovers) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
            return leftovers.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean temporary files in " + dir + ": " + e.getMessage(), e);
        }
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
