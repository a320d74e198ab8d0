package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/**
 * {@code cifar10} end to end on a tiny generated fixture in the real binary format (64 train / 32 test records in a
 * temporary data folder): train a conv VAE and a conv autoencoder on 3 x 32 x 32 colour images, then evaluate, plot
 * and report, and check that the pictures are in colour.
 */
@Tag("e2e")
class ColourDatasetCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /**
     * Record {@code i}: label {@code i % 10}; class c is a colour (red 25c, green 255 - 25c, blue 128) with a
     * brighter left half, so the classes differ in colour, not only in brightness.
     */
    private static byte[] record(int i) {
        byte[] r = new byte[3073];
        int c = i % 10;
        r[0] = (byte) c;
        for (int p = 0; p < 1024; p++) {
            int lift = p % 32 < 16 ? 0 : 20;
            r[1 + p] = (byte) Math.min(255, 25 * c + lift);
            r[1 + 1024 + p] = (byte) Math.min(255, 255 - 25 * c + lift);
            r[1 + 2048 + p] = (byte) (128 + lift);
        }
        return r;
    }

    /** The six CIFAR-10 binary files in {@code <data>/cifar10/}: 5 x 13 (less one) train records, 32 test ones. */
    private Path cifarData() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data").resolve("cifar10"));
        int next = 0;
        for (int k = 1; k <= 5; k++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < (k == 5 ? 12 : 13); i++) {
                b.writeBytes(record(next++));
            }
            Files.write(dir.resolve("data_batch_" + k + ".bin"), b.toByteArray());
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 32; i++) {
            b.writeBytes(record(i + 3));
        }
        Files.write(dir.resolve("test_batch.bin"), b.toByteArray());
        return tmp.resolve("data");
    }

    /** Pixels of {@code png} whose red, green and blue are not all equal. */
    private static int colouredPixels(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int bl = rgb & 255;
                if (r != g || g != bl) {
                    n++;
                }
            }
        }
        return n;
    }

    private Path train(Path data, String model, String... sets) {
        Path out = tmp.resolve(model);
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--model",
                model,
                "--dataset",
                "cifar10",
                "--data-dir",
                data.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "16",
                "--seed",
                "3",
                "--out",
                out.toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Result r = run(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void convVaeAndConvAutoencoderTrainEvaluatePlotAndReportInColour() throws IOException {
        Path data = cifarData();
        Path vae = train(
                data, "conv-vae", "inputSize=3072", "imageChannels=3", "channels=4,8", "kernel=3", "latentSize=2");
        Path ae =
                train(data, "conv-ae", "inputSize=3072", "imageChannels=3", "imageSize=32", "channels=4", "codeSize=2");
        for (Path run : List.of(vae, ae)) {
            JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
            assertEquals("cifar10", summary.path("dataset").asText());
            assertEquals(32, summary.path("test_size").asInt(), summary.toString());
            assertEquals(6, summary.path("provenance").path("data_files").size(), summary.toString());
            assertTrue(colouredPixels(run.resolve("reconstructions.png")) > 0, "reconstructions in colour");

            String dataDir = data.toString();
            Result eval = run(
                    "evaluate",
                    run.toString(),
                    "--data-dir",
                    dataDir,
                    "--probe-size",
                    "10",
                    "--is-images",
                    "5",
                    "--is-samples",
                    "5");
            assertEquals(0, eval.exit(), eval.err());
            Result plot = run("plot", run.toString(), "--data-dir", dataDir, "--points", "16", "--tsne-points", "0");
            assertEquals(0, plot.exit(), plot.err());
            Path plots = run.resolve("plots");
            assertTrue(colouredPixels(plots.resolve("reconstructions.png")) > 0, "plotted reconstructions in colour");
            assertTrue(colouredPixels(plots.resolve("filters.png")) > 0, "first-layer filters in colour");
            assertTrue(colouredPixels(plots.resolve("interpolation.png")) > 0, "interpolation in colour");
            assertTrue(colouredPixels(plots.resolve("manifold.png")) > 0, "2-d manifold in colour");
            Result report = run("report", run.toString(), "--data-dir", dataDir, "--tsne-points", "0");
            assertEquals(0, report.exit(), report.err());
            String html = Files.readString(run.resolve("index.html"));
            assertTrue(html.contains("plots/reconstructions.png") && html.contains("plots/filters.png"), html);
        }
        assertTrue(colouredPixels(vae.resolve("samples.png")) > 0, "samples in colour");
        assertTrue(colouredPixels(vae.resolve("plots").resolve("samples.png")) > 0);
    }

    @Test
    void aGreyModelOnColourImagesStopsEarlyNamingBothShapes() throws IOException {
        Path data = cifarData();
        Result r = run(
                "train",
                "--model",
                "conv-vae",
                "--dataset",
                "cifar10",
                "--data-dir",
                data.toString(),
                "--epochs",
                "1",
                "--out",
                tmp.resolve("grey").toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("1x28x28") && r.err().contains("3x32x32"), r.err());
        assertTrue(!Files.exists(tmp.resolve("grey").resolve("summary.json")));
        Result missing = run(
                "train",
                "--dataset",
                "cifar10",
                "--data-dir",
                tmp.resolve("empty").toString(),
                "--out",
                tmp.resolve("m").toString());
        assertNotEquals(0, missing.exit());
        assertTrue(
                missing.err().contains("cifar-10-binary.tar.gz")
                        && missing.err()
                                .contains(
                                        tmp.resolve("empty").resolve("cifar10").toString()),
                missing.err());
    }
}
