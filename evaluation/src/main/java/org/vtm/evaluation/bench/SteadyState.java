package org.vtm.evaluation.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Times several competing rounds (for example "VTM expands the points once" and "Hipparchus
 * expands the points once") until all of them are in steady state, then times them alternately.
 *
 * <p>Warm-up runs the rounds in turn, in windows of {@link Settings#window()} rounds each; a round
 * is <em>steady</em> when the median of its latest window is no more than
 * {@link Settings#tolerance()} below the median of its previous window (its time stopped
 * falling). Warm-up ends when every round was steady in the same window, after at least
 * {@link Settings#minWarmupRounds()} rounds each, or when {@link Settings#maxWarmupNanos()} is
 * spent (then {@link Timing#steady()} is false). The timed rounds alternate between the
 * competitors, so a change of machine load affects all of them alike; each competitor's result is
 * the median round time and the spread of its rounds.
 *
 * <p>A round returns a value that the timer accumulates, so the JIT cannot discard its work.
 */
public final class SteadyState {

    /** How long to warm and how much to time. */
    public record Settings(int minWarmupRounds, long maxWarmupNanos, int window, double tolerance, int rounds) {
        public Settings {
            if (minWarmupRounds < 0 || maxWarmupNanos < 0 || window < 2 || !(tolerance >= 0 && tolerance < 1)
                    || rounds < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "need minWarmupRounds>=0, maxWarmupNanos>=0, window>=2, 0<=tolerance<1, rounds>=1;"
                                + " got %d, %d, %d, %s, %d",
                        minWarmupRounds, maxWarmupNanos, window, tolerance, rounds));
            }
        }

        /** At least {@code minWarmupRounds} warm-up rounds, at most {@code maxWarmupSeconds}, windows of 5, 2 %. */
        public static Settings of(int minWarmupRounds, double maxWarmupSeconds, int rounds) {
            return new Settings(minWarmupRounds, (long) (maxWarmupSeconds * 1e9), 5, 0.02, rounds);
        }
    }

    /** The timed rounds of one competitor. */
    public record Timing(long[] roundNanos, int warmupRounds, boolean steady) {
        public Timing {
            roundNanos = roundNanos.clone();
            Arrays.sort(roundNanos);
        }

        @Override
        public long[] roundNanos() {
            return roundNanos.clone();
        }

        /** The median round time in nanoseconds. */
        public double medianNanos() {
            return quantile(0.5);
        }

        /** The {@code q}-quantile of the round times (linear interpolation), nanoseconds. */
        public double quantile(double q) {
            double pos = q * (roundNanos.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, roundNanos.length - 1);
            return roundNanos[lo] + (pos - lo) * (roundNanos[hi] - roundNanos[lo]);
        }

        /** The interquartile range relative to the median (0.05 = the middle half of rounds within 5 %). */
        public double relativeSpread() {
            return (quantile(0.75) - quantile(0.25)) / medianNanos();
        }

        public long minNanos() {
            return roundNanos[0];
        }

        public long maxNanos() {
            return roundNanos[roundNanos.length - 1];
        }

        /** {@code median 12.3 µs/unit (IQR 2.1 %, min 12.0, max 13.9, 17 warm-up rounds)} per {@code units}. */
        public String describe(double units, String unit) {
            double f = 1e-3 / units;
            return String.format(Locale.ROOT, "median %.3f µs/%s (IQR %.1f %%, min %.3f, max %.3f; %d timed rounds"
                            + " after %d warm-up rounds%s)",
                    medianNanos() * f, unit, 100 * relativeSpread(), minNanos() * f, maxNanos() * f,
                    roundNanos.length, warmupRounds, steady ? "" : ", NOT steady: warm-up time limit reached");
        }
    }

    private final Settings settings;
    private final LongSupplier clock;
    private double sink;

    public SteadyState(Settings settings) {
        this(settings, System::nanoTime);
    }

    /** With an explicit clock (tests). */
    SteadyState(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** A unit of work whose result is consumed. */
    @FunctionalInterface
    public interface Round {
        double run();
    }

    /** Warms and times every round; the results are in the order of {@code rounds}. */
    public Timing[] measure(Round... rounds) {
        int k = rounds.length;
        int w = settings.window();
        long[][] window = new long[k][w];
        double[] previous = new double[k];
        Arrays.fill(previous, Double.POSITIVE_INFINITY);
        long start = clock.getAsLong();
        int warm = 0;
        boolean steady = false;
        while (true) {
            for (int i = 0; i < w; i++) {
                for (int r = 0; r < k; r++) {
                    window[r][i] = time(rounds[r]);
                }
            }
            warm += w;
            boolean all = true;
            for (int r = 0; r < k; r++) {
                double median = median(window[r]);
                if (median < (1 - settings.tolerance()) * previous[r]) {
                    all = false;
                }
                previous[r] = median;
            }
            if (all && warm >= settings.minWarmupRounds()) {
                steady = true;
                break;
            }
            if (clock.getAsLong() - start >= settings.maxWarmupNanos() && warm >= settings.minWarmupRounds()) {
                break;
            }
        }
        long[][] timed = new long[k][settings.rounds()];
        for (int i = 0; i < settings.rounds(); i++) {
            for (int r = 0; r < k; r++) {
                timed[r][i] = time(rounds[r]);
            }
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("a benchmark round produced NaN");
        }
        Timing[] out = new Timing[k];
        for (int r = 0; r < k; r++) {
            out[r] = new Timing(timed[r], warm, steady);
        }
        return out;
    }

    private long time(Round round) {
        long t0 = clock.getAsLong();
        double v = round.run();
        long t1 = clock.getAsLong();
        sink += v;
        return t1 - t0;
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
