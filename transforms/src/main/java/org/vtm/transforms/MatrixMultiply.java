package org.vtm.transforms;

import java.util.ServiceLoader;

/**
 * A dense matrix product {@code out = a · b} on row-major {@code double[]}s. The transforms module
 * stays plain Java and ships a blocked Java kernel; a module with a BLAS at hand (the interpreter
 * module registers one backed by ND4J/OpenBLAS) can offer a faster one through
 * {@link ServiceLoader} ({@code META-INF/services/org.vtm.transforms.MatrixMultiply}). Batch
 * paths such as {@link BasisTransform#applyBatch} use {@link #best()} for large products.
 */
public interface MatrixMultiply {

    /** A short name for reports, e.g. {@code "java-blocked"} or {@code "nd4j-openblas"}. */
    String name();

    /**
     * {@code out = a · b}; {@code a} is {@code rows × inner}, {@code b} is {@code inner × cols},
     * {@code out} ({@code rows × cols}) is overwritten and must not alias {@code a} or {@code b}.
     */
    void multiply(double[] a, int rows, int inner, double[] b, int cols, double[] out);

    /** Relative preference when several are available; the highest wins. The Java kernel has 0. */
    default int priority() {
        return 100;
    }

    /** The plain-Java blocked kernel, always available. */
    MatrixMultiply JAVA = new MatrixMultiply() {
        @Override
        public String name() {
            return "java-blocked";
        }

        @Override
        public void multiply(double[] a, int rows, int inner, double[] b, int cols, double[] out) {
            Dense.multiply(a, rows, inner, b, cols, out);
        }

        @Override
        public int priority() {
            return 0;
        }
    };

    /**
     * The preferred implementation on the class path (looked up once). Set the system property
     * {@code vtm.gemm=java} to force the Java kernel.
     */
    static MatrixMultiply best() {
        return Holder.BEST;
    }

    /** Lazy, thread-safe lookup. */
    final class Holder {
        private Holder() {
        }

        static final MatrixMultiply BEST = find();

        private static MatrixMultiply find() {
            if ("java".equals(System.getProperty("vtm.gemm"))) {
                return JAVA;
            }
            MatrixMultiply best = JAVA;
            try {
                for (MatrixMultiply m : ServiceLoader.load(MatrixMultiply.class)) {
                    if (m.priority() > best.priority()) {
                        best = m;
                    }
                }
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                // a provider that cannot load (e.g. missing natives) leaves the Java kernel in charge
                return JAVA;
            }
            return best;
        }
    }
}
