package org.vtm.interpreter.train;

/** Says when a periodic checkpoint is due: every {@code minutes} of wall time (≤ 0 disables it). */
public final class CheckpointTimer {
    private final long intervalNanos;
    private long last;

    public CheckpointTimer(double minutes) {
        if (Double.isNaN(minutes)) {
            throw new IllegalArgumentException("checkpoint interval is NaN");
        }
        this.intervalNanos = minutes <= 0 ? Long.MAX_VALUE : (long) (minutes * 60e9);
        this.last = System.nanoTime();
    }

    /** True once the interval has passed since the last {@link #reset()} (or creation). */
    public boolean due() {
        return intervalNanos != Long.MAX_VALUE && System.nanoTime() - last >= intervalNanos;
    }

    public void reset() {
        last = System.nanoTime();
    }
}
