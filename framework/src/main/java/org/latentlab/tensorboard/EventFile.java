package org.latentlab.tensorboard;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import javax.imageio.ImageIO;
import org.latentlab.io.AtomicFiles;

/**
 * One TensorBoard event file ({@code events.out.tfevents.<time>.<host>}) in a folder: TFRecord records (length,
 * masked CRC-32C of the length, the {@code Event} message, masked CRC-32C of the message), the first one the {@code
 * brain.Event:2} version record. Each record is flushed when written, so TensorBoard shows a run while it trains.
 *
 * <p>A resumed run opens the folder's file with the epochs it has completed: the events of later steps, which the
 * interrupted process may have written before its last checkpoint was superseded, are dropped (the file is rewritten
 * atomically), so that the resumed run's events are not doubled. A record cut off by a kill is dropped the same way.
 */
public final class EventFile implements Closeable {
    /** The prefix TensorBoard looks for. */
    public static final String PREFIX = "events.out.tfevents.";
    /** The tag of the hparams plugin's session start record. */
    public static final String SESSION_START_INFO_TAG = "_hparams_/session_start_info";
    /** The tag of the hparams plugin's session end record. */
    public static final String SESSION_END_INFO_TAG = "_hparams_/session_end_info";

    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;

    private EventFile(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens the event file of {@code dir} for appending, keeping its events up to step {@code keepUpTo} (a negative
     * value keeps none and starts a new file); creates the folder and the file when there is none.
     */
    public static EventFile open(Path dir, long keepUpTo) {
        return open(dir, keepUpTo, tag -> false);
    }

    /**
     * {@link #open(Path, long)}, also dropping the kept events whose tag {@code endOfRun} accepts: what an
     * interrupted process wrote when it ended its run (the session's end, final metrics), which the resumed run
     * writes again when it ends.
     */
    public static EventFile open(Path dir, long keepUpTo, Predicate<String> endOfRun) {
        try {
            Files.createDirectories(dir);
            Optional<Path> existing = find(dir);
            Path file;
            if (existing.isPresent() && keepUpTo >= 0) {
                file = existing.get();
                List<byte[]> kept = new ArrayList<>();
                for (byte[] event : readEvents(file)) {
                    if (stepOf(event) <= keepUpTo && !endOfRun.test(tagOf(event))) {
                        kept.add(event);
                    }
                }
                AtomicFiles.write(file, tmp -> {
                    try (OutputStream o = Files.newOutputStream(tmp)) {
                        for (byte[] event : kept) {
                            o.write(record(event));
                        }
                    }
                });
            } else {
                if (existing.isPresent()) {
                    Files.delete(existing.get());
                }
                String host;
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    host = "localhost";
                }
                file = dir.resolve(PREFIX + System.currentTimeMillis() / 1000 + "." + host);
                AtomicFiles.write(file, tmp -> Files.write(tmp, record(versionEvent())));
            }
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND);
            return new EventFile(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a TensorBoard event file in " + dir, e);
        }
    }

