package org.vtm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.vtm.evaluation.bench.DerivativeStructureAlgebra;
import org.vtm.transforms.Expander;
import org.vtm.transforms.RandomExpressionStep;
import org.vtm.transforms.Step;
import org.vtm.transforms.TensorSeries;

/**
 * Expansion of one seeded random 30-operation program (d = 4, m = 4; the operations its outputs
 * depend on, as in {@code vtm bench expand}) over a block of points:
 * VTM's batched kernels against Hipparchus {@code DerivativeStructure} on the same program and
 * points. One benchmark operation expands {@link #points} points; divide rates and allocation by
 * it for per-point figures ({@code bench/jmh} prints them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpandJmh {

    @Param({"2", "4", "6", "8"})
    public int order;

    /** Points per operation: fewer at n = 8, where Hipparchus needs milliseconds per point. */
    public int points;

    private List<Step> steps;
    private Step step;
    private double[][] pts;
    private DerivativeStructureAlgebra algebra;

    @Setup
    public void setUp() {
        points = order >= 8 ? 256 : 2048;
        step = RandomExpressionStep.generate(4, 4, 30, 42L).pruned();
        steps = List.of(step);
        SplittableRandom rng = new SplittableRandom(42L ^ 0x5DEECE66DL);
        pts = new double[points][4];
        for (double[] p : pts) {
            for (int i = 0; i < 4; i++) {
                p[i] = rng.nextDouble(-1.0, 1.0);
            }
        }
        algebra = new DerivativeStructureAlgebra(4, order);
    }

    @Benchmark
    public TensorSeries[] vtm() {
        return Expander.expand(steps, pts, order);
    }

    @Benchmark
    public void hipparchus(Blackhole bh) {
        for (double[] p : pts) {
            List<DerivativeStructure> in = new ArrayList<>(4);
            for (int i = 0; i < 4; i++) {
                in.add(algebra.factory().variable(i, p[i]));
            }
            bh.consume(step.apply(algebra, in));
        }
    }
}
