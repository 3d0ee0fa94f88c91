package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands programs: runs their steps over {@link BatchAlgebra}, so a block of points is expanded
 * by one pass of flat kernels per operation. Points are processed in chunks of
 * {@link #DEFAULT_CHUNK} to keep the working set in cache.
 */
public final class Expander {

    /** Points per kernel block. */
    public static final int DEFAULT_CHUNK = 256;

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

    private static TensorSeries[] expand(List<? extends Step> steps, int inputDim, int outputDim,
                                         double[][] points, int order) {
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
        for (int start = 0; start < points.length; start += DEFAULT_CHUNK) {
            int P = Math.min(DEFAULT_CHUNK, points.length - start);
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
            for (int p = 0; p < P; p++) {
                double[] c = new double[outputDim * M];
                for (int o = 0; o < outputDim; o++) {
                    double[] src = outs[o];
                    int ob = o * M;
                    for (int g = 0; g < M; g++) {
                        c[ob + g] = src[g * P + p];
                    }
                }
                result[start + p] = TensorSeries.wrap(points[start + p].clone(), outputDim, set, c);
            }
        }
        return result;
    }

}
