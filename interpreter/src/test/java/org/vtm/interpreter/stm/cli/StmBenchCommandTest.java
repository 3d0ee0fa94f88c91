package org.vtm.interpreter.stm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.interpreter.engine.TorchExchange;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;

/** {@code vtm bench stm}: its option checks, the missing-PyTorch line and the RESULT lines of short runs. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StmBenchCommandTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** A tiny model so that a run takes seconds. */
    static final String[] TINY = {"--layers", "1", "--memory", "4x4", "--word", "2x2", "--batch", "2", "--segment", "2",
        "--iterations", "1", "--warmup", "1"};

    private static StmBenchCommand parse(String... args) {
        StmBenchCommand c = new StmBenchCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    private static String[] tiny(String... extra) {
        String[] all = new String[TINY.length + extra.length];
        System.arraycopy(TINY, 0, all, 0, TINY.length);
        System.arraycopy(extra, 0, all, TINY.length, extra.length);
        return all;
    }

    /** Runs {@code call} with {@code vtm.python} set to {@code python}, restoring it afterwards. */
    private static <T> T withPython(String python, Callable<T> call) throws Exception {
        String before = System.getProperty("vtm.python");
        System.setProperty("vtm.python", python);
        try {
            return call.call();
        } finally {
            if (before == null) {
                System.clearProperty("vtm.python");
            } else {
                System.setProperty("vtm.python", before);
            }
        }
    }

    private static String output(Callable<Integer> call) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, call.call());
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void versusTorchWithANonExistentPythonSaysHowToInstall() throws Exception {
        UsageException e = withPython("/nonexistent/python3",
                () -> assertThrows(UsageException.class, () -> parse(tiny("--versus-torch")).call()));
        assertTrue(e.getMessage().startsWith("--versus-torch: /nonexistent/python3 cannot be run"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y python3-torch") && !e.getMessage().contains("\n"),
                e.getMessage());
    }

    @Test
    void versusTorchWithAPythonWithoutTorchSaysHowToInstall(@TempDir Path dir) throws Exception {
        // python3 without its site packages (-S -I) cannot import Debian's torch
        Path py = dir.resolve("python-without-torch");
        Files.writeString(py, "#!/bin/sh\nexec " + TorchExchange.python() + " -I -S \"$@\"\n");
        Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwx------"));
        UsageException e = withPython(py.toString(),
                () -> assertThrows(UsageException.class, () -> parse(tiny("--versus-torch")).call()));
        assertEquals("--versus-torch: PyTorch is not installed for " + py + ": install Debian's PyTorch with "
                + "'apt-get install -y python3-torch' (or point VTM_PYTHON at a python3 that has torch)", e.getMessage());
    }

    @Test
    void roundsOutOfRangeAreUsageErrors() {
        UsageException once = assertThrows(UsageException.class, () -> parse(tiny("--versus-torch", "--rounds", "1")).call());
        assertEquals("--rounds must be 2..100 with --versus-torch (VTM and PyTorch alternate at least twice), got 1",
                once.getMessage());
        UsageException none = assertThrows(UsageException.class, () -> parse(tiny("--rounds", "0")).call());
        assertEquals("--rounds must be 1..100, got 0", none.getMessage());
    }

    @Test
    void modelWithoutVersusTorchIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse(tiny("--model", "lstm")).call());
        assertTrue(e.getMessage().startsWith("--model chooses the model compared with PyTorch; it needs --versus-torch"),
                e.getMessage());
    }

    @Test
    void badDtypeIsRejectedByTheParser() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse(tiny("--dtype", "float16")));
        assertTrue(e.getMessage().contains("float64, float32"), e.getMessage());
    }

    @Test
    void plainRunComparesStmAndLstmInFloat64() throws Exception {
        String out = output(() -> parse(tiny("--dtype", "float64", "--rounds", "2")).call());
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("float64, batch 2, segment 2, 1 timed updates per round"), out);
        assertEquals(2, out.lines().filter(l -> l.matches("round [12]: stm [0-9.]+ chars/s, lstm [0-9.]+ chars/s")).count(),
                out);
        assertTrue(lines[lines.length - 1].matches("RESULT stm chars_per_s=[0-9.]+ lstm_chars_per_s=[0-9.]+"), out);
    }

    @Test
    void versusTorchAlternatesAndEndsWithTheRatioLine() throws Exception {
        Assumptions.assumeTrue(TorchExchange.unavailable().isEmpty(), () -> TorchExchange.unavailable().get());
        for (String model : new String[] {"stm", "lstm"}) {
            String out = output(() -> parse(tiny("--versus-torch", "--rounds", "2", "--model", model, "--write", "nearest"))
                    .call());
            StringBuilder order = new StringBuilder();
            for (String l : out.split("\n")) {
                if (l.matches("round [12] VTM: [0-9.]+ ms/update, [0-9.]+ chars/s")) {
                    order.append('V');
                } else if (l.matches("round [12] PyTorch: [0-9.]+ ms/update, [0-9.]+ chars/s")) {
                    order.append('T');
                }
            }
            assertEquals("VTVT", order.toString(), out);
            String[] lines = out.split("\n");
            String last = lines[lines.length - 1];
            assertTrue(last.matches("RESULT " + model + " vtm_chars_per_s=[0-9.]+ torch_chars_per_s=[0-9.]+ ratio=[0-9.]+"),
                    out);
            assertFalse(out.contains("RESULT stm chars_per_s"), out);
        }
    }
}
