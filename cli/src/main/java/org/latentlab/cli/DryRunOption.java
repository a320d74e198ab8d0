package org.latentlab.cli;

import picocli.CommandLine.Option;

/**
 * {@code --dry-run}, as a picocli {@code @Mixin}: the command checks its arguments and inputs (options, config,
 * model, data, the folders it would read) as it would before working, reports what it would do, and then stops:
 * it trains, evaluates, draws, downloads and writes nothing.
 */
public class DryRunOption {

    @Option(
            names = "--dry-run",
            description =
                    "Check the arguments and inputs (and build the model), say what would be done; do and write nothing.")
    private boolean dryRun;

    public boolean dryRun() {
        return dryRun;
    }
}
