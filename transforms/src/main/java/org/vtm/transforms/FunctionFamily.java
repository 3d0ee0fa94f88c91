package org.vtm.transforms;

import java.util.List;
import java.util.Objects;

/**
 * A one-dimensional family of functions {@code φ_0, φ_1, …} on the scaled variable
 * {@code u ∈ [-1, 1]}. Multivariate {@link FunctionSet}s are tensor products of a family.
 *
 * <p>Built-in families: {@code monomial} ({@code u^k}), {@code chebyshev} ({@code T_k}),
 * {@code legendre} ({@code P_k}), {@code hermite} (probabilists' {@code He_k}) and
 * {@code fourier}, the seed's set {@code {1, sin u, cos u, sin 2u, cos 2u, …}}:
 * {@code φ_0 = 1}, {@code φ_{2j-1} = sin(j u)}, {@code φ_{2j} = cos(j u)}. A user-defined family
 * is Java code over {@link Var} ({@link #custom}); its Taylor coefficients come from expanding it
 * with {@code Space.of(1, n)}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public abstract class FunctionFamily {

    /** The names accepted by {@link #byName}, in a stable order. */
    public static final List<String> BUILT_IN = List.of("monomial", "chebyshev", "legendre", "hermite", "fourier");

    /** A user-defined family: {@code φ_k(u)} written over {@link Var}. */
    @FunctionalInterface
    public interface Definition {
        /** Returns {@code φ_k(u)}; {@code k ≥ 0}. Must not depend on anything but {@code u} and {@code k}. */
        Var apply(Var u, int k);
    }

    private final String name;

    FunctionFamily(String name) {
        this.name = name;
    }

    /** The family's name, e.g. {@code "chebyshev"}. */
    public final String name() {
        return name;
    }

    /** {@code φ_k(u)}. */
    public abstract double value(int k, double u);

    /**
     * Writes {@code φ_0(u), …, φ_maxIndex(u)} to {@code out[0..maxIndex]} (modified). Built-in
     * families use their three-term recurrences.
     */
    public void values(int maxIndex, double u, double[] out) {
        for (int k = 0; k <= maxIndex; k++) {
            out[k] = value(k, u);
        }
    }

    /**
     * Taylor coefficients of {@code φ_k} at {@code u = 0}: element {@code j} is the coefficient of
     * {@code u^j}, {@code j = 0..order}.
     */
    public abstract double[] taylor(int k, int order);

    /**
     * True if {@code φ_k} is a polynomial of exact degree {@code k} for every {@code k}, so the
     * 1-D Taylor matrix is upper triangular with a nonzero diagonal (structured inversion applies).
     */
    public abstract boolean isPolynomial();

    /**
     * The 1-D Taylor matrix {@code C} of size {@code (order+1) × (maxIndex+1)}, row-major:
     * {@code C[j][k]} is the coefficient of {@code u^j} in {@code φ_k}.
     */
    public final double[] taylorMatrix(int maxIndex, int order) {
        checkNonNegative("maxIndex", maxIndex);
        checkNonNegative("order", order);
        int cols = maxIndex + 1;
        double[] c = new double[(order + 1) * cols];
        for (int k = 0; k <= maxIndex; k++) {
            double[] t = taylor(k, order);
            for (int j = 0; j <= order; j++) {
                c[j * cols + k] = t[j];
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return name;
    }

    // ---------------------------------------------------------------- factories

    public static FunctionFamily monomial() {
        return Monomial.INSTANCE;
    }

    public static FunctionFamily chebyshev() {
        return Chebyshev.INSTANCE;
    }

    public static FunctionFamily legendre() {
        return Legendre.INSTANCE;
    }

    public static FunctionFamily hermite() {
        return Hermite.INSTANCE;
    }

    public static FunctionFamily fourier() {
        return Fourier.INSTANCE;
    }

    /**
     * A built-in family by name (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the valid names
     */
    public static FunctionFamily byName(String name) {
        Objects.requireNonNull(name, "family name");
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "monomial":
                return monomial();
            case "chebyshev":
                return chebyshev();
            case "legendre":
                return legendre();
            case "hermite":
                return hermite();
            case "fourier":
                return fourier();
            default:
                throw new IllegalArgumentException(
                        "unknown function family '" + name + "'; valid names: " + String.join(", ", BUILT_IN));
        }
    }

    /**
     * A user-defined family. Values are computed by running {@code definition} on a {@link Var}
     * of order 1; Taylor coefficients by running it in {@code Space.of(1, order)} at {@code u = 0}
     * and dividing the plain derivatives by {@code j!}.
     *
     * @param name a label used in messages and outputs; must not be blank or a built-in name
     */
    public static FunctionFamily custom(String name, Definition definition) {
        Objects.requireNonNull(name, "family name");
        Objects.requireNonNull(definition, "family definition");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a custom family needs a non-blank name");
        }
        if (BUILT_IN.contains(name.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("custom family name '" + name + "' clashes with a built-in family");
        }
        return new Custom(name, definition);
    }

    static void checkNonNegative(String what, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
        }
    }

    // ---------------------------------------------------------------- polynomial families

    /** Families given by a three-term recurrence {@code φ_{k+1} = (a_k u) φ_k - b_k φ_{k-1}}. */
    private abstract static class Recurrence extends FunctionFamily {
        Recurrence(String name) {
            super(name);
        }

        /** φ_1(u) = first1 * u. */
        abstract double first1();

        abstract double a(int k);

        abstract double b(int k);

        @Override
        public final boolean isPolynomial() {
            return true;
        }

        @Override
        public final double value(int k, double u) {
            checkNonNegative("k", k);
            if (k == 0) {
                return 1.0;
            }
            double prev = 1.0;
            double cur = first1() * u;
            for (int i = 1; i < k; i++) {
                double next = a(i) * u * cur - b(i) * prev;
                prev = cur;
                cur = next;
            }
            return cur;
        }

        @Override
        public final void values(int maxIndex, double u, double[] out) {
            out[0] = 1.0;
            if (maxIndex == 0) {
                return;
            }
            out[1] = first1() * u;
            for (int i = 1; i < maxIndex; i++) {
                out[i + 1] = a(i) * u * out[i] - b(i) * out[i - 1];
            }
        }

        @Override
        public final double[] taylor(int k, int order) {
            checkNonNegative("k", k);
            checkNonNegative("order", order);
            // coefficient arrays up to degree k, then truncate/pad to order
            double[] prev = new double[k + 2];
            double[] cur = new double[k + 2];
            prev[0] = 1.0;
            if (k == 0) {
                return truncate(prev, order);
            }
            cur[1] = first1();
            for (int i = 1; i < k; i++) {
                double[] next = new double[k + 2];
                double ai = a(i);
                double bi = b(i);
                for (int j = 0; j <= i; j++) {
                    next[j + 1] += ai * cur[j];
                }
                for (int j = 0; j <= i - 1; j++) {
                    next[j] -= bi * prev[j];
                }
                prev = cur;
                cur = next;
            }
            return truncate(cur, order);
        }

        private static double[] truncate(double[] c, int order) {
            double[] t = new double[order + 1];
            System.arraycopy(c, 0, t, 0, Math.min(c.length, order + 1));
            return t;
        }
    }

    private static final class Monomial extends Recurrence {
        static final Monomial INSTANCE = new Monomial();

        Monomial() {
            super("monomial");
        }

        double first1() {
            return 1.0;
        }

        double a(int k) {
            return 1.0;
        }

        double b(int k) {
            return 0.0;
        }
    }

    private static final class Chebyshev extends Recurrence {
        static final Chebyshev INSTANCE = new Chebyshev();

        Chebyshev() {
            super("chebyshev");
        }

        double first1() {
            return 1.0;
        }

        double a(int k) {
            return 2.0;
        }

        double b(int k) {
            return 1.0;
        }
    }

    /** (k+1) P_{k+1} = (2k+1) u P_k - k P_{k-1}. */
    private static final class Legendre extends Recurrence {
        static final Legendre INSTANCE = new Legendre();

        Legendre() {
            super("legendre");
        }

        double first1() {
            return 1.0;
        }

        double a(int k) {
            return (2.0 * k + 1.0) / (k + 1.0);
        }

        double b(int k) {
            return k / (k + 1.0);
        }
    }

    /** He_{k+1} = u He_k - k He_{k-1}. */
    private static final class Hermite extends Recurrence {
        static final Hermite INSTANCE = new Hermite();

        Hermite() {
            super("hermite");
        }

        double first1() {
            return 1.0;
        }

        double a(int k) {
            return 1.0;
        }

        double b(int k) {
            return k;
        }
    }

    // ---------------------------------------------------------------- Fourier

    private static final class Fourier extends FunctionFamily {
        static final Fourier INSTANCE = new Fourier();

        Fourier() {
            super("fourier");
        }

        @Override
        public boolean isPolynomial() {
            return false;
        }

        @Override
        public double value(int k, double u) {
            checkNonNegative("k", k);
            if (k == 0) {
                return 1.0;
            }
            int freq = (k + 1) / 2;
            return (k % 2 == 1) ? Math.sin(freq * u) : Math.cos(freq * u);
        }

        @Override
        public double[] taylor(int k, int order) {
            checkNonNegative("k", k);
            checkNonNegative("order", order);
            double[] t = new double[order + 1];
            if (k == 0) {
                t[0] = 1.0;
                return t;
            }
            int freq = (k + 1) / 2;
            // sin(fu) = Σ (-1)^m f^{2m+1} u^{2m+1}/(2m+1)!, cos(fu) = Σ (-1)^m f^{2m} u^{2m}/(2m)!
            int start = (k % 2 == 1) ? 1 : 0;
            double term = (start == 1) ? freq : 1.0; // f^j / j! for j = start
            for (int j = start; j <= order; j += 2) {
                t[j] = (((j - start) / 2) % 2 == 0) ? term : -term;
                term *= (double) freq * freq / ((j + 1.0) * (j + 2.0));
            }
            return t;
        }
    }

    // ---------------------------------------------------------------- user-defined

    private static final class Custom extends FunctionFamily {
        private final Definition definition;

        Custom(String name, Definition definition) {
            super(name);
            this.definition = definition;
        }

        @Override
        public boolean isPolynomial() {
            return false;
        }

        @Override
        public double value(int k, double u) {
            checkNonNegative("k", k);
            Var x = Space.of(1, 1).variable(0, u);
            return definition.apply(x, k).value();
        }

        @Override
        public double[] taylor(int k, int order) {
            checkNonNegative("k", k);
            checkNonNegative("order", order);
            Var x = Space.of(1, order).variable(0, 0.0);
            Var f = definition.apply(x, k);
            double[] t = new double[order + 1];
            double factorial = 1.0;
            for (int j = 0; j <= order; j++) {
                if (j > 0) {
                    factorial *= j;
                }
                t[j] = (j == 0 ? f.value() : f.d(new int[j])) / factorial; // j-fold derivative in variable 0
            }
            return t;
        }
    }
}
