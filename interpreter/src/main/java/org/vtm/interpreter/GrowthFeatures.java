package org.vtm.interpreter;

import org.vtm.transforms.MultiIndexSet;

/**
 * Scale-free features of how the homogeneous parts of a prefix expansion grow with the order: the inputs of
 * the {@code growth} flag ({@link ModelConfig.InputSpec}), computed only from the orders ≤ n the interpreter has.
 *
 * <p>For one output {@code o}, with {@code a} its {@code M} scaled coefficients (coordinates {@code u ∈ [-1,1]^d},
 * {@code x = v + r·u}), {@code N_k = ‖a_k‖} the Euclidean norm of the terms of degree exactly {@code k},
 * {@code N = ‖a‖} and the floor {@code f = }{@value #FLOOR}{@code ·N + }{@value #TINY}, the {@code 2n+3} features are,
 * in this order:
 * <ol>
 *   <li>{@code N_k / N}, k = 0..n (each in [0, 1]);</li>
 *   <li>{@code log(max(N_k, f) / max(N_{k−1}, f)) / }{@value #LOG_SCALE}, k = 1..n: the log-ratios of successive
 *       orders; the floor bounds each in ±log(1/{@value #FLOOR})/{@value #LOG_SCALE} ≈ ±2.8 and keeps a zero part
 *       (an even function's odd orders) finite;</li>
 *   <li>the Padé-type estimate of the next order relative to the whole, {@code N_n² / (max(N_{n−1}, f)·N)}, clipped
 *       to [0, {@value #PADE_CLIP}] (a geometric tail {@code N_k = q^k} gives {@code q^{n+1}/N});</li>
 *   <li>the estimated radius of convergence in units of the region's radius {@code r}, from the last ratio:
 *       {@code min(max(N_{n−1}, f) / max(N_n, f), }{@value #RADIUS_CLIP}{@code ) / }{@value #RADIUS_CLIP}, in (0, 1]
 *       (a pole at distance ρ with {@code 1/(1 − x/ρ)} gives {@code N_k = (r/ρ)^k} and the estimate ρ/r).</li>
 * </ol>
 * An output that is zero on the region ({@code N = 0}) gets all features 0. Needs {@code n ≥ 1}.
 *
 * <p>Pure functions of their arguments; the degree table of {@code (d, n)} comes from {@link MultiIndexSet}.
 */
public final class GrowthFeatures {
    /** Relative floor of the part norms in ratios. */
    public static final double FLOOR = 1e-6;
    /** Absolute floor added to the relative one (an all-zero expansion). */
    public static final double TINY = 1e-300;
    /** Divisor of the log-ratios (as the log-norm of the normalised inputs). */
    public static final double LOG_SCALE = 5;
    /** Upper clip of the Padé-type next-order estimate (relative to ‖a‖). */
    public static final double PADE_CLIP = 4;
    /** Upper clip of the estimated radius of convergence, in units of r. */
    public static final double RADIUS_CLIP = 10;

    private GrowthFeatures() {
    }

    /** Features per output: {@code 2n + 3}. */
    public static int perOutput(int order) {
        return 2 * order + 3;
    }

    private static final java.util.concurrent.ConcurrentHashMap<Long, int[]> DEGREES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The degree of each of the {@code M} coefficients of one output, in the expansion's order (a copy). */
    public static int[] degrees(int dim, int order) {
        return shared(dim, order).clone();
    }

    /** As {@link #degrees}, the cached table itself (not to be modified). */
    static int[] shared(int dim, int order) {
        return DEGREES.computeIfAbsent(((long) dim << 32) | order, k -> {
            MultiIndexSet set = MultiIndexSet.of(dim, order);
            int[] deg = new int[set.size()];
            for (int i = 0; i < deg.length; i++) {
                deg[i] = set.degree(i);
            }
            return deg;
        });
    }

    /**
     * Writes the {@link #perOutput(int)} features of one output into {@code out} from {@code outOffset}.
     *
     * @param coefficients the output's {@code M} scaled coefficients from {@code offset}
     * @param degrees the degree of each coefficient ({@link #degrees})
     * @param order {@code n ≥ 1}
     * @param out modified: receives the features
     */
    public static void compute(double[] coefficients, int offset, int[] degrees, int order, double[] out, int outOffset) {
        if (order < 1) {
            throw new IllegalArgumentException("growth features need order ≥ 1, got " + order);
        }
        double[] part = new double[order + 1];
        double total = 0;
        for (int i = 0; i < degrees.length; i++) {
            double c = coefficients[offset + i];
            part[degrees[i]] += c * c;
            total += c * c;
        }
        int o = outOffset;
        if (!(total > 0)) {
            java.util.Arrays.fill(out, outOffset, outOffset + perOutput(order), 0);
            return;
        }
        double norm = Math.sqrt(total);
        for (int k = 0; k <= order; k++) {
            part[k] = Math.sqrt(part[k]);
            out[o++] = part[k] / norm;
        }
        double f = FLOOR * norm + TINY;
        for (int k = 1; k <= order; k++) {
            out[o++] = Math.log(Math.max(part[k], f) / Math.max(part[k - 1], f)) / LOG_SCALE;
        }
        double last = part[order];
        double before = Math.max(part[order - 1], f);
        out[o++] = Math.min(last * last / (before * norm), PADE_CLIP);
        out[o] = Math.min(before / Math.max(last, f), RADIUS_CLIP) / RADIUS_CLIP;
    }

    /** As {@link #compute} into a new array (tests, diagnostics). */
    public static double[] of(double[] coefficients, int dim, int order) {
        double[] out = new double[perOutput(order)];
        compute(coefficients, 0, shared(dim, order), order, out, 0);
        return out;
    }
}
