package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vtm.transforms.cli.UsageException;

class DevicesTest {
    /** The test classpath has the CPU backend only: asking for the GPU is a usage error (exit 2) that says why. */
    @Test
    void gpuOnTheCpuBackendIsAUsageErrorNamingTheBackend() {
        assertFalse(Devices.cudaBackend());
        UsageException e = assertThrows(UsageException.class, () -> Devices.require("gpu"));
        assertTrue(e.getMessage().contains("--device gpu") && e.getMessage().contains("CPU")
                && e.getMessage().contains("-Pgpu"), e.getMessage());
        Devices.require("cpu");
        UsageException bad = assertThrows(UsageException.class, () -> Devices.require("tpu"));
        assertTrue(bad.getMessage().contains("'tpu'"), bad.getMessage());
    }
}
