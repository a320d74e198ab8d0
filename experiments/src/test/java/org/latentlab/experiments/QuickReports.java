package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentlab.data.Datasets;
import org.latentlab.models.Models;
import org.latentlab.report.HtmlReport;
import org.latentlab.report.RunPlots;
import org.latentlab.report.SweepReport;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

/**
 * The report of a quick gallery sweep, written as {@code latentlab sweep NAME --quick --report} writes it, and
 * checked: every trial completed and has its page, the analysis says it is a quick run and the index shows it. Each
 * experiment's module test calls this after its own checks of the numbers, so that CI runs every gallery experiment
 * once, in quick mode, with its report.
 */
final class QuickReports {
    private QuickReports() {}

    static Path writeAndCheck(Path sweepDir) throws IOException {
        return writeAndCheck(sweepDir, Datasets.defaultDataDir());
    }

    /** {@link #writeAndCheck(Path)} for a sweep whose data are in {@code dataDir} (a fixture's folder). */
    static Path writeAndCheck(Path sweepDir, Path dataDir) throws IOException {
        Path index = SweepReport.write(
                sweepDir, RunPlots.Options.defaults(), new TrainingRun(Models.registry(), dataDir, false));
        List<ResultsTable.Row> rows = ResultsTable.collect(sweepDir).rows();
        assertTrue(!rows.isEmpty(), sweepDir + ": no trials");
        for (ResultsTable.Row row : rows) {
            assertEquals("completed", row.status(), row.toString());
            Path trial = sweepDir.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial());
            assertTrue(Files.isRegularFile(trial.resolve(HtmlReport.INDEX)), row.trial() + ": no trial page");
        }
        assertEquals(sweepDir.resolve(HtmlReport.INDEX), index);
        String analysis = Files.readString(sweepDir.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("(quick run)") && analysis.contains("## "), analysis);
        String html = Files.readString(index);
        assertTrue(html.contains("class=\"analysis\""), "the report shows no analysis");
        // A figure the analysis shows is shown once: the figure list leaves it out.
        Matcher m = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\)").matcher(analysis);
        while (m.find()) {
            String img = "<img src=\"" + m.group(1) + "\"";
            assertEquals(1, html.split(Pattern.quote(img), -1).length - 1, img + " shown once in " + index);
        }
        return index;
    }
}
