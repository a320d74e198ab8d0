package org.latentlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.latentlab.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Picocli error handling for every {@code latentlab} command: one line {@code error: <message>} on the command's
 * error stream, a stack trace only with {@code --verbose}, and these exit codes:
 *
 * <ul>
 *   <li>{@link #EXIT_USAGE} (2) for usage errors (unknown option, bad number, missing argument, or a
 *       {@link ParameterException} thrown by a command), followed by {@code Try '<command> --help'};</li>
 *   <li>{@link #EXIT_RUNTIME} (1) for errors while running: user errors ({@link #isUserError}) show their
 *       message; anything else shows {@code error: unexpected <Type>: <message> (run with --verbose for the stack
 *       trace)}.</li>
 * </ul>
 *
 * <p>A message that spans several lines (e.g. instructions for placing files by hand) is printed as it is, its
 * first line prefixed with {@code error: }. Install with {@link #install(CommandLine)}.
 */
public final class CliErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;

    /** The option that turns on stack traces. */
    public static final String VERBOSE_OPTION = "--verbose";

    /** Sets this handler as both the parameter and the execution exception handler of {@code cmd}; returns it. */
    public static CommandLine install(CommandLine cmd) {
        CliErrorHandler handler = new CliErrorHandler();
        cmd.setParameterExceptionHandler(handler);
        cmd.setExecutionExceptionHandler(handler);
        return cmd;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        boolean verbose =
                Logging.isVerbose() || (args != null && Arrays.asList(args).contains(VERBOSE_OPTION));
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += " (did you mean " + String.join(" or ", suggestions) + "?)";
            }
        }
        err.println("error: " + message);
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = Logging.isVerbose() || matchedVerbose(parseResult);
        err.println(describe(ex, verbose));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_RUNTIME;
    }

    /**
     * Reports a {@link Throwable} that escaped picocli's handlers (picocli handles {@link Exception}s only:
     * an {@link OutOfMemoryError} or {@link StackOverflowError} comes here); returns {@link #EXIT_RUNTIME}.
     */
    public static int handleError(Throwable t, PrintWriter err, boolean verbose) {
        if (t instanceof OutOfMemoryError) {
            err.println("error: out of memory (" + t.getMessage() + "); give the JVM more with LATENTLAB_JAVA_OPTS,"
                    + " e.g. LATENTLAB_JAVA_OPTS=-Xmx8g, or use a smaller batch size");
        } else {
            err.println(describe(t, verbose));
        }
        if (verbose) {
            t.printStackTrace(err);
        }
        err.flush();
        return EXIT_RUNTIME;
    }

    /** True for errors whose message alone tells the user what to fix. */
    public static boolean isUserError(Throwable t) {
        return t instanceof UserException
                || t instanceof DataException
                || t instanceof IllegalArgumentException
                || t instanceof UncheckedIOException;
    }

    /** The one line shown for {@code t}: {@code error: ...}. */
    public static String describe(Throwable t, boolean verbose) {
        Throwable user = findUserError(t);
        if (user != null) {
            return "error: " + messageOf(user);
        }
        if (t instanceof IOException) {
            return "error: I/O error: " + t.getClass().getSimpleName() + ": " + messageOf(t);
        }
        String msg = t.getMessage();
        return "error: unexpected " + t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg)
                + (verbose ? "" : " (run with " + VERBOSE_OPTION + " for the stack trace)");
    }

    /** {@code t} or the first of its causes that is a user error, or null. */
    private static Throwable findUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (isUserError(c)) {
                return c;
            }
        }
        return null;
    }

    private static String messageOf(Throwable t) {
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    private static boolean matchedVerbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE_OPTION)) {
                return true;
            }
        }
        return false;
    }
}
