package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DevicesTest {
    /** The test classpath has the CPU backend only: asking for the GPU is a usage error (exit 2) that says why. */
    @Test
    void gpuOnTheCpuBackendIsAUsageErrorNamingTheBackend() {
        assertFalse(Devices.cudaBackend());
        Devices.Unavailable e = assertThrows(Devices.Unavailable.class, () -> Devices.require("gpu"));
        assertTrue(e.getMessage().contains("--device gpu") && e.getMessage().contains("CPU")
                && e.getMessage().contains("-Pgpu"), e.getMessage());
        Devices.require("cpu");
        Devices.Unavailable bad = assertThrows(Devices.Unavailable.class, () -> Devices.require("tpu"));
        assertTrue(bad.getMessage().contains("'tpu'"), bad.getMessage());
    }
}
