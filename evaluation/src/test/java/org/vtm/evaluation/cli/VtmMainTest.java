package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conventions every vtm command shares: help, version, exit codes, one-line errors. */
class VtmMainTest {

    /** Output, error output and exit code of one in-process run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VtmMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("version"), r.out());
        assertTrue(r.out().contains("bench"), r.out());
    }

    @Test
    void versionNamesEveryEngine() {
        Run r = run("version");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("VTM \\d+\\.\\d+\\.\\d+.*"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Java 17") || l.matches("Java (1[7-9]|[2-9]\\d).*")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ND4J 1.0.0-M2.1 backend CpuBackend, devices: 1")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Spark 4.2.0")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Arrow 19.0.0")), r.out());
    }

    @Test
    void usageMistakesExitWithTwoAndOneLine() {
        for (String[] args : new String[][] {{"--bogus"}, {}, {"bench"}, {"version", "extra"}, {"no-such-command"}}) {
            Run r = run(args);
            assertEquals(VtmMain.EXIT_USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), "one line for " + String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void userErrorsFromCommandsAreOneLineWithoutStackTrace() {
        // through a real command: the error raised inside run(), not picocli's option parsing
        Run r = run("basis", "--dim", "0");
        assertEquals(VtmMain.EXIT_USAGE, r.code(), r.err());
        assertEquals("vtm basis: --dim must be >= 1, got 0", r.err().strip());
        assertTrue(VtmMain.isUserError(new IllegalArgumentException("x")));
        assertFalse(VtmMain.isUserError(new IllegalStateException("x")));
        assertEquals("first", VtmMain.oneLine("first\nsecond"));
    }
}
