package org.vtm.interpreter.engine;

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
        }
        hiddenIn = h;
        INDArray c2 = coeffs.reshape('c', n, (long) dim * terms);
        Ops.gemm(h, w.value(), c2, false, false, 1, 0);
        c2.addiRowVector(b.value());
        return coeffs;
    }

    @Override
    public INDArray backward(INDArray dc) {
        INDArray dc2 = dc.reshape('c', rows, (long) dim * terms);
        Ops.gemm(hiddenIn, dc2, w.grad(), true, false, 1, 0);
        dc2.sum(b.grad(), 0);
        Ops.gemm(dc2, w.value(), dHidden, false, true, 1, 0);
        return dHidden;
    }
}
