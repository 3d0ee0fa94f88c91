package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J operations the engine uses, each writing into a caller-owned output (never allocating a result buffer)
 * and executed directly as ND4J legacy ops (the {@code INDArray.mul(other, result)} style entry points cost several
 * times more per call on small arrays: they go through broadcast-shape checks). Element-wise outputs may alias an
 * input; gemm outputs must not. Broadcasts are written as rank-1 gemms against a ones vector (a bias add is
 * {@code out += 1·bᵀ}, a column sum {@code 1ᵀ·x}), which is cheaper in ND4J than its broadcast ops on these shapes.
 */
final class Ops {
    private Ops() {
    }

    private static OpExecutioner ex() {
        return Nd4j.getExecutioner();
    }

    /** {@code z = x ⊙ y}. */
    static void mul(INDArray x, INDArray y, INDArray z) {
        ex().exec(new MulOp(x, y, z));
    }

    /** {@code z = x + y}. */
    static void add(INDArray x, INDArray y, INDArray z) {
        ex().exec(new AddOp(x, y, z));
    }

    /** {@code z = x − y}. */
    static void sub(INDArray x, INDArray y, INDArray z) {
        ex().exec(new SubOp(x, y, z));
    }

    /** {@code z = x / y}. */
    static void div(INDArray x, INDArray y, INDArray z) {
        ex().exec(new DivOp(x, y, z));
    }

    /** {@code z = s·x}. */
    static void scale(INDArray x, double s, INDArray z) {
        ex().exec(new ScalarMultiplication(x, null, z, s));
    }

    /** {@code z = x / s}. */
    static void divScalar(INDArray x, double s, INDArray z) {
        ex().exec(new ScalarDivision(x, null, z, s));
    }

    /** {@code z = x + s}. */
    static void addScalar(INDArray x, double s, INDArray z) {
        ex().exec(new ScalarAdd(x, null, z, s));
    }

    /** {@code z = s − x}. */
    static void rsub(INDArray x, double s, INDArray z) {
        ex().exec(new ScalarReverseSubtraction(x, null, z, s));
    }

    /** {@code z = √x}. */
    static void sqrt(INDArray x, INDArray z) {
        ex().exec(new Sqrt(x, z));
    }

    /** {@code z = σ(x)}. */
    static void sigmoid(INDArray x, INDArray z) {
        ex().exec(new Sigmoid(x, z));
    }

    /** {@code z = tanh(x)}. */
    static void tanh(INDArray x, INDArray z) {
        ex().exec(new Tanh(x, z));
    }

    /** {@code z = log(x)}. */
    static void log(INDArray x, INDArray z) {
        ex().exec(new Log(x, z));
    }

    /** {@code out = alpha·op(a)·op(b) + beta·out}; {@code out} must not alias {@code a} or {@code b}. */
    static void gemm(INDArray a, INDArray b, INDArray out, boolean transA, boolean transB, double alpha, double beta) {
        Nd4j.gemm(a, b, out, transA, transB, alpha, beta);
    }

    /** A view of {@code a} (contiguous, 'c' order) with another shape; fails instead of silently copying. */
    static INDArray reshape(INDArray a, long... shape) {
        INDArray v = a.reshape('c', shape);
        if (a.length() > 0 && v.data().addressPointer().address() != a.data().addressPointer().address()) {
            throw new IllegalStateException("reshape of " + java.util.Arrays.toString(a.shape()) + " copied");
        }
        return v;
    }
}
