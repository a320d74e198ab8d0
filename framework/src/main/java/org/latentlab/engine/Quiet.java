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
 * {@code finally}. While the block runs, what the calling thread writes to {@code System.out} is dropped (log
 * lines of a Logback console appender on stdout included); other threads' writes go through, so work done beside
 * it (loading the data while the gradient graph is built) keeps its log lines. {@code System.err} is untouched.
 */
public final class Quiet {

    private static final Object LOCK = new Object();

    private Quiet() {}

    /** Forwards what threads other than {@code silenced} write; drops what {@code silenced} writes. */
    private static final class OthersOnly extends OutputStream {
        private final PrintStream target;
        private final Thread silenced;

        OthersOnly(PrintStream target, Thread silenced) {
            this.target = target;
            this.silenced = silenced;
        }

        @Override
        public void write(int b) {
            if (Thread.currentThread() != silenced) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (Thread.currentThread() != silenced) {
                target.write(b, off, len);
            }
        }

        @Override
        public void flush() {
            if (Thread.currentThread() != silenced) {
                target.flush();
            }
        }
    }

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
            System.setOut(new PrintStream(new OthersOnly(previous, Thread.currentThread()), true));
            try {
                return action.get();
            } finally {
                System.setOut(previous);
            }
        }
    }
}
