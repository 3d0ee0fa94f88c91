package org.vtm.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands programs: runs their steps over {@link BatchAlgebra}, so a block of points is expanded
 * by one pass of flat kernels per operation. Points are processed in chunks of
 * {@link #DEFAULT_CHUNK} to keep the working set in cache. Steps that can be traced are first
 * compiled into an {@link ExpansionKernel} (the same kernels in the same order, bit-identical,
 * with blocks reused by liveness instead of one fresh array per operation).
 */
public final class Expander {

    /** The largest number of points per kernel block. */
    public static final int DEFAULT_CHUNK = 256;

    /** The smallest number of points per kernel block (below it, per-pair loop overhead dominates). */
    static final int MIN_CHUNK = 32;

    /** Target size of one series block, so the few blocks an operation touches stay in L2. */
    static final int TARGET_BLOCK_BYTES = 256 * 1024;

    private Expander() {
    }

    /** The expansion {@code e^{h∂}_n P} at one point. */
    public static TensorSeries expand(Program program, double[] point, int order) {
        SeriesChecks.notNull("point", point);
        return expand(program, new double[][] {point}, order)[0];
    }

    /** The expansions of {@code program} at every point (batched kernel). */
    public static TensorSeries[] expand(Program program, double[][] points, int order) {
        SeriesChecks.notNull("program", program);
        return expand(program.steps(), program.inputDim(), program.outputDim(), points, order);
    }

    /** The expansion of a pipeline of steps at one point. */
    public static TensorSeries expand(List<? extends Step> steps, double[] point, int order) {
        SeriesChecks.notNull("point", point);
        return expand(steps, new double[][] {point}, order)[0];
    }

    /** The expansions of a pipeline of steps at every point (batched kernel). */
    public static TensorSeries[] expand(List<? extends Step> steps, double[][] points, int order) {
        SeriesChecks.notNull("steps", steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a program needs at least one step");
        }
        return expand(steps, steps.get(0).inputDim(), steps.get(steps.size() - 1).outputDim(), points, order);
    }

    /**
     * Whether every coefficient of the expansions of {@code program} at all {@code points} is at
     * most {@code limit} in magnitude (false for NaN): the same answer as checking every coefficient
     * of {@link #expand(Program, double[][], int)}, but the points are expanded chunk by chunk and
     * the first chunk with an offending coefficient ends the work (a rejection test costs little
     * when it fails), and no per-point series are built. The first chunk has
     * {@link #FIRST_CHECK_CHUNK} points and the chunks double from there.
     */
    public static boolean allCoefficientsWithin(Program program, double[][] points, int order, double limit) {
        SeriesChecks.notNull("program", program);
        SeriesChecks.notNull("points", points);
        int inputDim = program.inputDim();
        Map<Long, List<Integer>> groups = points.length == 0 ? null : SupportSplit.groups(program.steps(), inputDim);
        if (groups == null) {
            return pointsExpandedUntilRejection(program, points, order, limit) < 0;
        }
        for (double[] p : points) {
            if (p == null || p.length != inputDim) {
                return pointsExpandedUntilRejection(program, points, order, limit) < 0; // its message
            }
        }
        // outputs grouped by the variables they reach, each group expanded on those variables only (the same
        // answer: SupportSplit); every group first at the first points, where most rejections are found
        List<Program> parts = new ArrayList<>();
        for (Map.Entry<Long, List<Integer>> g : groups.entrySet()) {
            parts.add(Program.of(List.of(SupportSplit.restricted(program.steps(), inputDim, g.getKey(), g.getValue()))));
        }
        List<Long> supports = new ArrayList<>(groups.keySet());
        int first = Math.min(points.length, SPLIT_FIRST_POINTS);
        for (int[] range : new int[][] {{0, first}, {first, points.length}}) {
            if (range[0] == range[1]) {
                continue;
            }
            for (int k = 0; k < parts.size(); k++) {
                double[][] own = SupportSplit.project(points, supports.get(k), range[0], range[1]);
                if (pointsExpandedUntilRejection(parts.get(k), own, order, limit) >= 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Points every output group of the split region check expands before any group expands the rest. */
    static final int SPLIT_FIRST_POINTS = 64;

    /**
     * {@link #allCoefficientsWithin}'s work: -1 if every coefficient is within {@code limit},
     * otherwise the number of points (a prefix of {@code points}) expanded when an offending
     * coefficient was found.
     */
    static int pointsExpandedUntilRejection(Program program, double[][] points, int order, double limit) {
        SeriesChecks.notNull("program", program);
        SeriesChecks.notNull("points", points);
        List<Step> steps = program.steps();
        int inputDim = program.inputDim();
        MultiIndexSet set = MultiIndexSet.of(inputDim, order);
        for (double[] p : points) {
            if (p == null || p.length != inputDim) {
                // the same message as expand
                expand(steps, inputDim, program.outputDim(), points, order);
            }
        }
        if (points.length == 0) {
            return -1;
        }
        int chunk = Math.min(chunkFor(set.size()), points.length);
        ExpansionKernel kernel = ExpansionKernel.compile(steps, inputDim, set);
        if (kernel != null) {
            int M = set.size();
            int outputDim = program.outputDim();
            boolean[] within = {true};
            int[] expanded = {0};
            // the first chunks are small and grow: a program that fails usually fails at its first points, and
            // the answer does not depend on the chunks (every point's expansion is the same bits in any chunk)
            expandCompiled(steps, kernel, set, points, Math.min(FIRST_CHECK_CHUNK, chunk), chunk, (ws, start, P) -> {
                expanded[0] = start + P;
                for (int o = 0; o < outputDim && within[0]; o++) {
                    double[] src = ws.output(o);
                    if (src == null) {
                        within[0] = Math.abs(ws.outputConstant(o)) <= limit;
                        continue;
                    }
                    for (int i = 0, n = M * P; i < n; i++) {
                        if (!(Math.abs(src[i]) <= limit)) {
                            within[0] = false;
                            break;
                        }
                    }
                }
                return within[0];
            });
            return within[0] ? -1 : expanded[0];
        }
        for (int start = 0; start < points.length; start += chunk) {
            int end = Math.min(points.length, start + chunk);
            double[][] part = java.util.Arrays.copyOfRange(points, start, end);
            for (TensorSeries s : expand(steps, inputDim, program.outputDim(), part, order, chunk)) {
                for (double x : s.rawCoefficients()) {
                    if (!(Math.abs(x) <= limit)) {
                        return end;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * The multiply-adds per point the compiled kernel of {@code steps} performs at {@code order}
     * (the kernels' cost model, for benchmarks), or {@code NaN} if the steps cannot be compiled.
     */
    public static double multiplyAddsPerPoint(List<? extends Step> steps, int order) {
        SeriesChecks.notNull("steps", steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a program needs at least one step");
        }
        int inputDim = steps.get(0).inputDim();
        ExpansionKernel k = ExpansionKernel.compile(steps, inputDim, MultiIndexSet.of(inputDim, order));
        return k == null ? Double.NaN : k.multiplyAddsPerPoint();
    }

    /** Points per block for {@code M} coefficients: a power of two in [MIN_CHUNK, DEFAULT_CHUNK]. */
    static int chunkFor(double coefficients) {
        int chunk = DEFAULT_CHUNK;
        while (chunk > MIN_CHUNK && chunk * coefficients * 8 > TARGET_BLOCK_BYTES) {
            chunk /= 2;
        }
        return chunk;
    }

    /**
     * As {@link #expand(List, double[][], int)} with an explicit number of points per kernel block
     * (a tuning knob: larger blocks amortize per-operation overhead, smaller ones stay in cache).
     */
    public static TensorSeries[] expand(List<? extends Step> steps, double[][] points, int order, int chunk) {
        SeriesChecks.notNull("steps", steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a program needs at least one step");
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1 point, got " + chunk);
        }
        return expand(steps, steps.get(0).inputDim(), steps.get(steps.size() - 1).outputDim(), points, order,
                chunk);
    }

    private static TensorSeries[] expand(List<? extends Step> steps, int inputDim, int outputDim,
                                         double[][] points, int order) {
        return expand(steps, inputDim, outputDim, points, order, chunkFor(MultiIndexSet.sizeOf(inputDim, order)));
    }

    private static TensorSeries[] expand(List<? extends Step> steps, int inputDim, int outputDim,
                                         double[][] points, int order, int chunk) {
        return expand(steps, inputDim, outputDim, points, order, chunk, true);
    }

    /**
     * The interpreted path only (every operation through {@link BatchAlgebra}, a fresh block per
     * operation): the reference the compiled kernel is tested against.
     */
    static TensorSeries[] expandInterpreted(List<? extends Step> steps, double[][] points, int order, int chunk) {
        return expand(steps, steps.get(0).inputDim(), steps.get(steps.size() - 1).outputDim(), points, order, chunk,
                false);
    }

    private static TensorSeries[] expand(List<? extends Step> steps, int inputDim, int outputDim,
                                         double[][] points, int order, int chunk, boolean compile) {
        SeriesChecks.notNull("points", points);
        SeriesChecks.order(order);
        int dim = inputDim;
        for (int s = 0; s < steps.size(); s++) {
            Step st = steps.get(s);
            if (st.inputDim() != dim) {
                throw new IllegalArgumentException("step " + s + " (" + st.text() + ") expects " + st.inputDim()
                        + " inputs, the previous step gives " + dim);
            }
            dim = st.outputDim();
        }
        if (dim != outputDim) {
            throw new IllegalArgumentException("the last step gives " + dim + " outputs, the program declares "
                    + outputDim);
        }
        for (int p = 0; p < points.length; p++) {
            if (points[p] == null || points[p].length != inputDim) {
                throw new IllegalArgumentException("dimension mismatch: program expects " + inputDim
                        + " inputs, point " + p + " has " + (points[p] == null ? "null" : points[p].length));
            }
        }
        MultiIndexSet set = MultiIndexSet.of(inputDim, order);
        int M = set.size();
        TensorSeries[] result = new TensorSeries[points.length];
        ExpansionKernel kernel = !compile || points.length == 0 ? null : ExpansionKernel.compile(steps, inputDim, set);
        if (kernel != null) {
            int c = Math.min(chunk, points.length);
            expandCompiled(steps, kernel, set, points, c, c,
                (ws, start, P) -> {
                    collect(ws, set, outputDim, points, start, P, result);
                    return true;
                });
            return result;
        }
        for (int start = 0; start < points.length; start += chunk) {
            int P = Math.min(chunk, points.length - start);
            BatchAlgebra algebra = new BatchAlgebra(set, P);
            List<SeriesBatch> values = new ArrayList<>(inputDim);
            double[] column = new double[P];
            for (int i = 0; i < inputDim; i++) {
                for (int p = 0; p < P; p++) {
                    column[p] = points[start + p][i];
                }
                values.add(algebra.variable(i, column));
            }
            for (Step st : steps) {
                List<SeriesBatch> next = st.apply(algebra, values);
                if (next == null || next.size() != st.outputDim()) {
                    throw new IllegalStateException("step " + st.text() + " returned "
                            + (next == null ? "null" : next.size() + " values") + ", declared " + st.outputDim());
                }
                values = next;
            }
            double[][] outs = new double[outputDim][];
            for (int o = 0; o < outputDim; o++) {
                outs[o] = values.get(o).dense();
            }
            // transpose [M][P] blocks to per-point output-major arrays, reading sequentially
            double[][] cs = new double[P][outputDim * M];
            for (int o = 0; o < outputDim; o++) {
                double[] src = outs[o];
                for (int g = 0; g < M; g++) {
                    int col = o * M + g;
                    int row = g * P;
                    for (int p = 0; p < P; p++) {
                        cs[p][col] = src[row + p];
                    }
                }
            }
            for (int p = 0; p < P; p++) {
                result[start + p] = TensorSeries.wrap(points[start + p].clone(), outputDim, set, cs[p]);
            }
        }
        return result;
    }

    /**
     * The compiled path: one workspace for all chunks, no allocation per operation. A chunk whose
     * branches with a constant side come out differently than the kernel assumed runs again with the
     * variant compiled for what it saw (variants are kept for the following chunks).
     */
    /** Receives each expanded chunk; returns false to stop. */
    private interface ChunkSink {
        boolean accept(ExpansionKernel.Workspace ws, int start, int points);
    }

    /**
     * Runs the compiled kernel over {@code points} in chunks of {@code firstChunk} points, doubling up
     * to {@code chunk}, handing each to {@code sink}.
     */
    private static void expandCompiled(List<? extends Step> steps, ExpansionKernel kernel, MultiIndexSet set,
                                       double[][] points, int firstChunk, int chunk, ChunkSink sink) {
        int inputDim = set.dim();
        Map<Map<Integer, Integer>, ExpansionKernel.Workspace> variants = new HashMap<>();
        Map<Integer, Integer> assumptions = Map.of();
        // workspaces first hold only the first chunk: a check rejected there (most rejections) then allocates
        // and clears a few points' blocks, not a full chunk's (at d = 8, n = 4 about 20 blocks of 250 KB)
        int capacity = firstChunk;
        ExpansionKernel.Workspace ws = kernel.workspace(capacity);
        variants.put(assumptions, ws);
        double[][] columns = new double[inputDim][chunk];
        int size = firstChunk;
        for (int start = 0; start < points.length; start += size, size = Math.min(chunk, 2 * size)) {
            int P = Math.min(size, points.length - start);
            if (P > capacity) {
                capacity = chunk;
                final int grown = capacity;
                variants.replaceAll((known, small) -> small.kernel().workspace(grown));
                ws = variants.get(assumptions);
            }
            for (int i = 0; i < inputDim; i++) {
                double[] column = columns[i];
                for (int p = 0; p < P; p++) {
                    column[p] = points[start + p][i];
                }
            }
            for (int attempt = 0; ; attempt++) {
                int violated = ws.run(columns, P);
                if (violated < 0) {
                    break;
                }
                if (attempt > MAX_VARIANT_ATTEMPTS) {
                    throw new IllegalStateException("branch outcomes of " + steps + " do not settle");
                }
                Map<Integer, Integer> next = new HashMap<>(assumptions);
                next.put(violated / 4, violated % 4);
                assumptions = Map.copyOf(next);
                ExpansionKernel.Workspace known = variants.get(assumptions);
                if (known == null) {
                    ExpansionKernel variant = ExpansionKernel.compile(steps, inputDim, set, assumptions);
                    known = variant.workspace(capacity);
                    variants.put(assumptions, known);
                }
                ws = known;
            }
            if (!sink.accept(ws, start, P)) {
                return;
            }
        }
    }

    /** Builds the per-point series of one expanded chunk. */
    private static void collect(ExpansionKernel.Workspace ws, MultiIndexSet set, int outputDim, double[][] points,
                                int start, int P, TensorSeries[] result) {
        int M = set.size();
        double[][] cs = new double[P][outputDim * M];
        for (int o = 0; o < outputDim; o++) {
            double[] src = ws.output(o);
            if (src == null) {
                double v = ws.outputConstant(o);
                for (int p = 0; p < P; p++) {
                    cs[p][o * M] = v;
                }
                continue;
            }
            // transpose the [M][P] block to per-point output-major arrays, in tiles of TILE points so
            // both the reads (TILE consecutive doubles per row) and the writes (TILE arrays) stream
            for (int p0 = 0; p0 < P; p0 += TILE) {
                int p1 = Math.min(P, p0 + TILE);
                for (int g = 0; g < M; g++) {
                    int col = o * M + g;
                    int row = g * P;
                    for (int p = p0; p < p1; p++) {
                        cs[p][col] = src[row + p];
                    }
                }
            }
        }
        for (int p = 0; p < P; p++) {
            result[start + p] = TensorSeries.wrap(points[start + p].clone(), outputDim, set, cs[p]);
        }
    }

    /** Re-runs of one chunk with other branch assumptions before giving up (each fixes one branch). */
    private static final int MAX_VARIANT_ATTEMPTS = 1000;

    /**
     * Points in the first chunk of {@link #allCoefficientsWithin} (the chunks double from there): a
     * rejected program then costs a few points' expansion instead of a full chunk's.
     */
    static final int FIRST_CHECK_CHUNK = 4;

    /** Points per tile of the output transposition. */
    private static final int TILE = 8;

}
