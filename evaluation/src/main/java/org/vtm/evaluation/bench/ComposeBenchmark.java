package org.vtm.evaluation.bench;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.hipparchus.analysis.differentiation.DSCompiler;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.hipparchus.analysis.differentiation.TaylorMap;
import org.vtm.transforms.Expander;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.RandomExpressionStep;
import org.vtm.transforms.Step;
import org.vtm.transforms.TensorSeries;

/**
 * Composition of truncated Taylor maps: VTM's {@link TensorSeries#compose(TensorSeries)} against
 * Hipparchus {@link TaylorMap#compose(TaylorMap)} on the <em>same</em> maps. For each of
 * {@code pairs} seeded points {@code x} it expands a random step {@code inner : R^d → R^d} at
 * {@code x} and a random step {@code outer : R^d → R^m} at {@code inner(x)} with VTM, and builds
 * the Hipparchus maps from exactly those coefficients, so both sides compose identical inputs and
 * must agree to rounding ({@link #AGREEMENT}). Single-threaded, steady state ({@link SteadyState}).
 */
public final class ComposeBenchmark {

    /** The agreement both implementations must reach (relative to the largest derivative, at least 1). */
    public static final double AGREEMENT = 1e-12;

    /** One measurement: median per-composition times of both sides, and their agreement. */
    public static final class Result {
        private final int dim;
        private final int outputs;
        private final int order;
        private final int ops;
        private final int pairs;
        private final SteadyState.Timing vtm;
        private final SteadyState.Timing hipparchus;
        private final double maxRelativeDifference;
        private final double multiplyAdds;

        Result(int dim, int outputs, int order, int ops, int pairs, SteadyState.Timing vtm,
               SteadyState.Timing hipparchus, double maxRelativeDifference, double multiplyAdds) {
            this.dim = dim;
            this.outputs = outputs;
            this.order = order;
            this.ops = ops;
            this.pairs = pairs;
            this.vtm = vtm;
            this.hipparchus = hipparchus;
            this.maxRelativeDifference = maxRelativeDifference;
            this.multiplyAdds = multiplyAdds;
        }

        /** Multiply-adds per composition of VTM's kernel (its cost model, {@link TensorSeries#composeMultiplyAdds}). */
        public double multiplyAddsPerComposition() {
            return multiplyAdds;
        }

        /** The multiply-add rate VTM reaches at its median time. */
        public double multiplyAddsPerSecond() {
            return multiplyAdds / (vtmMicros() * 1e-6);
        }

        /** Median microseconds per composition of VTM. */
        public double vtmMicros() {
            return vtm.medianNanos() * 1e-3 / pairs;
        }

        /** Median microseconds per composition of Hipparchus. */
        public double hipparchusMicros() {
            return hipparchus.medianNanos() * 1e-3 / pairs;
        }

        /** How many times faster VTM is: the ratio of the median round times. */
        public double ratio() {
            return hipparchus.medianNanos() / vtm.medianNanos();
        }

        public SteadyState.Timing vtmTiming() {
            return vtm;
        }

        public SteadyState.Timing hipparchusTiming() {
            return hipparchus;
        }

        /** The largest coefficient difference relative to the largest derivative (at least 1) of its output. */
        public double maxRelativeDifference() {
            return maxRelativeDifference;
        }

        public boolean agrees() {
            return maxRelativeDifference <= AGREEMENT;
        }

        /** {@code RESULT compose vtm_us=<µs per composition> hipparchus_us=<µs> ratio=<hipparchus/vtm>}. */
        public String toLine() {
            return String.format(Locale.ROOT, "RESULT compose vtm_us=%.4f hipparchus_us=%.4f ratio=%.3f",
                    vtmMicros(), hipparchusMicros(), ratio());
        }

        public String describe() {
            return String.format(Locale.ROOT,
                    "d=%d m=%d n=%d ops=%d pairs=%d max_rel_diff=%.3e agrees=%s%n  vtm:        %s%n"
                            + "  hipparchus: %s%n  cost model: %.0f multiply-adds per composition, %.2f G madd/s at the"
                            + " median", dim, outputs, order, ops, pairs, maxRelativeDifference, agrees(),
                    vtm.describe(pairs, "composition"), hipparchus.describe(pairs, "composition"), multiplyAdds,
                    multiplyAddsPerSecond() * 1e-9);
        }

        @Override
        public String toString() {
            return toLine() + " (" + describe() + ")";
        }
    }

