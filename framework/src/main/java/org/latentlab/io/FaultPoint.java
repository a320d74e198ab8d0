package org.latentlab.io;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points in the code where a test can stop a real process, so that a crash can be tested
 * at an exact moment instead of "after some time": while a checkpoint folder is half written,
 * in the middle of an epoch, during the final evaluation.
 *
 * <p>Production code calls {@link #reach(String, Object)} at each point. Nothing happens unless
 * the environment variable {@value #ENV} (or the system property {@value #PROPERTY}) is
 * {@code NAME} or {@code NAME:N}; then the {@code N}-th time (default: the first) this process
 * reaches point {@code NAME}, it prints one line starting with {@value #MARKER} to standard error
 * and blocks for ever. The test waits for that line and kills the process (SIGKILL), which is
 * how a real crash, an out-of-memory kill or a preempted cluster job ends a run: no shutdown
 * hooks, no finally blocks. Waiting for the marker instead of sleeping keeps such a test exact
 * however loaded the machine is.
 *
 * <p>The setting is read once, when this class loads; when it is unset, {@code reach} is a
 * comparison with a constant null, which the JIT removes. The points in use are the constants
 * below.
 */
public final class FaultPoint {
    /** Environment variable that names the point to pause at: {@code NAME} or {@code NAME:N}. */
    public static final String ENV = "LATENTLAB_PAUSE_AT";
    /** System property with the same meaning, for in-process use; the environment variable wins. */
    public static final String PROPERTY = "latentlab.pauseAt";
    /** Start of the line printed to standard error when a process pauses. */
    public static final String MARKER = "latentlab-fault-point: paused at ";

    /** After each gradient step (both training engines). Detail: epoch and batch. */
    public static final String BATCH = "batch";
    /** Inside a checkpoint save: the model is in the temporary folder, {@code state.json} is not, nothing renamed yet. */
    public static final String CHECKPOINT_WRITE = "checkpoint-write";
    /** After an epoch, its metrics row and (if due) its checkpoint are written, before the next epoch starts. */
    public static final String EPOCH_END = "epoch-end";
    /** Inside any model save (checkpoints and the final {@code model/}): {@code model.json} written, the graph not. */
    public static final String MODEL_WRITE = "model-write";
    /** After the last epoch: test metrics computed and {@code reconstructions.png} written; samples and summary not yet. */
    public static final String FINAL_EVALUATION = "final-evaluation";

    private static final String NAME;
    private static final int OCCURRENCE;
    private static final AtomicInteger REACHED = new AtomicInteger();

    static {
        String spec = System.getenv(ENV);
        if (spec == null || spec.isBlank()) {
            spec = System.getProperty(PROPERTY);
        }
        Object[] parsed = parse(spec);
        NAME = (String) parsed[0];
        OCCURRENCE = (Integer) parsed[1];
    }

    private FaultPoint() {}

    /**
     * Marks point {@code name}; pauses this process for ever if it is the configured point and
     * occurrence. {@code detail} (a path, an epoch) is only turned into text when pausing.
     */
    public static void reach(String name, Object detail) {
        if (NAME == null || !NAME.equals(name)) {
            return;
        }
        int n = REACHED.incrementAndGet();
        if (n == OCCURRENCE) {
            pause(name, n, detail);
        }
    }

    /** Whether a pause point is configured in this process. */
    public static boolean armed() {
        return NAME != null;
    }

    /** {@code [name or null, occurrence]} of a {@code NAME[:N]} setting; package-private for tests. */
    static Object[] parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new Object[] {null, 0};
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return new Object[] {s, 1};
        }
        int n;
        try {
            n = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV + ": expected NAME or NAME:N with N >= 1, got '" + spec + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(ENV + ": expected NAME or NAME:N with N >= 1, got '" + spec + "'");
        }
        return new Object[] {s.substring(0, colon), n};
    }

    private static void pause(String name, int n, Object detail) {
        System.err.println(MARKER + name + ":" + n + (detail == null ? "" : " (" + detail + ")"));
        System.err.flush();
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Stay paused: only the kill that the test sends ends this process.
            }
        }
    }
}
