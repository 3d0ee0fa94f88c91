package org.vtm.evaluation.bench;

import java.util.Locale;

/**
 * The machine's multiply-add rate as Java code can reach it, one thread: the yardstick of the
 * expansion kernels' cost model (docs/benchmarks.md, "Cost model").
 *
 * <ul>
 *   <li>{@link #scalarFma()}: {@code Math.fma} on eight independent scalar chains (the FMA units'
 *       scalar throughput; a 256-bit or 512-bit vector unit does 4 or 8 times that at best);</li>
 *   <li>{@link #pairLoop()}: the kernels' own loop shape, {@code out[p] += x0[p]·y0[p] + … + x3[p]·y3[p]}
 *       over L1-resident rows of 64 points (Java does not fuse multiply and add, so this is a
 *       multiply and an add per term, vectorised by the JIT).</li>
 * </ul>
 * Each is the best of several timed repetitions after a warm-up, in multiply-adds per second.
 */
public final class MaddRate {

    private MaddRate() {
    }

    /** Scalar fused multiply-adds per second (best of 7 rounds of 2^24 per chain ×8). */
    public static double scalarFma() {
        double best = 0;
        double sink = 0;
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            sink += fmaChains(1 << 22);
            long t = System.nanoTime() - t0;
            if (round >= 5) {
                best = Math.max(best, 8.0 * (1 << 22) / (t * 1e-9));
            }
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("NaN");
        }
        return best;
    }

    private static double fmaChains(int n) {
        double a0 = 1, a1 = 2, a2 = 3, a3 = 4, a4 = 5, a5 = 6, a6 = 7, a7 = 8;
        final double x = 0.999999;
        final double y = 1e-7;
        for (int i = 0; i < n; i++) {
            a0 = Math.fma(a0, x, y);
            a1 = Math.fma(a1, x, y);
            a2 = Math.fma(a2, x, y);
            a3 = Math.fma(a3, x, y);
            a4 = Math.fma(a4, x, y);
            a5 = Math.fma(a5, x, y);
            a6 = Math.fma(a6, x, y);
            a7 = Math.fma(a7, x, y);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }

    /** Multiply-adds per second of the kernels' four-pair loop on L1-resident rows (best of rounds). */
    public static double pairLoop() {
        final int P = 64;
        double[] x = new double[8 * P];
        double[] out = new double[P];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1.0 + i * 1e-6;
        }
        double best = 0;
        int reps = 1 << 16;
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                fourPairs(P, x, x, out, 0);
            }
            long t = System.nanoTime() - t0;
            if (round >= 5) {
                best = Math.max(best, 4.0 * P * reps / (t * 1e-9));
            }
        }
        if (Double.isNaN(out[0])) {
            throw new IllegalStateException("NaN");
        }
        return best;
    }

    private static void fourPairs(int P, double[] x, double[] y, double[] out, int base) {
        final int l0 = 0, r0 = 4 * P, l1 = P, r1 = 5 * P, l2 = 2 * P, r2 = 6 * P, l3 = 3 * P, r3 = 7 * P;
        for (int p = 0; p < P; p++) {
            out[base + p] += x[l0 + p] * y[r0 + p] + x[l1 + p] * y[r1 + p]
                    + x[l2 + p] * y[r2 + p] + x[l3 + p] * y[r3 + p];
        }
        for (int p = 0; p < P; p++) {
            out[base + p] *= 1e-3; // keep the values bounded
        }
    }

    /** Both rates, one line each. */
    public static String describe() {
        return String.format(Locale.ROOT, "machine: scalar Math.fma %.2f G madd/s (vector peak 4-8x that with AVX2/AVX-512);"
                + " kernel loop shape in L1 %.2f G madd/s", scalarFma() * 1e-9, pairLoop() * 1e-9);
    }
}
