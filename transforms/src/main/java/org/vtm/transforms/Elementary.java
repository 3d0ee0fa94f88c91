package org.vtm.transforms;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * A user-defined elementary function (dCpp's {@code tau}): its value function and its derivative
 * written over {@link Var}. Higher derivatives come from expanding the derivative itself, in one
 * variable at order {@code n - 1}, and integrating its coefficients:
 * {@code f_{k+1} = (f')_k / (k+1)}. The derivative may itself use elementary functions, including
 * this one (each nesting lowers the order by one, so the recursion ends).
 */
public final class Elementary {

    private final String name;
    private final DoubleUnaryOperator function;
    private final UnaryOperator<Var> derivative;

    private Elementary(String name, DoubleUnaryOperator function, UnaryOperator<Var> derivative) {
        this.name = name;
        this.function = function;
        this.derivative = derivative;
    }

    /**
     * @param name a label for messages
     * @param function the value {@code f(x)}
     * @param derivative {@code f'} over {@code Var}s (must return a {@code Var} of its argument's space)
     */
    public static Elementary of(String name, DoubleUnaryOperator function, UnaryOperator<Var> derivative) {
        SeriesChecks.notNull("name", name);
        SeriesChecks.notNull("function", function);
        SeriesChecks.notNull("derivative", derivative);
        return new Elementary(name, function, derivative);
    }

    public String name() {
        return name;
    }

    /** Plain evaluation. */
    public double apply(double x) {
        return function.applyAsDouble(x);
    }

    /** The univariate Taylor coefficients {@code f_k}, {@code k = 0..n}, at {@code x}. */
    void coefficients(double x, int n, double[] out, int off, int stride) {
        out[off] = function.applyAsDouble(x);
        if (n == 0) {
            return;
        }
        Space line = Space.of(1, n - 1);
        Var g = derivative.apply(line.variable(0, x));
        if (g == null || !g.space().equals(line)) {
            throw new IllegalArgumentException("the derivative of elementary function '" + name
                    + "' must return a Var of its argument's space " + line + ", got "
                    + (g == null ? "null" : g.space().toString()));
        }
        double[] gc = g.raw();
        for (int k = 0; k < n; k++) {
            out[off + (k + 1) * stride] = gc[k] / (k + 1);
        }
    }

    @Override
    public String toString() {
        return "Elementary(" + name + ")";
    }
}
