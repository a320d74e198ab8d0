package org.latentlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive claim on one trial, held while a process trains it, so that two processes given the
 * same trials (a requeued array task, a sweep started twice, overlapping shard settings) never
 * train one trial at the same time: the second finds it claimed and moves on.
 *
 * <p>The claim is an exclusive lock on {@code trials/<id>/.lock} ({@link FileChannel#tryLock},
 * which is {@code fcntl(F_SETLK)} on Linux), not the existence of a file. That is what makes it
 * survive SIGKILL: a file lock belongs to the open file of the process holding it, and the kernel
 * closes every file of a process however it ends (SIGKILL, the OOM killer, a JVM crash), dropping
 * its locks with them. The {@code .lock} file a killed process leaves behind claims nothing; the
 * next process's {@code tryLock} succeeds and it takes the trial over. A marker created with
 * {@code O_EXCL} instead would outlive its process and need stale-claim guessing (is pid N on
 * host H still alive? how old is too old?). On NFSv4 the server holds the lock as part of the
 * client's state: the client releases it when the process's file is closed (on exit, however it
 * exits), and if the whole node dies the server drops it when the client's lease expires (90 s by
 * default). NFSv3 needs the lock manager (lockd); a mount with {@code nolock} makes locks local to
 * each node, which this class cannot detect.
 *
 * <p>POSIX locks are per process: closing any descriptor of the file in the process that holds the
 * lock releases it. So the {@code .lock} file is never opened twice by one JVM ({@link #CLAIMED_HERE}
 * answers for claims of this JVM) and never deleted (a process that opened the old file and one
 * that created a new one could both hold "the" lock).
 */
public final class TrialClaim implements AutoCloseable {
    public static final String LOCK_FILE = ".lock";
    /** Trial folders claimed by this JVM, so that a second claim here never opens (and closes) the locked file. */
    private static final Set<Path> CLAIMED_HERE = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private TrialClaim(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims the trial in {@code trialDir} (creating the folder), or returns empty when another
     * process, or another runner of this one, holds it. Never waits.
     */
    public static Optional<TrialClaim> tryAcquire(Path trialDir) {
        Path key = trialDir.toAbsolutePath().normalize();
        if (!CLAIMED_HERE.add(key)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key);
            channel = FileChannel.open(
                    key.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close(); // this process holds no lock on the file, so closing releases nothing
                CLAIMED_HERE.remove(key);
                return Optional.empty();
            }
            // Who holds it, for the message of a process that finds it taken (informational only).
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + SweepEvents.host() + " since "
                                    + Instant.now() + "\n")
                            .getBytes(StandardCharsets.UTF_8)),
                    0);
            return Optional.of(new TrialClaim(key, channel, lock));
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            CLAIMED_HERE.remove(key);
            if (e instanceof OverlappingFileLockException) {
                return Optional.empty();
            }
            throw new UncheckedIOException(
                    "cannot claim trial " + trialDir + " (" + LOCK_FILE + "): " + e.getMessage(), (IOException) e);
        }
    }

    /** Who holds the claim on {@code trialDir}, as its holder wrote it, for a log line. */
    public static String holder(Path trialDir) {
        Path key = trialDir.toAbsolutePath().normalize();
        if (CLAIMED_HERE.contains(key)) {
            return "this process (pid " + ProcessHandle.current().pid() + ")";
        }
        try {
            String s = Files.readString(key.resolve(LOCK_FILE), StandardCharsets.UTF_8)
                    .trim();
            return s.isEmpty() ? "another process" : s;
        } catch (IOException e) {
            return "another process";
        }
    }

    /** Releases the claim; the {@code .lock} file stays (see the class comment). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        } finally {
            closeQuietly(channel);
            CLAIMED_HERE.remove(key);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }
}
