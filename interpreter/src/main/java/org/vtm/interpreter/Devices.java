package org.vtm.interpreter;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.transforms.cli.UsageException;

/** Checks a requested compute device against the ND4J backend on the classpath. */
public final class Devices {
    private Devices() {
    }

    /** True when ND4J runs on its CUDA backend (built with {@code -Pgpu}). */
    public static boolean cudaBackend() {
        return Nd4j.getBackend().getClass().getName().toLowerCase(Locale.ROOT).contains("cuda")
                || Nd4j.getBackend().getClass().getSimpleName().contains("Cublas");
    }

    /**
     * Accepts {@code cpu} always and {@code gpu} only on the CUDA backend.
     *
     * @throws UsageException (exit 2) naming the device and what is missing
     */
    public static void require(String device) {
        String d = device == null ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        switch (d) {
            case "cpu" -> {
            }
            case "gpu" -> {
                if (!cudaBackend()) {
                    throw new UsageException("--device gpu: the active ND4J backend is "
                            + Nd4j.getBackend().getClass().getSimpleName() + " (CPU); the GPU needs a build with -Pgpu "
                            + "(nd4j-cuda-11.6) on a machine with an NVIDIA GPU and CUDA 11.6 (README, 'GPU training')");
                }
            }
            default -> throw new UsageException("--device '" + device + "' is not one of: cpu, gpu");
        }
    }
}
