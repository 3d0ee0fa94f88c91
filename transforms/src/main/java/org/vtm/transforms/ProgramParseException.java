package org.vtm.transforms;

/**
 * A mistake in program text: a syntax error, an unknown name, an arity mismatch between steps or
 * input that exceeds the language's limits. The message starts with the 1-based position, e.g.
 * {@code "line 1, column 17: expected ')' or ',' but found '|>'"}.
 */
public class ProgramParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String detail;

    /**
     * @param line 1-based line of the offending token
     * @param column 1-based column (in UTF-16 code units) of the offending token
     * @param detail what went wrong, without the position prefix
     */
    public ProgramParseException(int line, int column, String detail) {
        super("line " + line + ", column " + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The 1-based line of the error. */
    public int line() {
        return line;
    }

    /** The 1-based column of the error, counted in UTF-16 code units from the start of the line. */
    public int column() {
        return column;
    }

    /** The message without the {@code "line L, column C: "} prefix. */
    public String detail() {
        return detail;
    }
}
