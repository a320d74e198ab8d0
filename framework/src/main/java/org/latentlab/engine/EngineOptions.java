package org.latentlab.engine;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's switches, read from the environment once ({@link #fromEnvironment()}, kept by
 * {@link #current()}) and passed to whatever plans or runs a step; tests build them from
 * {@link #defaults()} instead of setting variables. No other class of the engine reads the
 * environment (checked by {@code ArchitectureTest}).
 *
 * @param engine           {@code LATENTLAB_ENGINE}: how the trainer executes a gradient step
 * @param javaKernels      {@code LATENTLAB_JAVA_KERNELS} ({@code 0}: false): Java loops and direct BLAS calls
 *                         replace some native ops (see {@link JavaKernels})
 * @param opThreads        {@code LATENTLAB_OP_THREADS}: how the element-wise ops' libnd4j threads are chosen
 * @param opTimes          {@code LATENTLAB_OP_TIMES} ({@code 1}: true): time every op and log the slowest
 * @param openblasCoreType {@code OPENBLAS_CORETYPE}, or null if unset: the OpenBLAS kernels forced on this CPU
 */
public record EngineOptions(
        TrainingEngine engine, boolean javaKernels, OpThreads opThreads, boolean opTimes, String openblasCoreType) {

    /** Environment variable that selects the engine ({@link TrainingEngine#ENV}). */
    public static final String ENGINE_ENV = TrainingEngine.ENV;
    /** Environment variable that disables the Java kernels with {@code 0}. */
    public static final String JAVA_KERNELS_ENV = "LATENTLAB_JAVA_KERNELS";
    /** Environment variable that sets the op threads: unset (timed), {@code 0} or {@code 1}. */
    public static final String OP_THREADS_ENV = "LATENTLAB_OP_THREADS";
    /** Environment variable that turns on the per-op timing report with {@code 1}. */
    public static final String OP_TIMES_ENV = "LATENTLAB_OP_TIMES";
    /**
     * Environment variable for the planned step's convolutions ({@link JavaConv}): unset, Java loops on all cores
     * around OpenBLAS products; {@code 1}, the loops on the training thread; {@code 0}, libnd4j's own ops.
     */
    public static final String JAVA_CONV_ENV = "LATENTLAB_JAVA_CONV";

    /** How a planned step computes convolutions, from {@value #JAVA_CONV_ENV}. */
    public enum JavaConvolutions {
        /** Unset: {@link JavaConv} with its loops on the common fork-join pool. */
        POOL,
        /** {@code 1}: {@link JavaConv} with its loops on the calling thread. */
        ONE_THREAD,
        /** {@code 0}: libnd4j's convolution ops. */
        OFF;

        /** Parses a value of {@value #JAVA_CONV_ENV}: null or empty, {@code 1} or {@code 0}. */
        static JavaConvolutions parse(String value) {
            if (value == null || value.isEmpty()) {
                return POOL;
            }
            return switch (value) {
                case "1" -> ONE_THREAD;
                case "0" -> OFF;
                default ->
                    throw new IllegalArgumentException(JAVA_CONV_ENV + "='" + value + "': expected 1 (Java loops on "
                            + "one thread), 0 (libnd4j's convolution ops) or unset (Java loops on all cores)");
            };
        }
    }

    /** This process's {@link JavaConvolutions}, read from the environment. */
    public static JavaConvolutions javaConvolutions() {
        return JavaConvolutions.parse(System.getenv(JAVA_CONV_ENV));
    }

    /** OpenBLAS's own variable, read by the library when it loads; the engine reads it for its rules. */
    public static final String OPENBLAS_CORETYPE_ENV = "OPENBLAS_CORETYPE";

    private static volatile EngineOptions current;

    /**
     * How a planned step chooses the libnd4j threads of the ops that compute the same bits on any
     * number of threads. The three give the same numbers (the determinism tests run all three);
     * they are for comparing speeds.
     */
    public enum OpThreads {
        /** Unset: each such op runs on one thread or the configured number, whichever timed faster. */
        TIMED("timed"),
        /** {@code 0}: every op runs on libnd4j's configured threads. */
        CONFIGURED("0"),
        /** {@code 1}: every such op runs on one thread. */
        ONE("1");

        private final String setting;

        OpThreads(String setting) {
            this.setting = setting;
        }

        /** The value of {@code LATENTLAB_OP_THREADS} that selects this choice ({@code timed} when unset). */
        public String setting() {
            return setting;
        }

        /** Parses a value of {@value #OP_THREADS_ENV}: null or empty, {@code 0} or {@code 1}. */
        static OpThreads parse(String value) {
            if (value == null || value.isEmpty()) {
                return TIMED;
            }
            return switch (value) {
                case "0" -> CONFIGURED;
                case "1" -> ONE;
                default ->
                    throw new IllegalArgumentException(OP_THREADS_ENV + "='" + value + "': expected 0 "
                            + "(libnd4j's configured threads for every op) or 1 (one thread for every element-wise op), "
                            + "or unset (chosen by timing)");
            };
        }
    }

    public EngineOptions {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(opThreads, "opThreads");
    }

    /** The planned engine, Java kernels on, thread counts chosen by timing, no op timing, no OpenBLAS core type. */
    public static EngineOptions defaults() {
        return new EngineOptions(TrainingEngine.PLANNED, true, OpThreads.TIMED, false, null);
    }

    /** The options of this process's environment; each call reads it anew (see {@link #current()}). */
    public static EngineOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The options that the variables in {@code env} select; unset ones keep their defaults.
     *
     * @throws IllegalArgumentException for a value that means nothing, naming the variable
     */
    public static EngineOptions fromEnvironment(Map<String, String> env) {
        String engine = env.get(ENGINE_ENV);
        String coreType = env.get(OPENBLAS_CORETYPE_ENV);
        return defaults().toBuilder()
                .engine(
                        engine == null || engine.isBlank()
                                ? TrainingEngine.PLANNED
                                : TrainingEngine.parse(engine, ENGINE_ENV))
                .javaKernels(!"0".equals(env.get(JAVA_KERNELS_ENV)))
                .opThreads(OpThreads.parse(env.get(OP_THREADS_ENV)))
                .opTimes("1".equals(env.get(OP_TIMES_ENV)))
                .openblasCoreType(coreType)
                .build();
    }

    /** The options of this process: {@link #fromEnvironment()}, read on first use and kept. */
    public static EngineOptions current() {
        EngineOptions o = current;
        if (o == null) {
            synchronized (EngineOptions.class) {
                if (current == null) {
                    current = fromEnvironment();
                }
                o = current;
            }
        }
        return o;
    }

    /**
     * Whether a planned step runs small products in one-thread blocks: only with OpenBLAS's
     * AVX-512 kernels forced by {@code OPENBLAS_CORETYPE} (see {@link JavaKernels#avx512Kernels}).
     * A rule of the machine's BLAS kernels, never a timing: results must not change from run to run.
     */
    public boolean smallProductsInBlocks() {
        return JavaKernels.avx512Kernels(openblasCoreType);
    }

    /** These options with another engine. */
    public EngineOptions withEngine(TrainingEngine e) {
        return toBuilder().engine(e).build();
    }

    /** These options with another thread choice. */
    public EngineOptions withOpThreads(OpThreads t) {
        return toBuilder().opThreads(t).build();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets options by name; start from {@link EngineOptions#defaults()}{@code .toBuilder()}. */
    public static final class Builder {
        private TrainingEngine engine;
        private boolean javaKernels;
        private OpThreads opThreads;
        private boolean opTimes;
        private String openblasCoreType;

        private Builder(EngineOptions o) {
            engine = o.engine;
            javaKernels = o.javaKernels;
            opThreads = o.opThreads;
            opTimes = o.opTimes;
            openblasCoreType = o.openblasCoreType;
        }

        public Builder engine(TrainingEngine e) {
            engine = e;
            return this;
        }

        public Builder javaKernels(boolean on) {
            javaKernels = on;
            return this;
        }

        public Builder opThreads(OpThreads t) {
            opThreads = t;
            return this;
        }

        public Builder opTimes(boolean on) {
            opTimes = on;
            return this;
        }

        /** The value of {@code OPENBLAS_CORETYPE}, or null for unset. */
        public Builder openblasCoreType(String coreType) {
            openblasCoreType = coreType;
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(engine, javaKernels, opThreads, opTimes, openblasCoreType);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "engine=%s, java kernels=%s, op threads=%s, op times=%s, OPENBLAS_CORETYPE=%s",
                engine.name().toLowerCase(Locale.ROOT),
                javaKernels,
                opThreads.setting(),
                opTimes,
                openblasCoreType == null ? "unset" : openblasCoreType);
    }
}
