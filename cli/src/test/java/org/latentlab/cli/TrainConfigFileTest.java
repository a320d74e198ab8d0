package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/** {@code train --config FILE}: JSON and YAML run configs, a run's config.json replaying it, overrides, errors. */
class TrainConfigFileTest {
    /** The examples of docs/examples, which the README points to (the tests run in cli/). */
    static final Path EXAMPLES = Path.of("..", "docs", "examples");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aRunsConfigJsonReplaysItBitForBit() throws Exception {
        Path first = tmp.resolve("first");
        Result r = run(
                "train",
                "--model",
                "ae",
                "--dataset",
                "mnist-sample",
                "--epochs",
                "2",
                "--batch-size",
                "100",
                "--seed",
                "9",
                "--set",
                "encoderSizes=64,8",
                "--no-progress",
                "--out",
                first.toString());
        assertEquals(0, r.exit(), r.err());
        Path replay = tmp.resolve("replay");
        Result again = run(
                "train",
                "--config",
                first.resolve("config.json").toString(),
                "--no-progress",
                "--out",
                replay.toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals(
                Files.readString(first.resolve("config.json")),
                Files.readString(replay.resolve("config.json")),
                "the same config");
        JsonNode a = JSON.readTree(first.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(replay.resolve("summary.json").toFile());
        assertEquals(a.get("test_loss"), b.get("test_loss"), "the same test loss, bit for bit");
        assertEquals(a.get("final_validation"), b.get("final_validation"));
    }

    @Test
    void theYamlExampleRunsAndTheCommandLineOverridesIt() throws Exception {
        Path out = tmp.resolve("yaml");
        Result r = run(
                "train",
                "--config",
                EXAMPLES.resolve("vae-mnist-sample.yaml").toString(),
                "--epochs",
                "1",
                "--set",
                "latentSize=4",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("mnist-sample", config.get("dataset").asText());
        assertEquals("vae", config.at("/model/type").asText());
        assertEquals(256, config.at("/model/hiddenSizes/0").asInt(), "from the file");
        assertEquals(4, config.at("/model/latentSize").asInt(), "--set overrides the file");
        assertEquals(1, config.at("/trainer/epochs").asInt(), "--epochs overrides the file");
        assertEquals(64, config.at("/trainer/batchSize").asInt());
        assertEquals(7, config.at("/trainer/seed").asInt());
        assertEquals("COSINE", config.at("/trainer/lrSchedule").asText(), "enums in any case");
        assertEquals("BEST", config.at("/trainer/keep").asText());
        assertEquals(2, config.at("/trainer/keepCheckpoints").asInt());
        assertEquals(0.0, config.at("/trainer/weightDecay").asDouble(), "a key the file leaves out: the default");
    }

    @Test
    void theJsonExampleIsReadWithDefaultsForWhatItLeavesOut() {
        Result r = run(
                "train", "--config", EXAMPLES.resolve("ae-mnist-sample.json").toString(), "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("would train ae"), r.out());
        assertTrue(r.out().contains("\"encoderSizes\" : [ 256, 16 ]"), r.out());
        assertTrue(r.out().contains("\"learningRate\" : 0.001"), "the default learning rate: " + r.out());
        Result other = run(
                "train",
                "--config",
                EXAMPLES.resolve("ae-mnist-sample.json").toString(),
                "--model",
                "vae",
                "--dry-run");
        assertEquals(0, other.exit(), other.err());
        assertTrue(other.out().contains("would train vae"), "--model overrides the file's model: " + other.out());
    }

    @Test
    void aBadFileIsOneLineNamingTheFileTheLineAndTheKey() throws Exception {
        Path unknown = write("unknown.yaml", "dataset: mnist-sample\ntrainer:\n  epochs: 2\n  lerningRate: 0.01\n");
        assertOneLine(
                run("train", "--config", unknown.toString(), "--dry-run"),
                unknown + ": line 4",
                "unknown key 'trainer.lerningRate'");

        Path type = write("type.yaml", "model:\n  type: vae\n  latentSize: many\n");
        assertOneLine(run("train", "--config", type.toString(), "--dry-run"), type + ": line 3", "latentSize");

        Path value = write("value.json", "{\n  \"trainer\": {\n    \"batchSize\": 0\n  }\n}\n");
        assertOneLine(
                run("train", "--config", value.toString(), "--dry-run"),
                value + ": line 3",
                "batch size must be at least 1, got 0");

        Path modelKey = write("model.yaml", "model:\n  type: ae\n  latentSise: 3\n");
        assertOneLine(run("train", "--config", modelKey.toString(), "--dry-run"), modelKey + ": line 3", "latentSise");

        Path syntax = write("syntax.yaml", "trainer:\n  epochs: [1, 2\n");
        assertOneLine(run("train", "--config", syntax.toString(), "--dry-run"), syntax + ": line", "not valid YAML");

        Path list = write("list.yaml", "- 1\n- 2\n");
        assertOneLine(run("train", "--config", list.toString(), "--dry-run"), list.toString(), "YAML mapping");

        assertOneLine(
                run("train", "--config", tmp.resolve("missing.json").toString(), "--dry-run"),
                tmp.resolve("missing.json").toString(),
                "no such file");
    }

    private Path write(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static void assertOneLine(Result r, String where, String what) {
        assertNotEquals(0, r.exit(), r.out());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(
                first.startsWith("error: ") && first.contains(where) && first.contains(what),
                "expected '" + where + "' and '" + what + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }
}
