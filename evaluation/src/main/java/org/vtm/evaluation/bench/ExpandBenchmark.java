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
 * an agreement check of every derivative.
 */
public final class ExpandBenchmark {

    /** The agreement both implementations must reach (norm-wise relative, per point and output). */
    public static final double AGREEMENT = 1e-12;

    /** One measurement. */
    public static final class Result {
        private final int dim;
        private final int outputs;
        private final int order;
        private final int ops;
        private final int points;
        private final double pointsPerSecond;
        private final double hipparchusPointsPerSecond;
        private final double maxRelativeDifference;

        Result(int dim, int outputs, int order, int ops, int points, double pointsPerSecond,
               double hipparchusPointsPerSecond, double maxRelativeDifference) {
            this.dim = dim;
            this.outputs = outputs;
            this.order = order;
            this.ops = ops;
            this.points = points;
            this.pointsPerSecond = pointsPerSecond;
            this.hipparchusPointsPerSecond = hipparchusPointsPerSecond;
            this.maxRelativeDifference = maxRelativeDifference;
        }

        /** Expansions per second of our batched kernel. */
        public double pointsPerSecond() {
            return pointsPerSecond;
        }

        /** Expansions per second of Hipparchus DerivativeStructure. */
        public double hipparchusPointsPerSecond() {
            return hipparchusPointsPerSecond;
        }

        public double ratio() {
            return pointsPerSecond / hipparchusPointsPerSecond;
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

        /** {@code RESULT expand points_per_s=<x> hipparchus_points_per_s=<y> ratio=<x/y>}. */
        public String toLine() {
            return String.format(Locale.ROOT, "RESULT expand points_per_s=%.1f hipparchus_points_per_s=%.1f ratio=%.3f",
                    pointsPerSecond, hipparchusPointsPerSecond, ratio());
        }

        /** The configuration and the agreement, for logs. */
        public String describe() {
            return String.format(Locale.ROOT,
                    "d=%d m=%d n=%d ops=%d points=%d max_rel_diff=%.3e agrees=%s", dim, outputs, order, ops,
                    points, maxRelativeDifference, agrees());
        }

        @Override
        public String toString() {
            return toLine() + " (" + describe() + ")";
        }
    }

    /**
     * Times both implementations.
     *
     * @param dim inputs {@code d}
     * @param outputs outputs {@code m}
     * @param order expansion order {@code n}
     * @param ops operations in the random step
     * @param points number of points (uniform in {@code [-1, 1]^d})
     * @param seed seeds the step and the points
     * @param warmupRounds untimed rounds of each (JIT warm-up)
     * @param rounds timed rounds of each
     */
    public Result run(int dim, int outputs, int order, int ops, int points, long seed, int warmupRounds,
                      int rounds) {
        if (dim < 1 || outputs < 1 || order < 0 || ops < 0 || points < 1 || warmupRounds < 0 || rounds < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need dim>=1, outputs>=1, order>=0, ops>=0, points>=1, warmupRounds>=0, rounds>=1; got"
                            + " dim=%d outputs=%d order=%d ops=%d points=%d warmupRounds=%d rounds=%d",
                    dim, outputs, order, ops, points, warmupRounds, rounds));
        }
        Step step = RandomExpressionStep.generate(dim, outputs, ops, seed);
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

        double sink = 0;
        for (int r = 0; r < warmupRounds; r++) {
            sink += Expander.expand(steps, pts, order)[0].coefficient(0, 0);
            sink += hipparchus(step, algebra, pts).get(0).get(0).getValue();
        }
        long oursNanos = 0;
        long theirsNanos = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            sink += Expander.expand(steps, pts, order)[0].coefficient(0, 0);
            long t1 = System.nanoTime();
            sink += hipparchus(step, algebra, pts).get(0).get(0).getValue();
            long t2 = System.nanoTime();
            oursNanos += t1 - t0;
            theirsNanos += t2 - t1;
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("benchmark produced NaN values for " + step.text());
        }
        double total = (double) points * rounds;
        return new Result(dim, outputs, order, ops, points, total / (oursNanos * 1e-9), total / (theirsNanos * 1e-9),
                maxRel);
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

    /**
     * Runs the target configuration (d=4, m=4, n=4, 30 ops, 4096 points) and the order scaling
     * n = 2, 6, 8 (512 points at n = 8), or the orders given as arguments; prints one
     * {@code RESULT} line each.
     */
    public static void main(String[] args) {
        ExpandBenchmark bench = new ExpandBenchmark();
        int[] orders = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {4, 2, 6, 8};
        for (int n : orders) {
            // Hipparchus needs ~6 ms per point at n = 8: fewer points and rounds keep the run short
            int points = n >= 8 ? 512 : 4096;
            int rounds = n >= 8 ? 3 : 10;
            Result r = bench.run(4, 4, n, 30, points, 42L, n >= 8 ? 2 : 5, rounds);
            System.out.println(r.toLine() + " " + r.describe());
        }
    }
}
