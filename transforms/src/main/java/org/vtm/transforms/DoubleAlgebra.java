package org.vtm.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Plain execution: the {@link Algebra} of ordinary {@code double} values. Operations follow
 * IEEE-754 and {@link Math}; nothing is checked, so {@code log(-1)} is {@code NaN} as in Java.
 *
 * <p>{@link #pow(Double, Double)} is {@link Math#pow(double, double)}, which is the value of
 * {@code exp(b log a)} wherever that is real, and also defined for a negative base with an integer
 * exponent. A step written in Java ({@link #call}) runs over {@link Var}s of order 0, i.e. plain
 * values.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class DoubleAlgebra implements Algebra<Double> {

    /** The shared instance. */
    public static final DoubleAlgebra INSTANCE = new DoubleAlgebra();

    /** Prefer {@link #INSTANCE}; instances are interchangeable. */
    public DoubleAlgebra() {
    }

    @Override
    public Double constant(double c) {
        return c;
    }

    @Override
    public Double add(Double a, Double b) {
        return a + b;
    }

    @Override
    public Double sub(Double a, Double b) {
        return a - b;
    }

    @Override
    public Double mul(Double a, Double b) {
        return a * b;
    }

    @Override
    public Double div(Double a, Double b) {
        return a / b;
    }

    @Override
    public Double neg(Double a) {
        return -a;
    }

    @Override
    public Double pow(Double a, double p) {
        return Math.pow(a, p);
    }

    @Override
    public Double pow(Double a, Double b) {
        return Math.pow(a, b);
    }

    @Override
    public Double apply(UnaryFunction f, Double a) {
        return f.apply(a);
    }

    @Override
    public Double select(Comparison cmp, Double a, Double b, Double then, Double otherwise) {
        return cmp.test(a, b) ? then : otherwise;
    }

    /**
     * Runs {@code f} on order-0 variables ({@code Space.of(inputs.size(), 0)}) holding the input
     * values and returns the values of its outputs.
     *
     * @throws IllegalArgumentException if {@code f} returns null, null elements or not
     *     {@code outputDim} values
     */
    @Override
    public List<Double> call(VarFunction f, int outputDim, List<Double> inputs) {
        Objects.requireNonNull(f, "function");
        Objects.requireNonNull(inputs, "inputs");
        Space space = Space.of(inputs.size(), 0);
        Var[] vars = new Var[inputs.size()];
        for (int i = 0; i < vars.length; i++) {
            vars[i] = space.variable(i, inputs.get(i));
        }
        Var[] out = f.apply(vars);
        if (out == null) {
            throw new IllegalArgumentException("Java step returned null; expected " + outputDim + " outputs");
        }
        if (out.length != outputDim) {
            throw new IllegalArgumentException(
                    "Java step returned " + out.length + " outputs; expected " + outputDim);
        }
        List<Double> values = new ArrayList<>(outputDim);
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new IllegalArgumentException("Java step returned null as output " + i);
            }
            values.add(out[i].value());
        }
        return Collections.unmodifiableList(values);
    }
}
