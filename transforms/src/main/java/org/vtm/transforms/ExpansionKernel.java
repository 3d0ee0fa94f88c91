package org.vtm.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A pipeline of steps compiled once into a straight-line program over its expression DAG, for
 * batch expansion without per-operation allocation.
 *
 * <p>{@link #compile} runs the steps once over a tracing algebra that records every operation the
 * {@link BatchAlgebra} would perform, with the same constant folding (so the kernels called, and
 * therefore every rounding, are the same as on the interpreted path: results are bit-identical).
 * Operations whose result no output needs are dropped. Each remaining operation gets a block
 * ({@code [M][P]} doubles) by a linear-scan register allocation on the DAG: a block is reused
 * once the last operation reading its value has run, so a 30-operation program needs only as many
 * blocks as values are live at once. {@link Workspace}s hold the blocks and are reused across
 * chunks of points.
 *
 * <p>A branch ({@link Algebra#select}) with a constant side is special: when every point of a chunk
 * takes the constant side, the batch algebra's result is that constant, and later operations fold
 * it (other kernels run). A kernel is therefore compiled under an assumption per such branch
 * ({@link #MIXED} unless told otherwise); at run time the branch checks its assumption, and
 * {@link Workspace#run} reports a violated one so the caller can run the chunk again with the
 * variant compiled for the outcome it saw. A Java step ({@link Algebra#call}) cannot be traced:
 * {@link #compile} returns {@code null} and the caller uses the interpreted path.
 *
 * <p>Immutable after compilation and shareable between threads; a workspace is confined to one
 * thread.
 */
final class ExpansionKernel {

    private static final int VAR = 0;
    private static final int ADD = 1;
    private static final int ADD_CONST = 2;
    private static final int SUB = 3;
    private static final int SCALE = 4;
    private static final int MUL = 5;
    private static final int DIV = 6;
    private static final int CONST = 7;
    private static final int POW = 8;
    private static final int EXP = 9;
    private static final int APPLY = 10;
    private static final int SELECT = 11;
    /** Checks that every point takes one side of a branch whose result was assumed constant. */
    private static final int GUARD = 12;

    /** Branch outcomes a kernel variant can assume: points differ, all take "then", all take "otherwise". */
    static final int MIXED = 0;
    static final int ALL_THEN = 1;
    static final int ALL_OTHERWISE = 2;

    /** Thrown by the tracer for an operation it cannot compile. */
    private static final class Untraceable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Untraceable() {
            super(null, null, false, false);
        }
    }

    private final MultiIndexSet set;
    private final int inputDim;
    // the straight-line program, in execution order
    private final int[] op;
    private final int[] out;
    private final int[] a;
    private final int[] b;
    private final int[] c;
    private final int[] d;
    private final double[] k;
    /** The constant second comparison operand of SELECT / GUARD when b is -1. */
    private final double[] k2;
    /** SELECT / GUARD: which branch (ordinal among the trace's selects) the operation is. */
    private final int[] branch;
    /** SELECT: the constant sides (ALL_THEN | ALL_OTHERWISE bits); GUARD: the assumed outcome. */
    private final int[] flag;
    private final UnaryFunction[] f;
    private final Comparison[] cmp;
    /** Per output: its block, or -1 for a constant output (value in outputConstant). */
    private final int[] outputBlock;
    private final double[] outputConstant;
    private final int blocks;

    private ExpansionKernel(MultiIndexSet set, int inputDim, int[] op, int[] out, int[] a, int[] b, int[] c, int[] d,
                            double[] k, double[] k2, int[] branch, int[] flag, UnaryFunction[] f, Comparison[] cmp,
                            int[] outputBlock, double[] outputConstant, int blocks) {
        this.set = set;
        this.inputDim = inputDim;
        this.op = op;
        this.out = out;
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.k = k;
        this.k2 = k2;
        this.branch = branch;
        this.flag = flag;
        this.f = f;
        this.cmp = cmp;
        this.outputBlock = outputBlock;
        this.outputConstant = outputConstant;
        this.blocks = blocks;
    }

    /** The number of {@code [M][P]} blocks a workspace holds (the DAG's largest number of live values). */
    int blocks() {
        return blocks;
    }

    /**
     * Multiply-adds per point of one run, the cost model of the kernels: a truncated product (and
     * a quotient) costs {@code 1 + 2(M-1) + pairs}, {@code exp} {@code (M-1) + pairs}, an elementary
     * function by Horner {@code Σ_k Σ_{0<γ<end_k} (1 + pairs(γ))}, an addition or scaling {@code M};
     * copies, branches and the per-point univariate coefficients (transcendental calls) are not
     * counted.
     */
    double multiplyAddsPerPoint() {
        int M = set.size();
        int n = set.order();
        int[] start = set.pairStart();
        double product = 1 + 2.0 * (M - 1) + set.pairCount();
        double exp = (M - 1) + (double) set.pairCount();
        double horner = 0;
        for (int kk = n - 1; kk >= 0; kk--) {
            int end = set.countUpToDegree(n - kk);
            horner += (end - 1) + (double) (start[end] - start[1]);
        }
        double total = 0;
        for (int o : op) {
            switch (o) {
                case MUL: case DIV: total += product; break;
                case EXP: total += exp; break;
                case APPLY: case POW: total += horner; break;
                case ADD: case SUB: case SCALE: total += M; break;
                default: break;
            }
        }
        return total;
    }

    /** The number of operations executed per chunk. */
    int operations() {
        return op.length;
    }

    /**
     * Compiles {@code steps} (already checked to chain from {@code inputDim} inputs) for the series
     * space {@code set}, or returns {@code null} if a step cannot be traced.
     *
     * @throws IllegalStateException if a step returns a different number of values than it declares
     */
    static ExpansionKernel compile(List<? extends Step> steps, int inputDim, MultiIndexSet set) {
        return compile(steps, inputDim, set, java.util.Map.of());
    }

    /**
     * As {@link #compile(List, int, MultiIndexSet)} assuming the given outcome ({@link #ALL_THEN} or
     * {@link #ALL_OTHERWISE}) for the branches with a constant side listed in {@code assumptions}
     * (by ordinal among the trace's branches), {@link #MIXED} for the others.
     */
    static ExpansionKernel compile(List<? extends Step> steps, int inputDim, MultiIndexSet set,
                                   java.util.Map<Integer, Integer> assumptions) {
        Tracer tracer = new Tracer(assumptions);
        List<Node> values = new ArrayList<>(inputDim);
        for (int i = 0; i < inputDim; i++) {
            values.add(tracer.emit(VAR, -1, -1, -1, -1, i, null, null));
        }
        try {
            for (Step st : steps) {
                List<Node> next = st.apply(tracer, values);
                if (next == null || next.size() != st.outputDim()) {
                    throw new IllegalStateException("step " + st.text() + " returned "
                            + (next == null ? "null" : next.size() + " values") + ", declared " + st.outputDim());
                }
                values = next;
            }
        } catch (Untraceable e) {
            return null;
        }
        return tracer.allocate(set, inputDim, values);
    }

    /** A value of the trace: a constant, or the result of operation {@code id}. */
    private static final class Node {
        final int id;
        final double constant;

        Node(int id, double constant) {
            this.id = id;
            this.constant = constant;
        }

        boolean isConstant() {
            return id < 0;
        }
    }

    /** Records the operations {@link BatchAlgebra} would run, with its constant folding. */
    private static final class Tracer implements Algebra<Node> {
        final List<int[]> ops = new ArrayList<>(); // {op, a, b, c, d, branch}
        final List<double[]> consts = new ArrayList<>(); // {k, k2}
        final List<UnaryFunction> funcs = new ArrayList<>();
        final List<Comparison> cmps = new ArrayList<>();
        final java.util.Map<Integer, Integer> assumptions;
        int branches;

        Tracer(java.util.Map<Integer, Integer> assumptions) {
            this.assumptions = assumptions;
        }

        Node emit(int o, int x, int y, int z, int w, double kk, UnaryFunction fn, Comparison cp) {
            return emit(o, x, y, z, w, kk, 0, -1, 0, fn, cp);
        }

        Node emit(int o, int x, int y, int z, int w, double kk, double kk2, int br, int flag, UnaryFunction fn,
                  Comparison cp) {
            ops.add(new int[] {o, x, y, z, w, br, flag});
            consts.add(new double[] {kk, kk2});
            funcs.add(fn);
            cmps.add(cp);
            return new Node(ops.size() - 1, Double.NaN);
        }

        @Override
        public Node constant(double value) {
            return new Node(-1, value);
        }

        @Override
        public Node add(Node x, Node y) {
            if (x.isConstant() && y.isConstant()) {
                return constant(x.constant + y.constant);
            }
            if (x.isConstant() || y.isConstant()) {
                Node s = x.isConstant() ? y : x;
                double v = x.isConstant() ? x.constant : y.constant;
                return emit(ADD_CONST, s.id, -1, -1, -1, v, null, null);
            }
            return emit(ADD, x.id, y.id, -1, -1, 0, null, null);
        }

        @Override
        public Node sub(Node x, Node y) {
            if (x.isConstant() || y.isConstant()) {
                return add(x, neg(y));
            }
            return emit(SUB, x.id, y.id, -1, -1, 0, null, null);
        }

        @Override
        public Node mul(Node x, Node y) {
            if (x.isConstant() && y.isConstant()) {
                return constant(x.constant * y.constant);
            }
            if (x.isConstant() || y.isConstant()) {
                Node s = x.isConstant() ? y : x;
                double v = x.isConstant() ? x.constant : y.constant;
                return scale(v, s);
            }
            return emit(MUL, x.id, y.id, -1, -1, 0, null, null);
        }

        private Node scale(double v, Node s) {
            if (s.isConstant()) {
                return constant(v * s.constant);
            }
            return emit(SCALE, s.id, -1, -1, -1, v, null, null);
        }

        @Override
        public Node div(Node x, Node y) {
            if (y.isConstant()) {
                return x.isConstant() ? constant(x.constant / y.constant) : scale(1.0 / y.constant, x);
            }
            Node dense = x.isConstant() ? emit(CONST, -1, -1, -1, -1, x.constant, null, null) : x;
            return emit(DIV, dense.id, y.id, -1, -1, 0, null, null);
        }

        @Override
        public Node neg(Node x) {
            return scale(-1.0, x);
        }

        @Override
        public Node pow(Node x, double p) {
            if (x.isConstant()) {
                return constant(Math.pow(x.constant, p));
            }
            if (p == 1.0) {
                return x;
            }
            if (p == 2.0) {
                return mul(x, x);
            }
            return emit(POW, x.id, -1, -1, -1, p, null, null);
        }

        @Override
        public Node pow(Node x, Node y) {
            if (y.isConstant()) {
                return pow(x, y.constant);
            }
            return apply(UnaryFunction.EXP, mul(y, apply(UnaryFunction.LOG, x)));
        }

        @Override
        public Node apply(UnaryFunction fn, Node x) {
            SeriesChecks.notNull("function", fn);
            if (x.isConstant()) {
                return constant(fn.apply(x.constant));
            }
            if (fn == UnaryFunction.EXP) {
                return emit(EXP, x.id, -1, -1, -1, 0, null, null);
            }
            return emit(APPLY, x.id, -1, -1, -1, 0, fn, null);
        }

        @Override
        public Node select(Comparison cp, Node x, Node y, Node then, Node otherwise) {
            if (then == otherwise) {
                return then;
            }
            int br = branches++;
            // comparison operands: a block, or a constant carried in k / k2
            int xa = x.isConstant() ? -1 : x.id;
            int yb = y.isConstant() ? -1 : y.id;
            if (then.isConstant() || otherwise.isConstant()) {
                // the batch algebra returns a constant side itself when every point takes it, and later operations
                // fold it: compile for the assumed outcome and check it at run time
                int assumed = assumptions.getOrDefault(br, MIXED);
                if (assumed == ALL_THEN || assumed == ALL_OTHERWISE) {
                    emit(GUARD, xa, yb, -1, -1, x.constant, y.constant, br, assumed, null, cp);
                    return assumed == ALL_THEN ? then : otherwise;
                }
                int constantSides = (then.isConstant() ? ALL_THEN : 0) | (otherwise.isConstant() ? ALL_OTHERWISE : 0);
                then = then.isConstant() ? emit(CONST, -1, -1, -1, -1, then.constant, null, null) : then;
                otherwise = otherwise.isConstant() ? emit(CONST, -1, -1, -1, -1, otherwise.constant, null, null)
                        : otherwise;
                return emit(SELECT, xa, yb, then.id, otherwise.id, x.constant, y.constant, br, constantSides, null, cp);
            }
            return emit(SELECT, xa, yb, then.id, otherwise.id, x.constant, y.constant, -1, 0, null, cp);
        }

        @Override
        public List<Node> call(VarFunction fn, int outputDim, List<Node> inputs) {
            throw new Untraceable();
        }

        /** Drops dead operations and assigns blocks by liveness. */
        ExpansionKernel allocate(MultiIndexSet set, int inputDim, List<Node> outputs) {
            int count = ops.size();
            boolean[] live = new boolean[count];
            int[] lastUse = new int[count];
            Arrays.fill(lastUse, -1);
            for (Node o : outputs) {
                if (!o.isConstant()) {
                    live[o.id] = true;
                    lastUse[o.id] = Integer.MAX_VALUE;
                }
            }
            for (int i = 0; i < count; i++) {
                if (ops.get(i)[0] == GUARD) {
                    live[i] = true;
                }
            }
            // every operand id is smaller than its operation's: one backward pass finds the live set
            for (int i = count - 1; i >= 0; i--) {
                if (!live[i]) {
                    continue;
                }
                int[] e = ops.get(i);
                for (int j = 1; j <= 4; j++) {
                    int x = e[j];
                    if (x >= 0) {
                        live[x] = true;
                        lastUse[x] = Math.max(lastUse[x], i);
                    }
                }
            }
            int n = 0;
            for (boolean l : live) {
                if (l) {
                    n++;
                }
            }
            int[] opA = new int[n];
            int[] outA = new int[n];
            int[] aA = new int[n];
            int[] bA = new int[n];
            int[] cA = new int[n];
            int[] dA = new int[n];
            double[] kA = new double[n];
            double[] k2A = new double[n];
            int[] brA = new int[n];
            int[] flagA = new int[n];
            UnaryFunction[] fA = new UnaryFunction[n];
            Comparison[] cmpA = new Comparison[n];
            int[] block = new int[count];
            Arrays.fill(block, -1);
            int[] free = new int[count + 1];
            int freeCount = 0;
            int blocks = 0;
            int w = 0;
            for (int i = 0; i < count; i++) {
                if (!live[i]) {
                    continue;
                }
                int[] e = ops.get(i);
                // the result never shares a block with an operand (kernels read operands while writing)
                if (e[0] != GUARD) {
                    block[i] = freeCount > 0 ? free[--freeCount] : blocks++;
                }
                opA[w] = e[0];
                outA[w] = block[i];
                aA[w] = e[1] >= 0 ? block[e[1]] : -1;
                bA[w] = e[2] >= 0 ? block[e[2]] : -1;
                cA[w] = e[3] >= 0 ? block[e[3]] : -1;
                dA[w] = e[4] >= 0 ? block[e[4]] : -1;
                kA[w] = consts.get(i)[0];
                k2A[w] = consts.get(i)[1];
                brA[w] = e[5];
                flagA[w] = e[6];
                fA[w] = funcs.get(i);
                cmpA[w] = cmps.get(i);
                w++;
                for (int j = 1; j <= 4; j++) {
                    int x = e[j];
                    if (x >= 0 && lastUse[x] == i && !contains(e, j, x)) {
                        free[freeCount++] = block[x];
                    }
                }
                if (lastUse[i] < 0 && block[i] >= 0) {
                    free[freeCount++] = block[i];
                }
            }
            int[] outputBlock = new int[outputs.size()];
            double[] outputConstant = new double[outputs.size()];
            for (int o = 0; o < outputs.size(); o++) {
                Node node = outputs.get(o);
                outputBlock[o] = node.isConstant() ? -1 : block[node.id];
                outputConstant[o] = node.constant;
            }
            return new ExpansionKernel(set, inputDim, opA, outA, aA, bA, cA, dA, kA, k2A, brA, flagA, fA, cmpA, outputBlock,
                    outputConstant, blocks);
        }

        /** Whether operand slot {@code j}'s value {@code x} already appeared among slots 1..j-1 (freed once). */
        private static boolean contains(int[] e, int j, int x) {
            for (int i = 1; i < j; i++) {
                if (e[i] == x) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The blocks and scratch of one thread, for chunks of up to {@code capacity} points. */
    final class Workspace {
        final int capacity;
        final double[][] block;
        final double[] coefficients;
        final double[] scratch0;
        final double[] scratch1;
        final boolean[] mask;

        /** The kernel this workspace runs. */
        ExpansionKernel kernel() {
            return ExpansionKernel.this;
        }

        Workspace(int capacity) {
            this.capacity = capacity;
            int M = set.size();
            block = new double[blocks][M * capacity];
            int n = set.order();
            coefficients = new double[(n + 1) * capacity];
            scratch0 = new double[Math.max(1, set.countUpToDegree(n - 1)) * capacity];
            scratch1 = new double[scratch0.length];
            mask = new boolean[capacity];
        }

        /**
         * Expands the chunk whose inputs are {@code columns[i][p]} (variable {@code i} at point
         * {@code p < points}); afterwards output {@code o} is {@link #output(int)} with layout
         * {@code [M][points]}.
         *
         * @return -1, or {@code 4·branch + outcome} if a branch with a constant side did not have the
         *     outcome this variant assumed (the outputs are then meaningless)
         */
        int run(double[][] columns, int points) {
            if (points > capacity) {
                throw new IllegalArgumentException("chunk of " + points + " points, workspace holds " + capacity);
            }
            final int P = points;
            final int M = set.size();
            final int len = M * P;
            final int n = set.order();
            for (int i = 0; i < op.length; i++) {
                double[] r = out[i] < 0 ? null : block[out[i]];
                switch (op[i]) {
                    case VAR: {
                        int v = (int) k[i];
                        Arrays.fill(r, 0, len, 0.0);
                        System.arraycopy(columns[v], 0, r, 0, P);
                        if (n >= 1) {
                            Arrays.fill(r, set.unitIndex(v) * P, (set.unitIndex(v) + 1) * P, 1.0);
                        }
                        break;
                    }
                    case CONST:
                        Arrays.fill(r, 0, len, 0.0);
                        Arrays.fill(r, 0, P, k[i]);
                        break;
                    case ADD:
                        SeriesKernels.add(len, block[a[i]], block[b[i]], r);
                        break;
                    case ADD_CONST: {
                        double[] s = block[a[i]];
                        double v = k[i];
                        System.arraycopy(s, P, r, P, len - P);
                        for (int p = 0; p < P; p++) {
                            r[p] = s[p] + v;
                        }
                        break;
                    }
                    case SUB:
                        SeriesKernels.sub(len, block[a[i]], block[b[i]], r);
                        break;
                    case SCALE:
                        SeriesKernels.scale(len, k[i], block[a[i]], r);
                        break;
                    case MUL:
                        SeriesKernels.mul(set, P, block[a[i]], block[b[i]], r);
                        break;
                    case DIV:
                        SeriesKernels.div(set, P, block[a[i]], block[b[i]], r);
                        break;
                    case POW: {
                        double[] s = block[a[i]];
                        for (int q = 0; q < P; q++) {
                            UnivariateTaylor.power(s[q], k[i], n, coefficients, q, P);
                        }
                        SeriesKernels.horner(set, P, coefficients, s, r, scratch0, scratch1);
                        break;
                    }
                    case EXP:
                        SeriesKernels.exp(set, P, block[a[i]], r);
                        break;
                    case APPLY: {
                        double[] s = block[a[i]];
                        UnaryFunction fn = f[i];
                        for (int q = 0; q < P; q++) {
                            UnivariateTaylor.coefficients(fn, s[q], n, coefficients, q, P);
                        }
                        SeriesKernels.horner(set, P, coefficients, s, r, scratch0, scratch1);
                        break;
                    }
                    case SELECT: {
                        int outcome = select(i, P, len, r);
                        if ((flag[i] & outcome) != 0) {
                            // every point took a constant side: the batch algebra would return the constant
                            return 4 * branch[i] + outcome;
                        }
                        break;
                    }
                    case GUARD: {
                        int outcome = mask(i, P);
                        if (outcome != flag[i]) {
                            return 4 * branch[i] + outcome;
                        }
                        break;
                    }
                    default:
                        throw new AssertionError(op[i]);
                }
            }
            return -1;
        }

        /** Fills {@link #mask} for operation {@code i}; returns the outcome. */
        private int mask(int i, int P) {
            double[] x = a[i] < 0 ? null : block[a[i]];
            double[] y = b[i] < 0 ? null : block[b[i]];
            double xc = k[i];
            double yc = k2[i];
            Comparison cp = cmp[i];
            int taken = 0;
            for (int p = 0; p < P; p++) {
                mask[p] = cp.test(x == null ? xc : x[p], y == null ? yc : y[p]);
                if (mask[p]) {
                    taken++;
                }
            }
            return taken == P ? ALL_THEN : taken == 0 ? ALL_OTHERWISE : MIXED;
        }

        private int select(int i, int P, int len, double[] r) {
            double[] t = block[c[i]];
            double[] o = block[d[i]];
            int outcome = mask(i, P);
            if (outcome != MIXED) {
                System.arraycopy(outcome == ALL_THEN ? t : o, 0, r, 0, len);
                return outcome;
            }
            int M = len / P;
            for (int g = 0; g < M; g++) {
                int base = g * P;
                for (int p = 0; p < P; p++) {
                    r[base + p] = mask[p] ? t[base + p] : o[base + p];
                }
            }
            return outcome;
        }

        /** Output {@code o} after {@link #run}: its block, or {@code null} for a constant output. */
        double[] output(int o) {
            return outputBlock[o] < 0 ? null : block[outputBlock[o]];
        }

        /** The value of a constant output {@code o}. */
        double outputConstant(int o) {
            return outputConstant[o];
        }
    }

    Workspace workspace(int capacity) {
        return new Workspace(capacity);
    }

    int inputDim() {
        return inputDim;
    }
}
