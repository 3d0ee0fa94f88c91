package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The NEXT_ORDER term {@code c_n[o] += a⁺_n[o] · Q}: the prefix expansion's degree-(n+1) terms
 * ({@code K} per output) through a learned {@code K×M} map {@code Q} ({@code next_W}).
 */
public final class NextOrderTerm {
    private final Param q;
    private final int dim;
    private final int nextTerms;
    private final int terms;
    private INDArray nextIn;
    private final ViewCache next2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));
    private final ViewCache c2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));
    private final ViewCache dc2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));

    public NextOrderTerm(ParameterSet params, int dim, int nextTerms, int terms) {
        this.dim = dim;
        this.nextTerms = nextTerms;
        this.terms = terms;
        this.q = params.declare("next_W", nextTerms, terms);
    }

    /** Adds the term to {@code c} [N, d, M] in place; {@code next} [N, d, K] must stay unchanged until backward. */
    public void addInPlace(INDArray c, INDArray next) {
        long n = c.size(0);
        if (next.rank() != 3 || next.size(0) != n || next.size(1) != dim || next.size(2) != nextTerms) {
            throw new IllegalArgumentException("next-order terms must be [" + n + ", " + dim + ", " + nextTerms + "], got "
                    + java.util.Arrays.toString(next.shape()));
        }
        nextIn = next;
        Ops.gemm(next2.of(next), q.value(), c2.of(c), false, false, 1, 1);
    }

    /** Sets ∂L/∂Q from ∂L/∂c [N, d, M] (the gradient with respect to c passes through unchanged). */
    public void backward(INDArray dc) {
        Ops.gemm(next2.of(nextIn), dc2.of(dc), q.grad(), true, false, 1, 0);
    }
}
