package org.vtm.transforms.cli;

/**
 * A mistake in what the user asked for (a bad option value, a file that is not what it should
 * be). The {@code vtm} command prints its message on one line, without a stack trace unless
 * {@code --verbose} is given, and exits with code 2.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