    /**
     * Times both implementations in steady state.
     *
     * @param dim inputs {@code d} of the inner map (and its outputs, the outer map's inputs)
     * @param outputs outputs {@code m} of the outer map
     * @param order expansion order {@code n} of both maps
     * @param ops operations in each random step
     * @param pairs compositions per round (one per seeded point)
     * @param seed seeds both steps and the points
     */
    public Result run(int dim, int outputs, int order, int ops, int pairs, long seed, SteadyState.Settings settings) {
        if (dim < 1 || outputs < 1 || order < 0 || ops < 0 || pairs < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need dim>=1, outputs>=1, order>=0, ops>=0, pairs>=1; got dim=%d outputs=%d order=%d ops=%d"
                            + " pairs=%d", dim, outputs, order, ops, pairs));
        }
        Step inner = RandomExpressionStep.generate(dim, dim, ops, seed);
        Step outer = RandomExpressionStep.generate(dim, outputs, ops, seed + 1);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[][] xs = new double[pairs][dim];
        for (double[] x : xs) {
            for (int i = 0; i < dim; i++) {
                x[i] = rng.nextDouble(-1.0, 1.0);
            }
        }
        TensorSeries[] in = Expander.expand(List.of(inner), xs, order);
        double[][] ys = new double[pairs][];
        for (int p = 0; p < pairs; p++) {
            ys[p] = in[p].values();
        }
        TensorSeries[] out = Expander.expand(List.of(outer), ys, order);
        DSFactory factory = new DSFactory(dim, order);
        TaylorMap[] hin = new TaylorMap[pairs];
        TaylorMap[] hout = new TaylorMap[pairs];
        for (int p = 0; p < pairs; p++) {
            hin[p] = taylorMap(factory, in[p]);
            hout[p] = taylorMap(factory, out[p]);
        }
        double maxRel = 0;
        MultiIndexSet set = MultiIndexSet.of(dim, order);
        for (int p = 0; p < pairs; p++) {
            maxRel = Math.max(maxRel, maxRelativeDifference(out[p].compose(in[p]), hout[p].compose(hin[p]), set));
        }
        SteadyState.Timing[] t = new SteadyState(settings).measure(
            () -> {
                double s = 0;
                for (int p = 0; p < pairs; p++) {
                    s += out[p].compose(in[p]).coefficient(0, 1);
                }
                return s;
            },
            () -> {
                double s = 0;
                for (int p = 0; p < pairs; p++) {
                    s += hout[p].compose(hin[p]).getFunction(0).getPartialDerivative(unit(dim));
                }
                return s;
            });
        return new Result(dim, outputs, order, ops, pairs, t[0], t[1], maxRel,
                TensorSeries.composeMultiplyAdds(dim, dim, outputs, order));
    }

    private static int[] unit(int dim) {
        int[] a = new int[dim];
        a[0] = 1;
        return a;
    }

    /** The Hipparchus map with exactly the derivatives of {@code s}: {@code ∂^α = c[α]·α!}. */
    static TaylorMap taylorMap(DSFactory factory, TensorSeries s) {
        MultiIndexSet set = s.multiIndices();
        DSCompiler compiler = factory.getCompiler();
        DerivativeStructure[] f = new DerivativeStructure[s.outputDim()];
        double[] derivatives = new double[compiler.getSize()];
        for (int o = 0; o < f.length; o++) {
            for (int i = 0; i < set.size(); i++) {
                derivatives[compiler.getPartialDerivativeIndex(set.alpha(i))] = s.coefficient(o, i) * set.factorial(i);
            }
            f[o] = factory.build(derivatives);
        }
        return new TaylorMap(s.point(), f);
    }

    private static double maxRelativeDifference(TensorSeries ours, TaylorMap theirs, MultiIndexSet set) {
        double worst = 0;
        int M = set.size();
        for (int o = 0; o < ours.outputDim(); o++) {
            DerivativeStructure ds = theirs.getFunction(o);
            double scale = 1;
            double[] a = new double[M];
            double[] b = new double[M];
            for (int i = 0; i < M; i++) {
                a[i] = ours.coefficient(o, i) * set.factorial(i);
                b[i] = ds.getPartialDerivative(set.alpha(i));
                scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            }
            for (int i = 0; i < M; i++) {
                double diff = Math.abs(a[i] - b[i]) / scale;
                if (!(diff <= worst)) {
                    worst = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                }
            }
        }
        return worst;
    }
}
