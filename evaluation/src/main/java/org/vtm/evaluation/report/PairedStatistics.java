package org.vtm.evaluation.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics of a comparison of two methods A and B over the same programs: the per-program
 * paired log-ratio {@code log(e_A/e_B)} (A's log error averaged over training seeds first), its median
 * with a seeded percentile-bootstrap 95 % confidence interval (programs resampled with replacement),
 * the fractions of programs where A is better, worse or tied ({@code |log ratio| ≤ log 1.01} is a
 * tie and counts as neither), and the gap closed {@code g_p = log(e_A/e_fixed) / log(e_oracle/e_fixed)}
 * with its median over the programs that have a gap ({@code e_fixed > 1.001·e_oracle}).
 */
public final class PairedStatistics {
    /** A tie: {@code |log(e_A/e_B)| ≤ log 1.01}. */
    public static final double TIE = Math.log(1.01);
    /** Programs with {@code e_fixed ≤ 1.001·e_oracle} have no gap to close. */
    public static final double NO_GAP = 1.001;
    /** Bootstrap resamples. */
    public static final int RESAMPLES = 2000;

    private PairedStatistics() {
    }

    /**
     * A comparison's numbers.
     *
     * @param programs programs compared (both errors finite and positive)
     * @param medianLogRatio median of {@code log(e_A/e_B)}
     * @param lo lower end of the bootstrap 95 % interval of the median
     * @param hi upper end
     * @param better programs where A is better beyond a tie
     * @param worse programs where A is worse beyond a tie
     * @param ties programs within a tie
     */
    public record Comparison(int programs, double medianLogRatio, double lo, double hi, int better, int worse, int ties) {
        public double betterFraction() {
            return programs == 0 ? Double.NaN : (double) better / programs;
        }
    }

    /**
     * The gap closed.
     *
     * @param median median of {@code g_p} over the programs with a gap
     * @param programs programs with a gap
     * @param excluded programs without a gap (excluded)
     */
    public record Gap(double median, int programs, int excluded) {
    }

    /**
     * Per-program log-ratios {@code mean_s log(a[p][s]) − log(b[p])}: NaN where an error is missing or
     * not positive (+∞ where A diverged).
     *
     * @param a A's errors per program and training seed
     * @param b B's errors per program (seed-averaged in the log when B has seeds: pass the geometric mean)
     */
    public static double[] logRatios(double[][] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("A has " + a.length + " programs, B has " + b.length);
        }
        double[] out = new double[a.length];
        for (int p = 0; p < a.length; p++) {
            out[p] = meanLog(a[p]) - safeLog(b[p]);
        }
        return out;
    }

    /** {@code mean_s log(v[s])}; NaN if any value is missing, not finite or not positive, or there is none. */
    public static double meanLog(double[] v) {
        if (v == null || v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += safeLog(x);
        }
        return s / v.length;
    }

    /** log x; +∞ for +∞ (a diverged method loses), NaN for a missing, zero or negative error. */
    private static double safeLog(double x) {
        return x > 0 ? Math.log(x) : Double.NaN;
    }

    /** The comparison of per-program log-ratios (NaN entries are left out), with a bootstrap seeded by {@code seed}. */
    public static Comparison compare(double[] logRatios, long seed) {
        double[] v = Arrays.stream(logRatios).filter(x -> !Double.isNaN(x)).toArray();
        int better = 0;
        int worse = 0;
        int ties = 0;
        for (double x : v) {
            if (Math.abs(x) <= TIE) {
                ties++;
            } else if (x < 0) {
                better++;
            } else {
                worse++;
            }
        }
        if (v.length == 0) {
            return new Comparison(0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0);
        }
        double[] ci = percentileInterval(bootstrapMedians(v, RESAMPLES, seed));
        return new Comparison(v.length, median(v), ci[0], ci[1], better, worse, ties);
    }

    /** Medians of {@code resamples} resamples (with replacement, same size) of {@code v}, drawn from {@code seed}. */
    static double[] bootstrapMedians(double[] v, int resamples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[resamples];
        double[] r = new double[v.length];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < v.length; i++) {
                r[i] = v[rng.nextInt(v.length)];
            }
            out[b] = median(r);
        }
        return out;
    }

    /** The 2.5 % and 97.5 % quantiles (type 7) of {@code stats}. */
    static double[] percentileInterval(double[] stats) {
        return new double[] {quantile(stats, 0.025), quantile(stats, 0.975)};
    }

    /**
     * Quantile {@code q} by linear interpolation between order statistics (type 7), ignoring NaN,
     * with +∞ sorting last; NaN for no values. ({@link Metrics#quantile} is this.)
     */
    static double quantile(double[] values, double q) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double h = (v.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(v.length - 1, lo + 1);
        if (lo == hi || v[lo] == v[hi]) {
            return v[lo];
        }
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }

    /**
     * The gap closed by A: {@code g_p = l_A / log(e_oracle/e_fixed)} with {@code l_A} A's seed-averaged
     * {@code log(e_A/e_fixed)}, over programs with {@code e_fixed > }{@value #NO_GAP}{@code ·e_oracle}.
     */
    public static Gap gapClosed(double[] logRatioVsFixed, double[] fixed, double[] oracle) {
        if (logRatioVsFixed.length != fixed.length || fixed.length != oracle.length) {
            throw new IllegalArgumentException("lengths differ: " + logRatioVsFixed.length + ", " + fixed.length + ", "
                    + oracle.length);
        }
        double[] g = new double[fixed.length];
        int n = 0;
        int excluded = 0;
        for (int p = 0; p < fixed.length; p++) {
            if (Double.isNaN(logRatioVsFixed[p]) || !(oracle[p] > 0) || !Double.isFinite(fixed[p])) {
                continue;
            }
            if (fixed[p] <= NO_GAP * oracle[p]) {
                excluded++;
                continue;
            }
            g[n++] = logRatioVsFixed[p] / Math.log(oracle[p] / fixed[p]);
        }
        return new Gap(n == 0 ? Double.NaN : median(Arrays.copyOf(g, n)), n, excluded);
    }

    /** Median (NaN for none). */
    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }
}
