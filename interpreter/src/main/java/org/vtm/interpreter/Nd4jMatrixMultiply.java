package org.vtm.interpreter;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.transforms.MatrixMultiply;

/**
 * Dense double-precision products through ND4J (OpenBLAS dgemm on the CPU backend), registered
 * for the transforms module's batch paths via {@code META-INF/services}. Copies the operands into
 * ND4J buffers and the result back; worth it only for large products, which is how
 * {@link org.vtm.transforms.BasisTransform#applyBatch} uses it.
 */
public final class Nd4jMatrixMultiply implements MatrixMultiply {

    @Override
    public String name() {
        return "nd4j-" + Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("blas.vendor", "blas").toString().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void multiply(double[] a, int rows, int inner, double[] b, int cols, double[] out) {
        if (out == a || out == b) {
            throw new IllegalArgumentException("output array aliases an input");
        }
        if (a.length < (long) rows * inner || b.length < (long) inner * cols || out.length < (long) rows * cols) {
            throw new IllegalArgumentException("arrays too short for " + rows + "x" + inner + " times " + inner + "x" + cols);
        }
        Buffers buf = BUFFERS.get();
        if (buf == null || buf.rows != rows || buf.inner != inner || buf.cols != cols) {
            buf = new Buffers(rows, inner, cols);
            BUFFERS.set(buf);
        }
        buf.left.data().asNioDouble().put(a, 0, rows * inner);
        buf.right.data().asNioDouble().put(b, 0, inner * cols);
        Nd4j.gemm(buf.left, buf.right, buf.result, false, false, 1.0, 0.0);
        buf.result.data().asNioDouble().get(out, 0, rows * cols);
    }

    /**
     * Off-heap operands are kept per thread for the last shape: allocating them is far slower than
     * the product (JavaCPP may run a full GC when off-heap memory grows), and batch callers repeat
     * the same shape. The memory is held until the thread uses another shape or ends.
     */
    private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>();

    private static final class Buffers {
        final int rows;
        final int inner;
        final int cols;
        final INDArray left;
        final INDArray right;
        final INDArray result;

        Buffers(int rows, int inner, int cols) {
            this.rows = rows;
            this.inner = inner;
            this.cols = cols;
            left = Nd4j.create(DataType.DOUBLE, rows, inner);
            right = Nd4j.create(DataType.DOUBLE, inner, cols);
            result = Nd4j.create(DataType.DOUBLE, rows, cols);
        }
    }
}
