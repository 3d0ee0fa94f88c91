package org.vtm.interpreter.train;

/**
 * Early stopping on validation loss: stop after {@code patience} consecutive epochs without a
 * strict improvement of the best validation loss. Its state ({@link #best()}, {@link #badEpochs()})
 * goes into checkpoints so a resumed run stops exactly where an uninterrupted one would.
 */
public final class EarlyStopping {
    private final int patience;
    private double best;
    private int badEpochs;

    public EarlyStopping(int patience) {
        this(patience, Double.POSITIVE_INFINITY, 0);
    }

    public EarlyStopping(int patience, double best, int badEpochs) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        this.patience = patience;
        this.best = best;
        this.badEpochs = badEpochs;
    }

    /**
     * Records one epoch's validation loss.
     *
     * @return true if it is a new best (the caller may save the best model)
     */
    public boolean update(double validationLoss) {
        if (validationLoss < best) {
            best = validationLoss;
            badEpochs = 0;
            return true;
        }
        badEpochs++;
        return false;
    }

    public boolean shouldStop() {
        return badEpochs >= patience;
    }

    public double best() {
        return best;
    }

    public int badEpochs() {
        return badEpochs;
    }

    public int patience() {
        return patience;
    }
}
