package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/** {@code sweep --spec FILE}: sweeps without Java, the shipped examples, the kept copy, errors. */
class SweepSpecTest {
    static final Path SPECS = TrainConfigFileTest.EXAMPLES.resolve("specs");

    @TempDir
    Path tmp;

    @Test
    void everyShippedSpecPlansItsTrials() throws Exception {
        List<Path> specs;
        try (Stream<Path> files = Files.list(SPECS)) {
            specs = files.sorted().toList();
        }
        assertTrue(specs.size() >= 3, specs.toString());
        for (Path spec : specs) {
            Result r = run(
                    "sweep",
                    "--spec",
                    spec.toString(),
                    "--out",
                    tmp.resolve("dry").toString(),
                    "--dry-run");
            assertEquals(0, r.exit(), spec + ": " + r.err());
            assertTrue(r.out().contains("dry run: sweep "), r.out());
        }
        Result grid = run(
                "sweep",
                "--spec",
                SPECS.resolve("vae-sample-grid.yaml").toString(),
                "--out",
                tmp.resolve("dry").toString(),
                "--dry-run");
        assertTrue(grid.out().contains("has 27 trials on mnist-sample"), grid.out());
        assertFalse(Files.exists(tmp.resolve("dry")), "a dry run writes nothing");
    }

    @Test
    void aSpecSweepRunsCollectsAndKeepsItsSpec() throws Exception {
        Path spec = SPECS.resolve("vae-random.json");
        Path out = tmp.resolve("sweep");
        Result r = run("sweep", "--spec", spec.toString(), "--out", out.toString(), "--quick");
        assertEquals(0, r.exit(), r.err());
        assertEquals(Files.readString(spec), Files.readString(out.resolve("spec.json")), "the spec is kept");
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 6, rows.size(), "6 random trials: " + rows);
        assertTrue(rows.get(0).contains("test_neg_elbo"), rows.get(0));
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("6 of 6 trials completed. Best by test_neg_elbo (lowest)"), md);

        // collect rebuilds the experiment from the kept copy, wherever the original is now.
        Files.delete(out.resolve("results.csv"));
        Result collect = run("collect", "--sweep", out.toString());
        assertEquals(0, collect.exit(), collect.err());
        assertEquals(rows, Files.readAllLines(out.resolve("results.csv")));

        // Rerunning the same spec skips the finished trials; another spec is refused.
        Result again = run("sweep", "--spec", spec.toString(), "--out", out.toString(), "--quick");
        assertEquals(0, again.exit(), again.err());
        Path other = tmp.resolve("other.json");
        Files.writeString(other, Files.readString(spec).replace("\"seed\": 7", "\"seed\": 8"));
        Result refused = run("sweep", "--spec", other.toString(), "--out", out.toString(), "--quick");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.err().contains("was started with another definition"), refused.err());
    }

    @Test
    void badUseIsOneClearLine() throws Exception {
        Result both = run(
                "sweep", "beta", "--spec", SPECS.resolve("beta.yaml").toString(), "--out", tmp.toString(), "--dry-run");
        assertNotEquals(0, both.exit());
        assertTrue(both.err().contains("not both"), both.err());
        Result none = run("sweep", "--out", tmp.toString(), "--dry-run");
        assertNotEquals(0, none.exit());
        assertTrue(none.err().contains("missing EXPERIMENT"), none.err());
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "base:\n  model: {type: vae}\ngrid:\n  model.latentSise: [2, 8]\n");
        Result r =
                run("sweep", "--spec", bad.toString(), "--out", tmp.resolve("o").toString(), "--dry-run");
        assertNotEquals(0, r.exit());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(
                first.startsWith("error: ") && first.contains(bad + ": line 4") && first.contains("latentSise"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aTpeSweepGivesTheSameTrialsWithTwoWorkersAsWithOne() throws Exception {
        // vae-tpe.yaml's search, smaller: 4 trials in rounds of 2
        Path spec = tmp.resolve("tpe.yaml");
        Files.writeString(
                spec,
                Files.readString(SPECS.resolve("vae-tpe.yaml"))
                        .replace("trials: 12", "trials: 4")
                        .replace("startup: 4", "startup: 2")
                        .replace("hiddenSizes: [256]", "hiddenSizes: [64]"));
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Result a = run("sweep", "--spec", spec.toString(), "--out", one.toString(), "--quick", "--no-tensorboard");
        assertEquals(0, a.exit(), a.err());
        Result b = run(
                "sweep",
                "--spec",
                spec.toString(),
                "--out",
                two.toString(),
                "--quick",
                "--no-tensorboard",
                "--workers",
                "2");
        assertEquals(0, b.exit(), b.err());
        List<String> rowsOne = Files.readAllLines(one.resolve("results.csv"));
        List<String> rowsTwo = Files.readAllLines(two.resolve("results.csv"));
        assertEquals(1 + 4, rowsOne.size(), rowsOne.toString());
        // The same trials: each round proposed from the results of the rounds before it.
        assertEquals(Files.readString(one.resolve("sweep.json")), Files.readString(two.resolve("sweep.json")));
        // The same numbers up to the last digits: a worker runs on fewer threads (cores / workers), and sums split over
        // other thread counts round differently (docs/RELIABILITY.md; summary.json records the thread counts).
        for (int r = 1; r < rowsOne.size(); r++) {
            String[] cellsOne = rowsOne.get(r).split(",", -1);
            String[] cellsTwo = rowsTwo.get(r).split(",", -1);
            assertEquals(cellsOne[0], cellsTwo[0]);
            for (int c = 5; c < cellsOne.length - 3; c++) { // the test metrics; not the timing columns
                double x = Double.parseDouble(cellsOne[c]);
                double y = Double.parseDouble(cellsTwo[c]);
                assertEquals(
                        x,
                        y,
                        1e-4 * Math.max(1, Math.abs(x)),
                        rowsOne.get(0) + "\n" + rowsOne.get(r) + "\n" + rowsTwo.get(r));
            }
        }
    }
}
