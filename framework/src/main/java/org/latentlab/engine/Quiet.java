package org.latentlab.engine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs code with {@link System#out} redirected to a null stream, for library calls that print to stdout
 * (DL4J M2.1 prints "Added differentiated op ..." for every op whenever SameDiff builds a gradient graph).
 *
 * <p>Calls are serialised on one lock (re-entrant, so nesting is fine) and the previous stream is restored in
 * {@code finally}. While the block runs, everything written to {@code System.out} by any thread is dropped,
 * log lines of a Logback console appender on stdout included; {@code System.err} is untouched.
 */
public final class Quiet {

    private static final Object LOCK = new Object();
    private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    private Quiet() {}

    /** Runs {@code action} with stdout silenced. */
    public static void stdout(Runnable action) {
        Objects.requireNonNull(action, "action");
        stdout(() -> {
            action.run();
            return null;
        });
    }

    /** Calls {@code action} with stdout silenced and returns its result. */
    public static <T> T stdout(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        synchronized (LOCK) {
            PrintStream previous = System.out;
            System.setOut(NULL);
            try {
                return action.get();
            } finally {
                System.setOut(previous);
            }
        }
    }
}
