package org.latentlab.train;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Silences System.out around a call. M2.1's {@code SameDiff.createGradFunction} prints one line
 * per differentiated op straight to stdout, bypassing logging.
 */
final class Quiet {
    private Quiet() {
    }

    static synchronized void stdout(Runnable action) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
    }
}
