package org.latentlab.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --verbose}, as a picocli {@code @Mixin}: debug logging for Latent Lab, INFO for the libraries, and full
 * stack traces on errors. The option is inherited by subcommands, so mix it into the top-level command only.
 * Setting it calls {@link Logging#configure(boolean)}.
 */
public class VerboseOption {

    private boolean verbose;

    @Option(
            names = CliErrorHandler.VERBOSE_OPTION,
            scope = ScopeType.INHERIT,
            description = "Debug logging and full stack traces on errors.")
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
        Logging.configure(verbose);
    }

    public boolean isVerbose() {
        return verbose;
    }
}
