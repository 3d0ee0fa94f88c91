package org.vtm.interpreter;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/** Checks a requested compute device against the ND4J backend on the classpath. */
public final class Devices {
    private Devices() {
    }

    /** A device that this build or machine cannot provide; the message names it and the remedy. */
    public static final class Unavailable extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }

    /** True when ND4J runs on its CUDA backend (built with {@code -Pgpu}). */
    public static boolean cudaBackend() {
        return Nd4j.getBackend().getClass().getName().toLowerCase(Locale.ROOT).contains("cuda")
                || Nd4j.getBackend().getClass().getSimpleName().contains("Cublas");
    }

    /**
     * Accepts {@code cpu} always and {@code gpu} only on the CUDA backend.
     *
     * @throws Unavailable naming the device and what is missing (the command line exits with 2)
     */
    public static void require(String device) {
        String d = device == null ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        switch (d) {
            case "cpu" -> {
            }
            case "gpu" -> {
                if (!cudaBackend()) {
                    throw new Unavailable("--device gpu: the active ND4J backend is "
                            + Nd4j.getBackend().getClass().getSimpleName() + " (CPU); the GPU needs a build with -Pgpu "
                            + "(nd4j-cuda-11.6) on a machine with an NVIDIA GPU and CUDA 11.6 (README, 'GPU training')");
                }
            }
            default -> throw new Unavailable("--device '" + device + "' is not one of: cpu, gpu");
        }
    }
}
