package org.vtm.transforms;

import java.util.List;

/**
 * One step {@code p_t : R^inputDim -> R^outputDim} of a program {@code P = p_k ∘ … ∘ p_0}. A step
 * is evaluated over any {@link Algebra}, so the same step executes plainly, expands at one point
 * or expands over a batch of points.
 */
public interface Step {

    int inputDim();

    int outputDim();

    /** Evaluates the step; {@code inputs.size() == inputDim()}, result size {@code outputDim()}. */
    <T> List<T> apply(Algebra<T> algebra, List<T> inputs);

    /**
     * The step in the program language, e.g. {@code "(x, y) -> (x*y, sin(y))"}; a step written in
     * Java has a descriptive label in angle brackets, which does not parse.
     */
    String text();
}
