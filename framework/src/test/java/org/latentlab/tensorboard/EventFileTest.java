package org.latentlab.tensorboard;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event records against the bytes TensorBoard's own code writes: the expected values were made with TensorBoard
 * 2.21.0 (pip), its protobuf classes ({@code tensorboard.compat.proto.event_pb2}, {@code summary_pb2}, {@code
 * tensorboard.plugins.hparams.plugin_data_pb2}) and its {@code RecordWriter} (TFRecord framing, masked CRC-32C):
 *
 * <pre>
 * e = event_pb2.Event(wall_time=1.5, step=3, summary=summary_pb2.Summary(value=[
 *         summary_pb2.Summary.Value(tag="train/loss", simple_value=0.25)]))
 * RecordWriter(buffer).write(e.SerializeToString())
 * </pre>
 * CI also starts the real TensorBoard on a run and a sweep and reads the values back (.ci/tensorboard-check.py).
 */
class EventFileTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    @Test
    void aScalarRecordIsByteForByteWhatTensorBoardWrites() {
        byte[] record = EventFile.record(EventFile.scalarEvent(1.5, "train/loss", 3, 0.25));
        assertEquals(
                "200000000000000029eda95009000000000000f83f10032a130a110a0a747261696e2f6c6f7373150000803e43301b92",
                HEX.formatHex(record));
    }

    @Test
    void hparamsSessionRecordsAreWhatTensorBoardsProtobufClassesWrite() {
        // SessionStartInfo(hparams={"model.beta": Value(number_value=0.0)}, group_name="", start_time_secs=2.0):
        // the 0.0 is written, being a member of a oneof.
        assertEquals(
                "09000000000000f83f2a530a510a1c5f68706172616d735f2f73657373696f6e5f73746172745f696e666f4a310a2f0a07"
                        + "68706172616d7312241a220a170a0a6d6f64656c2e626574611209110000000000000000290000000000000040",
                HEX.formatHex(EventFile.sessionStartEvent(1.5, Map.of("model.beta", 0.0), "", 2.0)));
        // SessionEndInfo(status=STATUS_SUCCESS, end_time_secs=3.0)
        assertEquals(
                "09000000000000f83f2a3a0a380a1a5f68706172616d735f2f73657373696f6e5f656e645f696e666f4a1a0a180a0768"
                        + "706172616d73120d220b0801110000000000000840",
                HEX.formatHex(EventFile.sessionEndEvent(1.5, true, 3.0)));
    }

    @Test
    void aResumedRunKeepsTheEventsOfTheEpochsItDoesNotRedoAndDropsACutOffRecord() throws Exception {
        try (EventFile events = EventFile.open(tmp, -1)) {
            events.sessionStart(Map.of("trainer.learningRate", 0.001), "");
            for (int step = 1; step <= 5; step++) {
                events.scalar("train/loss", step, 10.0 / step);
            }
            events.image("images/x", 5, new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY));
        }
        Path file = EventFile.find(tmp).orElseThrow();
        assertTrue(file.getFileName().toString().startsWith(EventFile.PREFIX));
        assertEquals(1 + 1 + 5 + 1, EventFile.readEvents(file).size(), "version, hparams, 5 scalars, 1 image");
        // a kill in the middle of a record
        Files.write(file, new byte[] {12, 0, 0, 0, 0}, StandardOpenOption.APPEND);
        assertEquals(8, EventFile.readEvents(file).size(), "the cut-off record is not read");

        try (EventFile resumed = EventFile.open(tmp, 3)) {
            resumed.scalar("train/loss", 4, 2.0);
        }
        List<byte[]> events = EventFile.readEvents(file);
        List<Long> steps = events.stream().map(EventFile::stepOf).toList();
        assertEquals(List.of(0L, 0L, 1L, 2L, 3L, 4L), steps, "steps 4, 5 and the image dropped, then step 4 again");
        assertEquals(
                Files.size(file), events.stream().mapToLong(e -> e.length + 16L).sum(), "nothing left over");

        try (EventFile fresh = EventFile.open(tmp, -1)) {
            fresh.scalar("train/loss", 1, 1.0);
        }
        assertEquals(2, EventFile.readEvents(EventFile.find(tmp).orElseThrow()).size(), "a fresh run starts over");
    }
}
