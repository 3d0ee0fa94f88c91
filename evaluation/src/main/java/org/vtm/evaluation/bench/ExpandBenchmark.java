package org.vtm.evaluation.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.vtm.transforms.Expander;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.RandomExpressionStep;
import org.vtm.transforms.Step;
import org.vtm.transforms.TensorSeries;

/**
 * Throughput of the batched expansion kernel ({@link Expander}) against Hipparchus
 * {@link DerivativeStructure} on the same seeded random step and points, single-threaded, with
 * an agreement check of every derivative. Both sides are warmed until their round times stop
 * falling ({@link SteadyState}) and then timed alternately; the ratio is that of the median rounds.
 */
public final class ExpandBenchmark {

    /** The agreement both implementations must reach (norm-wise relative, per point and output). */
    public static final double AGREEMENT = 1e-12;

    /** One measurement: median per-point times of both sides in steady state, and their agreement. */
    public static final class Result {
        private final int dim;
        private final int outputs;
        private final int order;
        private final int ops;
        private final int liveOps;
        private final int points;
        private final SteadyState.Timing vtm;
        private final SteadyState.Timing hipparchus;
        private final double maxRelativeDifference;
        private final double multiplyAdds;
        private final double allocatedPerPoint;

        Result(int dim, int outputs, int order, int ops, int liveOps, int points, SteadyState.Timing vtm,
               SteadyState.Timing hipparchus, double maxRelativeDifference, double multiplyAdds,
               double allocatedPerPoint) {
            this.dim = dim;
            this.outputs = outputs;
            this.order = order;
            this.ops = ops;
            this.liveOps = liveOps;
            this.points = points;
            this.vtm = vtm;
            this.hipparchus = hipparchus;
            this.maxRelativeDifference = maxRelativeDifference;
            this.multiplyAdds = multiplyAdds;
            this.allocatedPerPoint = allocatedPerPoint;
        }

        /** Bytes VTM allocates per expanded point (one warm round, JVM thread allocation counter; NaN if unsupported). */
        public double allocatedPerPoint() {
            return allocatedPerPoint;
        }

        /** The bytes of the result's coefficients per point, {@code m·M·8}. */
        public double resultBytesPerPoint() {
            return 8.0 * outputs * MultiIndexSet.sizeOf(dim, order);
        }

        /** Multiply-adds per point of VTM's compiled kernel (its cost model; NaN if not compiled). */
        public double multiplyAddsPerPoint() {
            return multiplyAdds;
        }

        /** Multiply-adds per second VTM reaches (cost model over the median time). */
        public double multiplyAddRate() {
            return multiplyAdds / (vtmMicros() * 1e-6);
        }

        /** Median microseconds per expanded point of VTM's batched kernels. */
        public double vtmMicros() {
            return vtm.medianNanos() * 1e-3 / points;
        }

        /** Median microseconds per expanded point of Hipparchus DerivativeStructure. */
        public double hipparchusMicros() {
            return hipparchus.medianNanos() * 1e-3 / points;
        }

        /** Expansions per second of our batched kernel (from the median round). */
        public double pointsPerSecond() {
            return 1e6 / vtmMicros();
        }

        /** Expansions per second of Hipparchus DerivativeStructure (from the median round). */
        public double hipparchusPointsPerSecond() {
            return 1e6 / hipparchusMicros();
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

        /**
         * The largest difference between the two implementations' plain derivatives, relative to
         * the largest derivative magnitude (at least 1) of the same point and output.
         */
        public double maxRelativeDifference() {
            return maxRelativeDifference;
        }

        /** Whether the two implementations agree within {@link #AGREEMENT}. */
        public boolean agrees() {
            return maxRelativeDifference <= AGREEMENT;
        }

        /** {@code RESULT expand vtm_us=<µs per point> hipparchus_us=<µs per point> ratio=<hipparchus/vtm>}. */
        public String toLine() {
            return String.format(Locale.ROOT, "RESULT expand vtm_us=%.4f hipparchus_us=%.4f ratio=%.3f",
                    vtmMicros(), hipparchusMicros(), ratio());
        }

        /** The configuration, both timings and the agreement, for logs. */
        public String describe() {
            return String.format(Locale.ROOT,
                    "d=%d m=%d n=%d ops=%d (%d live) points=%d max_rel_diff=%.3e agrees=%s%n  vtm:        %s%n"
                            + "  hipparchus: %s%n  cost model: %.0f multiply-adds per point, %.2f G madd/s at the median%n"
                            + "  allocation: %.0f bytes per point (the result's coefficients: %.0f)",
                    dim, outputs, order, ops, liveOps, points, maxRelativeDifference, agrees(),
                    vtm.describe(points, "point"), hipparchus.describe(points, "point"), multiplyAdds,
                    multiplyAddRate() * 1e-9, allocatedPerPoint, resultBytesPerPoint());
        }

        @Override
        public String toString() {
            return toLine() + " (" + describe() + ")";
        }
    }

