package org.vtm.datagen;

import java.util.List;
import java.util.NoSuchElementException;
import org.vtm.transforms.Expander;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;
import org.vtm.transforms.Step;
import org.vtm.transforms.TensorSeries;

/**
 * Walks a program's step prefixes {@code p_t∘…∘p_0} at {@code v0}: each {@link #next()} runs the previous
 * step on the current point (giving {@code v_t}), expands step {@code t} at {@code v_t} to order {@code n}
 * and composes it with the previous prefix expansion ({@code e(p_t)|_{v_t} ∘ e(prefix_{t-1})|_{v0}}, the
 * seed's eq. 15). Shared by the corpus generator and the learned interpreter, so both see identical inputs.
 */
public final class PrefixExpansions {
    private final List<Step> steps;
    private final double[] scale;
    private final int dim;
    private double[] current;
    private Program step;
    private TensorSeries expansion;
    private int t = -1;

    /**
     * @param program the program ({@code R^d → R^d} steps are not required here; the expansion composes any)
     * @param v0 the expansion point
     * @param radius the region's radius (scaled coordinates multiply {@code c[α]} by {@code r^|α|})
     * @param order {@code n}
     */
    public PrefixExpansions(Program program, double[] v0, double radius, int order) {
        if (v0.length != program.inputDim()) {
            throw new IllegalArgumentException("point has " + v0.length + " coordinates, the program takes "
                    + program.inputDim());
        }
        this.steps = program.steps();
        this.dim = program.inputDim();
        MultiIndexSet alphas = MultiIndexSet.of(dim, order);
        this.scale = new double[alphas.size()];
        for (int a = 0; a < scale.length; a++) {
            scale[a] = Math.pow(radius, alphas.degree(a));
        }
        this.current = v0.clone();
        this.order = order;
    }

    private final int order;

    /** Number of steps (= prefixes). */
    public int steps() {
        return steps.size();
    }

    public boolean hasNext() {
        return t + 1 < steps.size();
    }

    /** Advances to the next prefix and returns its expansion at {@code v0} (unscaled). */
    public TensorSeries next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + steps.size() + " prefixes were visited");
        }
        if (step != null) {
            current = step.execute(current);
        }
        t++;
        step = Program.of(List.of(steps.get(t)));
        TensorSeries own = Expander.expand(step, current, order);
        expansion = expansion == null ? own : own.compose(expansion);
        return expansion;
    }

    /** The current step {@code p_t} as a one-step program. */
    public Program step() {
        return step;
    }

    /** {@code v_t}, the point step {@code t} runs at (a copy). */
    public double[] point() {
        return current.clone();
    }

    /** The current prefix expansion at {@code v0} (unscaled). */
    public TensorSeries expansion() {
        return expansion;
    }

    /** The current prefix expansion in scaled coordinates, {@code c[out][α]·r^|α|}, output-major. */
    public double[] scaled() {
        double[] c = expansion.coefficients();
        int m = scale.length;
        double[] out = new double[c.length];
        for (int o = 0; o < c.length / m; o++) {
            for (int a = 0; a < m; a++) {
                out[o * m + a] = c[o * m + a] * scale[a];
            }
        }
        return out;
    }
}
