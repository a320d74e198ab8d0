package org.latentlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentlab.models.Models;
import org.latentlab.report.HtmlReport;
import org.latentlab.report.RunPlots;
import org.latentlab.report.SweepReport;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentlab report DIR}: the static HTML report of a run or a sweep folder. */
@Command(
        name = "report",
        defaultValueProvider = PlotDefaults.class,
        description = "Write index.html for a run folder, or for a sweep folder (its results "
                + "table, comparison figures and one report per completed trial), drawing the figures first ('latentlab "
                + "plot') where they are missing. Open it in a browser.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "DIR",
            description = "Run folder (from 'latentlab train') or sweep folder (from 'latentlab sweep').")
    Path dir;

    @Option(names = "--replot", description = "Redraw every figure, also where plots/ exists.")
    boolean replot;

    @Option(names = "--no-plots", description = "Only the HTML pages, from the figures that exist.")
    boolean noPlots;

    @Option(
            names = "--tsne-points",
            paramLabel = "N",
            description = "Codes embedded by t-SNE where figures are drawn (0 = no t-SNE).")
    int tsnePoints;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    /** The figure options of a report with every option at its default. */
    static RunPlots.Options defaultPlotOptions() {
        return RunPlots.Options.defaults();
    }

    /**
     * Draws the figures that are missing (all of them with {@code replot}) and writes the HTML pages of a run or
     * sweep folder; returns the index page.
     */
    static Path write(Path dir, RunPlots.Options plotOptions, boolean replot, Path dataDir) {
        boolean sweep = SweepReport.isSweep(dir);
        if (replot || sweep || !Files.isDirectory(dir.resolve(HtmlReport.PLOTS_DIR))) {
            PlotCommand.plot(dir, plotOptions, !replot, new TrainingRun(Models.registry(), dataDir, false));
        }
        return writePages(dir);
    }

    /** Writes the HTML pages of a run or sweep folder from the figures that exist; returns the index page. */
    static Path writePages(Path dir) {
        if (SweepReport.isSweep(dir)) {
            return SweepReport.writePages(dir);
        } else if (Files.isRegularFile(dir.resolve(TrainingRun.SUMMARY_FILE))) {
            return HtmlReport.writeRun(dir);
        }
        throw new UserException(dir + " is neither a sweep folder (no " + SweepRunner.SWEEP_FILE
                + ") nor a finished run folder (no " + TrainingRun.SUMMARY_FILE + ")");
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new UserException("no such folder: " + dir);
        }
        if (replot && noPlots) {
            throw new UserException("--replot and --no-plots do not combine: pass one of them");
        }
        RunPlots.Options plotOptions = PlotCommand.options(
                RunPlots.Options.defaults().points(),
                tsnePoints,
                RunPlots.Options.defaults().seed());
        if (dryRun.dryRun()) {
            int n = PlotCommand.check(dir, new TrainingRun(Models.registry(), dataDir.dataDir(), false));
            spec.commandLine().getOut().println("dry run: would write the report of " + n + " run(s) in " + dir);
            return 0;
        }
        if (!noPlots) {
            backend.check();
        }
        Path index = noPlots ? writePages(dir) : write(dir, plotOptions, replot, dataDir.dataDir());
        spec.commandLine().getOut().println("wrote " + index);
        return 0;
    }
}
