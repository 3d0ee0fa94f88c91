package org.vtm.transforms;

import java.io.PrintStream;

/**
 * What long-running library code (training, generation) reports while it works. The library calls
 * it; whoever runs the work decides how to show it — the command line renders a progress bar
 * ({@code ProgressBar.listener}), a test may keep the lines or drop everything.
 */
public interface ProgressListener {
    /**
     * {@code done} of {@code total} units of {@code task} are finished (called often: render
     * selectively).
     *
     * @param unit   what is counted, e.g. {@code "batches"}
     * @param detail a short status such as the running loss; may be empty
     */
    void progress(String task, String unit, long done, long total, String detail);

    /** A line worth showing as it is: a summary, a resume notice, the reason a run stopped. */
    void message(String line);

    /** Drops everything. */
    static ProgressListener silent() {
        return lines(null);
    }

    /** Writes each message as a line to {@code out} (null: nowhere) and ignores progress. */
    static ProgressListener lines(PrintStream out) {
        return new ProgressListener() {
            @Override
            public void progress(String task, String unit, long done, long total, String detail) {
            }

            @Override
            public void message(String line) {
                if (out != null) {
                    out.println(line);
                }
            }
        };
    }
}
