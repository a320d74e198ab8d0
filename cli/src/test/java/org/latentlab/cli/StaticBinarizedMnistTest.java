package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.data.BinarizedMnistStatic;
import org.latentlab.data.Datasets;

/**
 * End to end on a dataset without labels: binarized-mnist-static from generated {@code .amat} files of the published
 * size (50,000/10,000/10,000 lines of 784 0/1 values), through train, evaluate, plot and report.
 */
@Tag("e2e")
class StaticBinarizedMnistTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Writes the three files, seeded, in the published layout, into {@code <dataDir>/binarized-mnist-static/}. */
    private static void writeFixture(Path dataDir) throws IOException {
        Path dir = BinarizedMnistStatic.staticDir(dataDir);
        Files.createDirectories(dir);
        Random r = new Random(5);
        for (String f : BinarizedMnistStatic.FILES) {
            int lines = BinarizedMnistStatic.STANDARD_LINES.get(f);
            byte[] out = new byte[lines * 784 * 2];
            for (int i = 0; i < lines * 784; i++) {
                int row = i % 784 / 28;
                out[2 * i] = (byte) (r.nextInt(row < 14 ? 3 : 9) == 0 ? '1' : '0'); // some structure to learn
                out[2 * i + 1] = (byte) ((i + 1) % 784 == 0 ? '\n' : ' ');
            }
            Files.write(dir.resolve(f), out);
        }
    }

    @Test
    void fetchDataOfflineNamesTheFilesAndTheFolder() {
        Path dataDir = tmp.resolve("data");
        Result dry = run("fetch-data", "binarized-mnist-static", "--data-dir", dataDir.toString(), "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains(dataDir.resolve("binarized-mnist-static").toString()), dry.out());

        Result train = run(
                "train",
                "--dataset",
                "binarized-mnist-static",
                "--data-dir",
                dataDir.toString(),
                "--out",
                tmp.resolve("run").toString());
        assertNotEquals(0, train.exit());
        assertTrue(train.err().contains("./latentlab fetch-data binarized-mnist-static"), train.err());
        assertTrue(
                train.err()
                        .contains(dataDir.resolve("binarized-mnist-static")
                                .toAbsolutePath()
                                .toString()),
                train.err());
        assertFalse(train.err().contains("\tat "), "no stack trace: " + train.err());
    }

    @Test
    void trainEvaluatePlotAndReportWorkWithoutLabels() throws Exception {
        Path dataDir = tmp.resolve("data");
        writeFixture(dataDir);
        Path out = tmp.resolve("run");
        String data = dataDir.toString();
        Result r = run(
                "train",
                "--model",
                "ae",
                "--dataset",
                Datasets.BINARIZED_MNIST_STATIC,
                "--data-dir",
                data,
                "--epochs",
                "1",
                "--train-size",
                "256",
                "--batch-size",
                "64",
                "--seed",
                "2",
                "--set",
                "encoderSizes=32,2",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(256, summary.path("train_size").asInt());
        assertEquals(10_000, summary.path("validation_size").asInt(), "validated on the published validation file");
        assertEquals(10_000, summary.path("test_size").asInt());
        assertTrue(
                summary.path("binarization").asText().startsWith("static (Larochelle & Murray 2011)"),
                summary.toString());
        JsonNode files = summary.path("provenance").path("data_files");
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.get(0).path("file").asText().endsWith(BinarizedMnistStatic.TRAIN_FILE), files.toString());
        assertTrue(files.get(0).path("sha256").asText().matches("[0-9a-f]{64}"), files.toString());

        // The defaults that need labels (the probes) are skipped; asking for them is an error.
        Result eval = run("evaluate", out.toString(), "--data-dir", data, "--jacobian-probes", "0");
        assertEquals(0, eval.exit(), eval.err());
        JsonNode evaluation = JSON.readTree(out.resolve("evaluation.json").toFile());
        assertTrue(
                evaluation.path("reconstruction").has("mse_per_pixel")
                        || evaluation.toString().contains("mse"),
                evaluation.toString());
        assertTrue(
                evaluation.path("probes").isMissingNode()
                        || evaluation.path("probes").isNull(),
                evaluation.toString());
        for (List<String> asked : List.of(
                List.of("--probe-size", "100"), List.of("--anomaly-class", "1"), List.of("--classifier-epochs", "1"))) {
            Result bad = run("evaluate", out.toString(), "--data-dir", data, asked.get(0), asked.get(1));
            assertNotEquals(0, bad.exit(), asked.toString());
            assertTrue(bad.err().contains("has no labels") && bad.err().contains(asked.get(0)), bad.err());
            assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
        }

        Result plot = run("plot", out.toString(), "--data-dir", data, "--points", "300", "--tsne-points", "0");
        assertEquals(0, plot.exit(), plot.err());
        for (String f : List.of("latent_2d", "pixels_pca", "reconstructions", "interpolation", "manifold")) {
            assertTrue(Files.isRegularFile(out.resolve("plots").resolve(f + ".png")), "missing plots/" + f + ".png");
        }
        List<String> scatter = Files.readAllLines(out.resolve("plots/latent_2d.csv"));
        assertEquals("x,y,label", scatter.get(0));
        assertTrue(scatter.get(1).endsWith(","), "no label: " + scatter.get(1));

        Result report = run("report", out.toString(), "--data-dir", data, "--tsne-points", "0");
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.isRegularFile(out.resolve("index.html")));

        Result cvae = run(
                "train",
                "--model",
                "cvae",
                "--dataset",
                Datasets.BINARIZED_MNIST_STATIC,
                "--data-dir",
                data,
                "--out",
                tmp.resolve("cvae").toString(),
                "--dry-run");
        assertNotEquals(0, cvae.exit());
        assertTrue(cvae.err().contains("trains on class labels"), cvae.err());
    }
}
