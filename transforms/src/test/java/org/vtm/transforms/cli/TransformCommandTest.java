package org.vtm.transforms.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.transforms.cli.CliAssertions.doubles;
import static org.vtm.transforms.cli.CliAssertions.ints;
import static org.vtm.transforms.cli.CliAssertions.num;
import static org.vtm.transforms.cli.CliAssertions.obj;
import static org.vtm.transforms.cli.CliAssertions.objects;
import static org.vtm.transforms.cli.CliAssertions.usageError;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformCommandTest {

    static final List<String> KEYS = List.of("format", "family", "dim_in", "dim_out", "order", "point", "radius",
            "terms", "errors");

    static double coef(List<Map<String, Object>> terms, int out, int... beta) {
        for (Map<String, Object> t : terms) {
            if ((int) num(t.get("out")) == out && java.util.Arrays.equals(beta, ints(t.get("beta")))) {
                return num(t.get("coef"));
            }
        }
        throw new AssertionError("no term out=" + out + " beta=" + java.util.Arrays.toString(beta));
    }

    /**
     * (x, y) -> (x*y, x^2) at (1, 0), r = 2: x = 1 + 2u0, y = 2u1, so x*y = 2 T_1(u1) + 4 T_1(u0) T_1(u1)
     * and x^2 = 1 + 4u0 + 4u0^2 = 3 + 4 T_1(u0) + 2 T_2(u0). Polynomials of degree <= n: all errors vanish.
     */
    @Test
    void polynomialProgramHasExactChebyshevCoefficients() {
        Map<String, Object> m = CliAssertions.json(KEYS, "transform", "--program", "(x, y) -> (x * y, x^2)",
                "--at", "1,0", "--radius", "2", "--order", "2", "--family", "chebyshev", "--format", "json");
        assertEquals("vtm.transform/1", m.get("format"));
        assertEquals("chebyshev", m.get("family"));
        assertEquals(2.0, num(m.get("dim_in")));
        assertEquals(2.0, num(m.get("dim_out")));
        assertEquals(2.0, num(m.get("order")));
        assertArrayEquals(new double[] {1, 0}, doubles(m.get("point")));
        assertEquals(2.0, num(m.get("radius")));
        List<Map<String, Object>> terms = objects(m.get("terms"));
        assertEquals(12, terms.size());
        assertEquals(List.of("out", "beta", "coef"), List.copyOf(terms.get(0).keySet()));
        double[][] expected = {
            // β order: [0,0] [1,0] [0,1] [2,0] [1,1] [0,2]
            {0, 0, 2, 0, 4, 0},
            {3, 4, 0, 2, 0, 0}};
        int[][] betas = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}};
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(betas[i], ints(terms.get(o * 6 + i).get("beta")), "canonical order");
                // T_FX entries are dyadic; a'[α] = c[α]·r^|α| exact: 1e-14 covers the expansion's roundings
                assertEquals(expected[o][i], coef(terms, o, betas[i]), 1e-14, "out " + o + " beta " + i);
            }
        }
        Map<String, Object> errors = obj(m.get("errors"));
        assertEquals(List.of("taylor", "fixed", "oracle"), List.copyOf(errors.keySet()));
        for (String k : errors.keySet()) {
            Map<String, Object> e = obj(errors.get(k));
            assertEquals(List.of("rel_l2", "max_abs"), List.copyOf(e.keySet()));
            // exact representations: only rounding remains (values are O(10))
            assertTrue(num(e.get("rel_l2")) < 1e-13, k + " " + e);
            assertTrue(num(e.get("max_abs")) < 1e-12, k + " " + e);
        }
    }

    /**
     * sin at 0, r = 1, order 3: Taylor u - u^3/6 with u^3 = (3T_1 + T_3)/4 gives T_1: 7/8, T_3: -1/24.
     * The oracle is the discrete least-squares fit on the same points, so its error cannot exceed the
     * fixed series' (which lies in the same span); for a polynomial family fixed = Taylor.
     */
    @Test
    void sineCoefficientsAndErrorOrdering() {
        Map<String, Object> m = CliAssertions.json(KEYS, "transform", "--program", "(x) -> sin(x)", "--at", "0",
                "--radius", "1", "--order", "3", "--format", "json");
        List<Map<String, Object>> terms = objects(m.get("terms"));
        assertEquals(0.0, coef(terms, 0, 0), 1e-16);
        assertEquals(7.0 / 8, coef(terms, 0, 1), 1e-15);
        assertEquals(0.0, coef(terms, 0, 2), 1e-16);
        assertEquals(-1.0 / 24, coef(terms, 0, 3), 1e-16);
        Map<String, Object> e = obj(m.get("errors"));
        double taylor = num(obj(e.get("taylor")).get("rel_l2"));
        double fixed = num(obj(e.get("fixed")).get("rel_l2"));
        double oracle = num(obj(e.get("oracle")).get("rel_l2"));
        assertEquals(taylor, fixed, 1e-12);
        assertTrue(taylor > 1e-4, "u^5/120 term is missing: " + taylor);
        // |sin u - (u - u^3/6)| <= 1/120 on [-1, 1]
        assertTrue(num(obj(e.get("taylor")).get("max_abs")) <= 1.0 / 120, e.toString());
        assertTrue(oracle <= fixed * (1 + 1e-12), oracle + " vs " + fixed);
        assertTrue(oracle < 0.5 * taylor, "least squares beats the Taylor polynomial clearly: " + oracle);
    }

    @Test
    void tableNamesFunctionsAndErrors() {
        String out = CliAssertions.ok("transform", "--program", "(x) -> sin(x)", "--at", "0", "--radius", "1",
                "--order", "3");
        assertTrue(out.contains("T_3(u0)"), out);
        assertTrue(out.contains(Double.toString(-1.0 / 24)), out);
        assertTrue(out.contains("0.875"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("taylor ")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("fixed T_FX ")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("oracle (LSQ) ")), out);
        String fourier = CliAssertions.ok("transform", "--program", "(x, y) -> x * y", "--at", "0,0", "--order", "2",
                "--family", "fourier");
        assertTrue(fourier.contains("sin(u0)*sin(u1)"), fourier);
        assertTrue(fourier.contains("cos(u1)"), fourier);
    }

    @Test
    void badInputsExitTwoWithOneLine() {
        String p = "(x) -> sin(x)";
        usageError("--radius must be positive and finite, got 0.0", "transform", "--program", p, "--at", "0",
                "--radius", "0");
        usageError("--radius must be positive", "transform", "--program", p, "--at", "0", "--radius", "-1");
        usageError("valid names", "transform", "--program", p, "--at", "0", "--family", "wavelet");
        usageError("line 1, column", "transform", "--program", "(x) -> sin(", "--at", "0");
        usageError("has 2 coordinates but the program has 1 input (x)", "transform", "--program", p, "--at", "0,1");
        usageError("'fourier' with d=1, n=30", "transform", "--program", p, "--at", "0", "--family", "fourier",
                "--order", "30");
        usageError("--order must be >= 0", "transform", "--program", p, "--at", "0", "--order", "-3");
    }
}
