package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.engine.ParameterSet.Param;

/**
 * The tail head (design §12): the {@link TransformHead}'s {@code a_n·T_nᵀ} plus a predicted Taylor tail through the
 * constant economised map {@code Q*}:
 * <pre>
 *   p_n = h_n U + u                       ([d·K], read as [d, K]: the scale-free degree-(n+1) terms â⁺/‖a‖)
 *   c_n[o] = a_n[o]·T_nᵀ + ‖a_n[o]‖ · p_n[o] · Q*
 * </pre>
 * {@code ‖a_n[o]‖} is the Euclidean norm of output {@code o}'s {@code M} coefficients (an input: a constant for the
 * gradient), {@code Q*} ({@code K×M}) the least-squares projection of the degree-(n+1) monomials onto F at the sample
 * points ({@code org.vtm.interpreter.NextOrderProjection}), a constant. {@code U} ({@value #W}, [H, d·K]) and
 * {@code u} ({@value #B}, [d·K]) start at zero, so the untrained head is the transform head exactly (the tail term
 * adds exact zeros).
 */
public final class TailHead implements Head {
    /** {@code U}, [H, d·K]. */
    public static final String W = "tail_W";
    /** {@code u}, [d·K]. */
    public static final String B = "tail_b";

    private final TransformHead transform;
    private final Param w;
    private final Param b;
    private final INDArray q; // [K, M] Q*
    private final int hidden;
    private final int dim;
    private final int terms;
    private final int nextTerms;
    private final DataType dtype;

    private long rows = -1;
    private INDArray p;        // [N, d·K]
    private INDArray p2;       // p as [N·d, K]
    private INDArray squares;  // [N·d, M] a⊙a
    private INDArray norms;    // [N·d, 1] ‖a[o]‖
    private INDArray normsK;   // [N·d, K] ‖a[o]‖ in every column
    private INDArray scaled;   // [N·d, K] ‖a‖·p
    private INDArray dScaled;  // [N·d, K] ∂L/∂(‖a‖·p)
    private INDArray dp;       // [N, d·K] ∂L/∂p
    private INDArray dp2;      // dp as [N·d, K]
    private INDArray ones;     // [N, 1]
    private INDArray onesM;    // [M, 1]
    private INDArray onesK;    // [1, K]
    private INDArray biasRow;
    private INDArray biasGradRow;
    private INDArray hiddenIn;
    private final ViewCache a2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));
    private final ViewCache c2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));
    private final ViewCache dc2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));

    /**
     * Declares {@value #W} [H, d·K] and {@value #B} [d·K] after the transform head's parameters.
     *
     * @param transform the transform head this head extends (declared on the same parameter set)
     * @param qStar {@code Q*}, {@code K×M} row-major
     */
    public TailHead(ParameterSet params, TransformHead transform, int hidden, int dim, int terms, int nextTerms,
            double[] qStar) {
        if (qStar == null || qStar.length != (long) nextTerms * terms) {
            throw new IllegalArgumentException("Q* has " + (qStar == null ? "no" : String.valueOf(qStar.length))
                    + " entries, expected K·M = " + nextTerms * terms);
        }
        this.transform = transform;
        this.hidden = hidden;
        this.dim = dim;
        this.terms = terms;
        this.nextTerms = nextTerms;
        this.dtype = params.dtype();
        this.w = params.declare(W, hidden, (long) dim * nextTerms);
        this.b = params.declare(B, (long) dim * nextTerms);
        this.q = Nd4j.createFromArray(qStar).castTo(dtype).reshape(nextTerms, terms);
        this.onesM = Nd4j.ones(dtype, terms, 1);
        this.onesK = Nd4j.ones(dtype, 1, nextTerms);
    }

    /** {@code Q*} as a live [K, M] array. */
    public INDArray qStar() {
        return q;
    }

    private void ensure(long n) {
        if (n == rows) {
            return;
        }
        rows = n;
        long dk = (long) dim * nextTerms;
        p = Nd4j.create(dtype, n, dk);
        p2 = Ops.reshape(p, n * dim, nextTerms);
        squares = Nd4j.create(dtype, n * dim, terms);
        norms = Nd4j.create(dtype, n * dim, 1);
        normsK = Nd4j.create(dtype, n * dim, nextTerms);
        scaled = Nd4j.create(dtype, n * dim, nextTerms);
        dScaled = Nd4j.create(dtype, n * dim, nextTerms);
        dp = Nd4j.create(dtype, n, dk);
        dp2 = Ops.reshape(dp, n * dim, nextTerms);
        ones = Nd4j.ones(dtype, n, 1);
        if (biasRow == null) {
            biasRow = Ops.reshape(b.value(), 1, dk);
            biasGradRow = Ops.reshape(b.grad(), 1, dk);
        }
    }

    @Override
    public INDArray forward(INDArray h, INDArray a) {
        INDArray c = transform.forward(h, a); // validates the shapes of h and a
        ensure(h.size(0));
        hiddenIn = h;
        Ops.gemm(h, w.value(), p, false, false, 1, 0);
        Ops.gemm(ones, biasRow, p, false, false, 1, 1);
        INDArray flatA = a2.of(a);
        Ops.mul(flatA, flatA, squares);
        Ops.gemm(squares, onesM, norms, false, false, 1, 0);
        Ops.sqrt(norms, norms);
        Ops.gemm(norms, onesK, normsK, false, false, 1, 0);
        Ops.mul(p2, normsK, scaled);
        Ops.gemm(scaled, q, c2.of(c), false, false, 1, 1);
        return c;
    }

    @Override
    public INDArray backward(INDArray dc) {
        INDArray dh = transform.backward(dc); // the transform head's buffer, overwritten by each of its backward passes
        Ops.gemm(dc2.of(dc), q, dScaled, false, true, 1, 0);
        Ops.mul(dScaled, normsK, dp2);
        Ops.gemm(hiddenIn, dp, w.grad(), true, false, 1, 0);
        Ops.gemm(ones, dp, biasGradRow, true, false, 1, 0);
        Ops.gemm(dp, w.value(), dh, false, true, 1, 1);
        return dh;
    }
}