    /**
     * Times both implementations in steady state.
     *
     * @param dim inputs {@code d}
     * @param outputs outputs {@code m}
     * @param order expansion order {@code n}
     * @param ops operations in the random step
     * @param points number of points (uniform in {@code [-1, 1]^d}) per round
     * @param seed seeds the step and the points
     * @param settings warm-up and timed rounds
     */
    public Result run(int dim, int outputs, int order, int ops, int points, long seed, SteadyState.Settings settings) {
        if (dim < 1 || outputs < 1 || order < 0 || ops < 0 || points < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need dim>=1, outputs>=1, order>=0, ops>=0, points>=1; got"
                            + " dim=%d outputs=%d order=%d ops=%d points=%d",
                    dim, outputs, order, ops, points));
        }
        // both sides evaluate exactly the operations the outputs depend on (VTM's compiler drops the others by
        // itself; pruning first keeps the comparison one of equal work)
        RandomExpressionStep step = RandomExpressionStep.generate(dim, outputs, ops, seed).pruned();
        List<Step> steps = List.of(step);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[][] pts = new double[points][dim];
        for (double[] p : pts) {
            for (int i = 0; i < dim; i++) {
                p[i] = rng.nextDouble(-1.0, 1.0);
            }
        }
        DerivativeStructureAlgebra algebra = new DerivativeStructureAlgebra(dim, order);

        // correctness first: compare every derivative
        TensorSeries[] ours = Expander.expand(steps, pts, order);
        List<List<DerivativeStructure>> ref = hipparchus(step, algebra, pts);
        double maxRel = maxRelativeDifference(ours, ref, MultiIndexSet.of(dim, order));

        double madds = Expander.multiplyAddsPerPoint(steps, order);
        long allocated = allocatedBytes(() -> Expander.expand(steps, pts, order));
        SteadyState.Timing[] t = new SteadyState(settings).measure(
            () -> Expander.expand(steps, pts, order)[points - 1].coefficient(0, 0),
            () -> hipparchus(step, algebra, pts).get(points - 1).get(0).getValue());
        return new Result(dim, outputs, order, ops, step.operations(), points, t[0], t[1], maxRel, madds, allocated < 0 ? Double.NaN : (double) allocated / points);
    }

    /** Bytes allocated by this thread while {@code work} runs, or -1 if the JVM cannot tell. */
    static long allocatedBytes(Runnable work) {
        if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            long id = Thread.currentThread().getId();
            long before = bean.getThreadAllocatedBytes(id);
            work.run();
            return bean.getThreadAllocatedBytes(id) - before;
        }
        return -1;
    }

    private static List<List<DerivativeStructure>> hipparchus(Step step, DerivativeStructureAlgebra algebra,
                                                             double[][] pts) {
        List<List<DerivativeStructure>> out = new ArrayList<>(pts.length);
        int d = step.inputDim();
        for (double[] p : pts) {
            List<DerivativeStructure> in = new ArrayList<>(d);
            for (int i = 0; i < d; i++) {
                in.add(algebra.factory().variable(i, p[i]));
            }
            out.add(step.apply(algebra, in));
        }
        return out;
    }

    private static double maxRelativeDifference(TensorSeries[] ours, List<List<DerivativeStructure>> ref,
                                                MultiIndexSet set) {
        int M = set.size();
        int[][] alphas = new int[M][];
        for (int i = 0; i < M; i++) {
            alphas[i] = set.alpha(i);
        }
        double worst = 0;
        double[] a = new double[M];
        double[] b = new double[M];
        for (int p = 0; p < ours.length; p++) {
            for (int o = 0; o < ours[p].outputDim(); o++) {
                DerivativeStructure ds = ref.get(p).get(o);
                double scale = 1;
                for (int i = 0; i < M; i++) {
                    a[i] = ours[p].coefficient(o, i) * set.factorial(i);
                    b[i] = ds.getPartialDerivative(alphas[i]);
                    scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
                }
                for (int i = 0; i < M; i++) {
                    double diff = Math.abs(a[i] - b[i]) / scale;
                    if (!(diff <= worst)) {
                        worst = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                    }
                }
            }
        }
        return worst;
    }

    /** Runs the default configuration (d=4, m=4, n=4, 30 ops, 4096 points) and prints its RESULT line. */
    public static void main(String[] args) {
        Result r = new ExpandBenchmark().run(4, 4, 4, 30, 4096, 42L, SteadyState.Settings.of(10, 30, 15));
        System.out.println(r.describe());
        System.out.println(r.toLine());
    }
}
