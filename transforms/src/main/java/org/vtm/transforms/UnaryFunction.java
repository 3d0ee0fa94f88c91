package org.vtm.transforms;

import java.util.Locale;

/** The elementary functions of the program language and the {@link Var} algebra. */
public enum UnaryFunction {
    SIN, COS, TAN, EXP, LOG, SQRT, TANH, SIGMOID, SINH, COSH, ATAN, SOFTPLUS;

    /** The name used in program text, e.g. {@code "sin"}. */
    public String symbol() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The function named {@code symbol} in program text, or {@code null} if there is none. */
    public static UnaryFunction bySymbol(String symbol) {
        for (UnaryFunction f : values()) {
            if (f.symbol().equals(symbol)) {
                return f;
            }
        }
        return null;
    }

    /** Plain evaluation at a point. */
    public double apply(double x) {
        switch (this) {
            case SIN: return Math.sin(x);
            case COS: return Math.cos(x);
            case TAN: return Math.tan(x);
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case SQRT: return Math.sqrt(x);
            case TANH: return Math.tanh(x);
            case SIGMOID: return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case SINH: return Math.sinh(x);
            case COSH: return Math.cosh(x);
            case ATAN: return Math.atan(x);
            case SOFTPLUS: return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            default: throw new AssertionError(this);
        }
    }
}
