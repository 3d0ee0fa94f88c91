package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vtm.interpreter.train.TrainingDivergedException;

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

    /** A command standing in for a training run whose loss became NaN at its 7th update. */
    @picocli.CommandLine.Command(name = "diverging")
    static final class Diverging implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new TrainingDivergedException(7, "loss NaN", "the last checkpoint is kept");
        }
    }

    @Test
    void aDivergedTrainingRunExitsWithThreeAndOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = VtmMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand(new Diverging());
        cl.setErr(new PrintWriter(err, true)); // streams reach only the subcommands present when they are set
        assertEquals(VtmMain.EXIT_DIVERGED, cl.execute("diverging"));
        assertEquals(3, VtmMain.EXIT_DIVERGED);
        assertEquals("vtm diverging: diverged at update 7 (loss NaN); the last checkpoint is kept", err.toString().strip());
        // both training commands document the code in --help
        for (String[] help : new String[][] {{"stm", "train", "--help"}, {"train", "--help"}}) {
            Run r = run(help);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Exit codes:") && r.out().contains("3   training diverged"), r.out());
        }
    }
}
