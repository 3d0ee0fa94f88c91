package org.vtm.transforms.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.transforms.cli.CliAssertions.doubles;
import static org.vtm.transforms.cli.CliAssertions.ints;
import static org.vtm.transforms.cli.CliAssertions.num;
import static org.vtm.transforms.cli.CliAssertions.objects;
import static org.vtm.transforms.cli.CliAssertions.usageError;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vtm.transforms.MultiIndexSet;

class ExpandCommandTest {

    static final List<String> KEYS = List.of("format", "dim_in", "dim_out", "order", "point", "terms");

    static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    /** (x, y) -> (x*y, sin(y)) at (0.3, 0.1), order 3: every coefficient has a closed form. */
    @Test
    void jsonMatchesClosedForms() {
        Map<String, Object> m = CliAssertions.json(KEYS, "expand", "--program", "(x, y) -> (x * y, sin(y))",
                "--at", "0.3,0.1", "--order", "3", "--format", "json");
        assertEquals("vtm.expansion/1", m.get("format"));
        assertEquals(2.0, num(m.get("dim_in")));
        assertEquals(2.0, num(m.get("dim_out")));
        assertEquals(3.0, num(m.get("order")));
        assertArrayEquals(new double[] {0.3, 0.1}, doubles(m.get("point")));
        List<Map<String, Object>> terms = objects(m.get("terms"));
        MultiIndexSet set = MultiIndexSet.of(2, 3);
        assertEquals(2 * set.size(), terms.size());
        double y = 0.1;
        // derivatives of sin: sin, cos, -sin, -cos
        double[] sinDerivs = {Math.sin(y), Math.cos(y), -Math.sin(y), -Math.cos(y)};
        for (int t = 0; t < terms.size(); t++) {
            Map<String, Object> term = terms.get(t);
            assertEquals(List.of("out", "alpha", "coef"), List.copyOf(term.keySet()));
            int out = t / set.size();
            int[] alpha = set.alpha(t % set.size());
            assertEquals(out, (int) num(term.get("out")), "out-major order");
            assertArrayEquals(alpha, ints(term.get("alpha")), "canonical order at term " + t);
            double expected;
            if (out == 0) {
                // x*y = (0.3 + h0)(0.1 + h1) = 0.03 + 0.1 h0 + 0.3 h1 + h0 h1
                expected = alpha[0] == 0 && alpha[1] == 0 ? 0.3 * 0.1
                        : alpha[0] == 1 && alpha[1] == 0 ? 0.1
                        : alpha[0] == 0 && alpha[1] == 1 ? 0.3
                        : alpha[0] == 1 && alpha[1] == 1 ? 1.0 : 0.0;
            } else {
                expected = alpha[0] == 0 ? sinDerivs[alpha[1]] / factorial(alpha[1]) : 0.0;
            }
            // a few roundings in the series kernels: 2 ulp-scale relative tolerance
            assertEquals(expected, num(term.get("coef")), 4e-16 * Math.max(1.0, Math.abs(expected)),
                    "out " + out + " alpha " + java.util.Arrays.toString(alpha));
        }
        assertEquals(1.0, num(terms.get(4).get("coef")), 0.0, "coef of x0*x1 in x*y is exactly 1");
        assertEquals(-Math.cos(0.1) / 6, num(terms.get(19).get("coef")), 1e-16);
    }

    /** exp(x)·cos(y) at (0.2, -0.4), order 5: c[a][b] = e^0.2/a! · cos^(b)(-0.4)/b!. */
    @Test
    void productOfElementaryFunctionsMatchesClosedForm() {
        Map<String, Object> m = CliAssertions.json(KEYS, "expand", "--program", "(x, y) -> exp(x) * cos(y)",
                "--at=0.2,-0.4", "--order", "5", "--format", "json");
        MultiIndexSet set = MultiIndexSet.of(2, 5);
        List<Map<String, Object>> terms = objects(m.get("terms"));
        assertEquals(set.size(), terms.size());
        double c = Math.cos(-0.4);
        double s = Math.sin(-0.4);
        double[] cosDerivs = {c, -s, -c, s};
        for (int i = 0; i < set.size(); i++) {
            int[] a = set.alpha(i);
            double expected = Math.exp(0.2) / factorial(a[0]) * cosDerivs[a[1] % 4] / factorial(a[1]);
            // series products accumulate a handful of roundings: 1e-14 relative
            assertEquals(expected, num(terms.get(i).get("coef")), 1e-14 * Math.abs(expected) + 1e-17);
        }
    }

    @Test
    void negativeCoordinatesAreAcceptedAsSeparateArgument() {
        Map<String, Object> m = CliAssertions.json(KEYS, "expand", "--program", "(x) -> x^2", "--at", "-1.5",
                "--order", "2", "--format", "json");
        List<Map<String, Object>> terms = objects(m.get("terms"));
        assertEquals(2.25, num(terms.get(0).get("coef")));
        assertEquals(-3.0, num(terms.get(1).get("coef")));
        assertEquals(1.0, num(terms.get(2).get("coef")));
    }

    @Test
    void tableIsTheDefaultAndContainsTheNumbers() {
        String out = CliAssertions.ok("expand", "--program", "(x, y) -> (x * y, sin(y))", "--at", "0.3,0.1",
                "--order", "3");
        assertTrue(out.contains("out  alpha  monomial"), out);
        assertTrue(out.contains(Double.toString(Math.cos(0.1))), out);
        assertTrue(out.contains(Double.toString(-Math.cos(0.1) / 6)), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*0\\s+\\[1,1]\\s+x0\\*x1\\s+1\\.0")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*1\\s+\\[0,3]\\s+x1\\^3\\s+-0\\.1658340275463376\\d*")), out);
        // every term row: out, alpha, monomial, coef
        assertEquals(20, out.lines().filter(l -> l.matches("\\s*[01]\\s+\\[\\d,\\d]\\s+\\S+\\s+\\S+")).count(), out);
    }

    @Test
    void badInputsExitTwoWithOneLine() {
        String p = "(x, y) -> (x * y, sin(y))";
        usageError("line 1, column", "expand", "--program", "(x, y) -> (x * , y)", "--at", "0,0");
        usageError("unknown identifier 'z'", "expand", "--program", "(x) -> z", "--at", "0");
        usageError("has 1 coordinate but the program has 2 inputs (x, y)", "expand", "--program", p, "--at", "0.3");
        usageError("has 3 coordinates but the program has 2 inputs", "expand", "--program", p, "--at", "1,2,3");
        usageError("coordinate 2 is 'abc'", "expand", "--program", p, "--at", "0.3,abc");
        usageError("coordinate 1 is 'NaN'", "expand", "--program", p, "--at", "NaN,0");
        usageError("coordinate 2 is ''", "expand", "--program", p, "--at", "0.3,");
        usageError("overflows", "expand", "--program", p, "--at", "1e999,0");
        usageError("--order must be >= 0, got -1", "expand", "--program", p, "--at", "0,0", "--order", "-1");
        usageError("expansion budget", "expand", "--program", p, "--at", "0,0", "--order", "100000");
        usageError("--order", "expand", "--program", p, "--at", "0,0", "--order", "three");
        usageError("--format", "expand", "--program", p, "--at", "0,0", "--format", "xml");
        usageError("--program", "expand", "--at", "0,0");
    }
}