    /** The event file in {@code dir}, if there is one. */
    public static Optional<Path> find(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The step of an event (0 when it has none, as proto3 leaves 0 out). */
    public static long stepOf(byte[] event) {
        return Math.max(0, Proto.readVarintField(event, 2));
    }

    /** The tag of an event's first summary value ({@code Event.summary.value[0].tag}), or "" for none. */
    public static String tagOf(byte[] event) {
        byte[] summary = Proto.readBytesField(event, 5);
        byte[] value = summary == null ? null : Proto.readBytesField(summary, 1);
        byte[] tag = value == null ? null : Proto.readBytesField(value, 1);
        return tag == null ? "" : new String(tag, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** A scalar: {@code tag} (e.g. {@code train/loss}) at {@code step}. */
    public void scalar(String tag, long step, double value) {
        append(scalarEvent(now(), tag, step, value));
    }

    /** An image (written as PNG) at {@code step}. */
    public void image(String tag, long step, BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image " + tag, e);
        }
        int channels = image.getColorModel().getNumComponents();
        Proto img = new Proto()
                .int64(1, image.getHeight())
                .int64(2, image.getWidth())
                .int64(3, channels)
                .bytes(4, png.toByteArray());
        Proto v = new Proto().string(1, tag).message(4, img);
        append(event(now(), step, new Proto().message(1, v)));
    }

    /**
     * The hparams plugin's session start: the run's hyperparameters (numbers, texts, booleans; anything else as its
     * text) and its group ({@code group}: runs of one group are the repeats of one configuration).
     */
    public void sessionStart(Map<String, Object> hparams, String group) {
        append(sessionStartEvent(now(), hparams, group, now()));
    }

    /** The hparams plugin's session end: whether the run succeeded. */
    public void sessionEnd(boolean success) {
        append(sessionEndEvent(now(), success, now()));
    }

    /** The {@code Event} of a scalar. */
    static byte[] scalarEvent(double wallTime, String tag, long step, double value) {
        Proto v = new Proto().string(1, tag).float32(2, (float) value);
        return event(wallTime, step, new Proto().message(1, v));
    }

    /** The {@code Event} of the hparams plugin's {@code SessionStartInfo}. */
    static byte[] sessionStartEvent(double wallTime, Map<String, Object> hparams, String group, double startTime) {
        Proto info = new Proto();
        hparams.forEach((name, value) -> {
            Proto v = new Proto(); // google.protobuf.Value: a oneof, so its member is written even when 0
            if (value instanceof Number n) {
                v.float64Always(2, n.doubleValue());
            } else if (value instanceof Boolean b) {
                v.boolAlways(4, b);
            } else {
                v.stringAlways(3, String.valueOf(value));
            }
            info.message(1, new Proto().string(1, name).message(2, v));
        });
        info.string(4, group).float64(5, startTime);
        return hparamsEvent(wallTime, SESSION_START_INFO_TAG, new Proto().message(3, info));
    }

    /** The {@code Event} of the hparams plugin's {@code SessionEndInfo} (status 1 success, 2 failure). */
    static byte[] sessionEndEvent(double wallTime, boolean success, double endTime) {
        Proto info = new Proto().int64(1, success ? 1 : 2).float64(2, endTime);
        return hparamsEvent(wallTime, SESSION_END_INFO_TAG, new Proto().message(4, info));
    }

    private static byte[] hparamsEvent(double wallTime, String tag, Proto pluginData) {
        // HParamsPluginData: version 0 (left out, as proto3 does) and the session record.
        Proto metadata = new Proto().message(1, new Proto().string(1, "hparams").message(2, pluginData));
        Proto v = new Proto().string(1, tag).message(9, metadata);
        return event(wallTime, 0, new Proto().message(1, v));
    }

    private static byte[] event(double wallTime, long step, Proto summary) {
        return new Proto()
                .float64(1, wallTime)
                .int64(2, step)
                .message(5, summary)
                .toByteArray();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private void append(byte[] event) {
        try {
            out.write(record(event));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private static byte[] versionEvent() {
        return new Proto()
                .float64(1, System.currentTimeMillis() / 1000.0)
                .string(3, "brain.Event:2")
                .toByteArray();
    }

    /** The TFRecord framing of {@code data}. */
    static byte[] record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** The events of an event file, in order, up to the first record that is cut off or fails its checksums. */
    public static List<byte[]> readEvents(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> events = new ArrayList<>();
        while (b.remaining() >= 12) {
            int start = b.position();
            long length = b.getLong();
            int lengthCrc = b.getInt();
            if (lengthCrc != maskedCrc(all, start, 8) || length < 0 || length > b.remaining() - 4) {
                break;
            }
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != maskedCrc(data, 0, data.length)) {
                break;
            }
            events.add(data);
        }
        return events;
    }

    /** TFRecord's masked CRC-32C: the checksum rotated right by 15 bits plus a constant. */
    static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }
}
