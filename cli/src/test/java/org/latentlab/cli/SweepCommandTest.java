package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.sweep.ResultsTable;

/** The sweep command end to end: sequential, with worker processes, and killed with SIGKILL midway. */
@Tag("e2e")
class SweepCommandTest {
    private static final String EXPERIMENT = TinyVaeSweep.class.getName();

    @TempDir
    Path tmp;

    @Test
    void killedSweepLosesNothingCompletedAndWorkersMatchTheSequentialTable() throws Exception {
        Path sequential = tmp.resolve("sequential");
        Result r = run("sweep", EXPERIMENT, "--out", sequential.toString());
        assertEquals(0, r.exit(), r.err());
        String expected = metrics(sequential);
        assertEquals(5, expected.lines().count(), expected); // header + 4 completed trials
        assertTrue(Files.readString(sequential.resolve("results.md")).contains("Best by test_neg_elbo"));

        // Kill a sweep process with SIGKILL once its first trial is complete, then rerun it.
        Path killed = tmp.resolve("killed");
        Process p = new ProcessBuilder(javaCommand("sweep", EXPERIMENT, "--out", killed.toString()))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile())
                .start();
        Path firstStatus = killed.resolve("trials/000-latentSize=2-seed=1/status.json");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!(Files.exists(firstStatus) && Files.readString(firstStatus).contains("completed"))) {
            assertTrue(p.isAlive(), "sweep exited early: " + Files.readString(tmp.resolve("killed.log")));
            assertTrue(Instant.now().isBefore(deadline), "first trial did not complete in time");
            Thread.sleep(200);
        }
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS));
        assertNotEquals(0, p.exitValue());
        // Nothing half-written: every JSON file that exists parses.
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(killed)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                json.readTree(f.toFile());
            }
        }
        Result rerun = run("sweep", EXPERIMENT, "--out", killed.toString());
        assertEquals(0, rerun.exit(), rerun.err());
        assertTrue(rerun.out().contains("already completed, skipped"), rerun.out());
        assertEquals(expected, metrics(killed));

        // Two worker processes give the same table as the sequential run.
        Path parallel = tmp.resolve("parallel");
        Result w = run("sweep", EXPERIMENT, "--out", parallel.toString(), "--workers", "2");
        assertEquals(0, w.exit(), w.err());
        assertTrue(Files.exists(parallel.resolve("logs/worker-1.log")));
        assertEquals(expected, metrics(parallel));

        // collect rebuilds the same table from the folder alone.
        Files.delete(parallel.resolve("results.csv"));
        Result c = run("collect", "--sweep", parallel.toString());
        assertEquals(0, c.exit(), c.err());
        assertEquals(expected, metrics(parallel));
    }

    @Test
    void aSweepOverModelsTrainsOneTrialPerModelWithItsScopedKeys() throws Exception {
        Path out = tmp.resolve("models");
        Result r = run("sweep", TwoModelSweep.class.getName(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        ResultsTable table = ResultsTable.collect(out);
        assertEquals(
                List.of("000-model=ae-encoderSizes=_32__2_", "001-model=vae-hiddenSizes=_32_-latentSize=2"),
                table.rows().stream().map(ResultsTable.Row::trial).toList());
        assertEquals(List.of("model", "encoderSizes", "hiddenSizes", "latentSize"), table.paramColumns());
        assertEquals(
                List.of("ae", "vae"),
                table.rows().stream().map(row -> row.params().get("model")).toList());
        for (ResultsTable.Row row : table.rows()) {
            assertEquals("completed", row.status(), row.error());
            assertTrue(row.metrics().get("test_loss") > 0, row.toString());
        }
        ObjectMapper json = new ObjectMapper();
        Path trials = out.resolve("trials");
        var ae = json.readTree(trials.resolve(table.rows().get(0).trial())
                .resolve("config.json")
                .toFile());
        assertEquals("ae", ae.path("model").path("type").asText());
        assertEquals("[32,2]", ae.path("model").path("encoderSizes").toString());
        assertEquals(100, ae.path("trainer").path("batchSize").asInt());
        var vae = json.readTree(trials.resolve(table.rows().get(1).trial())
                .resolve("config.json")
                .toFile());
        assertEquals("vae", vae.path("model").path("type").asText());
        assertEquals("[32]", vae.path("model").path("hiddenSizes").toString());
        assertEquals(2, vae.path("model").path("latentSize").asInt());
        assertEquals(1, vae.path("trainer").path("epochs").asInt());
        assertTrue(Files.readString(out.resolve(ResultsTable.CSV))
                .lines()
                .findFirst()
                .orElseThrow()
                .contains("model"));

        // The report tiles every trial's image figures side by side, titled by what differs between them.
        Result report = run("report", out.toString(), "--tsne-points", "0");
        assertEquals(0, report.exit(), report.err());
        String aeTitle = "model=ae, encoderSizes=[32,2]";
        String vaeTitle = "model=vae, hiddenSizes=[32], latentSize=2";
        for (String kind : List.of("reconstructions", "filters", "samples")) {
            Path csv = out.resolve("plots").resolve(kind + "_grid.csv");
            assertTrue(Files.isRegularFile(out.resolve("plots").resolve(kind + "_grid.png")), "missing " + csv);
            List<String> panels = Files.readAllLines(csv);
            assertEquals(3, panels.size(), "a header and one panel per trial: " + panels);
            // an AE has no prior: its samples panel shows its decoder's images of codes drawn from N(0, I)
            String aePanel = kind.equals("samples")
                    ? "0,\"" + aeTitle + " (N(0, I) codes)\",samples_standard_normal.png,"
                    : "0,\"" + aeTitle + "\"," + kind + ".png,";
            assertTrue(panels.get(1).startsWith(aePanel), panels.get(1));
            assertTrue(panels.get(2).startsWith("1,\"" + vaeTitle + "\"," + kind + ".png,"), panels.get(2));
        }
        assertTrue(Files.readString(out.resolve("plots/latent_grid.csv")).contains(vaeTitle));
        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("plots/samples_grid.png") && index.contains("plots/filters_grid.png"), index);
    }

    @Test
    void unknownExperimentAndBadSweepFolderAreOneLineErrors() {
        Result r = run("sweep", "no-such-sweep", "--out", tmp.resolve("x").toString());
        assertEquals(1, r.exit());
        assertTrue(
                r.err().startsWith("error: unknown experiment 'no-such-sweep'")
                        && r.err().contains("bottleneck"),
                r.err());
        Result c = run("collect", "--sweep", tmp.toString());
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("not a sweep folder"), c.err());
    }

    private static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                LatentLab.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** results.csv without the timing columns. */
    static String metrics(Path sweep) throws Exception {
        String csv = Files.readString(sweep.resolve(ResultsTable.CSV));
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                if (!header.get(i).equals("samples_per_second")
                        && !header.get(i).equals("train_seconds")) {
                    b.append(cells[i]).append(',');
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
