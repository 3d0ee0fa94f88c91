package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusReader;

/** {@code vtm generate} and {@code vtm corpus inspect} through the real command line. */
class GenerateCliTest {

    @Test
    void generatesAndInspectsACorpus(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("corpus");
        VtmMainTest.Run r = VtmMainTest.run("generate", "--programs", "25", "--dim", "2", "--order", "3", "--family",
                "legendre", "--steps", "1..3", "--seed", "5", "--shard-size", "10", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 25 records"), r.out());
        assertEquals(25, CorpusReader.open(out).records(CorpusFilter.ALL).size());
        assertTrue(Files.exists(out.resolve("shard-00002.arrow")));

        VtmMainTest.Run inspect = VtmMainTest.run("corpus", "inspect", out.toString(), "--records", "2");
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("records     25 in 3 shard(s)"), inspect.out());
        assertTrue(inspect.out().contains("prefix_expansion"), inspect.out());
        assertTrue(inspect.out().contains("record 1"), inspect.out());
        assertFalse(inspect.out().contains("record 2\n"), "only two records printed");
    }

    @Test
    void badInputsExitWithTwoAndNameTheProblem(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("c").toString();
        String[][] cases = {
            {"unknown family", "--family", "bessel"},
            {"--steps", "--steps", "4..1"},
            {"--programs", "--programs", "0"},
            {"--ops", "--ops", "+:1,modulo:2"},
            {"--radius", "--radius", "-1..0.5"},
        };
        for (String[] c : cases) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("generate", "--programs", "5", "--dim",
                    "2", "--order", "3", "--family", "chebyshev", "--seed", "1", "--out", out));
            int at = args.indexOf(c[1]);
            if (at >= 0) {
                args.set(at + 1, c[2]);
            } else {
                args.add(c[1]);
                args.add(c[2]);
            }
            VtmMainTest.Run r = VtmMainTest.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(1, r.err().lines().count(), c[0] + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        VtmMainTest.Run family = VtmMainTest.run("generate", "--programs", "5", "--dim", "2", "--order", "3", "--family",
                "bessel", "--seed", "1", "--out", out);
        assertTrue(family.err().contains("chebyshev") && family.err().contains("legendre"), "lists valid families: " + family.err());

        VtmMainTest.Run missing = VtmMainTest.run("corpus", "inspect", tmp.resolve("nothing-here").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nothing-here"), missing.err());
    }
}
