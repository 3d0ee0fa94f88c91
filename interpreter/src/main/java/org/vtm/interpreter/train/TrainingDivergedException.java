package org.vtm.interpreter.train;

/**
 * A training run stopped because the loss or the gradient of an update was not finite (NaN or
 * infinite). The trainer throws it before that update changes any parameter and before anything
 * of the failed round is written, so the last checkpoint is the last good state and
 * {@code --resume} continues from it. The {@code vtm} command line prints the message as one line
 * and exits with code 3 ({@code VtmMain.EXIT_DIVERGED}), distinct from a usage mistake (2) and an
 * internal failure (1).
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit-code list of the training commands' {@code --help} (picocli {@code exitCodeList} entries). */
    public static final String HELP_OK = "0:the run ended normally (its budget, epochs or early stopping)";
    /** See {@link #HELP_OK}. */
    public static final String HELP_FAILURE = "1:internal failure or out of memory";
    /** See {@link #HELP_OK}. */
    public static final String HELP_USAGE = "2:a usage mistake (option, input file, model or checkpoint directory)";
    /** See {@link #HELP_OK}. */
    public static final String HELP_DIVERGED = "3:training diverged: a non-finite loss or gradient stopped the run "
            + "(\"diverged at update k (...)\"); the last checkpoint is kept and --resume continues from it";

    private final long update;
    private final String what;

    /**
     * @param update the 1-based number of the update whose loss or gradient was not finite
     * @param what   what was not finite, e.g. {@code "loss NaN"}
     * @param context what the run kept, appended after a semicolon (may be empty)
     */
    public TrainingDivergedException(long update, String what, String context) {
        super("diverged at update " + update + " (" + what + ")"
                + (context == null || context.isEmpty() ? "" : "; " + context));
        this.update = update;
        this.what = what;
    }


    /** The 1-based number of the update that was not finite. */
    public long update() {
        return update;
    }

    /** What was not finite, e.g. {@code "loss NaN"}. */
    public String what() {
        return what;
    }

    /**
     * What is not finite among the loss and the squared global gradient norm of one update, or
     * null when both are finite. Pass {@code 0} as {@code gradNormSquared} where the gradient is
     * not known.
     */
    public static String nonFinite(double loss, double gradNormSquared) {
        boolean badLoss = !Double.isFinite(loss);
        boolean badGrad = !Double.isFinite(gradNormSquared);
        if (!badLoss && !badGrad) {
            return null;
        }
        String l = badLoss ? "loss " + loss : "";
        String g = badGrad ? "squared global gradient norm " + gradNormSquared : "";
        return badLoss && badGrad ? l + ", " + g : l + g;
    }

    /**
     * Throws if the loss or the squared global gradient norm of update {@code update} is not finite.
     *
     * @throws TrainingDivergedException naming the update and what was not finite, followed by {@code context}
     */
    public static void check(long update, double loss, double gradNormSquared, String context) {
        String what = nonFinite(loss, gradNormSquared);
        if (what != null) {
            throw new TrainingDivergedException(update, what, context);
        }
    }
}
