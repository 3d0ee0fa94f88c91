package org.vtm.interpreter.train;

import java.io.PrintStream;
import java.util.Locale;
import org.vtm.transforms.cli.ProgressBar;

/**
 * Progress of one epoch on a {@link ProgressBar}: batches done/total with rate and ETA, plus the
 * epoch number, the running mean loss and samples/s.
 */
public final class TrainingProgress {
    private final ProgressBar bar;
    private final int epoch;
    private final int epochs;

    /**
     * @param epoch the epoch (0-based; shown 1-based)
     * @param epochs the total number of epochs
     * @param batches batches in this epoch
     */
    public TrainingProgress(PrintStream out, int epoch, int epochs, long batches) {
        this(out, epoch, epochs, batches, System.console() != null);
    }

    public TrainingProgress(PrintStream out, int epoch, int epochs, long batches, boolean interactive) {
        this.bar = new ProgressBar(out, String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), "batches", batches,
                interactive);
        this.epoch = epoch;
        this.epochs = epochs;
    }

    /** Reports {@code batchesDone} finished batches with the running loss and throughput. */
    public void update(long batchesDone, double loss, double samplesPerSecond) {
        bar.update(batchesDone, String.format(Locale.ROOT, "loss %.5g  %.0f samples/s", loss, samplesPerSecond));
    }

    public int epoch() {
        return epoch;
    }

    public int epochs() {
        return epochs;
    }
}
