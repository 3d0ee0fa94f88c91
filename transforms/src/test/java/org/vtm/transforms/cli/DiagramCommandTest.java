package org.vtm.transforms.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.transforms.cli.CliAssertions.doubles;
import static org.vtm.transforms.cli.CliAssertions.num;
import static org.vtm.transforms.cli.CliAssertions.obj;
import static org.vtm.transforms.cli.CliAssertions.objects;
import static org.vtm.transforms.cli.CliAssertions.usageError;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagramCommandTest {

    static final String PROGRAM = "(x, y) -> (x * y, x + sin(y)) |> (u, v) -> (exp(u) / (1 + v^2))";
    static final List<String> KEYS = List.of("format", "family", "order", "point", "radius", "x", "steps",
            "reference", "paths");

    static double plain(double x, double y) {
        double u = x * y;
        double v = x + Math.sin(y);
        return Math.exp(u) / (1 + v * v);
    }

    @Test
    void jsonListsRequestedAndUniformPaths() {
        Map<String, Object> m = CliAssertions.json(KEYS, "diagram", "--program", PROGRAM, "--path", "e, t",
                "--at", "0.3,0.1", "--radius", "0.2", "--order", "4", "--x", "0.35,0.05", "--format", "json");
        assertEquals("vtm.diagram/1", m.get("format"));
        assertEquals(2.0, num(m.get("steps")));
        assertArrayEquals(new double[] {0.35, 0.05}, doubles(m.get("x")));
        double ref = plain(0.35, 0.05);
        assertEquals(ref, doubles(m.get("reference"))[0], 1e-15);
        List<Map<String, Object>> paths = objects(m.get("paths"));
        assertEquals(List.of("E,T", "E,E", "X,X", "T,T"), paths.stream().map(p -> p.get("path")).toList());
        assertEquals(List.of(true, false, false, false), paths.stream().map(p -> p.get("requested")).toList());
        for (Map<String, Object> p : paths) {
            assertEquals(List.of("path", "requested", "output", "point_max_abs", "region", "refused"),
                    List.copyOf(p.keySet()));
            assertNull(p.get("refused"));
            double out = doubles(p.get("output"))[0];
            assertEquals(Math.abs(out - ref), num(p.get("point_max_abs")), 1e-15, p.toString());
        }
        Map<String, Object> ee = paths.get(1);
        assertEquals(0.0, num(ee.get("point_max_abs")));
        assertEquals(0.0, num(obj(ee.get("region")).get("rel_l2")));
        // a fixed order-4 expansion is off at x != v0, but only by about |h|^5-scale terms (|h| <= 0.05)
        double et = num(paths.get(0).get("point_max_abs"));
        assertTrue(et > 0 && et < 1e-4, "E,T at x: " + et);
        // over the box: X,X and T,T differ only by rounding for a polynomial family
        assertEquals(num(obj(paths.get(2).get("region")).get("rel_l2")),
                num(obj(paths.get(3).get("region")).get("rel_l2")), 1e-12);
    }

    @Test
    void atTheExpansionPointEveryPathIsExact() {
        Map<String, Object> m = CliAssertions.json(KEYS, "diagram", "--program", PROGRAM, "--path", "X,T",
                "--at", "0.3,0.1", "--radius", "0.2", "--order", "3", "--format", "json");
        assertArrayEquals(new double[] {0.3, 0.1}, doubles(m.get("x")), "--x defaults to v0");
        for (Map<String, Object> p : objects(m.get("paths"))) {
            // series evaluated at h = 0 return their constant terms: plain values up to rounding
            assertEquals(plain(0.3, 0.1), doubles(p.get("output"))[0], 1e-15, p.get("path").toString());
        }
    }

    @Test
    void tableShowsEveryPath() {
        String out = CliAssertions.ok("diagram", "--program", PROGRAM, "--path", "E,X", "--at", "0.3,0.1",
                "--radius", "0.2", "--order", "4");
        assertTrue(out.lines().anyMatch(l -> l.startsWith("E,X *")), out);
        for (String p : List.of("E,E ", "X,X ", "T,T ")) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(p)), p + " in " + out);
        }
        assertTrue(out.contains(Double.toString(plain(0.3, 0.1))), out);
    }

    @Test
    void refusedFunctionSetIsReportedForComparisonPathsAndFailsARequestedOne() {
        String p = "(x) -> (sin(x)) |> (y) -> (y^2)";
        Map<String, Object> m = CliAssertions.json(KEYS, "diagram", "--program", p, "--path", "E,X", "--at", "0.2",
                "--order", "24", "--family", "fourier", "--format", "json");
        Map<String, Object> tt = objects(m.get("paths")).get(3);
        assertEquals("T,T", tt.get("path"));
        assertTrue(((String) tt.get("refused")).contains("numerically singular"), tt.toString());
        assertNull(tt.get("output"));
        usageError("numerically singular", "diagram", "--program", p, "--path", "T,E", "--at", "0.2", "--order",
                "24", "--family", "fourier");
    }

    @Test
    void badInputsExitTwoWithOneLine() {
        usageError("position 2: 'Q' is not a mode", "diagram", "--program", PROGRAM, "--path", "E,Q", "--at",
                "0.3,0.1");
        usageError("has 1 letters but the program has 2 steps", "diagram", "--program", PROGRAM, "--path", "E",
                "--at", "0.3,0.1");
        usageError("--x coordinate 2 is 'y'", "diagram", "--program", PROGRAM, "--path", "E,E", "--at", "0.3,0.1",
                "--x", "1,y");
        usageError("--at '0.3' has 1 coordinate", "diagram", "--program", PROGRAM, "--path", "E,E", "--at", "0.3");
        usageError("--path", "diagram", "--program", PROGRAM, "--at", "0.3,0.1");
        usageError("--radius", "diagram", "--program", PROGRAM, "--path", "E,E", "--at", "0.3,0.1", "--radius",
                "NaN");
    }
}
