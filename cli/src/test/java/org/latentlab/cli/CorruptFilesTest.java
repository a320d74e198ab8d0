package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.data.MnistFetcher;

/**
 * Damaged data and model files as a user meets them through the command line: truncated, wrong-magic and
 * wrong-size IDX files, and truncated, empty or foreign {@code .sdz} model and checkpoint files. Each gives one
 * {@code error:} line that names the file and says what is wrong with it.
 */
class CorruptFilesTest {
    @TempDir
    static Path shared;

    static Path run;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainTinyRun() {
        run = shared.resolve("run");
        Result r = CliRunner.run(
                "train",
                "--model",
                "vae",
                "--set",
                "hiddenSizes=16",
                "--set",
                "latentSize=2",
                "--epochs",
                "1",
                "--batch-size",
                "200",
                "--validation-fraction",
                "0",
                "--out",
                run.toString());
        assertEquals(0, r.exit(), r.err());
    }

    // ---- IDX files, through 'train --dataset mnist --data-dir D'

    /** A data folder with the shipped sample as the four uncompressed MNIST files. */
    private Path dataDir() throws IOException {
        Path mnist = Files.createDirectories(tmp.resolve("data").resolve("mnist"));
        for (String f : MnistFetcher.FILES) {
            try (InputStream in = new GZIPInputStream(
                    CorruptFilesTest.class.getResourceAsStream("/org/latentlab/data/mnist-sample/" + f + ".gz"))) {
                Files.write(mnist.resolve(f), in.readAllBytes());
            }
        }
        return tmp.resolve("data");
    }

    private Result trainOn(Path data) {
        return CliRunner.run(
                "train",
                "--dataset",
                "mnist",
                "--data-dir",
                data.toString(),
                "--set",
                "hiddenSizes=8",
                "--dry-run",
                "--out",
                tmp.resolve("out").toString());
    }

