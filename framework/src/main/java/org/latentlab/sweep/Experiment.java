package org.latentlab.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.run.RunConfig;

/**
 * What a researcher writes: the base run config, what to sweep, which metric ranks the trials, how each
 * finished trial is evaluated, and optionally an analysis of the results. Subclasses live in
 * {@code experiments/}, each listed in {@code META-INF/services/org.latentlab.sweep.Experiment}: the command line
 * finds them through {@link java.util.ServiceLoader} and runs one with {@code latentlab sweep NAME}.
 *
 * <p>An experiment has two {@linkplain Scale scales}. {@link Scale#FULL} is the real experiment (full MNIST, the
 * sizes and epochs its results are quoted at); {@link Scale#QUICK} ({@code latentlab sweep NAME --quick}) runs the
 * same trials on the shipped MNIST sample with a few epochs, in seconds, so that an experiment can be tried at once
 * and checked in CI. Read {@link #quick()} in {@link #baseConfig()}, {@link #sweep()} and {@link #evaluation} to
 * choose sizes.
 *
 * <p>{@code latentlab sweep NAME --dataset D} runs every trial on dataset {@code D} instead of the experiment's own
 * ({@link #onDataset}); an experiment whose analysis holds only for some datasets names them in
 * {@link #datasets()}, and {@link #trialConfig} is where an experiment adapts a trial to the dataset (a subset in
 * quick mode, say).
 */
public abstract class Experiment {

    /** How big a run of the experiment is. */
    public enum Scale {
        /** The real experiment, whose numbers are quoted. */
        FULL,
        /** The same trials on the shipped sample with a few epochs: seconds, to try it and to test it. */
        QUICK
    }

    private Scale scale = Scale.FULL;
    private String datasetOverride;

    /** Sets the scale every later call plans for (the command line does this for {@code --quick}). */
    public final Experiment atScale(Scale newScale) {
        this.scale = Objects.requireNonNull(newScale, "scale");
        return this;
    }

    /** The scale this experiment plans for; {@link Scale#FULL} unless {@link #atScale} said otherwise. */
    public final Scale scale() {
        return scale;
    }

    /** Whether this is the quick run of the experiment (shipped sample, few epochs). */
    protected final boolean quick() {
        return scale == Scale.QUICK;
    }

    /**
     * Runs every trial on dataset {@code name} instead of the one the experiment's configs name (the command line
     * does this for {@code --dataset}); null goes back to the experiment's own.
     *
     * @throws IllegalArgumentException when {@link #datasets()} does not list {@code name}: the experiment's analysis
     *                                  is not written for it
     */
    public final Experiment onDataset(String name) {
        if (name != null) {
            List<String> valid = datasets();
            if (name.isBlank()) {
                throw new IllegalArgumentException("experiment " + name() + ": the dataset name is blank");
            }
            if (!valid.isEmpty() && !valid.contains(name)) {
                throw new IllegalArgumentException("experiment " + name() + " cannot run on dataset " + name
                        + ": its analysis is written for " + String.join(", ", valid) + " only");
            }
        }
        this.datasetOverride = name;
        return this;
    }

    /** The dataset {@link #onDataset} set, empty when the trials keep the experiment's own. */
    public final Optional<String> datasetOverride() {
        return Optional.ofNullable(datasetOverride);
    }

    /**
     * The datasets {@link #onDataset} accepts, those the experiment's analysis is right for; empty (the default):
     * any dataset, for an experiment whose analysis does not depend on it.
     */
    public List<String> datasets() {
        return List.of();
    }

    /**
     * The config a planned trial runs with, given {@code planned} (the base config with the trial's parameters set):
     * by default {@code planned} on the {@linkplain #onDataset dataset override} when there is one. An experiment
     * that adapts trials to the dataset overrides this and starts from {@code super.trialConfig(planned)}.
     */
    public RunConfig trialConfig(RunConfig planned) {
        return datasetOverride == null ? planned : planned.withDataset(datasetOverride);
    }

    /** The run config every trial starts from. */
    public abstract RunConfig baseConfig();

    /** What varies between trials (a single trial if not overridden). */
    public Sweep sweep() {
        return Sweep.grid();
    }

    /** Summary metric that ranks the trials, e.g. {@code test_neg_elbo}. */
    public String metric() {
        return "test_loss";
    }

    /** Whether a lower {@link #metric()} is better. */
    public boolean minimize() {
        return true;
    }

    /**
     * How a trial with this config is evaluated right after it is trained, by the process that trained it; the
     * result is its {@code evaluation.json} (what {@code latentlab evaluate} writes), and its headline numbers are the
     * {@code eval_} columns of the results table. When the options ask for a classifier
     * ({@link EvaluationOptions#classifierEpochs()} &gt; 0), one is trained per dataset, shared by every trial of the
     * sweep and kept in its {@code judges/} folder. Empty (the default): trials are not evaluated.
     */
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.empty();
    }

    /**
     * Called after the results table is written: the place for what compares trials (tables, figures, baselines
     * such as PCA). What it adds to {@code analysis} is written to the sweep's {@code analysis.md} and shown by
     * {@code latentlab report}. The default calls {@link #analyze(ResultsTable, Path)}.
     */
    public void analyze(SweepAnalysis analysis) {
        analyze(analysis.results(), analysis.sweepDir());
    }

    /** The older, simpler hook: the results table and the sweep folder. */
    public void analyze(ResultsTable results, Path sweepDir) {}

    /** The name used on the command line and in {@code sweep.json}. */
    public String name() {
        String simple = getClass().getSimpleName();
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** One line for {@code latentlab experiments}. */
    public String description() {
        return "";
    }
}
