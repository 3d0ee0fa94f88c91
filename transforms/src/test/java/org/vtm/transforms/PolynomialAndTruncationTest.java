package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolynomialAndTruncationTest {

    /** A sparse polynomial in h: exponent vector (as a list) -> coefficient. Independent of our tables. */
    private static final class Poly {
        final Map<List<Integer>, Double> terms = new HashMap<>();

        static Poly shiftedVariable(int d, int i, double v0) {
            Poly p = new Poly();
            p.terms.put(zeros(d), v0);
            List<Integer> e = zeros(d);
            e.set(i, 1);
            p.terms.put(e, 1.0);
            return p;
        }

        static List<Integer> zeros(int d) {
            return new ArrayList<>(java.util.Collections.nCopies(d, 0));
        }

        Poly combine(Poly o, double sign) {
            Poly r = new Poly();
            r.terms.putAll(terms);
            o.terms.forEach((k, v) -> r.terms.merge(k, sign * v, Double::sum));
            return r;
        }

        Poly times(Poly o) {
            Poly r = new Poly();
            terms.forEach((ka, va) -> o.terms.forEach((kb, vb) -> {
                List<Integer> k = new ArrayList<>();
                for (int j = 0; j < ka.size(); j++) {
                    k.add(ka.get(j) + kb.get(j));
                }
                r.terms.merge(k, va * vb, Double::sum);
            }));
            return r;
        }

        Poly scale(double s) {
            Poly r = new Poly();
            terms.forEach((k, v) -> r.terms.put(k, s * v));
            return r;
        }
    }

    @Test
    void polynomialsAreReproducedExactly() {
        SplittableRandom rng = new SplittableRandom(20240601L);
        for (int trial = 0; trial < 40; trial++) {
            int d = 1 + rng.nextInt(3);
            int n = 1 + rng.nextInt(6);
            Space s = Space.of(d, n);
            List<Var> vars = new ArrayList<>();
            List<Poly> polys = new ArrayList<>();
            List<Integer> degs = new ArrayList<>();
            for (int i = 0; i < d; i++) {
                double v0 = rng.nextInt(5) - 2;
                vars.add(s.variable(i, v0));
                polys.add(Poly.shiftedVariable(d, i, v0));
                degs.add(1);
            }
            for (int step = 0; step < 12; step++) {
                int a = rng.nextInt(vars.size());
                int b = rng.nextInt(vars.size());
                int op = rng.nextInt(5);
                if (op == 0) {
                    vars.add(vars.get(a).add(vars.get(b)));
                    polys.add(polys.get(a).combine(polys.get(b), 1));
                    degs.add(Math.max(degs.get(a), degs.get(b)));
                } else if (op == 1) {
                    vars.add(vars.get(a).sub(vars.get(b)));
                    polys.add(polys.get(a).combine(polys.get(b), -1));
                    degs.add(Math.max(degs.get(a), degs.get(b)));
                } else if (op == 2 && degs.get(a) + degs.get(b) <= n) {
                    vars.add(vars.get(a).mul(vars.get(b)));
                    polys.add(polys.get(a).times(polys.get(b)));
                    degs.add(degs.get(a) + degs.get(b));
                } else if (op == 3 && 3 * degs.get(a) <= n) {
                    vars.add(vars.get(a).pow(3.0));
                    polys.add(polys.get(a).times(polys.get(a)).times(polys.get(a)));
                    degs.add(3 * degs.get(a));
                } else {
                    double c = rng.nextInt(7) - 3;
                    vars.add(vars.get(a).mul(c));
                    polys.add(polys.get(a).scale(c));
                    degs.add(degs.get(a));
                }
            }
            Var v = vars.get(vars.size() - 1);
            Poly p = polys.get(polys.size() - 1);
            MultiIndexSet set = s.multiIndices();
            for (int i = 0; i < set.size(); i++) {
                List<Integer> key = new ArrayList<>();
                for (int x : set.alpha(i)) {
                    key.add(x);
                }
                double expected = p.terms.getOrDefault(key, 0.0);
                // integer arithmetic far below 2^53: exact
                assertEquals(expected, v.coefficient(i), 0.0, "trial " + trial + " alpha " + key);
            }
        }
    }

    /**
     * The remainder of an order-n expansion is O(t^{n+1}): halving the displacement divides the
     * error by about 2^{n+1}. We accept a measured exponent within 0.6 of n+1.
     */
    @Test
    void truncationErrorShrinksAtTheExpectedRate() {
        double[] v0 = {0.3, -0.2};
        double[] dir = {0.7, -0.4};
        for (int n = 1; n <= 5; n++) {
            Space s = Space.of(2, n);
            TensorSeries w = f(s.variable(0, v0[0]), s.variable(1, v0[1])).series();
            double[] err = new double[3];
            double[] ts = {0.2, 0.1, 0.05};
            for (int i = 0; i < ts.length; i++) {
                double[] h = {ts[i] * dir[0], ts[i] * dir[1]};
                double exact = f(v0[0] + h[0], v0[1] + h[1]);
                err[i] = Math.abs(w.evaluate(h)[0] - exact);
            }
            double rate = Math.log(err[1] / err[2]) / Math.log(2);
            assertTrue(Math.abs(rate - (n + 1)) < 0.6, "order " + n + ": errors " + Arrays.toString(err)
                    + " give rate " + rate);
        }
    }

    private static Var f(Var x, Var y) {
        return x.sin().add(y.mul(y).mul(0.5)).exp().div(x.mul(x).add(1.0));
    }

    private static double f(double x, double y) {
        return Math.exp(Math.sin(x) + 0.5 * y * y) / (1 + x * x);
    }
}
