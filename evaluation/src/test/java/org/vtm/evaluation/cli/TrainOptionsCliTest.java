package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vtm train}'s choices are typed options: a value outside them is one line naming the option and the choices. */
class TrainOptionsCliTest {

    @Test
    void anUnknownChoiceNamesItsOptionAndTheValidValues(@TempDir Path tmp) {
        String[][] cases = {{"--init", "bogus", "TFX, RANDOM, PROJECTION"}, {"--head", "sideways", "TRANSFORM, DIRECT"},
            {"--inputs", "raw", "asinh, normalised, next_order"}, {"--inputs", "normalised+grow", "growth and structure"},
            {"--inputs", "growth+structure", "names no base mode"}, {"--loss", "l1", "LOG_REL"}};
        for (String[] c : cases) {
            VtmMainTest.Run r = VtmMainTest.run("train", "--corpus", tmp.toString(), "--family", "chebyshev", "--order", "2",
                    "--epochs", "1", "--out", tmp.resolve("m").toString(), c[0], c[1]);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("'" + c[0] + "'") && r.err().contains("'" + c[1] + "'") && r.err().contains(c[2]),
                    r.err());
            assertFalse(Files.exists(tmp.resolve("m")), "nothing written");
        }
        // choices are case-insensitive, as the help shows them in lower case
        VtmMainTest.Run lower = VtmMainTest.run("train", "--corpus", tmp.resolve("none").toString(), "--family", "chebyshev",
                "--order", "2", "--epochs", "1", "--out", tmp.resolve("m").toString(), "--init", "Projection", "--loss", "REL");
        assertFalse(lower.err().contains("Invalid value"), lower.err());
        // combinations in any order and case are accepted (the run then fails on the missing corpus, not on --inputs)
        VtmMainTest.Run combined = VtmMainTest.run("train", "--corpus", tmp.resolve("none").toString(), "--family",
                "chebyshev", "--order", "2", "--epochs", "1", "--out", tmp.resolve("m2").toString(), "--inputs",
                "Structure+normalised+GROWTH");
        assertFalse(combined.err().contains("--inputs"), combined.err());
        // structure needs the layer engine: one line, exit 2
        VtmMainTest.Run samediff = VtmMainTest.run("train", "--corpus", tmp.toString(), "--family", "chebyshev", "--order",
                "2", "--epochs", "1", "--out", tmp.resolve("m3").toString(), "--inputs", "asinh+structure", "--engine",
                "samediff");
        assertEquals(2, samediff.code(), samediff.err());
        assertEquals(1, samediff.err().strip().lines().count(), samediff.err());
        assertTrue(samediff.err().contains("--engine layers") && samediff.err().contains("asinh+structure"), samediff.err());
    }

    @Test
    void helpExplainsTheInputCombinations() {
        VtmMainTest.Run r = VtmMainTest.run("train", "--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("BASE[+growth][+structure]") && help.contains("normalised+growth+structure")
                && help.contains("--structure-width"), help);
    }
}
