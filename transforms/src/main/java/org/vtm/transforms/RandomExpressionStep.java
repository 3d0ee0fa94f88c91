package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded random expression DAG over {@code d} inputs with {@code m} outputs, for benchmarks and
 * property tests. Every operation is chosen so values stay finite for inputs of magnitude at most
 * {@code inputBound}: bounded squashers ({@code sin, cos, tanh, sigmoid}), {@code exp} only of
 * nodes whose bound is at most 3, products only while the bound product stays below {@code 1e4},
 * division only by {@code 1 + b²}, plus sums, differences and scaling by constants in
 * {@code [-2, 2]}. Operands favour recent nodes so the DAG is deep. The outputs are the last
 * {@code m} nodes. Same arguments, same step.
 */
public final class RandomExpressionStep implements Step {

    private enum Op { SIN, COS, TANH, SIGMOID, EXP, ADD, SUB, MUL, DIV_ONE_PLUS_SQUARE, SCALE, SHIFT }

    private static final Op[] OPS = Op.values();

    private final int inputDim;
    private final int outputDim;
    private final int operations;
    /** The operations drawn from the seed (more than {@link #operations} after {@link #pruned()}). */
    private final int drawnOperations;
    private final long seed;
    private final Op[] op;
    private final int[] left;
    private final int[] right;
    private final double[] constant;
    private final int[] outputs;

    private RandomExpressionStep(int inputDim, int outputDim, int operations, long seed, double inputBound) {
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.operations = operations;
        this.drawnOperations = operations;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        int nodes = inputDim + operations;
        op = new Op[operations];
        left = new int[operations];
        right = new int[operations];
        constant = new double[operations];
        double[] bound = new double[nodes];
        for (int i = 0; i < inputDim; i++) {
            bound[i] = inputBound;
        }
        for (int t = 0; t < operations; t++) {
            int available = inputDim + t;
            Op o = OPS[rng.nextInt(OPS.length)];
            int a = pick(rng, available);
            int b = pick(rng, available);
            double c = 0;
            double bd;
            switch (o) {
                case SIN: case COS: case TANH: case SIGMOID:
                    bd = 1.0;
                    break;
                case EXP:
                    if (bound[a] > 3.0) {
                        o = Op.TANH;
                        bd = 1.0;
                    } else {
                        bd = Math.exp(bound[a]);
                    }
                    break;
                case ADD: case SUB:
                    bd = bound[a] + bound[b];
                    break;
                case MUL:
                    if (bound[a] * bound[b] > 1e4) {
                        o = Op.ADD;
                        bd = bound[a] + bound[b];
                    } else {
                        bd = bound[a] * bound[b];
                    }
                    break;
                case DIV_ONE_PLUS_SQUARE:
                    bd = bound[a];
                    break;
                case SCALE:
                    c = rng.nextDouble(-2.0, 2.0);
                    bd = Math.abs(c) * bound[a];
                    break;
                case SHIFT:
                    c = rng.nextDouble(-2.0, 2.0);
                    bd = Math.abs(c) + bound[a];
                    break;
                default:
                    throw new AssertionError(o);
            }
            op[t] = o;
            left[t] = a;
            right[t] = b;
            constant[t] = c;
            bound[inputDim + t] = bd;
        }
        outputs = new int[outputDim];
        for (int i = 0; i < outputDim; i++) {
            // the last m nodes (inputs if there are fewer operations than outputs)
            outputs[i] = Math.max(0, nodes - outputDim + i) % nodes;
        }
    }

    private RandomExpressionStep(RandomExpressionStep full, boolean[] live) {
        this.inputDim = full.inputDim;
        this.outputDim = full.outputDim;
        this.seed = full.seed;
        int count = 0;
        for (boolean l : live) {
            if (l) {
                count++;
            }
        }
        this.operations = count;
        this.drawnOperations = full.drawnOperations;
        op = new Op[count];
        left = new int[count];
        right = new int[count];
        constant = new double[count];
        int[] index = new int[inputDim + full.operations];
        for (int i = 0; i < inputDim; i++) {
            index[i] = i;
        }
        int w = 0;
        for (int t = 0; t < full.operations; t++) {
            if (!live[t]) {
                continue;
            }
            op[w] = full.op[t];
            left[w] = index[full.left[t]];
            right[w] = usesRight(full.op[t]) ? index[full.right[t]] : 0;
            constant[w] = full.constant[t];
            index[inputDim + t] = inputDim + w;
            w++;
        }
        outputs = new int[outputDim];
        for (int i = 0; i < outputDim; i++) {
            outputs[i] = index[full.outputs[i]];
        }
    }