    @Test
    void intactIdxFilesLoad() throws IOException {
        Result r = trainOn(dataDir());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void truncatedIdxFileNamesTheFileAndTheMissingBytes() throws IOException {
        Path data = dataDir();
        Path images = data.resolve("mnist/train-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 1000));
        assertOneLine(
                trainOn(data),
                images.toString(),
                "is truncated: expected 1568000 bytes of data after the header"
                        + " (shape [2000, 28, 28]) but found 1567000");
    }

    @Test
    void wrongMagicNamesTheFileAndTheBytes() throws IOException {
        Path data = dataDir();
        Path labels = data.resolve("mnist/t10k-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[0] = 0x50;
        bytes[1] = 0x4B;
        Files.write(labels, bytes);
        assertOneLine(
                trainOn(data),
                labels.toString(),
                "bad magic number: expected first two bytes 0x00 0x00 but found 0x50 0x4B");
    }

    @Test
    void wrongDimensionCountNamesTheFileAndTheShape() throws IOException {
        Path data = dataDir();
        Path images = data.resolve("mnist/t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        // Declare 2 dimensions: the header now reads [500, 28] and 28 x 4 bytes more data than that follow.
        bytes[3] = 2;
        Files.write(images, bytes);
        assertOneLine(trainOn(data), images.toString(), "trailing bytes");
    }

    @Test
    void headerClaimingMoreItemsThanTheFileHoldsNamesBoth() throws IOException {
        Path data = dataDir();
        Path labels = data.resolve("mnist/train-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[6] = 0x4E; // count 2000 (0x07D0) -> 0x4ED0 = 20176
        Files.write(labels, bytes);
        assertOneLine(
                trainOn(data),
                labels.toString(),
                "is truncated: expected 20176 bytes of data after the header" + " (shape [20176]) but found 2000");
    }

    @Test
    void imageAndLabelCountsThatDisagreeNameBothFiles() throws IOException {
        Path data = dataDir();
        Path labels = data.resolve("mnist/train-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        byte[] fewer = Arrays.copyOf(bytes, bytes.length - 10);
        fewer[7] = (byte) (fewer[7] - 10); // a consistent label file of 1990 labels
        Files.write(labels, fewer);
        Result r = trainOn(data);
        assertOneLine(r, labels.toString(), "holds 2000 images but label file");
        assertTrue(r.err().contains("1990 labels"), r.err());
    }

    @Test
    void truncatedGzipIdxFileSaysSo() throws IOException {
        Path data = dataDir();
        Path images = data.resolve("mnist/t10k-images-idx3-ubyte");
        byte[] gz;
        try (var buffer = new ByteArrayOutputStream()) {
            try (OutputStream out = new GZIPOutputStream(buffer)) {
                out.write(Files.readAllBytes(images));
            }
            gz = buffer.toByteArray();
        }
        Files.write(images, Arrays.copyOf(gz, gz.length / 2));
        assertOneLine(trainOn(data), images.toString(), "is truncated: its gzip stream ends early");
    }

    // ---- .sdz model and checkpoint files

    private Path copyOfRun() throws IOException {
        Path copy = tmp.resolve("copy");
        BadInputPropertiesTest.copyTree(run, copy);
        return copy;
    }

    @Test
    void truncatedModelGraphNamesTheFileAndItsSize() throws IOException {
        Path copy = copyOfRun();
        Path graph = copy.resolve("model/graph.sdz");
        long size = Files.size(graph);
        Files.write(graph, Arrays.copyOf(Files.readAllBytes(graph), 1000));
        for (Result r : List.of(
                CliRunner.run("evaluate", copy.toString(), "--is-samples", "0"),
                CliRunner.run("plot", copy.toString()))) {
            assertOneLine(r, graph.toString(), "is truncated: 1000 of the " + size + " bytes saved");
        }
    }

    @Test
    void emptyModelGraphSaysItIsEmpty() throws IOException {
        Path copy = copyOfRun();
        Path graph = copy.resolve("model/graph.sdz");
        Files.write(graph, new byte[0]);
        assertOneLine(
                CliRunner.run("evaluate", copy.toString()),
                graph.toString(),
                "is empty (0 bytes): not a SameDiff model file");
    }

    @Test
    void garbageOfTheSameSizeIsDamaged() throws IOException {
        Path copy = copyOfRun();
        Path graph = copy.resolve("model/graph.sdz");
        byte[] bytes = Files.readAllBytes(graph);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(graph, bytes);
        assertOneLine(CliRunner.run("evaluate", copy.toString()), graph.toString(), "is damaged: its SHA-256 differs");
    }

    @Test
    void modelsSavedWithoutTheSizeRecordAreJudgedByTheirContent() throws IOException {
        Path copy = copyOfRun();
        Path graph = copy.resolve("model/graph.sdz");
        Files.delete(copy.resolve("model/graph.sdz.json")); // as saved before the record existed
        byte[] bytes = Files.readAllBytes(graph);
        Files.write(graph, Arrays.copyOf(bytes, bytes.length / 3));
        assertOneLine(
                CliRunner.run("evaluate", copy.toString()),
                graph.toString(),
                "not a complete SameDiff model file: truncated or damaged");
        Files.writeString(graph, "PK\u0003\u0004 a zip archive, or some other file");
        assertOneLine(
                CliRunner.run("evaluate", copy.toString()),
                graph.toString(),
                "a zip archive, not a SameDiff model file");
        Files.writeString(graph, "garbage: certainly not a model");
        assertOneLine(CliRunner.run("evaluate", copy.toString()), graph.toString(), "not a SameDiff model file");
    }

    @Test
    void truncatedCheckpointNamesTheCheckpointFileAndResumeChangesNothing() throws IOException {
        Path copy = copyOfRun();
        Files.delete(copy.resolve("summary.json")); // an interrupted run
        Path graph = copy.resolve("checkpoints/epoch-0001/model/graph.sdz");
        Files.write(graph, Arrays.copyOf(Files.readAllBytes(graph), 4));
        String config = Files.readString(copy.resolve("config.json"));
        Result r = CliRunner.run("train", "--resume", "--epochs", "3", "--out", copy.toString());
        assertOneLine(r, graph.toString(), "truncated: 4 of the");
        assertEquals(
                config, Files.readString(copy.resolve("config.json")), "a failed resume leaves config.json as it was");
    }

    @Test
    void truncatedCheckpointStateNamesTheFile() throws IOException {
        Path copy = copyOfRun();
        Path state = copy.resolve("checkpoints/epoch-0001/state.json");
        String text = Files.readString(state);
        Files.writeString(state, text.substring(0, text.length() / 2));
        assertOneLine(
                CliRunner.run("train", "--resume", "--out", copy.toString()),
                state.toString(),
                "cannot read checkpoint state");
    }

    private static void assertOneLine(Result r, String file, String problem) {
        assertNotEquals(0, r.exit(), r.out());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), r.err());
        assertTrue(
                lines.get(0).startsWith("error: ")
                        && lines.get(0).contains(file)
                        && lines.get(0).contains(problem),
                "expected '" + problem + "' about " + file + " in: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }
}
