package org.latentlab.engine;

import java.util.Locale;

/** How the trainer executes a gradient step. */
public enum TrainingEngine {
    /**
     * A {@link CompiledStep} per batch shape: SameDiff's ops, planned once, arrays reused (the
     * default). Falls back to {@link #SAMEDIFF} for a graph it cannot plan, with a log line saying why.
     */
    PLANNED,
    /** M2.1's {@code SameDiff.fit}, which plans and allocates anew at every iteration. */
    SAMEDIFF;

    /**
     * Environment variable that selects the engine: {@code planned} or {@code samediff}; read by
     * {@link EngineOptions}.
     */
    public static final String ENV = "LATENTLAB_ENGINE";

    /** Parses {@code planned} or {@code samediff}; {@code source} names where the value came from. */
    public static TrainingEngine parse(String value, String source) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + ": unknown training engine '" + value + "'; expected planned or samediff");
        }
    }
}
