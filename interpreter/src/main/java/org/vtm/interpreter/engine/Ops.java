package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few ND4J operations the engine needs, each writing into a caller-owned output (never
 * allocating a result buffer). Outputs may be views; an output may alias its input where noted.
 */
final class Ops {
    private Ops() {
    }

    /** {@code out = σ(x)} element-wise ({@code out} may be {@code x}). */
    static void sigmoid(INDArray x, INDArray out) {
        Nd4j.getExecutioner().exec(new Sigmoid(x, out));
    }

    /** {@code out = tanh(x)} element-wise ({@code out} may be {@code x}). */
    static void tanh(INDArray x, INDArray out) {
        Nd4j.getExecutioner().exec(new Tanh(x, out));
    }

    /** {@code out = log(x)} element-wise ({@code out} may be {@code x}). */
    static void log(INDArray x, INDArray out) {
        Nd4j.getExecutioner().exec(new Log(x, out));
    }

    /** {@code out = alpha·op(a)·op(b) + beta·out}; {@code out} must not alias {@code a} or {@code b}. */
    static void gemm(INDArray a, INDArray b, INDArray out, boolean transA, boolean transB, double alpha, double beta) {
        Nd4j.gemm(a, b, out, transA, transB, alpha, beta);
    }

    /** {@code out[i][j] = x[i][j]·col[i]} for a 2-D {@code x} and a 1-D {@code col} ({@code out} may be {@code x}). */
    static void mulRows(INDArray x, INDArray col, INDArray out) {
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, col, out, 0));
    }
}
