package org.vtm.evaluation.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Lets code that prints to a PrintStream write to a command's PrintWriter (UTF-8, flushed per line). */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    WriterOutputStream(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        if (line.size() > 0) {
            out.print(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
