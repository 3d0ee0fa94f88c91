package org.vtm.evaluation.heldout;

import java.util.Objects;
import org.vtm.datagen.CorpusRecord;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.LeastSquares;
import org.vtm.transforms.MultiIndexSet;

/**
 * {@code pade}: the economised map {@code c = T_FX·a + Q*·â⁺} with the degree-{@code (n+1)} terms
 * <em>estimated</em> from the orders ≤ {@code n} alone by a one-pole Padé-type extrapolation — the
 * strongest non-learned method with the learned model's order-≤n information that reads the growth
 * of the orders (design §12, issue 16).
 *
 * <p><b>Definition.</b> Write output {@code o} of the program as {@code g(u) = Σ_k P_k(u)}, {@code P_k}
 * the homogeneous part of degree {@code k} of the scaled expansion ({@code u ∈ [-1,1]^d}). Along a ray
 * {@code u = λ·w}, {@code g} is a series in {@code λ} with coefficients {@code P_k(w)}; its one-pole
 * Padé approximant from the orders ≤ {@code n} (the {@code [n−1/1]} approximant, pole at
 * {@code λ = P_{n−1}(w)/P_n(w)}) continues the series with the next term
 * {@code t(u) = P_n(u)² / P_{n−1}(u)} — in 1-D exactly {@code a_{n+1} = a_n²/a_{n−1}}, the next
 * coefficient of a geometric tail. {@code t} is a rational function, not a polynomial, for
 * {@code d > 1}; {@code â⁺} is the homogeneous degree-{@code (n+1)} polynomial {@code B} fitted to it at
 * the corpus' sample points {@code u_s} in the cross-multiplied (linearised) form that defines Padé
 * approximants:
 *
 * <pre>
 *     â⁺ = argmin_B Σ_s ( P_{n−1}(u_s)·B(u_s) − P_n(u_s)² )²  =  argmin_B Σ_s P_{n−1}(u_s)² · ( B(u_s) − t(u_s) )²
 * </pre>
 *
 * (minimum-norm solution, {@link LeastSquares}). This is the least-squares fit of {@code t} weighted by
 * {@code P_{n−1}²}: no division is made, and the points near the zero set of {@code P_{n−1}}, where
 * {@code t} is undefined or huge, carry vanishing weight — the guard is built into the fit instead of a
 * threshold on {@code |P_{n−1}|}. Where {@code t} is itself a polynomial (1-D; a ridge function
 * {@code g = h(w·u)} of a 1-D geometric {@code h}) the fit is exact.
 *
 * <p><b>Fallbacks</b> ({@code â⁺ = 0}, i.e. {@code pade} = {@code fixed}): {@code n = 0} (no
 * {@code P_{n−1}}); {@code P_n ≡ 0} at the sample points (then {@code t ≡ 0}: in particular every program
 * whose expansion is a polynomial of degree {@code < n}); {@code P_{n−1} ≡ 0} at the sample points,
 * judged as {@code max_s |P_{n−1}(u_s)| ≤} {@value #ZERO_GUARD} {@code · max_s |p_n(u_s)|} (rounding
 * noise in a vanishing {@code P_{n−1}} would otherwise be divided into {@code P_n²}); fewer sample points
 * than degree-{@code (n+1)} monomials (the fit is then underdetermined) or more than
 * {@value #MAX_FIT_TERMS} of them (the per-program fit would cost seconds): in these two cases the whole
 * method is not {@link #available()}, and evaluations leave it out; or a non-finite
 * estimate. A program of degree exactly {@code n} with {@code P_{n−1} ≠ 0} gets a non-zero estimate:
 * from the orders ≤ {@code n} alone a polynomial and a geometric tail look alike.
 *
 * <p>The estimated terms are then projected exactly as {@code economised_n1} projects the true ones:
 * {@code c = Π (p_n + B)} with {@code Π} the least-squares projection onto F at the sample points
 * ({@link Economised}, {@code k = 1}); for a polynomial F this is {@code T_FX·a + Q*·â⁺}, and it stays
 * defined for Fourier and user sets. Immutable and thread-safe.
 */
public final class PadeExtrapolation {
    /** Report name of the method. */
    public static final String NAME = "pade";
    /** {@code P_{n−1}} counts as identically zero below this fraction of the expansion's largest sample value. */
    public static final double ZERO_GUARD = 1e-10;
    /**
     * The most degree-(n+1) monomials {@code H} the per-program fit is made for. Each output of each
     * program needs its own weighted fit (an SVD of {@code S × H}): at d = 2 that is well under a
     * millisecond per program, at d = 4, n = 6 ({@code H = 120}) about 0.3 s, at d = 8, n = 3
     * ({@code H = 330}) about 5 s (busy machine) — beyond this limit the method is not evaluated rather
     * than taking hours per cell.
     */
    public static final int MAX_FIT_TERMS = 128;

    private final Economised economised;
    private final int order;
    private final int terms; // M: monomials of degree ≤ n
    private final int next; // H: monomials of degree exactly n+1
    private final int lowStart; // first index of degree n−1
    private final int topStart; // first index of degree n
    private final int samples;
    private final double[] low; // [s·M + j]: monomial j (degree ≤ n) at sample s
    private final double[] high; // [s·H + h]: degree-(n+1) monomial h at sample s

    private PadeExtrapolation(Economised economised, int order, int terms, int next, int lowStart, int topStart,
            int samples, double[] low, double[] high) {
        this.economised = economised;
        this.order = order;
        this.terms = terms;
        this.next = next;
        this.lowStart = lowStart;
        this.topStart = topStart;
        this.samples = samples;
        this.low = low;
        this.high = high;
    }

