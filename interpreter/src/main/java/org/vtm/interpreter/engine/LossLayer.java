package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training losses of InterpreterModel over rows {@code n} (program, step), with the per-row squared
 * error {@code e_n = w_n·Σ_{o,s} (values − y)²}:
 * <ul>
 *   <li>{@link #squaredError}: {@code L = Σ_n e_n} (REL: {@code w} holds the normalisation and the mask);</li>
 *   <li>{@link #logRelative}: {@code L = Σ_n mask_n·log(ε + e_n)} with {@code ε = }{@value #LOG_EPS} (LOG_REL).</li>
 * </ul>
 */
public final class LossLayer {
    /** ε of the log loss; the same as InterpreterModel.LOG_EPS. */
    public static final double LOG_EPS = 1e-10;

    private final boolean log;
    private final DataType dtype;
    private long rows = -1;
    private long width;
    private INDArray diff;   // [N, d·S]
    private INDArray sq;     // [N, d·S], then ∂L/∂values
    private INDArray err;    // [N]
    private INDArray errEps; // [N] ε + e
    private INDArray logs;   // [N]
    private INDArray coef;   // [N]
    private INDArray wIn;
    private INDArray maskIn;

    private LossLayer(boolean log, DataType dtype) {
        this.log = log;
        this.dtype = dtype;
    }

    public static LossLayer squaredError(DataType dtype) {
        return new LossLayer(false, dtype);
    }

    public static LossLayer logRelative(DataType dtype) {
        return new LossLayer(true, dtype);
    }

    public boolean needsMask() {
        return log;
    }

    /**
     * @param values [N, d, S]
     * @param y [N, d, S]
     * @param w [N] row weights
     * @param mask [N] row mask (log loss only; ignored otherwise, may be null)
     */
    public double forward(INDArray values, INDArray y, INDArray w, INDArray mask) {
        long n = values.size(0);
        long wd = values.size(1) * values.size(2);
        if (n != rows || wd != width) {
            rows = n;
            width = wd;
            diff = Nd4j.create(dtype, n, wd);
            sq = Nd4j.create(dtype, n, wd);
            err = Nd4j.create(dtype, n);
            errEps = Nd4j.create(dtype, n);
            logs = Nd4j.create(dtype, n);
            coef = Nd4j.create(dtype, n);
        }
        wIn = w;
        maskIn = mask;
        values.reshape('c', n, wd).sub(y.reshape('c', n, wd), diff);
        diff.mul(diff, sq);
        sq.sum(err, 1);
        err.muli(w);
        if (!log) {
            return err.sumNumber().doubleValue();
        }
        err.add(LOG_EPS, errEps);
        Ops.log(errEps, logs);
        logs.muli(mask);
        return logs.sumNumber().doubleValue();
    }

    /** @return ∂L/∂values as [N, d·S] (owned by this layer) */
    public INDArray backward() {
        if (log) {
            maskIn.mul(wIn, coef);
            coef.muli(2);
            coef.divi(errEps);
        } else {
            wIn.mul(2, coef);
        }
        Ops.mulRows(diff, coef, sq);
        return sq;
    }
}
