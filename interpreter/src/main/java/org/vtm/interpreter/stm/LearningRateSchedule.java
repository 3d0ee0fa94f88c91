package org.vtm.interpreter.stm;

import java.util.Locale;

/**
 * The learning rate of {@link CharTrainer} as a function of the characters trained before an update, the same for
 * every model. Immutable.
 *
 * <ul>
 *   <li>{@code constant}: {@code lr} throughout.
 *   <li>{@code cosine}: {@code lr · (f + (1 − f) · (1 + cos(π · min(c, H) / H)) / 2)} after {@code c} characters,
 *       over the horizon {@code H} (the run's character budget, {@code --chars}): from {@code lr} down to
 *       {@code f · lr} at {@code H}, then {@code f · lr} (e.g. while the plateau rule keeps a run going).
 * </ul>
 *
 * @param kind the schedule
 * @param floor {@code f}, the final fraction of the learning rate (cosine), in (0, 1]
 * @param horizon {@code H} in characters (cosine: > 0)
 */
public record LearningRateSchedule(Kind kind, double floor, long horizon) {

    /** The schedule's shape. */
    public enum Kind { CONSTANT, COSINE }

    /** The constant schedule. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 1.0, 0);

    public LearningRateSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("--lr-schedule must be constant or cosine");
        }
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("--lr-floor must be in (0, 1], got " + floor);
        }
        if (kind == Kind.COSINE && horizon < 1) {
            throw new IllegalArgumentException("--lr-schedule cosine decays over the character budget; give --chars");
        }
    }

    /** The factor on the base learning rate after {@code chars} characters. */
    public double factor(long chars) {
        if (kind == Kind.CONSTANT) {
            return 1.0;
        }
        double x = Math.min(chars, horizon) / (double) horizon;
        return floor + (1 - floor) * (1 + Math.cos(Math.PI * x)) / 2;
    }

    /** {@code constant} or {@code cosine}. */
    public String label() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
