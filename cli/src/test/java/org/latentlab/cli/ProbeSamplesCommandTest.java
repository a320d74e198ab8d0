package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/** End-to-end: {@code probe-samples} judges a tiny cVAE trained on the MNIST sample, and refuses other models. */
@Tag("e2e")
class ProbeSamplesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** {@code epochs} of {@code model} on the 2,000 training images of the MNIST sample, in batches of 32. */
    private Path trainTiny(String model, int epochs, String... settings) {
        Path out = tmp.resolve(model);
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--model",
                model,
                "--dataset",
                "mnist-sample",
                "--epochs",
                String.valueOf(epochs),
                "--batch-size",
                "32",
                "--lr",
                "2e-3",
                "--validation-fraction",
                "0",
                "--no-progress",
                "--out",
                out.toString()));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void probesACvaeRunWritesTheResultAndReusesTheClassifierFile() throws Exception {
        Path cvae = trainTiny("cvae", 5, "hiddenSizes=128", "latentSize=2");
        Path classifier = tmp.resolve("judge/classifier.sdz");
        Path result = cvae.resolve(ProbeSamplesCommand.RESULT_FILE);

        Result dry = run(
                "probe-samples",
                cvae.toString(),
                "--samples-per-class",
                "20",
                "--classifier-epochs",
                "3",
                "--classifier",
                classifier.toString(),
                "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("dry run: would train a classifier"), dry.out());
        assertFalse(Files.exists(result) || Files.exists(classifier), "a dry run writes nothing");

        Result first = run(
                "probe-samples",
                cvae.toString(),
                "--samples-per-class",
                "20",
                "--classifier-epochs",
                "3",
                "--classifier",
                classifier.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(Files.isRegularFile(classifier), "the trained classifier is written to --classifier");
        JsonNode json = JSON.readTree(result.toFile());
        assertEquals("cvae", json.path("model").asText());
        assertEquals("mnist-sample", json.path("dataset").asText(), "the run's own dataset by default");
        assertEquals(20, json.path("samples_per_class").asInt());
        assertEquals("trained", json.path("classifier").path("source").asText());
        double accuracy = json.path("classifier").path("test_accuracy").asDouble();
        assertTrue(accuracy > 0.6, "the judge is weak: " + accuracy);
        JsonNode perClass = json.path("per_class");
        assertEquals(10, perClass.size());
        double sum = 0;
        for (int c = 0; c < 10; c++) {
            double share = perClass.get(c).asDouble();
            assertTrue(share >= 0 && share <= 1, "class " + c + ": " + share);
            assertEquals(0, share * 20 - Math.rint(share * 20), 1e-9, "a share of 20 images: " + share);
            sum += share;
        }
        double overall = json.path("overall").asDouble();
        assertEquals(sum / 10, overall, 1e-12);
        assertTrue(overall > 0.2, "chance is 0.1; generated digits classified as requested: " + json);
        for (int c = 0; c < 10; c++) {
            String row =
                    String.format(Locale.ROOT, "%-7d %.4f", c, perClass.get(c).asDouble());
            assertTrue(first.out().contains(row), "missing '" + row + "' in:\n" + first.out());
        }
        assertTrue(first.out().contains(String.format(Locale.ROOT, "all     %.4f", overall)), first.out());

        // Again with the classifier file: loaded, not retrained, and the same seed gives the same figures.
        FileTime written = Files.getLastModifiedTime(classifier);
        Result second = run(
                "probe-samples", cvae.toString(), "--samples-per-class", "20", "--classifier", classifier.toString());
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("classifier: loaded from " + classifier), second.out());
        assertEquals(written, Files.getLastModifiedTime(classifier));
        JsonNode again = JSON.readTree(result.toFile());
        assertEquals("loaded", again.path("classifier").path("source").asText());
        assertEquals(accuracy, again.path("classifier").path("test_accuracy").asDouble());
        assertEquals(perClass, again.path("per_class"));

        // Another seed draws other images.
        Result reseeded = run(
                "probe-samples",
                cvae.toString(),
                "--samples-per-class",
                "20",
                "--classifier",
                classifier.toString(),
                "--seed",
                "2");
        assertEquals(0, reseeded.exit(), reseeded.err());
        assertEquals(2, JSON.readTree(result.toFile()).path("seed").asInt());
    }

    @Test
    void aModelThatIsNotConditionalIsAClearError() {
        Path vae = trainTiny("vae", 1, "hiddenSizes=16", "latentSize=2");
        Result r = run("probe-samples", vae.toString(), "--samples-per-class", "5", "--classifier-epochs", "1");
        assertEquals(1, r.exit(), r.out());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(
                first.startsWith("error: ")
                        && first.contains(vae.toString())
                        && first.contains("'vae'")
                        && first.contains("not conditional"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(vae.resolve(ProbeSamplesCommand.RESULT_FILE)));

        Result missing = run("probe-samples", tmp.resolve("nowhere").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("error: not a run folder: "), missing.err());
    }
}
