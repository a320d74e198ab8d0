package org.latentlab.sweep;

import java.nio.file.Path;
import java.util.Locale;
import org.latentlab.run.RunConfig;

/**
 * What a researcher writes: the base run config, what to sweep, which metric ranks the trials,
 * and optionally an analysis of the results. Subclasses live in {@code experiments/}, each listed in
 * {@code META-INF/services/org.latentlab.sweep.Experiment}: the command line finds them through
 * {@link java.util.ServiceLoader} and runs one with {@code latentlab sweep NAME}.
 */
public abstract class Experiment {

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

    /** Called after the results table is written; override to add plots or tables. */
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
