package org.vtm.interpreter.engine.stm;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A double-precision ND4J matrix allocated once, with a {@link DoubleBuffer} view of its memory, through which a
 * layer copies rows of its Java arrays in and results out around a BLAS product ({@link #gemm}). The large matrix
 * products of the LSTM cells are several times faster in the backend's BLAS than in Java; the copies cost a few
 * microseconds.
 */
final class NdStage {
    final INDArray array;
    private final DoubleBuffer view;
    private final int length;

    NdStage(int rows, int cols) {
        array = Nd4j.create(DataType.DOUBLE, rows, cols);
        length = rows * cols;
        DoubleBuffer v = array.data().asNioDouble();
        if (v.capacity() < length) {
            throw new IllegalStateException("the backend gave a buffer of " + v.capacity() + " values for " + length);
        }
        view = v;
    }

    /** Copies {@code src[off, off+length)} in. */
    void load(double[] src, int off) {
        view.put(0, src, off, length);
    }

    /** Copies the matrix out to {@code dst[off, off+length)}. */
    void store(double[] dst, int off) {
        view.get(0, dst, off, length);
    }

    /** {@code c = op(a)·op(b)}. */
    static void gemm(NdStage a, NdStage b, NdStage c, boolean transA, boolean transB) {
        Nd4j.gemm(a.array, b.array, c.array, transA, transB, 1.0, 0.0);
    }
}
