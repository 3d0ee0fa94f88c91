package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes beyond the expansion budget are one line and exit 2 on every command that reaches dense
 * basis matrices, before anything is allocated or written. ({@code generate --dim 9 --order 9}
 * used to end in "internal error: java.lang.NegativeArraySizeException", {@code --dim 8 --order 10}
 * in an out-of-memory trace.)
 */
@Timeout(60)
class GenerateBudgetCliTest {

    @Test
    void generateRefusesD9N9AndD8N10WithTheSizesAndTheLimit(@TempDir Path tmp) {
        for (String[] dn : new String[][] {{"9", "9", "48620"}, {"8", "10", "43758"}}) {
            Path out = tmp.resolve("c" + dn[0]);
            VtmMainTest.Run r = VtmMainTest.run("generate", "--programs", "10", "--dim", dn[0], "--order", dn[1], "--family",
                    "chebyshev", "--seed", "1", "--out", out.toString());
            String err = r.err();
            assertEquals(2, r.code(), err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertFalse(err.contains("Exception") || err.contains("internal error"), err);
            assertTrue(err.startsWith("vtm generate: corpus generation for d=" + dn[0] + ", n=" + dn[1]), err);
            assertTrue(err.contains("M=" + dn[2]) && err.contains(dn[2] + " × " + dn[2]), "names the sizes: " + err);
            assertTrue(err.strip().matches(".* need [0-9.]+ (GiB|TiB) \\([0-9]+ bytes\\), more than the expansion budget of 512.0 MiB "
                    + "\\(536870912 bytes\\).*"),
                    "names the bytes needed and the limit: " + err);
            assertFalse(Files.exists(out), "nothing written");
        }
        // the oracle's 4M × M design matrix cannot be one Java array for either: the message says no budget helps
        VtmMainTest.Run d9 = VtmMainTest.run("generate", "--programs", "10", "--dim", "9", "--order", "9", "--family",
                "chebyshev", "--seed", "1", "--out", tmp.resolve("y").toString());
        assertTrue(d9.err().contains("no budget allows this") && d9.err().contains("more than a Java array can hold"), d9.err());
        // d=6, n=6 needs about 1 GiB of per-record buffers: over a 512 MiB budget the message says how to raise it
        String before = System.getProperty(org.vtm.transforms.ExpansionBudget.PROPERTY);
        System.setProperty(org.vtm.transforms.ExpansionBudget.PROPERTY, String.valueOf(512L << 20));
        VtmMainTest.Run d6;
        try {
            d6 = VtmMainTest.run("generate", "--programs", "10", "--dim", "6", "--order", "6", "--family",
                    "chebyshev", "--seed", "1", "--out", tmp.resolve("x").toString());
        } finally {
            if (before == null) {
                System.clearProperty(org.vtm.transforms.ExpansionBudget.PROPERTY);
            } else {
                System.setProperty(org.vtm.transforms.ExpansionBudget.PROPERTY, before);
            }
        }
        assertEquals(2, d6.code(), d6.err());
        assertTrue(d6.err().contains("d=6, n=6") && d6.err().contains("VTM_JAVA_OPTS=\"-Dvtm.expansion.budgetBytes="), d6.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void everyCommandReachingDenseMatricesIsExitTwo(@TempDir Path tmp) {
        String[][] commands = {
            {"basis", "--family", "chebyshev", "--dim", "9", "--order", "9"},
            {"transform", "--program", "(x, y) -> (x * y, sin(y))", "--at", "0,0", "--order", "80", "--family", "legendre"},
            {"expand", "--program", "(x, y) -> (x * y, sin(y))", "--at", "0,0", "--order", "100000"},
            {"precompute", "--families", "chebyshev", "--dims", "9..9", "--orders", "9..9", "--out", tmp.resolve("bank").toString()},
            {"generate", "--engine", "spark", "--programs", "10", "--dim", "8", "--order", "10", "--family", "legendre",
                "--seed", "1", "--out", tmp.resolve("spark").toString()},
        };
        for (String[] c : commands) {
            VtmMainTest.Run r = VtmMainTest.run(c);
            assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
            assertEquals(1, r.err().lines().count(), String.join(" ", c) + " -> " + r.err());
            assertTrue(r.err().contains("expansion budget"), String.join(" ", c) + " -> " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("bank")) || Files.exists(tmp.resolve("spark")), "nothing written");
    }

    @Test
    void thePipelineRefusesAnOverBudgetProblemWithOneLine(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("big.json"),
                "{\"preset\": \"smoke\", \"problem\": {\"dim\": 8, \"order\": 10}}");
        VtmMainTest.Run r = VtmMainTest.run("pipeline", "--config", config.toString(), "--out", tmp.resolve("run").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("d=8, n=10") && r.err().contains("expansion budget"), r.err());
        assertFalse(Files.exists(tmp.resolve("run")), "sizes are refused before the run directory is created");
    }
}