    /**
     * The method for function set {@code set} (order {@code n}) with the corpus' sample points
     * {@code points} (scaled coordinates, at least {@code M} of them).
     *
     * @throws IllegalArgumentException if there are fewer points than functions or a point has the wrong dimension
     */
    public static PadeExtrapolation of(FunctionSet set, double[][] points) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(points, "points");
        Economised econ = Economised.of(set, points, 1);
        int d = set.dim();
        int n = set.order();
        MultiIndexSet up = MultiIndexSet.of(d, n + 1);
        int m = up.countUpToDegree(n);
        int h = up.size() - m;
        double[] low = new double[points.length * m];
        double[] high = new double[points.length * h];
        for (int s = 0; s < points.length; s++) {
            if (points[s].length != d) {
                throw new IllegalArgumentException("sample point " + s + " has " + points[s].length + " coordinates, the function set "
                        + d);
            }
            for (int j = 0; j < up.size(); j++) {
                double v = 1;
                for (int l = 0; l < d; l++) {
                    v *= Math.pow(points[s][l], up.alphaComponent(j, l));
                }
                if (j < m) {
                    low[s * m + j] = v;
                } else {
                    high[s * h + j - m] = v;
                }
            }
        }
        int lowStart = n >= 2 ? up.countUpToDegree(n - 2) : 0;
        int topStart = n == 0 ? 0 : up.countUpToDegree(n - 1);
        return new PadeExtrapolation(econ, n, m, h, lowStart, topStart, points.length, low, high);
    }

    /**
     * Whether the method is defined for this layout: {@code n ≥ 1}, at least as many sample points as
     * degree-(n+1) monomials, and at most {@value #MAX_FIT_TERMS} of them. An evaluation leaves an
     * unavailable method out (saying why: {@link #unavailableReason()}) rather than reporting it as
     * {@code fixed}; {@link #nextTerms} then gives zeros.
     */
    public boolean available() {
        return unavailableReason() == null;
    }

    /** Why the method is not {@link #available()}, or null if it is. */
    public String unavailableReason() {
        if (order < 1) {
            return "n = 0 has no order n−1 to extrapolate from";
        }
        if (samples < next) {
            return "the fit of H = " + next + " degree-(n+1) terms needs at least as many sample points, the layout has " + samples;
        }
        if (next > MAX_FIT_TERMS) {
            return "H = " + next + " degree-(n+1) terms exceed the per-program fit's limit of " + MAX_FIT_TERMS;
        }
        return null;
    }

    /**
     * The estimated degree-{@code (n+1)} terms {@code â⁺} ({@code d·H}, output-major, the canonical order of
     * the degree-{@code (n+1)} multi-indices) from the scaled expansion {@code a} ({@code d·M}, degree ≤ n).
     */
    public double[] nextTerms(double[] a) {
        Objects.requireNonNull(a, "a");
        if (a.length == 0 || a.length % terms != 0) {
            throw new IllegalArgumentException("expansion has " + a.length + " coefficients, expected a positive multiple of M = "
                    + terms);
        }
        int d = a.length / terms;
        double[] out = new double[d * next];
        if (!available()) {
            return out;
        }
        double[] pm = new double[samples];
        double[] y = new double[samples];
        double[] design = new double[samples * next];
        for (int o = 0; o < d; o++) {
            int base = o * terms;
            double whole = 0;
            double pmMax = 0;
            double pnMax = 0;
            for (int s = 0; s < samples; s++) {
                double below = 0; // degrees < n−1
                double vm = 0;
                double vn = 0;
                for (int j = 0; j < terms; j++) {
                    double v = a[base + j] * low[s * terms + j];
                    if (j >= topStart) {
                        vn += v;
                    } else if (j >= lowStart) {
                        vm += v;
                    } else {
                        below += v;
                    }
                }
                pm[s] = vm;
                y[s] = vn * vn;
                whole = Math.max(whole, Math.abs(below + vm + vn));
                pmMax = Math.max(pmMax, Math.abs(vm));
                pnMax = Math.max(pnMax, Math.abs(vn));
            }
            if (!(pnMax > 0) || !(pmMax > ZERO_GUARD * whole) || !Double.isFinite(whole)) {
                continue; // t ≡ 0, P_{n−1} ≡ 0 or a non-finite expansion: â⁺ = 0 for this output
            }
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < next; k++) {
                    design[s * next + k] = pm[s] * high[s * next + k];
                }
            }
            double[] b = LeastSquares.of(design, samples, next).solve(y);
            boolean finite = true;
            for (double v : b) {
                finite &= Double.isFinite(v);
            }
            if (finite) {
                System.arraycopy(b, 0, out, o * next, next);
            }
        }
        return out;
    }

    /** F-coefficients ({@code d·M}, output-major): {@code Π (p_n + B)} for the scaled expansion {@code a}. */
    public double[] coefficients(double[] a) {
        double[] b = nextTerms(a);
        int d = a.length / terms;
        int mu = terms + next;
        double[] up = new double[d * mu];
        for (int o = 0; o < d; o++) {
            System.arraycopy(a, o * terms, up, o * mu, terms);
            System.arraycopy(b, o * next, up, o * mu + terms, next);
        }
        return economised.project(up);
    }

    /** As a {@link HeldOutEvaluator.Coefficients} method: from each prefix's stored order-n expansion. */
    public HeldOutEvaluator.Coefficients method() {
        return (CorpusRecord record, int step) -> coefficients(record.prefixExpansion()[step]);
    }
}
