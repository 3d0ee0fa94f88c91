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

    @Test
    void programFamilyIsChosenOnTheCommandLineAndRecorded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("rational");
        VtmMainTest.Run r = VtmMainTest.run("generate", "--programs", "12", "--dim", "2", "--order", "3", "--family",
                "chebyshev", "--steps", "1..2", "--seed", "5", "--program-family", "rational", "--pole-ratio", "0.3..0.6",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        CorpusReader reader = CorpusReader.open(out);
        assertEquals("rational", reader.manifest().generator().path("program_family").asText());
        assertEquals(0.3, reader.manifest().generator().path("pole_ratio_min").asDouble());
        for (var rec : reader.records(CorpusFilter.ALL)) {
            assertEquals("rational", rec.programFamily());
            assertTrue(rec.poleRatio() >= 0.3 && rec.poleRatio() <= 0.6, rec.toString());
        }
        VtmMainTest.Run inspect = VtmMainTest.run("corpus", "inspect", out.toString(), "--records", "1");
        assertTrue(inspect.out().contains("[rational, ρ = ") && inspect.out().contains("vtm.corpus/2"), inspect.out());
        Path mlp = tmp.resolve("mlp");
        VtmMainTest.Run m = VtmMainTest.run("generate", "--programs", "4", "--dim", "2", "--order", "2", "--family",
                "chebyshev", "--seed", "5", "--program-family", "mlp", "--out", mlp.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(CorpusReader.open(mlp).records(CorpusFilter.ALL).stream().allMatch(x -> x.programFamily().equals("mlp")));

        VtmMainTest.Run help = VtmMainTest.run("generate", "--help");
        assertEquals(0, help.code(), help.err());
        for (String word : new String[] {"--program-family", "random", "mlp", "exp-affine", "rational", "branching", "--pole-ratio"}) {
            assertTrue(help.out().contains(word), "--help explains " + word + ":\n" + help.out());
        }
    }

    @Test
    void badProgramFamilyOptionsExitWithTwoNamingTheOption(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("c").toString();
        String[][] cases = {
            {"--program-family", "--program-family", "cnn"},
            {"--pole-ratio", "--program-family", "rational", "--pole-ratio", "0.5..1"},
            {"--pole-ratio", "--program-family", "rational", "--pole-ratio", "0..0.5"},
            {"--pole-ratio", "--program-family", "rational", "--pole-ratio", "a..b"},
            {"--pole-ratio", "--pole-ratio", "0.2..0.4"},
            {"--pole-ratio", "--program-family", "mlp", "--pole-ratio", "0.2..0.4"},
            {"--ops", "--program-family", "mlp", "--ops", "+:1"},
            {"--depth", "--program-family", "branching", "--depth", "2"},
        };
        for (String[] c : cases) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("generate", "--programs", "5", "--dim",
                    "2", "--order", "3", "--family", "chebyshev", "--seed", "1", "--out", out));
            args.addAll(java.util.Arrays.asList(c).subList(1, c.length));
            VtmMainTest.Run r = VtmMainTest.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[0]), "names " + c[0] + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        VtmMainTest.Run unknown = VtmMainTest.run("generate", "--programs", "5", "--dim", "2", "--order", "3", "--family",
                "chebyshev", "--seed", "1", "--program-family", "cnn", "--out", out);
        assertTrue(unknown.err().contains("exp-affine") && unknown.err().contains("branching"), "lists the families: " + unknown.err());
        assertFalse(Files.exists(tmp.resolve("c").resolve("manifest.json")), "nothing written");
    }
}
