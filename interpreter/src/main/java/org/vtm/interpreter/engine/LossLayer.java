package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training losses of InterpreterModel over rows {@code n} (program, step), with the per-row squared
 * error {@code e_n = w_n·Σ_{o,s} (values − y)²}:
 * <ul>
 *   <li>{@link #squaredError}: {@code L = Σ_n e_n} (REL: {@code w} holds the normalisation and the mask);</li>
 *   <li>{@link #logRelative}: {@code L = Σ_n mask_n·log(ε + e_n)}, by default with {@code ε = }{@value #LOG_EPS}
 *   (LOG_REL). ε is the floor of the squared relative error the loss can see: a program whose {@code e_n} is far
 *   below it contributes a constant, so the model may change its error freely (up to about √ε relative error).</li>
 * </ul>
 * Row sums, the total and the per-row scaling of the gradient are gemms against ones vectors.
 */
public final class LossLayer {
    /** ε of the log loss; the same as InterpreterModel.LOG_EPS. */
    public static final double LOG_EPS = 1e-10;

    private final boolean log;
    private final double eps;
    private final DataType dtype;
    private long rows = -1;
    private long width;
    private INDArray diff;      // [N, d·S]
    private INDArray sq;        // [N, d·S], then ∂L/∂values
    private INDArray err;       // [N, 1]
    private INDArray errEps;    // [N, 1] ε + e
    private INDArray logs;      // [N, 1]
    private INDArray coef;      // [N, 1]
    private INDArray onesRows;  // [N, 1]
    private INDArray onesWidth; // [d·S, 1]
    private INDArray total;     // [1, 1]
    private INDArray wIn;
    private INDArray maskIn;
    private final ViewCache values2 = new ViewCache(a -> Ops.reshape(a, a.size(0), a.size(1) * a.size(2)));
    private final ViewCache y2 = new ViewCache(a -> Ops.reshape(a, a.size(0), a.size(1) * a.size(2)));
    private final ViewCache w2 = new ViewCache(a -> Ops.reshape(a, a.length(), 1));
    private final ViewCache mask2 = new ViewCache(a -> Ops.reshape(a, a.length(), 1));
    private INDArray onesWidthRow; // [1, d·S]

    private LossLayer(boolean log, DataType dtype, double eps) {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("the log loss's ε must be positive and finite, got " + eps);
        }
        this.log = log;
        this.dtype = dtype;
        this.eps = eps;
    }

    public static LossLayer squaredError(DataType dtype) {
        return new LossLayer(false, dtype, LOG_EPS);
    }

    public static LossLayer logRelative(DataType dtype) {
        return logRelative(dtype, LOG_EPS);
    }

    /** The log loss with floor {@code eps} (see the class comment). */
    public static LossLayer logRelative(DataType dtype, double eps) {
        return new LossLayer(true, dtype, eps);
    }

    /** The floor ε of the log loss. */
    public double epsilon() {
        return eps;
    }

    public boolean needsMask() {
        return log;
    }

    /**
     * @param values [N, d, S]
     * @param y [N, d, S]
     * @param w N row weights (any shape with N entries, contiguous)
     * @param mask N row masks (log loss only; ignored otherwise, may be null)
     */
    public double forward(INDArray values, INDArray y, INDArray w, INDArray mask) {
        long n = values.size(0);
        long wd = values.size(1) * values.size(2);
        if (n != rows || wd != width) {
            rows = n;
            width = wd;
            diff = Nd4j.create(dtype, n, wd);
            sq = Nd4j.create(dtype, n, wd);
            err = Nd4j.create(dtype, n, 1);
            errEps = Nd4j.create(dtype, n, 1);
            logs = Nd4j.create(dtype, n, 1);
            coef = Nd4j.create(dtype, n, 1);
            onesRows = Nd4j.ones(dtype, n, 1);
            onesWidth = Nd4j.ones(dtype, wd, 1);
            onesWidthRow = Ops.reshape(onesWidth, 1, wd);
            total = Nd4j.create(dtype, 1, 1);
        }
        wIn = w2.of(w);
        maskIn = log ? mask2.of(mask) : null;
        Ops.sub(values2.of(values), y2.of(y), diff);
        Ops.mul(diff, diff, sq);
        Ops.gemm(sq, onesWidth, err, false, false, 1, 0);
        Ops.mul(err, wIn, err);
        if (!log) {
            Ops.gemm(err, onesRows, total, true, false, 1, 0);
            return total.getDouble(0);
        }
        Ops.addScalar(err, eps, errEps);
        Ops.log(errEps, logs);
        Ops.mul(logs, maskIn, logs);
        Ops.gemm(logs, onesRows, total, true, false, 1, 0);
        return total.getDouble(0);
    }

    /** @return ∂L/∂values as [N, d·S] (owned by this layer) */
    public INDArray backward() {
        if (log) {
            Ops.mul(maskIn, wIn, coef);
            Ops.scale(coef, 2, coef);
            Ops.div(coef, errEps, coef);
        } else {
            Ops.scale(wIn, 2, coef);
        }
        Ops.gemm(coef, onesWidthRow, sq, false, false, 1, 0);
        Ops.mul(sq, diff, sq);
        return sq;
    }
}
