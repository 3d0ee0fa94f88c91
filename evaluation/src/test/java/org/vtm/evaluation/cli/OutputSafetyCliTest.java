package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that takes {@code --out} refuses, with exit 2 and one line, a regular file, a path
 * under a file and a non-empty directory VTM did not write — and writes or deletes nothing there.
 */
@Timeout(300)
class OutputSafetyCliTest {
    @TempDir
    static Path tmp;
    static Path corpus;
    static Path text;

    @BeforeAll
    static void inputs() throws Exception {
        corpus = tmp.resolve("corpus");
        VtmMainTest.Run g = VtmMainTest.run("generate", "--programs", "12", "--dim", "1", "--order", "2", "--family",
                "chebyshev", "--steps", "1..2", "--seed", "3", "--out", corpus.toString());
        assertEquals(0, g.code(), g.err());
        text = tmp.resolve("text.txt");
        Files.writeString(text, "the quick brown fox jumps over the lazy dog. ".repeat(40));
    }

    /** Each command with every option but --out, as a function of the --out value. */
    static Map<String, Function<Path, String[]>> commands() {
        Map<String, Function<Path, String[]>> m = new LinkedHashMap<>();
        m.put("generate", o -> new String[] {"generate", "--programs", "5", "--dim", "1", "--order", "2", "--family",
            "chebyshev", "--seed", "1", "--out", o.toString()});
        m.put("precompute", o -> new String[] {"precompute", "--families", "chebyshev", "--dims", "1..1", "--orders", "2..2",
            "--out", o.toString()});
        m.put("baseline", o -> new String[] {"baseline", "--corpus", corpus.toString(), "--out", o.toString()});
        m.put("train", o -> new String[] {"train", "--corpus", corpus.toString(), "--family", "chebyshev", "--order", "2",
            "--epochs", "1", "--out", o.toString()});
        m.put("stm train", o -> new String[] {"stm", "train", "--text", text.toString(), "--layers", "1", "--memory", "4x4",
            "--word", "2x2", "--controller", "4", "--batch", "2", "--segment", "4", "--minutes", "0.02", "--epochs", "1",
            "--held-out", "0.2", "--eval-chars", "100", "--sample", "5", "--out", o.toString()});
        m.put("evaluate", o -> new String[] {"evaluate", "--model", tmp.toString(), "--corpus", corpus.toString(), "--out",
            o.toString()});
        m.put("pipeline", o -> new String[] {"pipeline", "--preset", "smoke", "--out", o.toString()});
        return m;
    }

    private static void assertRefused(VtmMainTest.Run r, String what, String expected) {
        assertEquals(2, r.code(), what + ": " + r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
        assertTrue(r.err().contains(expected), what + ": " + r.err());
        assertFalse(r.err().contains("Exception"), what + ": " + r.err());
    }

    @Test
    void aRegularFileOrAPathUnderOneIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "keep me");
        Map<String, Function<Path, String[]>> m = new LinkedHashMap<>(commands());
        m.put("stm activity", o -> new String[] {"stm", "activity", "--model", tmp.resolve("no-model").toString(), "--out",
            o.toString()});
        for (Map.Entry<String, Function<Path, String[]>> c : m.entrySet()) {
            assertRefused(VtmMainTest.run(c.getValue().apply(file)), c.getKey() + " into a file",
                    "--out " + file + " is a regular file; expected a directory");
            assertRefused(VtmMainTest.run(c.getValue().apply(file.resolve("under"))), c.getKey() + " under a file",
                    "--out " + file.resolve("under") + " lies under " + file + ", which is a regular file");
            assertEquals("keep me", Files.readString(file));
        }
        Path sys = Path.of("/sys/vtm-output-test");
        assertRefused(VtmMainTest.run(m.get("generate").apply(sys)), "generate into /sys",
                "--out " + sys + ": cannot create the directory");
    }

    @Test
    void aNonEmptyDirectoryVtmDidNotWriteIsRefusedAndKeepsItsFiles() throws Exception {
        for (Map.Entry<String, Function<Path, String[]>> c : commands().entrySet()) {
            Path dir = Files.createDirectories(tmp.resolve("thesis-" + c.getKey().replace(' ', '-')));
            Files.createDirectories(dir.resolve("report"));
            Files.writeString(dir.resolve("report/thesis.txt"), "four years of work");
            assertRefused(VtmMainTest.run(c.getValue().apply(dir)), c.getKey(), "--out " + dir
                    + " is not empty and was not written by VTM (it holds report); choose a new or empty directory");
            List<String> left = new ArrayList<>();
            try (var s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).forEach(p -> left.add(dir.relativize(p).toString()));
            }
            assertEquals(List.of("report/thesis.txt"), left, c.getKey() + ": nothing written, nothing removed");
            assertEquals("four years of work", Files.readString(dir.resolve("report/thesis.txt")));
        }
    }
}
