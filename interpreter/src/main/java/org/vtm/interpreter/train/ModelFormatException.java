package org.vtm.interpreter.train;

import java.io.IOException;

/**
 * A model or checkpoint directory that cannot be used: a file missing, truncated, of another kind
 * or a newer format, failing its checksum, not matching the {@code T_FX} it was trained with, or a
 * training run that never finished. The message is one line naming the directory or file and what
 * was expected; command lines report it as a mistake in their input (exit code 2), not as an
 * internal failure.
 */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
