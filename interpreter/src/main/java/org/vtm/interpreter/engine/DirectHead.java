package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The direct head (ablation): {@code c_n = W h_n + b} read as [d, M]; the prefix expansion is not used. */
public final class DirectHead implements Head {
    private final Param w;
    private final Param b;
    private final int hidden;
    private final int dim;
    private final int terms;
    private final DataType dtype;

    private long rows = -1;
    private INDArray coeffs;  // [N, d, M]
    private INDArray dHidden; // [N, H]
    private INDArray hiddenIn;
    private INDArray ones;     // [N, 1]
    private INDArray coeffs2;  // coeffs as [N, d·M]
    private final ViewCache dc2 = new ViewCache(a -> Ops.reshape(a, a.size(0), a.size(1) * a.size(2)));
    private INDArray biasRow;
    private INDArray biasGradRow;

    /** Declares {@code head_W} [H, d·M] and {@code head_b} [d·M]. */
    public DirectHead(ParameterSet params, int hidden, int dim, int terms) {
        this.hidden = hidden;
        this.dim = dim;
        this.terms = terms;
        this.dtype = params.dtype();
        this.w = params.declare("head_W", hidden, (long) dim * terms);
        this.b = params.declare("head_b", (long) dim * terms);
    }

    @Override
    public INDArray forward(INDArray h, INDArray a) {
        long n = h.size(0);
        if (h.rank() != 2 || h.size(1) != hidden) {
            throw new IllegalArgumentException("direct head needs hidden [N, " + hidden + "], got "
                    + java.util.Arrays.toString(h.shape()));
        }
        if (n != rows) {
            rows = n;
            coeffs = Nd4j.create(dtype, n, dim, terms);
            dHidden = Nd4j.create(dtype, n, hidden);
            ones = Nd4j.ones(dtype, n, 1);
            coeffs2 = Ops.reshape(coeffs, n, (long) dim * terms);
            if (biasRow == null) {
                biasRow = Ops.reshape(b.value(), 1, (long) dim * terms);
                biasGradRow = Ops.reshape(b.grad(), 1, (long) dim * terms);
            }
        }
        hiddenIn = h;
        Ops.gemm(h, w.value(), coeffs2, false, false, 1, 0);
        Ops.gemm(ones, biasRow, coeffs2, false, false, 1, 1);
        return coeffs;
    }

    @Override
    public INDArray backward(INDArray dc) {
        INDArray d2 = dc2.of(dc);
        Ops.gemm(hiddenIn, d2, w.grad(), true, false, 1, 0);
        Ops.gemm(ones, d2, biasGradRow, true, false, 1, 0);
        Ops.gemm(d2, w.value(), dHidden, false, true, 1, 0);
        return dHidden;
    }
}
