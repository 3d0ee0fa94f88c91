package org.vtm.transforms;

import static org.vtm.transforms.SeriesAssertions.assertClose;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every elementary function against closed forms of its k-th derivative, k = 0..8, applied to the
 * linear form {@code a x + b y} so that {@code ∂^α g = f^{(|α|)} a^{α0} b^{α1}} also exercises the
 * multivariate Horner path.
 *
 * <p>Tolerance: both sides are computed in double precision by short recurrences of depth k, each
 * step losing a few ulps, so the relative error of order k is O(k · eps · growth); we allow
 * {@code 2e-14 · 4^k} relative (k = 8: 1.3e-9), plus the same times the value's scale absolute for
 * derivatives that pass near zero. A wrong coefficient is off by O(1).
 */
class ElementaryFunctionsTest {

    private static final int N = 8;
    private static final double A = 0.6;
    private static final double B = -0.3;

    private static double tol(int k) {
        return 2e-14 * Math.pow(4, k);
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    /** Checks g = f(A x + B y) at (x0, y0) against derivatives f^{(k)}(A x0 + B y0) = exact[k]. */
    private static void check(String name, Function<Var, Var> f, double x0, double y0, double[] exact) {
        Space s = Space.of(2, N);
        Var g = f.apply(s.variable(0, x0).mul(A).add(s.variable(1, y0).mul(B)));
        MultiIndexSet set = s.multiIndices();
        double scale = 1;
        for (double e : exact) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < set.size(); i++) {
            int[] alpha = set.alpha(i);
            int k = alpha[0] + alpha[1];
            double expected = exact[k] * Math.pow(A, alpha[0]) * Math.pow(B, alpha[1]);
            int[] idx = new int[k];
            for (int j = 0; j < k; j++) {
                idx[j] = j < alpha[0] ? 0 : 1;
            }
            assertClose(expected, g.d(idx), tol(k), tol(k) * scale * 1e-3, name + " d^" + k + " alpha=("
                    + alpha[0] + "," + alpha[1] + ")");
        }
    }

    private static double u(double x0, double y0) {
        return A * x0 + B * y0;
    }

    @Test
    void sinCosSinhCoshExp() {
        double x0 = 0.9;
        double y0 = -1.4;
        double t = u(x0, y0);
        double[] sin = new double[N + 1];
        double[] cos = new double[N + 1];
        double[] sinh = new double[N + 1];
        double[] cosh = new double[N + 1];
        double[] exp = new double[N + 1];
        for (int k = 0; k <= N; k++) {
            sin[k] = Math.sin(t + k * Math.PI / 2);
            cos[k] = Math.cos(t + k * Math.PI / 2);
            sinh[k] = k % 2 == 0 ? Math.sinh(t) : Math.cosh(t);
            cosh[k] = k % 2 == 0 ? Math.cosh(t) : Math.sinh(t);
            exp[k] = Math.exp(t);
        }
        check("sin", Var::sin, x0, y0, sin);
        check("cos", Var::cos, x0, y0, cos);
        check("sinh", Var::sinh, x0, y0, sinh);
        check("cosh", Var::cosh, x0, y0, cosh);
        check("exp", Var::exp, x0, y0, exp);
    }

    @Test
    void logSqrtAndPowers() {
        double x0 = 3.0;
        double y0 = 1.0;
        double t = u(x0, y0); // 1.5
        double[] log = new double[N + 1];
        log[0] = Math.log(t);
        for (int k = 1; k <= N; k++) {
            log[k] = (k % 2 == 1 ? 1 : -1) * factorial(k - 1) / Math.pow(t, k);
        }
        check("log", Var::log, x0, y0, log);
        for (double p : new double[] {0.5, -1.5, 2.5, 3.0, -2.0, 0.0, 1.0}) {
            double[] d = new double[N + 1];
            double falling = 1;
            for (int k = 0; k <= N; k++) {
                d[k] = falling * Math.pow(t, p - k);
                falling *= p - k;
            }
            check("pow " + p, v -> v.pow(p), x0, y0, d);
            if (p == 0.5) {
                check("sqrt", Var::sqrt, x0, y0, d);
            }
        }
    }

