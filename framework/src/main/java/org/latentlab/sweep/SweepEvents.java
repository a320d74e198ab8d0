package org.latentlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep's journal, {@value #FILE} in the sweep folder: one line per thing that happened to a
 * trial, appended by every process working on the sweep (local workers, array tasks, reruns):
 * <pre>
 *   2026-12-03T08:40:51.373Z  003-latentSize=4-seed=2  completed  pid=4711  host=node7  [detail]
 * </pre>
 * (fields separated by tabs). Events: {@code started} (training from scratch), {@code resumed}
 * (an interrupted or failed trial redone, detail: what the last attempt left), {@code completed},
 * {@code failed} (detail: the error), {@code skipped} (already complete) and {@code busy} (claimed
 * by another live process, detail: which). {@code status.json} says where a trial stands now; this
 * log says how it got there, so a test or a person can check that each trial completed exactly
 * once however often its processes were killed.
 *
 * <p>Each line is appended with a single {@code write} on a file opened with {@code O_APPEND},
 * which the kernel performs atomically at the end of a local file, and under an exclusive
 * {@link FileLock} held for that write: {@code O_APPEND} alone is not atomic on NFS, where
 * several nodes of an array job may append to the same log. SIGKILL does not split a write this
 * short; {@link #read} still skips any line that does not parse rather than fail on it.
 */
public final class SweepEvents {
    public static final String FILE = "events.log";
    /** Serialises this JVM's appends: two channels of one process may not both lock the file (OverlappingFileLockException). */
    private static final Object APPEND_LOCK = new Object();

    /** One line of the log. */
    public record Event(Instant time, String trial, String event, long pid, String host, String detail) {}

    private final Path file;

    public SweepEvents(Path sweepDir) {
        this.file = sweepDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** Appends one event of this process. */
    public void append(String trial, String event, String detail) {
        String line = String.join(
                        "\t",
                        Instant.now().toString(),
                        trial,
                        event,
                        "pid=" + ProcessHandle.current().pid(),
                        "host=" + host(),
                        detail == null ? "" : detail.replaceAll("[\\t\\r\\n]+", " "))
                + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        synchronized (APPEND_LOCK) {
            try (FileChannel channel = FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    FileLock lock = channel.lock()) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes); // one write(2) for a line this short
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every complete line of the log, in order (none if there is no log yet). */
    public List<Event> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Event> events = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length != 6 || !f[3].startsWith("pid=") || !f[4].startsWith("host=")) {
                continue; // not a line this class wrote
            }
            try {
                events.add(new Event(
                        Instant.parse(f[0]), f[1], f[2], Long.parseLong(f[3].substring(4)), f[4].substring(5), f[5]));
            } catch (RuntimeException e) {
                // same
            }
        }
        return events;
    }

    /** Whether the log records {@code trial} as completed. */
    public boolean hasCompleted(String trial) {
        return read().stream()
                .anyMatch(e -> e.trial().equals(trial) && e.event().equals("completed"));
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
