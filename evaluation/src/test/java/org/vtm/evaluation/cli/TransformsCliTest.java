package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transforms commands through the real {@code vtm} entry point (detailed tests live in transforms). */
class TransformsCliTest {

    @Test
    void helpListsTheTransformsCommands() {
        VtmMainTest.Run r = VtmMainTest.run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"expand", "basis", "transform", "diagram"}) {
            assertTrue(r.out().contains(c), c + " in " + r.out());
        }
    }

    @Test
    void expandJsonThroughVtmMain() {
        VtmMainTest.Run r = VtmMainTest.run("expand", "--program", "(x, y) -> (x * y, sin(y))", "--at", "0.3,0.1",
                "--order", "1", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"format\":\"vtm.expansion/1\",\"dim_in\":2,\"dim_out\":2,\"order\":1,\"point\":[0.3,0.1],"
                + "\"terms\":[{\"out\":0,\"alpha\":[0,0],\"coef\":" + (0.3 * 0.1) + "},"
                + "{\"out\":0,\"alpha\":[1,0],\"coef\":0.1},{\"out\":0,\"alpha\":[0,1],\"coef\":0.3},"
                + "{\"out\":1,\"alpha\":[0,0],\"coef\":" + Math.sin(0.1) + "},{\"out\":1,\"alpha\":[1,0],\"coef\":0.0},"
                + "{\"out\":1,\"alpha\":[0,1],\"coef\":" + Math.cos(0.1) + "}]}", r.out().strip());
    }

    @Test
    void userMistakesExitTwoWithOneLine() {
        String[][] cases = {
            {"expand", "--program", "(x) -> (x +", "--at", "0"},
            {"expand", "--program", "(x) -> x", "--at", "0,1"},
            {"expand", "--program", "(x) -> x", "--at", "zero"},
            {"expand", "--program", "(x) -> x", "--at", "0", "--order", "-1"},
            {"basis", "--family", "nope"},
            {"basis", "--family", "fourier", "--dim", "1", "--order", "24"},
            {"transform", "--program", "(x) -> x", "--at", "0", "--radius", "0"},
            {"diagram", "--program", "(x) -> x |> (y) -> y", "--path", "E,Z", "--at", "0"},
        };
        for (String[] args : cases) {
            VtmMainTest.Run r = VtmMainTest.run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(VtmMain.EXIT_USAGE, r.code(), what);
            assertEquals(1, r.err().lines().count(), what);
            assertFalse(r.err().contains("Exception"), what);
            assertTrue(r.err().startsWith("vtm " + args[0] + ": "), what);
        }
    }
}
