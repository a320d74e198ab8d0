package org.latentlab.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Programmatic control of Logback levels for the command line.
 *
 * <ul>
 *   <li>default: {@code org.latentlab} at INFO; the chatty libraries ({@link #LIBRARY_LOGGERS}: ND4J, DL4J,
 *       JavaCPP, OSHI) at WARN, and {@link #NOISY_LOGGERS} at ERROR;</li>
 *   <li>verbose ({@code --verbose}): {@code org.latentlab} at DEBUG and the libraries at INFO (which shows the
 *       ND4J backend, BLAS and device lines that help diagnose a setup).</li>
 * </ul>
 *
 * <p>If SLF4J is not bound to Logback (e.g. a different binding in a user's project) the level changes are
 * skipped; {@link #isVerbose()} still reports the flag.
 */
public final class Logging {

    /** Root logger of Latent Lab's own code. */
    public static final String PROJECT_LOGGER = "org.latentlab";
    /** Loggers of the libraries that log too much for a command line user. */
    public static final List<String> LIBRARY_LOGGERS =
            List.of("org.nd4j", "org.deeplearning4j", "org.bytedeco", "oshi");

    /**
     * Library loggers whose warnings are harmless noise, kept at ERROR by default (WARN when verbose): ND4J's
     * "Duplicate TF op mapping found for op Pow" on every start; and, in a CUDA build on a machine without a GPU,
     * "Skipped [JCublasBackend] backend (unavailable)" with a 60-line stack trace, which {@code --backend} says in
     * one line instead.
     */
    public static final List<String> NOISY_LOGGERS =
            List.of("org.nd4j.imports.converters.ImportClassMapping", "org.nd4j.linalg.factory.Nd4jBackend");

    private static volatile boolean verbose;

    private Logging() {}

    /** Sets the default levels (see the class comment). */
    public static void configureDefaults() {
        configure(false);
    }

    /** Sets the levels for normal ({@code false}) or verbose ({@code true}) output and remembers the flag. */
    public static synchronized void configure(boolean verboseOutput) {
        verbose = verboseOutput;
        setLevel(PROJECT_LOGGER, verboseOutput ? "DEBUG" : "INFO");
        for (String name : LIBRARY_LOGGERS) {
            setLevel(name, verboseOutput ? "INFO" : "WARN");
        }
        for (String name : NOISY_LOGGERS) {
            setLevel(name, verboseOutput ? "WARN" : "ERROR");
        }
    }

    /** Whether the last {@link #configure(boolean)} asked for verbose output. */
    public static boolean isVerbose() {
        return verbose;
    }

    /**
     * Sets the level of one Logback logger ({@code "ROOT"} for the root); {@code level} is a Logback level name
     * (TRACE, DEBUG, INFO, WARN, ERROR, OFF), case-insensitive.
     *
     * @return false if SLF4J is not bound to Logback, so nothing was changed
     * @throws IllegalArgumentException for an unknown level name
     */
    public static synchronized boolean setLevel(String loggerName, String level) {
        Level parsed = Level.toLevel(level, null);
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "Unknown log level '" + level + "': expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return false;
        }
        context.getLogger(loggerName).setLevel(parsed);
        return true;
    }
}
