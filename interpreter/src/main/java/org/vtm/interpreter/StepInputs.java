package org.vtm.interpreter;

import java.util.List;
import org.vtm.datagen.PrefixExpansions;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;

/**
 * The per-step inputs of a program at a point, computed by the corpus generator's own
 * {@link PrefixExpansions}: the point
 * {@code v_t} each step runs at, and the prefix expansion {@code a_t} of {@code p_t∘…∘p_0} at
 * {@code v0} by composing step expansions, in scaled coordinates ({@code c[out][α]·r^|α|}).
 *
 * @param stepPoints {@code [k][d]}
 * @param prefixExpansion {@code [k][d·M]}, output-major
 */
public record StepInputs(double[][] stepPoints, double[][] prefixExpansion) {

    /** Computes the inputs of every step prefix of {@code program}. */
    public static StepInputs of(Program program, double[] point, double radius, int order) {
        int d = point.length;
        if (program.inputDim() != d || program.outputDim() != d) {
            throw new IllegalArgumentException("the learned interpreter handles programs R^" + d + " -> R^" + d
                    + "; this program maps R^" + program.inputDim() + " -> R^" + program.outputDim());
        }
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be positive and finite, got " + radius);
        }
        List<org.vtm.transforms.Step> steps = program.steps();
        int k = steps.size();
        for (int t = 0; t < k; t++) {
            Program step = Program.of(List.of(steps.get(t)));
            if (step.inputDim() != d || step.outputDim() != d) {
                throw new IllegalArgumentException("step " + t + " maps R^" + step.inputDim() + " -> R^"
                        + step.outputDim() + "; every step must map R^" + d + " -> R^" + d);
            }
        }
        double[][] points = new double[k][];
        double[][] prefix = new double[k][];
        PrefixExpansions walk = new PrefixExpansions(program, point, radius, order);
        for (int t = 0; t < k; t++) {
            walk.next();
            points[t] = walk.point();
            prefix[t] = walk.scaled();
        }
        return new StepInputs(points, prefix);
    }

    /**
     * The terms of degree exactly {@code order+1} of every prefix expansion, scaled ({@code c[out][α]·r^|α|}):
     * {@code [t·d·K + out·K + j]}, {@code j} in the canonical order of those multi-indices.
     */
    public static double[] nextOrderTerms(Program program, double[] point, double radius, int order) {
        StepInputs up = of(program, point, radius, order + 1);
        int d = point.length;
        int mUp = MultiIndexSet.of(d, order + 1).size();
        int m = MultiIndexSet.of(d, order).size();
        int k = mUp - m;
        double[] out = new double[up.steps() * d * k];
        for (int t = 0; t < up.steps(); t++) {
            for (int o = 0; o < d; o++) {
                System.arraycopy(up.prefixExpansion()[t], o * mUp + m, out, (t * d + o) * k, k);
            }
        }
        return out;
    }

    public int steps() {
        return stepPoints.length;
    }
}
