package org.vtm.transforms.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.vtm.transforms.ProgressListener;

/**
 * A one-line progress display for long work: done/total, rate, elapsed and ETA. On a terminal the
 * line is redrawn in place (at most every 200 ms); otherwise (logs, CI) a line is printed at most
 * every 10 seconds, so output stays short.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final String unit;
    private final long total;
    private final boolean interactive;
    private final long startNanos;
    private long lastPrintNanos;

    public ProgressBar(PrintStream out, String label, String unit, long total) {
        this(out, label, unit, total, System.console() != null);
    }

    public ProgressBar(PrintStream out, String label, String unit, long total, boolean interactive) {
        this.out = out;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.interactive = interactive;
        this.startNanos = System.nanoTime();
        this.lastPrintNanos = startNanos - 60_000_000_000L;
    }

    /** Reports {@code done} units finished; {@code extra} is appended (may be empty). */
    public void update(long done, String extra) {
        long now = System.nanoTime();
        long interval = interactive ? 200_000_000L : 10_000_000_000L;
        if (done < total && now - lastPrintNanos < interval) {
            return;
        }
        lastPrintNanos = now;
        String line = line(done, extra, now);
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
            if (done >= total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The seconds since the bar was created. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    String line(long done, String extra, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / seconds;
        int width = 24;
        int filled = total <= 0 ? width : (int) Math.min(width, width * done / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String eta = rate > 0 && done < total ? duration((total - done) / rate) : "0s";
        return String.format(Locale.ROOT, "%s [%s] %d/%d %s  %.1f %s/s  elapsed %s  ETA %s%s", label, bar, done, total,
                unit, rate, unit, duration(seconds), eta, extra == null || extra.isEmpty() ? "" : "  " + extra);
    }

    /** {@code 75.0 -> "1m15s"}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s / 60) % 60) + "m";
    }

    /**
     * A listener that prints messages to {@code out} and shows progress as a bar, one bar per task
     * (a new task label starts a new bar).
     */
    public static ProgressListener listener(PrintStream out) {
        return listener(out, System.console() != null);
    }

    /** As {@link #listener(PrintStream)}, redrawing in place when {@code interactive}. */
    public static ProgressListener listener(PrintStream out, boolean interactive) {
        return new ProgressListener() {
            private String task;
            private ProgressBar bar;

            @Override
            public synchronized void progress(String task, String unit, long done, long total, String detail) {
                if (bar == null || !task.equals(this.task)) {
                    this.task = task;
                    bar = new ProgressBar(out, task, unit, total, interactive);
                }
                bar.update(done, detail);
            }

            @Override
            public synchronized void message(String line) {
                out.println(line);
            }
        };
    }
}
