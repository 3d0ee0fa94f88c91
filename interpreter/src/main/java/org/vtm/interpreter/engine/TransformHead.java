package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transform head: per row {@code n}, {@code ΔT_n = α·(W h_n + b)} ({@code M×M}),
 * {@code T_n = T_0 + ΔT_n}, and {@code c_n = a_n · T_nᵀ} ({@code [d, M]}), i.e.
 * {@code c[n][o][β] = Σ_α T_n[β][α] a[n][o][α]}: one learned change of basis per step, shared by the
 * {@code d} outputs. {@code T_0} is a constant (not trained), {@code α} the head scale.
 */
public final class TransformHead implements Head {
    private final Param w;
    private final Param b;
    private final INDArray t0Flat; // [M·M]
    private final double scale;
    private final int hidden;
    private final int dim;
    private final int terms;
    private final DataType dtype;

    private long rows = -1;
    private INDArray transform; // [N, M, M] T_n
    private INDArray coeffs;   // [N, d, M]
    private INDArray dT;       // [N, M, M] ∂L/∂T (∂L/∂(W h + b) = α·∂L/∂T)
    private INDArray dHidden;  // [N, H]
    private INDArray hiddenIn;
    private INDArray aIn;
    private INDArray ones;       // [N, 1]
    private INDArray transform2; // transform as [N, M·M]
    private INDArray draw;       // dT as [N, M·M]
    private INDArray biasRow;    // head_b as [1, M·M]
    private INDArray biasGradRow;
    private final INDArray t0Row; // [1, M·M]

    /** Declares {@code head_W} [H, M·M] and {@code head_b} [M·M]; {@code t0} is {@code M×M} row-major. */
    public TransformHead(ParameterSet params, int hidden, int dim, int terms, double scale, double[] t0) {
        if (t0.length != (long) terms * terms) {
            throw new IllegalArgumentException("T_0 has " + t0.length + " entries, expected M·M = " + terms * terms);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("head scale must be positive and finite, got " + scale);
        }
        this.hidden = hidden;
        this.dim = dim;
        this.terms = terms;
        this.scale = scale;
        this.dtype = params.dtype();
        this.w = params.declare("head_W", hidden, (long) terms * terms);
        this.b = params.declare("head_b", (long) terms * terms);
        this.t0Flat = Nd4j.createFromArray(t0).castTo(dtype).reshape((long) terms * terms);
        this.t0Row = Ops.reshape(t0Flat, 1, (long) terms * terms);
    }

    /** {@code T_0} as a live [M·M] array (row-major {@code M×M}). */
    public INDArray t0() {
        return t0Flat;
    }

    private void ensure(long n) {
        if (n == rows) {
            return;
        }
        rows = n;
        long k = (long) terms * terms;
        transform = Nd4j.create(dtype, n, terms, terms);
        coeffs = Nd4j.create(dtype, n, dim, terms);
        dT = Nd4j.create(dtype, n, terms, terms);
        dHidden = Nd4j.create(dtype, n, hidden);
        ones = Nd4j.ones(dtype, n, 1);
        transform2 = Ops.reshape(transform, n, k);
        draw = Ops.reshape(dT, n, k);
        if (biasRow == null) {
            biasRow = Ops.reshape(b.value(), 1, k);
            biasGradRow = Ops.reshape(b.grad(), 1, k);
        }
    }

    @Override
    public INDArray forward(INDArray h, INDArray a) {
        long n = h.size(0);
        if (h.rank() != 2 || h.size(1) != hidden || a.rank() != 3 || a.size(0) != n || a.size(1) != dim
                || a.size(2) != terms) {
            throw new IllegalArgumentException("transform head needs hidden [N, " + hidden + "] and a [N, " + dim + ", "
                    + terms + "], got " + java.util.Arrays.toString(h.shape()) + " and " + java.util.Arrays.toString(a.shape()));
        }
        ensure(n);
        hiddenIn = h;
        aIn = a;
        // T = α·(h W) + α·(1 bᵀ) + 1 T0ᵀ: three gemms into T, α folded into their alpha
        Ops.gemm(h, w.value(), transform2, false, false, scale, 0);
        Ops.gemm(ones, biasRow, transform2, false, false, scale, 1);
        Ops.gemm(ones, t0Row, transform2, false, false, 1, 1);
        Nd4j.matmul(a, transform, coeffs, false, true, false);
        return coeffs;
    }

    @Override
    public INDArray backward(INDArray dc) {
        // ∂L/∂T_n = dc_nᵀ · a_n  ([M, d]·[d, M]); the head's gradients are α·(…) through the gemms' alpha
        Nd4j.matmul(dc, aIn, dT, true, false, false);
        Ops.gemm(hiddenIn, draw, w.grad(), true, false, scale, 0);
        Ops.gemm(ones, draw, biasGradRow, true, false, scale, 0);
        Ops.gemm(draw, w.value(), dHidden, false, true, scale, 0);
        return dHidden;
    }
}
