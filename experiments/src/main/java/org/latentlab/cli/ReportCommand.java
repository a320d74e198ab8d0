package org.latentlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentlab.experiment.ResultsTable;
import org.latentlab.experiment.SweepRunner;
import org.latentlab.report.HtmlReport;
import org.latentlab.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentlab report DIR}: the static HTML report of a run or a sweep folder. */
@Command(name = "report", description = "Write index.html for a run folder, or for a sweep folder (its results "
        + "table, comparison figures and one report per completed trial). Open it in a browser.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Run folder (from 'latentlab train') or sweep folder (from 'latentlab sweep').")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new UserException("no such folder: " + dir);
        }
        Path index;
        if (Files.isRegularFile(dir.resolve(SweepRunner.SWEEP_FILE))) {
            ResultsTable table = ResultsTable.collect(dir);
            table.write(dir);
            for (ResultsTable.Row row : table.rows()) {
                Path trial = dir.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial());
                if ("completed".equals(row.status()) && Files.isRegularFile(trial.resolve(TrainingRun.SUMMARY_FILE))) {
                    HtmlReport.writeRun(trial);
                }
            }
            index = HtmlReport.writeSweep(dir);
        } else if (Files.isRegularFile(dir.resolve(TrainingRun.SUMMARY_FILE))) {
            index = HtmlReport.writeRun(dir);
        } else {
            throw new UserException(dir + " is neither a sweep folder (no " + SweepRunner.SWEEP_FILE
                    + ") nor a finished run folder (no " + TrainingRun.SUMMARY_FILE + ")");
        }
        spec.commandLine().getOut().println("wrote " + index);
        return 0;
    }
}
