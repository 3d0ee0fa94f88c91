package org.vtm.datagen;

import java.nio.file.Path;

/**
 * A corpus file that is not what its manifest and schema promise: names the file, the record
 * batch (when known) and what is wrong. Nothing is skipped silently.
 */
public final class CorpusFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int batch;

    public CorpusFormatException(Path file, int batch, String problem) {
        super(file + (batch >= 0 ? ", record batch " + batch : "") + ": " + problem);
        this.file = file;
        this.batch = batch;
    }

    public CorpusFormatException(Path file, int batch, String problem, Throwable cause) {
        this(file, batch, problem);
        initCause(cause);
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The record batch at fault, or -1 when the problem is not in one batch. */
    public int batch() {
        return batch;
    }
}
