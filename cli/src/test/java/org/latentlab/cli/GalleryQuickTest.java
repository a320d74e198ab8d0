package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.sweep.ResultsTable;

/**
 * Every registered experiment but the lecture gallery's and the likelihood experiments (each tested in the experiments
 * module), run as a user runs it in quick mode ({@code latentlab sweep NAME --quick --report}),
 * so that none can rot: every trial completes, the results table, the analysis (for the lecture experiments) and the
 * HTML report are written.
 */
@Tag("e2e")
class GalleryQuickTest {

    @TempDir
    Path tmp;

    static Stream<String> experiments() {
        return ExperimentCatalog.known().keySet().stream().filter(name -> !isGallery(name) && !isLikelihood(name));
    }

    /**
     * The likelihood experiments have their own quick runs in the experiments module's LikelihoodTest; the CIFAR-10
     * one needs the dataset's files (there a generated set in the real format), which a user's quick run fetches.
     */
    static boolean isLikelihood(String name) {
        return ExperimentCatalog.get(name)
                .getClass()
                .getSuperclass()
                .getSimpleName()
                .equals("LikelihoodExperiment");
    }

    static boolean isGallery(String name) {
        return ExperimentCatalog.get(name)
                .getClass()
                .getSuperclass()
                .getSimpleName()
                .equals("GalleryExperiment");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void runsInQuickModeAndWritesItsReport(String name) throws Exception {
        Path out = tmp.resolve(name);
        Result r = run("sweep", name, "--quick", "--report", "--out", out.toString());
        assertEquals(0, r.exit(), name + ": " + r.err());
        assertTrue(Files.isRegularFile(out.resolve(ResultsTable.CSV)), name + ": no results table");
        List<ResultsTable.Row> rows = ResultsTable.collect(out).rows();
        assertTrue(!rows.isEmpty(), name + ": no trials");
        for (ResultsTable.Row row : rows) {
            assertEquals("completed", row.status(), name + ": " + row);
        }
        assertTrue(Files.isRegularFile(out.resolve("index.html")), name + ": no report");
    }
}
