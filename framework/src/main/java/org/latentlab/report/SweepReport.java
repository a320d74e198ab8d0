package org.latentlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentlab.plot.PlotFiles;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepRunner;

/**
 * The report of a sweep folder: the figures of every completed trial and of the sweep, then the HTML pages. What
 * {@code latentlab plot} and {@code latentlab report} do for a sweep, and what a test or notebook calls to get the
 * same report without the command line.
 */
public final class SweepReport {

    private SweepReport() {}

    /** Whether {@code dir} is a sweep folder (it has the sweep's {@link SweepRunner#SWEEP_FILE}). */
    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve(SweepRunner.SWEEP_FILE));
    }

    /**
     * Draws the figures of every completed trial (skipping trials that already have a plots folder when
     * {@code skipExisting}) and the sweep's own figures; returns the files written.
     */
    public static List<PlotFiles> plot(
            Path sweepDir, RunPlots.Options options, boolean skipExisting, TrainingRun runs) {
        requireSweep(sweepDir);
        List<PlotFiles> written = new ArrayList<>();
        for (ResultsTable.Row row : ResultsTable.collect(sweepDir).rows()) {
            Path trial = sweepDir.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial());
            if (!"completed".equals(row.status())) {
                continue;
            }
            if (skipExisting && Files.isDirectory(trial.resolve(HtmlReport.PLOTS_DIR))) {
                continue;
            }
            written.addAll(RunPlots.write(runs.load(trial), options));
        }
        written.addAll(SweepPlots.write(sweepDir));
        return written;
    }

    /**
     * Writes the results table, the page of every completed trial and the sweep's index page from the figures that
     * exist; returns the index page.
     */
    public static Path writePages(Path sweepDir) {
        requireSweep(sweepDir);
        ResultsTable table = ResultsTable.collect(sweepDir);
        table.write(sweepDir);
        for (ResultsTable.Row row : table.rows()) {
            Path trial = sweepDir.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial());
            if ("completed".equals(row.status()) && Files.isRegularFile(trial.resolve(TrainingRun.SUMMARY_FILE))) {
                HtmlReport.writeRun(trial);
            }
        }
        return HtmlReport.writeSweep(sweepDir);
    }

    /** The whole report: {@link #plot} (skipping trials already plotted), then {@link #writePages}. */
    public static Path write(Path sweepDir, RunPlots.Options options, TrainingRun runs) {
        plot(sweepDir, options, true, runs);
        return writePages(sweepDir);
    }

    private static void requireSweep(Path dir) {
        if (!isSweep(dir)) {
            throw new IllegalArgumentException(dir + " is not a sweep folder: it has no " + SweepRunner.SWEEP_FILE);
        }
    }
}
