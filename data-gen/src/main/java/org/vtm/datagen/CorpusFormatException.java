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

    /**
     * Checks that {@code name}, which the manifest {@code manifestFile} gives in {@code entry}, is a
     * plain file name: a file directly inside the manifest's directory. Absolute paths, path
     * separators ({@code /} and {@code \\}), drive letters, {@code .}, {@code ..} (anywhere in the
     * name) and control characters are refused, so a manifest can never make a reader open a file
     * outside its own directory.
     *
     * @param entry where the name is, e.g. {@code "shards[3].file"}
     * @param example a valid name, for the message
     * @return {@code name}
     * @throws CorpusFormatException naming the manifest, the entry, the name and what was expected
     */
    public static String plainFileName(Path manifestFile, String entry, String name, String example) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "is missing or empty";
        } else if (name.contains("..")) {
            problem = "contains '..'";
        } else if (name.equals(".")) {
            problem = "is the directory itself";
        } else if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf(':') >= 0) {
            problem = "is a path";
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            problem = "contains a control character";
        }
        if (problem != null) {
            throw new CorpusFormatException(manifestFile, -1, entry + " " + (name == null ? "" : "'" + name + "' ") + problem
                    + "; expected a plain file name inside the manifest's directory, such as " + example);
        }
        return name;
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
