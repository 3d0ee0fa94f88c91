package org.vtm.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.interpreter.engine.TorchBridge;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;

/** The options of {@code vtm bench train} added for the layer engine and the PyTorch comparison. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TrainBenchCommandTest {

    private static TrainBenchCommand parse(String... args) {
        TrainBenchCommand c = new TrainBenchCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void sameDiffInFloat32IsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--engine", "samediff", "--dtype", "float32").call());
        assertEquals("--engine samediff runs in float64 only; use --engine layers for --dtype float32", e.getMessage());
    }

    @Test
    void versusTorchWithoutPyTorchIsAUsageErrorSayingHowToInstall() {
        String before = System.getProperty("vtm.python");
        System.setProperty("vtm.python", "/nonexistent/python3");
        try {
            UsageException e = assertThrows(UsageException.class, () -> parse("--versus-torch").call());
            assertTrue(e.getMessage().startsWith("--versus-torch: /nonexistent/python3 cannot be run"), e.getMessage());
            assertTrue(e.getMessage().contains("apt-get install -y python3-torch"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("vtm.python");
            } else {
                System.setProperty("vtm.python", before);
            }
        }
    }

    @Test
    void versusTorchAlternatesRoundsAndEndsWithTheRatioLine() throws Exception {
        TorchBridge.unavailable().ifPresent(msg -> fail(msg));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, parse("--versus-torch", "--batch", "4", "--iterations", "3", "--rounds", "2", "--dtype",
                    "float32").call());
        } finally {
            System.setOut(old);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).trim().split("\n");
        String out = String.join("\n", lines);
        int vtm = 0;
        int torch = 0;
        String order = "";
        for (String l : lines) {
            if (l.startsWith("round ") && l.contains(" VTM (layers): ")) {
                vtm++;
                order += "V";
            } else if (l.startsWith("round ") && l.contains(" PyTorch: ")) {
                torch++;
                order += "T";
            }
        }
        assertEquals("VTVT", order, out);
        assertEquals(2, vtm);
        assertEquals(2, torch);
        String last = lines[lines.length - 1];
        assertTrue(last.matches("RESULT train vtm_samples_per_s=[0-9.]+ torch_samples_per_s=[0-9.]+ ratio=[0-9.]+"), last);
        assertTrue(out.contains("engine layers, float32, batch 4"), out);
    }
}