    private static boolean usesRight(Op o) {
        return o == Op.ADD || o == Op.SUB || o == Op.MUL || o == Op.DIV_ONE_PLUS_SQUARE;
    }

    /**
     * The same step without the operations no output depends on: the same values and derivatives,
     * computed by the same operations in the same order (so benchmarks can give every implementation
     * the same work, whether or not it eliminates dead code itself).
     */
    public RandomExpressionStep pruned() {
        boolean[] live = new boolean[operations];
        for (int o : outputs) {
            if (o >= inputDim) {
                live[o - inputDim] = true;
            }
        }
        for (int t = operations - 1; t >= 0; t--) {
            if (!live[t]) {
                continue;
            }
            int a = left[t];
            if (a >= inputDim) {
                live[a - inputDim] = true;
            }
            if (usesRight(op[t]) && right[t] >= inputDim) {
                live[right[t] - inputDim] = true;
            }
        }
        return new RandomExpressionStep(this, live);
    }

    private static int pick(SplittableRandom rng, int available) {
        if (rng.nextBoolean()) {
            return available - 1 - rng.nextInt(Math.min(3, available));
        }
        return rng.nextInt(available);
    }

    /**
     * A random step.
     *
     * @param inputDim {@code d >= 1}
     * @param outputDim {@code m >= 1}
     * @param operations the number of operation nodes ({@code >= 0})
     * @param seed the seed; the same arguments give the same step
     */
    public static RandomExpressionStep generate(int inputDim, int outputDim, int operations, long seed) {
        return generate(inputDim, outputDim, operations, seed, 2.0);
    }

    /** As {@link #generate(int, int, int, long)} for inputs bounded by {@code inputBound} in magnitude. */
    public static RandomExpressionStep generate(int inputDim, int outputDim, int operations, long seed,
                                                double inputBound) {
        SeriesChecks.dimension(inputDim);
        if (outputDim < 1) {
            throw new IllegalArgumentException("outputDim must be >= 1, got " + outputDim);
        }
        if (operations < 0) {
            throw new IllegalArgumentException("operations must be >= 0, got " + operations);
        }
        if (!(inputBound > 0) || Double.isInfinite(inputBound)) {
            throw new IllegalArgumentException("inputBound must be positive and finite, got " + inputBound);
        }
        return new RandomExpressionStep(inputDim, outputDim, operations, seed, inputBound);
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public int outputDim() {
        return outputDim;
    }

    /** The number of operation nodes. */
    public int operations() {
        return operations;
    }

    @Override
    public <T> List<T> apply(Algebra<T> algebra, List<T> inputs) {
        if (inputs.size() != inputDim) {
            throw new IllegalArgumentException("random expression expects " + inputDim + " inputs, got "
                    + inputs.size());
        }
        List<T> v = new ArrayList<>(inputDim + operations);
        v.addAll(inputs);
        for (int t = 0; t < operations; t++) {
            T a = v.get(left[t]);
            T b = v.get(right[t]);
            T r;
            switch (op[t]) {
                case SIN: r = algebra.apply(UnaryFunction.SIN, a); break;
                case COS: r = algebra.apply(UnaryFunction.COS, a); break;
                case TANH: r = algebra.apply(UnaryFunction.TANH, a); break;
                case SIGMOID: r = algebra.apply(UnaryFunction.SIGMOID, a); break;
                case EXP: r = algebra.apply(UnaryFunction.EXP, a); break;
                case ADD: r = algebra.add(a, b); break;
                case SUB: r = algebra.sub(a, b); break;
                case MUL: r = algebra.mul(a, b); break;
                case DIV_ONE_PLUS_SQUARE:
                    r = algebra.div(a, algebra.add(algebra.constant(1.0), algebra.mul(b, b)));
                    break;
                case SCALE: r = algebra.mul(algebra.constant(constant[t]), a); break;
                case SHIFT: r = algebra.add(a, algebra.constant(constant[t])); break;
                default: throw new AssertionError(op[t]);
            }
            v.add(r);
        }
        List<T> out = new ArrayList<>(outputDim);
        for (int o : outputs) {
            out.add(v.get(o));
        }
        return out;
    }

    @Override
    public String text() {
        return "<random expression d=" + inputDim + " m=" + outputDim + " ops=" + drawnOperations + " seed=" + seed
                + (operations == drawnOperations ? "" : ", pruned to " + operations + " live") + ">";
    }

    @Override
    public String toString() {
        return text();
    }
}
