package org.vtm.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-computed values for the comparison statistics. */
class PairedStatisticsTest {

    @Test
    void logRatiosAverageTheSeedsInTheLog() {
        // seeds 2 and 8: mean log = log 4; against 4 the ratio is 1 (log 0); against 1 it is log 4
        double[] lr = PairedStatistics.logRatios(new double[][] {{2, 8}, {2, 8}, {Double.NaN}, {Double.POSITIVE_INFINITY}},
                new double[] {4, 1, 1, 1});
        assertEquals(0.0, lr[0], 1e-15);
        assertEquals(Math.log(4), lr[1], 1e-15);
        assertTrue(Double.isNaN(lr[2]), "missing error: left out");
        assertEquals(Double.POSITIVE_INFINITY, lr[3], "a diverged method loses");
    }

    @Test
    void tiesWithinOnePercentCountAsNeither() {
        double tie = Math.log(1.01);
        PairedStatistics.Comparison c = PairedStatistics.compare(new double[] {-1, -0.005, tie, 0.5, Double.NaN}, 1);
        assertEquals(4, c.programs());
        assertEquals(1, c.better());
        assertEquals(1, c.worse());
        assertEquals(2, c.ties(), "|−0.005| and log 1.01 itself are ties");
        assertEquals(0.25, c.betterFraction(), 0);
        // sorted: −1, −0.005, 0.00995…, 0.5 → median (−0.005 + log 1.01)/2
        assertEquals((-0.005 + tie) / 2, c.medianLogRatio(), 1e-15);
        // just beyond the tie threshold counts
        assertEquals(1, PairedStatistics.compare(new double[] {-tie * 1.0001}, 1).better());
    }

    @Test
    void percentileIntervalIsTypeSevenQuantiles() {
        double[] stats = new double[41];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = 40 - i;
        }
        // h = 40·0.025 = 1 and 40·0.975 = 39: the 2nd and 40th order statistics
        assertArrayEquals(new double[] {1, 39}, PairedStatistics.percentileInterval(stats), 1e-12);
    }

    @Test
    void bootstrapIsSeededAndCoversTheResampleRange() {
        // two programs with log-ratios 0 and 1: a resample's median is 0 (p = 1/4), 0.5 (1/2) or 1 (1/4),
        // so the 2.5 % and 97.5 % quantiles of 2000 resample medians are 0 and 1
        PairedStatistics.Comparison c = PairedStatistics.compare(new double[] {0, 1}, 42);
        assertEquals(0.5, c.medianLogRatio(), 0);
        assertEquals(0.0, c.lo(), 0);
        assertEquals(1.0, c.hi(), 0);
        double[] m = PairedStatistics.bootstrapMedians(new double[] {0, 1}, 2000, 42);
        int half = 0;
        for (double v : m) {
            assertTrue(v == 0 || v == 0.5 || v == 1, "median of a resample of {0, 1}: " + v);
            half += v == 0.5 ? 1 : 0;
        }
        assertEquals(1000, half, 100, "about half the resamples mix both programs");
        assertArrayEquals(m, PairedStatistics.bootstrapMedians(new double[] {0, 1}, 2000, 42), 0, "same seed, same resamples");
        // a constant log-ratio has a degenerate interval
        PairedStatistics.Comparison k = PairedStatistics.compare(new double[] {-0.3, -0.3, -0.3}, 5);
        assertEquals(-0.3, k.lo(), 0);
        assertEquals(-0.3, k.hi(), 0);
        assertEquals(3, k.better());
    }

    @Test
    void gapClosedIsThePerProgramMedianOverProgramsWithAGap() {
        double[] fixed = {1e-3, 1e-3, 1e-3, 1e-4, 1.0005e-4};
        double[] oracle = {1e-4, 1e-4, 1e-4, 1e-4, 1e-4};
        // A: at the oracle (g = 1), at fixed (g = 0), half way in the log (g = 0.5); the last two have no gap
        double[] a = {1e-4, 1e-3, Math.pow(10, -3.5), 5e-5, 1e-4};
        double[] lr = new double[a.length];
        for (int p = 0; p < a.length; p++) {
            lr[p] = Math.log(a[p] / fixed[p]);
        }
        PairedStatistics.Gap g = PairedStatistics.gapClosed(lr, fixed, oracle);
        assertEquals(0.5, g.median(), 1e-12);
        assertEquals(3, g.programs());
        assertEquals(2, g.excluded(), "e_fixed = e_oracle and e_fixed = 1.0005·e_oracle ≤ 1.001·e_oracle");
        // worse than fixed: negative
        PairedStatistics.Gap worse = PairedStatistics.gapClosed(new double[] {Math.log(10)}, new double[] {1e-3},
                new double[] {1e-4});
        assertEquals(-1.0, worse.median(), 1e-12);
    }
}
