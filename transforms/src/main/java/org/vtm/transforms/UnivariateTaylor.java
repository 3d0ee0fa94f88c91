package org.vtm.transforms;

/**
 * Univariate Taylor coefficients {@code f_k = f^{(k)}(x) / k!}, {@code k = 0..n}, of the elementary
 * functions: closed forms where they are short, otherwise the power-series recurrence of the ODE
 * the function satisfies ({@code tan' = 1 + tan²}, {@code tanh' = 1 - tanh²},
 * {@code σ' = σ - σ²}, {@code atan' = 1/(1+x²)}, {@code softplus' = σ}). Coefficient {@code k} is
 * written to {@code out[off + k * stride]}.
 */
final class UnivariateTaylor {

    private UnivariateTaylor() {
    }

    static void coefficients(UnaryFunction f, double x, int n, double[] out, int off, int stride) {
        switch (f) {
            case SIN: trig(Math.sin(x), Math.cos(x), n, out, off, stride); return;
            case COS: trig(Math.cos(x), -Math.sin(x), n, out, off, stride); return;
            case SINH: hyperbolic(Math.sinh(x), Math.cosh(x), n, out, off, stride); return;
            case COSH: hyperbolic(Math.cosh(x), Math.sinh(x), n, out, off, stride); return;
            case EXP: {
                double v = Math.exp(x);
                for (int k = 0; k <= n; k++) {
                    out[off + k * stride] = v;
                    v /= k + 1;
                }
                return;
            }
            case LOG: {
                out[off] = Math.log(x);
                double inv = 1.0 / x;
                double pw = 1;
                for (int k = 1; k <= n; k++) {
                    pw *= inv;
                    out[off + k * stride] = ((k & 1) == 1 ? pw : -pw) / k;
                }
                return;
            }
            case SQRT: power(x, 0.5, Math.sqrt(x), n, out, off, stride); return;
            case TAN: riccati(Math.tan(x), 1.0, 0.0, 1.0, n, out, off, stride); return;
            case TANH: riccati(Math.tanh(x), 1.0, 0.0, -1.0, n, out, off, stride); return;
            case SIGMOID: riccati(UnaryFunction.SIGMOID.apply(x), 0.0, 1.0, -1.0, n, out, off, stride); return;
            case ATAN: {
                out[off] = Math.atan(x);
                double[] g = reciprocalQuadratic(x, n);
                for (int k = 1; k <= n; k++) {
                    out[off + k * stride] = g[k - 1] / k;
                }
                return;
            }
            case SOFTPLUS: {
                out[off] = UnaryFunction.SOFTPLUS.apply(x);
                if (n == 0) {
                    return;
                }
                double[] s = new double[n];
                riccati(UnaryFunction.SIGMOID.apply(x), 0.0, 1.0, -1.0, n - 1, s, 0, 1);
                for (int k = 1; k <= n; k++) {
                    out[off + k * stride] = s[k - 1] / k;
                }
                return;
            }
            default:
                throw new AssertionError(f);
        }
    }

    /** f(x+t) with f(x) = v, f'(x) = dv, f'' = -f. */
    private static void trig(double v, double dv, int n, double[] out, int off, int stride) {
        double fact = 1;
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                fact *= k;
            }
            double val;
            switch (k & 3) {
                case 0: val = v; break;
                case 1: val = dv; break;
                case 2: val = -v; break;
                default: val = -dv; break;
            }
            out[off + k * stride] = val / fact;
        }
    }

    /** f(x+t) with f(x) = v, f'(x) = dv, f'' = f. */
    private static void hyperbolic(double v, double dv, int n, double[] out, int off, int stride) {
        double fact = 1;
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                fact *= k;
            }
            out[off + k * stride] = ((k & 1) == 0 ? v : dv) / fact;
        }
    }

    /** {@code y' = c0 + c1 y + c2 y²}, {@code y(0) = y0}: power-series recurrence. */
    private static void riccati(double y0, double c0, double c1, double c2, int n,
                                double[] out, int off, int stride) {
        // computed in place in out (no per-call allocation: this runs once per point and operation)
        out[off] = y0;
        for (int k = 0; k < n; k++) {
            double sq = 0;
            for (int j = 0; j <= k; j++) {
                sq += out[off + j * stride] * out[off + (k - j) * stride];
            }
            double rhs = c1 * out[off + k * stride] + c2 * sq + (k == 0 ? c0 : 0.0);
            out[off + (k + 1) * stride] = rhs / (k + 1);
        }
    }

    /** Coefficients of {@code 1 / (1 + (x+t)²)} up to {@code t^(n-1)}. */
    private static double[] reciprocalQuadratic(double x, int n) {
        double[] g = new double[Math.max(n, 1)];
        double q0 = 1 + x * x;
        double q1 = 2 * x;
        for (int k = 0; k < g.length; k++) {
            double r = k == 0 ? 1.0 : 0.0;
            if (k >= 1) {
                r -= q1 * g[k - 1];
            }
            if (k >= 2) {
                r -= g[k - 2];
            }
            g[k] = r / q0;
        }
        return g;
    }

    /** {@code (x+t)^p}: {@code f_k = C(p, k) x^{p-k}}; value given separately for accuracy. */
    static void power(double x, double p, double value, int n, double[] out, int off, int stride) {
        boolean naturalPower = p >= 0 && p == Math.rint(p);
        out[off] = value;
        double binom = 1;
        for (int k = 1; k <= n; k++) {
            binom = binom * (p - (k - 1)) / k;
            double c;
            if (naturalPower && k > p) {
                c = 0.0;
            } else if (naturalPower) {
                c = binom * intPow(x, (int) (p - k));
            } else {
                c = binom * Math.pow(x, p - k);
            }
            out[off + k * stride] = c;
        }
    }

    static void power(double x, double p, int n, double[] out, int off, int stride) {
        power(x, p, Math.pow(x, p), n, out, off, stride);
    }

    private static double intPow(double x, int e) {
        if (e > 32) {
            return Math.pow(x, e);
        }
        double r = 1;
        for (int i = 0; i < e; i++) {
            r *= x;
        }
        return r;
    }
}
