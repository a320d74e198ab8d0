package org.latentlab.cli;

/**
 * An error the user can fix (a bad argument, a missing file, a full disk): the command line shows its message
 * as {@code error: <message>} with no stack trace (unless {@code --verbose}) and exits with status 1.
 *
 * <p>{@link org.latentlab.data.DataException} and {@link IllegalArgumentException} are shown the same way;
 * see {@link CliErrorHandler#isUserError(Throwable)}.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
