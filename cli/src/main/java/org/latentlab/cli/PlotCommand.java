package org.latentlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.latentlab.eval.Embeddings;
import org.latentlab.models.Models;
import org.latentlab.plot.PlotFiles;
import org.latentlab.report.RunPlots;
import org.latentlab.report.SweepReport;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentlab plot DIR}: the figures of a run, or of every completed trial of a sweep and the sweep's comparisons. */
@Command(
        name = "plot",
        defaultValueProvider = PlotDefaults.class,
        description = {
            "Write the figures of a run folder into DIR/plots (PNG, SVG and the CSV behind each): loss curves, latent "
                    + "scatter (2-d codes, else PCA and t-SNE) beside the PCA of the raw pixels, reconstructions, noisy/denoised/"
                    + "clean images (denoising models), samples (prior samples, or random codes from N(0, I) and from a "
                    + "Gaussian fitted to training codes), interpolations, the 2-d manifold, first-layer filters, and the "
                    + "ROC curve when evaluation.json holds an anomaly AUROC. For a sweep folder: every completed trial's figures, then the sweep's "
                    + "metric-against-hyperparameter charts and side-by-side latent scatters."
        })
public final class PlotCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "DIR",
            description = "Run folder (from 'latentlab train') or sweep folder (from 'latentlab sweep').")
    Path dir;

    @Option(names = "--points", paramLabel = "N", description = "Test images shown in the latent scatters.")
    int points;

    @Option(
            names = "--tsne-points",
            paramLabel = "N",
            description = "Of those, how many t-SNE embeds (exact t-SNE, O(N^2); 0 = no t-SNE).")
    int tsnePoints;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds subsets, t-SNE and sampling.")
    long seed;

    @Option(names = "--skip-existing", description = "For a sweep: keep trials that already have a plots/ folder.")
    boolean skipExisting;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        backend.check();
        if (dryRun.dryRun()) {
            RunPlots.Options options = options(points, tsnePoints, seed);
            int n = check(dir, new TrainingRun(Models.registry(), dataDir.dataDir(), false));
            spec.commandLine()
                    .getOut()
                    .println("dry run: would draw the figures of " + n + " run(s) in " + dir + " (" + options.points()
                            + " points, " + options.tsnePoints() + " for t-SNE)");
            return 0;
        }
        List<PlotFiles> written = plot(
                dir,
                options(points, tsnePoints, seed),
                skipExisting,
                new TrainingRun(Models.registry(), dataDir.dataDir(), false));
        written.forEach(p -> spec.commandLine().getOut().println(p.png()));
        return 0;
    }

    /** The figure options, a rejected value named by its option. */
    static RunPlots.Options options(int points, int tsnePoints, long seed) {
        if (points < 2) {
            throw new UserException("--points=" + points + ": a latent scatter needs at least 2 points");
        }
        if (tsnePoints < 0 || tsnePoints > Embeddings.MAX_TSNE_POINTS) {
            throw new UserException(
                    "--tsne-points=" + tsnePoints + ": expected 0.." + Embeddings.MAX_TSNE_POINTS + " (0 = no t-SNE)");
        }
        return new RunPlots.Options(points, tsnePoints, seed);
    }

    /**
     * Loads what {@code plot}, {@code evaluate} and {@code report} would read in {@code dir} (a run folder, or
     * every completed trial of a sweep folder), so that a dry run meets the same errors; returns how many runs.
     */
    static int check(Path dir, TrainingRun runs) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("no such folder: " + dir);
        }
        if (Files.isRegularFile(dir.resolve(SweepRunner.SWEEP_FILE))) {
            int n = 0;
            for (ResultsTable.Row row : ResultsTable.collect(dir).rows()) {
                if ("completed".equals(row.status())) {
                    runs.load(dir.resolve(SweepRunner.TRIALS_DIR).resolve(row.trial()));
                    n++;
                }
            }
            return n;
        }
        if (Files.isRegularFile(dir.resolve(TrainingRun.SUMMARY_FILE))) {
            runs.load(dir);
            return 1;
        }
        throw new UserException(dir + " is neither a sweep folder (no " + SweepRunner.SWEEP_FILE
                + ") nor a finished run folder (no " + TrainingRun.SUMMARY_FILE + ")");
    }

    /** The figures of a run or sweep folder; shared with {@code report}. */
    static List<PlotFiles> plot(Path dir, RunPlots.Options options, boolean skipExisting, TrainingRun runs) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("no such folder: " + dir);
        }
        List<PlotFiles> written = new ArrayList<>();
        if (SweepReport.isSweep(dir)) {
            written.addAll(SweepReport.plot(dir, options, skipExisting, runs));
        } else if (Files.isRegularFile(dir.resolve(TrainingRun.SUMMARY_FILE))) {
            written.addAll(RunPlots.write(runs.load(dir), options));
        } else {
            throw new UserException(dir + " is neither a sweep folder (no " + SweepRunner.SWEEP_FILE
                    + ") nor a finished run folder (no " + TrainingRun.SUMMARY_FILE + ")");
        }
        return written;
    }
}
