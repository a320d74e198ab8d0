package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;

/** {@code new-experiment} writes a template that runs as written; {@code sweep X.java} compiles and runs a source. */
class SourceExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void theTemplateRunsAsWrittenAndCollectCompilesItAgain() throws Exception {
        Result made = run("new-experiment", "latent-sizes", "--dir", tmp.toString());
        assertEquals(0, made.exit(), made.err());
        Path source = tmp.resolve("LatentSizes.java");
        assertTrue(Files.readString(source).contains("public final class LatentSizes extends Experiment"));
        // The example in docs/examples/ is the template as written, so what runs here is what the docs show.
        assertEquals(
                Files.readString(TrainConfigFileTest.EXAMPLES.resolve("LatentSizes.java")),
                Files.readString(source),
                "docs/examples/LatentSizes.java differs from 'new-experiment LatentSizes': write it again");
        assertTrue(made.out().contains("sweep " + source), made.out());

        Path out = tmp.resolve("sweep");
        Result r = run("sweep", source.toString(), "--out", out.toString(), "--quick");
        assertEquals(0, r.exit(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 3, rows.size(), "latentSize 2, 8, 16: " + rows);
        assertTrue(rows.get(0).contains("test_neg_elbo"));
        assertEquals(
                Files.readString(source), Files.readString(out.resolve("source").resolve("LatentSizes.java")));

        Files.delete(out.resolve("results.csv"));
        Result collect = run("collect", "--sweep", out.toString());
        assertEquals(0, collect.exit(), collect.err());
        assertEquals(rows, Files.readAllLines(out.resolve("results.csv")), "rebuilt from the kept source");

        Result again = run("new-experiment", "LatentSizes", "--dir", tmp.toString());
        assertNotEquals(0, again.exit());
        assertTrue(again.err().contains("exists"), again.err());
        Result bad = run("new-experiment", "9lives", "--dir", tmp.toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("must start with a letter"), bad.err());
    }

    @Test
    void compileErrorsAreShownAsJavacShowsThem() throws Exception {
        Path source = tmp.resolve("Broken.java");
        Files.writeString(source, """
                import org.latentlab.sweep.Experiment;
                public final class Broken extends Experiment {
                    public org.latentlab.run.RunConfig baseConfig() { return nothing(); }
                }
                """);
        Result r = run("sweep", source.toString(), "--out", tmp.resolve("o").toString(), "--dry-run");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("cannot compile " + source), r.err());
        assertTrue(r.err().contains("Broken.java:3: error: cannot find symbol"), r.err());
        assertTrue(r.err().contains("symbol:   method nothing()"), "javac's own lines: " + r.err());

        Path notAnExperiment = tmp.resolve("Plain.java");
        Files.writeString(notAnExperiment, "public class Plain {}\n");
        Result plain = run(
                "sweep", notAnExperiment.toString(), "--out", tmp.resolve("p").toString(), "--dry-run");
        assertNotEquals(0, plain.exit());
        assertTrue(plain.err().contains("does not extend org.latentlab.sweep.Experiment"), plain.err());
    }
}
