package org.vtm.datagen;

import java.util.SplittableRandom;

/** Deterministic stand-in records for format tests: record i depends only on (seed, i). */
final class SyntheticRecords {
    static final int D = 2;
    static final int N = 2;
    static final int[][] ALPHAS = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}};
    static final double[][] SAMPLES = {{0.5, -0.25}, {-0.75, 0.125}, {0.0625, 0.9}};
    static final CorpusLayout LAYOUT = new CorpusLayout(D, N, "chebyshev", ALPHAS, SAMPLES);

    private SyntheticRecords() {
    }

    static CorpusRecord record(long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
        int steps = 1 + r.nextInt(4);
        int m = ALPHAS.length;
        double[][] stepPoints = fill(r, steps, D);
        double[][] prefix = fill(r, steps, D * m);
        double[][] fixed = fill(r, steps, D * m);
        double[][] oracle = fill(r, steps, D * m);
        double[][] values = fill(r, steps, SAMPLES.length * D);
        double[][] errors = fill(r, steps, CorpusSchema.ERROR_NAMES.size());
        return new CorpusRecord(i, "(x, y) -> (x * " + i + ", y)", D, N, "chebyshev", r.nextInt(3),
                new double[] {r.nextDouble(), r.nextDouble()}, 0.5 + r.nextDouble(), stepPoints, prefix, fixed, oracle,
                values, errors);
    }

    private static double[][] fill(SplittableRandom r, int rows, int width) {
        double[][] a = new double[rows][width];
        for (double[] row : a) {
            for (int j = 0; j < width; j++) {
                row[j] = r.nextDouble(-10, 10);
            }
        }
        return a;
    }
}
