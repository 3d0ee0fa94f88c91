package org.vtm.interpreter.train;

import java.util.Locale;

/**
 * The allowed ranges of training options, shared by {@code vtm train}, {@code vtm stm train} and the
 * benchmarks. The limits are far above anything the experiments use but keep a typo (an extra zero
 * or two) from asking for tens of gigabytes or a run of years; each refusal is one line naming the
 * option, the value and the range.
 */
public final class TrainingLimits {
    /** Largest LSTM / controller width. */
    public static final int MAX_HIDDEN = 4096;
    /** Largest batch (programs or character streams). */
    public static final int MAX_BATCH = 65_536;
    /** Longest program the step encoding covers, and longest truncated-BPTT segment. */
    public static final int MAX_STEPS = 1024;
    /** Most epochs (passes over the data). */
    public static final int MAX_EPOCHS = 1_000_000;
    /** Most stacked layers. */
    public static final int MAX_LAYERS = 64;
    /** Largest learning rate (Adam's steps are about this size; far above any that trains). */
    public static final double MAX_LEARNING_RATE = 10;
    /** {@link #MAX_LEARNING_RATE} for help texts (annotation values must be constants). */
    public static final String MAX_LEARNING_RATE_TEXT = "10";
    /** Largest gradient-norm clip. */
    public static final double MAX_CLIP = 1e6;
    /** {@link #MAX_CLIP} for help texts. */
    public static final String MAX_CLIP_TEXT = "1000000";
    /** Longest wall-clock budget: 30 days. */
    public static final double MAX_MINUTES = 43_200;
    /** Range of the log loss's floor ε ({@code --loss-eps}, {@code training.loss_eps}): {@code [MIN_LOSS_EPS, MAX_LOSS_EPS]}. */
    public static final double MIN_LOSS_EPS = 1e-300;
    /** See {@link #MIN_LOSS_EPS}. */
    public static final double MAX_LOSS_EPS = 1;
    /** {@link #MAX_MINUTES} for help texts. */
    public static final String MAX_MINUTES_TEXT = "43200";

    private TrainingLimits() {
    }

    /** {@code value} if {@code min ≤ value ≤ max}, else an IllegalArgumentException naming the option. */
    public static int checkInt(String option, long value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " " + value + " is outside the allowed range " + min + ".." + max);
        }
        return (int) value;
    }

    /**
     * {@code value} if it is a number in the range ({@code min} excluded when {@code minExclusive}),
     * else an IllegalArgumentException naming the option; NaN and infinities are always refused.
     */
    public static double checkDouble(String option, double value, double min, boolean minExclusive, double max) {
        boolean above = minExclusive ? value > min : value >= min;
        if (!(above && value <= max)) {
            throw new IllegalArgumentException(option + " " + format(value) + " is outside the allowed range "
                    + (minExclusive ? "(" : "[") + format(min) + ", " + format(max) + "]");
        }
        return value;
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
