package org.vtm.interpreter;

import java.util.SplittableRandom;

/**
 * The learned interpreter's parameter initialisation, shared by the SameDiff graph
 * ({@link InterpreterModel}) and the layer engine, so that both start from the same numbers for
 * the same seed (draws are consumed in the order the callers ask for them).
 */
public final class Initialisers {
    private Initialisers() {
    }

    /** Xavier-uniform {@code fanIn × fanOut} values, row-major: U(−√(6/(fanIn+fanOut)), +…). */
    public static double[] xavier(SplittableRandom random, int fanIn, int fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double[] v = new double[fanIn * fanOut];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble(-limit, limit);
        }
        return v;
    }

    /** Gaussian entries with the root-mean-square of {@code like} (the random-init ablation's T_0). */
    public static double[] randomLike(double[] like, SplittableRandom random) {
        double norm = 0;
        for (double v : like) {
            norm += v * v;
        }
        double sigma = Math.sqrt(norm / like.length);
        double[] out = new double[like.length];
        for (int i = 0; i < out.length; i++) {
            double u1 = random.nextDouble();
            double u2 = random.nextDouble();
            out[i] = sigma * Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
        }
        return out;
    }
}
