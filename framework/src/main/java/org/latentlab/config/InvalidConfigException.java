package org.latentlab.config;

/**
 * A config value that a config record's compact constructor rejects, with the name of the record component
 * ({@link #key()}, e.g. {@code batchSize}) so that the command line can name the option or {@code config.json}
 * key the value came from. The message names the value.
 */
public class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The record component the bad value is for. */
    public String key() {
        return key;
    }
}
