package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code vtm bench stm}'s user mistakes end in one line and exit code 2, before any model is built. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StmBenchCliTest {

    private static VtmMainTest.Run run(String... args) {
        return VtmMainTest.run(args);
    }

    private static void assertUsage(VtmMainTest.Run r, String expected, String what) {
        assertEquals(VtmMain.EXIT_USAGE, r.code(), what + ": " + r.err());
        assertEquals(1, r.err().lines().count(), what + ": one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().contains(expected), what + ": " + r.err());
    }

    @Test
    void badDtypeRoundsAndModelAreOneLineAndExitTwo() {
        assertUsage(run("bench", "stm", "--dtype", "float16"), "--dtype", "--dtype float16");
        assertUsage(run("bench", "stm", "--rounds", "0"), "--rounds must be 1..100, got 0", "--rounds 0");
        assertUsage(run("bench", "stm", "--versus-torch", "--rounds", "1"),
                "--rounds must be 2..100 with --versus-torch", "--versus-torch --rounds 1");
        assertUsage(run("bench", "stm", "--model", "lstm"), "it needs --versus-torch", "--model without --versus-torch");
    }

    @Test
    void missingPyTorchIsOneLineSayingHowToInstallAndExitTwo() {
        String before = System.getProperty("vtm.python");
        System.setProperty("vtm.python", "/nonexistent/python3");
        try {
            assertUsage(run("bench", "stm", "--versus-torch"), "apt-get install -y python3-torch", "no PyTorch");
        } finally {
            if (before == null) {
                System.clearProperty("vtm.python");
            } else {
                System.setProperty("vtm.python", before);
            }
        }
    }
}
