package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/** A researcher's own folder of images through train, evaluate, plot and report. */
@Tag("e2e")
class UserDatasetCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Two classes of twelve 12x12 grey PNGs (stripes across or down), and one JPEG. */
    private Path stripes() throws IOException {
        Path root = tmp.resolve("stripes");
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 12; i++) {
                BufferedImage image = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 12; x++) {
                        int along = c == 0 ? x : y;
                        image.getRaster().setSample(x, y, 0, (along + i) % 4 < 2 ? 220 : 20);
                    }
                }
                Path file = root.resolve(c == 0 ? "across" : "down").resolve(String.format("%02d.png", i));
                Files.createDirectories(file.getParent());
                ImageIO.write(image, "png", file.toFile());
            }
        }
        return root;
    }

    @Test
    void trainEvaluatePlotAndReportOnAFolderOfImages() throws IOException {
        Path root = stripes();
        String dataset = "folder:" + root + "?size=8";
        Path out = tmp.resolve("run");
        Result r = run(
                "train",
                "--model",
                "vae",
                "--dataset",
                dataset,
                "--epochs",
                "2",
                "--batch-size",
                "8",
                "--seed",
                "5",
                "--set",
                "inputSize=64",
                "--set",
                "hiddenSizes=16",
                "--set",
                "latentSize=2",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals(dataset, config.path("dataset").asText());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(dataset, summary.path("dataset").asText());
        assertEquals(4, summary.path("test_size").asInt()); // round(12 * 0.2) = 2 of each class
        assertTrue(Double.isFinite(summary.path("test_neg_elbo").asDouble()), summary.toString());
        JsonNode files = summary.path("provenance").path("data_files");
        assertEquals(1, files.size(), files.toString());
        assertEquals(root.toAbsolutePath().toString(), files.get(0).path("file").asText());
        assertEquals(24, files.get(0).path("count").asInt());
        assertTrue(files.get(0).path("sha256").asText().matches("[0-9a-f]{64}"));
        BufferedImage recon = ImageIO.read(out.resolve("reconstructions.png").toFile());
        assertTrue(recon.getWidth() > 8, "reconstructions of 8x8 images");

        Result eval = run("evaluate", out.toString(), "--probe-size", "10", "--is-images", "5", "--is-samples", "5");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(Files.isRegularFile(out.resolve("evaluation.json")));
        Result plot = run("plot", out.toString(), "--points", "10", "--tsne-points", "0");
        assertEquals(0, plot.exit(), plot.err());
        Result report = run("report", out.toString(), "--tsne-points", "0");
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
    }

    @Test
    void badUserDatasetsStopTheRunWithOneLineNamingTheProblem() throws IOException {
        Path missing = tmp.resolve("nowhere");
        Result r = run("train", "--dataset", "folder:" + missing, "--epochs", "1", "--out", tmp.resolve("a") + "");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains(missing + " does not exist"), r.err());
        Path root = stripes();
        r = run(
                "train",
                "--dataset",
                "folder:" + root + "?channels=3",
                "--epochs",
                "1",
                "--out",
                tmp.resolve("b") + "");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("inputSize=784") && r.err().contains("432 features per image (3x12x12"), r.err());
        r = run("train", "--dataset", "folder:" + root, "--epochs", "1", "--dry-run", "--out", tmp.resolve("c") + "");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("inputSize=784") && r.err().contains("144 features"), r.err());
        r = run("fetch-data", "csv:" + tmp.resolve("x.csv"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("nothing to fetch"), r.out());
    }
}
