package org.latentlab.data;

/**
 * Unchecked error for unusable data (missing, malformed or inconsistent files), so callers deep
 * in training code need not declare it; the message is meant to be shown to the user as is.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
