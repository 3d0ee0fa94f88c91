package org.vtm.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The region check by output groups on their own variables: the outputs of a pipeline are grouped by
 * the variables their expression DAG reaches (its <em>support</em>), and each group is expanded as a
 * program of only those variables, with {@code C(s+n, n)} coefficients instead of {@code C(d+n, n)}.
 *
 * <p><b>Why the answer is unchanged.</b> (1) Coefficients on the support: the canonical order (degree,
 * then lexicographically descending) and the product table's pair order (an odometer, first variable
 * fastest) restricted to multi-indices supported on a variable set {@code S} are exactly the order
 * and pairs of the set for {@code |S|} variables; every kernel computes a coefficient from the
 * coefficients below it through those pairs and the degrees, and the pairs of a multi-index supported on
 * {@code S} are themselves supported on {@code S}. The operations of a group's DAG are the full
 * program's (the variables outside {@code S} feed only operations no output of the group needs, which
 * are dropped), so every coefficient on the support is bit-identical to the full expansion's. (2) The
 * other coefficients of a group's outputs are, in the full expansion, sums of products with a factor
 * that is zero by structure: exactly zero when every coefficient they multiply is finite, which passes
 * any positive limit. If one is not finite (an infinite or NaN coefficient on the support, or an
 * infinite univariate coefficient or reciprocal), it makes a coefficient on the support of every value
 * computed from it non-finite too (a product, quotient, function or sum with it is infinite or NaN in the
 * term with the other factor's constant, or the first-order term), up to the outputs, so both checks
 * reject. A branch takes the whole series of one side per point, so what it drops it drops in both.
 * {@code RegionCheckTest} compares the answers with full expansion.
 */
final class SupportSplit {

    private SupportSplit() {
    }

    /** Variables (bit masks) each output of {@code steps} reaches; null if a step cannot be analysed. */
    static long[] outputSupports(List<? extends Step> steps, int inputDim) {
        if (inputDim > 63) {
            return null;
        }
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < inputDim; i++) {
            values.add(1L << i);
        }
        try {
            for (Step s : steps) {
                values = s.apply(SUPPORT, values);
            }
        } catch (UnsupportedOperationException e) {
            return null;
        }
        long[] out = new long[values.size()];
        for (int o = 0; o < out.length; o++) {
            out[o] = values.get(o);
        }
        return out;
    }

    /**
     * The outputs grouped by support (a support with no variable joins variable 0), in order of first
     * appearance; null if the split saves nothing (a single group on all variables) or cannot be made.
     */
    static Map<Long, List<Integer>> groups(List<? extends Step> steps, int inputDim) {
        long[] supports = outputSupports(steps, inputDim);
        if (supports == null) {
            return null;
        }
        Map<Long, List<Integer>> groups = new LinkedHashMap<>();
        long all = inputDim == 64 ? -1L : (1L << inputDim) - 1;
        boolean saves = false;
        for (int o = 0; o < supports.length; o++) {
            long s = supports[o] == 0 ? 1L : supports[o];
            saves |= s != all;
            groups.computeIfAbsent(s, k -> new ArrayList<>()).add(o);
        }
        return saves ? groups : null;
    }

    /** The pipeline as one step of the variables in {@code support}, returning {@code outputs}. */
    static Step restricted(List<? extends Step> steps, int inputDim, long support, List<Integer> outputs) {
        int[] variables = new int[Long.bitCount(support)];
        for (int i = 0, k = 0; i < inputDim; i++) {
            if ((support >>> i & 1L) != 0) {
                variables[k++] = i;
            }
        }
        return new Step() {
            @Override
            public int inputDim() {
                return variables.length;
            }

            @Override
            public int outputDim() {
                return outputs.size();
            }

            @Override
            public <T> List<T> apply(Algebra<T> algebra, List<T> inputs) {
                List<T> full = new ArrayList<>(inputDim);
                T unused = algebra.constant(0.0); // reaches no output of the group
                for (int i = 0; i < inputDim; i++) {
                    full.add(unused);
                }
                for (int k = 0; k < variables.length; k++) {
                    full.set(variables[k], inputs.get(k));
                }
                List<T> values = full;
                for (Step s : steps) {
                    values = s.apply(algebra, values);
                }
                List<T> out = new ArrayList<>(outputs.size());
                for (int o : outputs) {
                    out.add(values.get(o));
                }
                return out;
            }

            @Override
            public String text() {
                return "<outputs " + outputs + " of " + steps + " on variables " + java.util.Arrays.toString(variables) + ">";
            }
        };
    }

    /** {@code points} on the variables of {@code support} only. */
    static double[][] project(double[][] points, long support, int from, int to) {
        int s = Long.bitCount(support);
        double[][] out = new double[to - from][s];
        for (int p = from; p < to; p++) {
            for (int i = 0, k = 0; k < s; i++) {
                if ((support >>> i & 1L) != 0) {
                    out[p - from][k++] = points[p][i];
                }
            }
        }
        return out;
    }

    /** Values are the variables they depend on; a branch depends on its comparison's and both sides' variables. */
    private static final Algebra<Long> SUPPORT = new Algebra<>() {
        @Override
        public Long constant(double c) {
            return 0L;
        }

        @Override
        public Long add(Long a, Long b) {
            return a | b;
        }

        @Override
        public Long sub(Long a, Long b) {
            return a | b;
        }

        @Override
        public Long mul(Long a, Long b) {
            return a | b;
        }

        @Override
        public Long div(Long a, Long b) {
            return a | b;
        }

        @Override
        public Long neg(Long a) {
            return a;
        }

        @Override
        public Long pow(Long a, double p) {
            return a;
        }

        @Override
        public Long pow(Long a, Long b) {
            return a | b;
        }

        @Override
        public Long apply(UnaryFunction f, Long a) {
            return a;
        }

        @Override
        public Long select(Comparison cmp, Long a, Long b, Long then, Long otherwise) {
            return a | b | then | otherwise;
        }

        @Override
        public List<Long> call(VarFunction f, int outputDim, List<Long> inputs) {
            throw new UnsupportedOperationException("a Java step is not analysed");
        }
    };
}
