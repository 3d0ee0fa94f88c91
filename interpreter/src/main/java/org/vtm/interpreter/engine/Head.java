package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Maps the LSTM's hidden states to F-coefficients {@code c} [N, d, M] (one row per (program, step)). */
public interface Head {
    /**
     * @param hidden [N, H]
     * @param a the scaled prefix expansion [N, d, M] (unused by heads that do not transform it); must stay
     *        unchanged until {@link #backward}
     * @return c [N, d, M], a buffer owned by the head
     */
    INDArray forward(INDArray hidden, INDArray a);

    /** Sets the head's parameter gradients from ∂L/∂c [N, d, M] and returns ∂L/∂hidden [N, H] (head-owned). */
    INDArray backward(INDArray dc);
}