    @Test
    void integerPowerOfNegativeBase() {
        double x0 = -4.0;
        double y0 = 2.0;
        double t = u(x0, y0); // -3
        double[] d = new double[N + 1];
        d[0] = t * t * t;
        d[1] = 3 * t * t;
        d[2] = 6 * t;
        d[3] = 6;
        check("pow 3 of negative", v -> v.pow(3.0), x0, y0, d);
    }

    /** f^{(k)} = P_k(f) with f' = c0 + c1 f + c2 f²: P_{k+1} = P_k' · (c0 + c1 y + c2 y²). */
    private static double[] riccatiDerivatives(double y, double c0, double c1, double c2) {
        double[] poly = {0, 1}; // P_0(y) = y
        double[] out = new double[N + 1];
        for (int k = 0; k <= N; k++) {
            double v = 0;
            for (int i = poly.length - 1; i >= 0; i--) {
                v = v * y + poly[i];
            }
            out[k] = v;
            double[] deriv = new double[Math.max(1, poly.length - 1)];
            for (int i = 1; i < poly.length; i++) {
                deriv[i - 1] = i * poly[i];
            }
            double[] next = new double[deriv.length + 2];
            for (int i = 0; i < deriv.length; i++) {
                next[i] += c0 * deriv[i];
                next[i + 1] += c1 * deriv[i];
                next[i + 2] += c2 * deriv[i];
            }
            poly = next;
        }
        return out;
    }

    @Test
    void tanTanhSigmoidSoftplusViaDerivativePolynomials() {
        double x0 = 0.8;
        double y0 = 0.5;
        double t = u(x0, y0);
        check("tan", Var::tan, x0, y0, riccatiDerivatives(Math.tan(t), 1, 0, 1));
        check("tanh", Var::tanh, x0, y0, riccatiDerivatives(Math.tanh(t), 1, 0, -1));
        double sig = 1 / (1 + Math.exp(-t));
        double[] s = riccatiDerivatives(sig, 0, 1, -1);
        check("sigmoid", Var::sigmoid, x0, y0, s);
        double[] sp = new double[N + 1];
        sp[0] = Math.log1p(Math.exp(t));
        System.arraycopy(s, 0, sp, 1, N);
        check("softplus", Var::softplus, x0, y0, sp);
    }

    @Test
    void atanClosedForm() {
        double x0 = 2.0;
        double y0 = -1.0;
        double t = u(x0, y0);
        double theta = Math.atan(t);
        double[] d = new double[N + 1];
        d[0] = theta;
        for (int k = 1; k <= N; k++) {
            // d^k/dx^k atan(x) = (k-1)! cos^k(θ) sin(k(θ + π/2)), θ = atan(x)
            d[k] = factorial(k - 1) * Math.pow(Math.cos(theta), k) * Math.sin(k * (theta + Math.PI / 2));
        }
        check("atan", Var::atan, x0, y0, d);
    }

    @Test
    void userDefinedElementaryMatchesBuiltins() {
        // exp through its own derivative (a self-referential tau) and sin through cos
        Elementary[] myExp = new Elementary[1];
        myExp[0] = Elementary.of("myexp", Math::exp, v -> v.apply(myExp[0]));
        Elementary mySin = Elementary.of("mysin", Math::sin, Var::cos);
        double x0 = 0.4;
        double y0 = 0.9;
        double t = u(x0, y0);
        double[] e = new double[N + 1];
        double[] s = new double[N + 1];
        for (int k = 0; k <= N; k++) {
            e[k] = Math.exp(t);
            s[k] = Math.sin(t + k * Math.PI / 2);
        }
        check("elementary exp", v -> v.apply(myExp[0]), x0, y0, e);
        check("elementary sin", v -> v.apply(mySin), x0, y0, s);
    }
}
