package org.vtm.evaluation.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A standard-output filter for the command line that drops whole lines a library prints for its
 * own debugging — ND4J's SameDiff prints {@code "Added differentiated op …"} to {@code System.out}
 * for every op it differentiates, unconditionally. Everything else passes through unchanged and
 * promptly: a partial line is held back only while it could still become a dropped line.
 */
final class ConsoleFilter extends OutputStream {
    /** Line prefixes dropped from standard output. */
    static final List<String> DROPPED = List.of("Added differentiated op ");

    private final OutputStream out;
    private final byte[][] prefixes;
    private byte[] line = new byte[256];
    private int length;
    /** The current line is known to pass: its bytes go straight through. */
    private boolean passing;

    ConsoleFilter(OutputStream out) {
        this.out = out;
        this.prefixes = DROPPED.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** Wraps {@code System.out} (once per process, by {@code main}). */
    static void install() {
        if (!(System.out instanceof Filtered)) {
            System.setOut(new Filtered(new ConsoleFilter(new java.io.FileOutputStream(java.io.FileDescriptor.out))));
        }
    }

    /** The installed stream, recognisable so that it is installed once. */
    static final class Filtered extends PrintStream {
        Filtered(ConsoleFilter filter) {
            super(filter, true, StandardCharsets.UTF_8);
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (passing) {
            out.write(b);
            if (b == '\n') {
                passing = false;
            }
            return;
        }
        if (length == line.length) {
            line = Arrays.copyOf(line, 2 * length);
        }
        line[length++] = (byte) b;
        if (b == '\n') {
            if (!dropped()) {
                out.write(line, 0, length);
            }
            length = 0;
        } else if (!couldBeDropped()) {
            out.write(line, 0, length);
            length = 0;
            passing = true;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (length > 0 && !dropped()) {
            out.write(line, 0, length);
        }
        length = 0;
        out.close();
    }

    /** Whether the buffered line starts with a dropped prefix. */
    private boolean dropped() {
        for (byte[] p : prefixes) {
            if (length >= p.length && Arrays.equals(line, 0, p.length, p, 0, p.length)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the buffered bytes agree with some dropped prefix so far (or already contain one). */
    private boolean couldBeDropped() {
        for (byte[] p : prefixes) {
            int n = Math.min(length, p.length);
            if (Arrays.equals(line, 0, n, p, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
