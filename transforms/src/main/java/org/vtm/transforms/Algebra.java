package org.vtm.transforms;

import java.util.List;

/**
 * The arithmetic a program step is written against. A parsed program evaluates its expression
 * tree over any algebra: plain doubles (execution), {@link Var} (one point, Taylor mode) or a
 * batch of truncated series over many points at once (the corpus path).
 *
 * <p>Implementations never mutate their arguments.
 *
 * @param <T> the element type: a value, a series, or a batch of series
 */
public interface Algebra<T> {

    /** The constant function {@code c}. */
    T constant(double c);

    T add(T a, T b);

    T sub(T a, T b);

    T mul(T a, T b);

    T div(T a, T b);

    T neg(T a);

    /** {@code a^p} for a real exponent. */
    T pow(T a, double p);

    /** {@code a^b = exp(b log a)}. */
    T pow(T a, T b);

    /** One of the built-in elementary functions applied to {@code a}. */
    T apply(UnaryFunction f, T a);

    /**
     * {@code if(a cmp b, then, otherwise)}: the comparison looks at values only, so derivatives
     * are those of the branch taken (piecewise-analytic programs). A batch algebra decides per
     * point.
     */
    T select(Comparison cmp, T a, T b, T then, T otherwise);

    /**
     * Runs a step written in Java over {@link Var}s on this algebra's elements. Each algebra knows
     * how to present its elements as {@code Var}s (and, for series, how to compose).
     *
     * @param outputDim the number of outputs {@code f} returns
     */
    List<T> call(VarFunction f, int outputDim, List<T> inputs);
}
