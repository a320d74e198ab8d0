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
