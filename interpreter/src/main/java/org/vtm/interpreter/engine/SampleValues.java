package org.vtm.interpreter.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code values = c · Φᵀ}: the F-series at the S sample points ({@code Φ[s][β] = Φ_β(u_s)}, a constant). */
public final class SampleValues {
    private final INDArray phi;  // [S, M]
    private final int dim;
    private final int terms;
    private final int samples;
    private final DataType dtype;
    private long rows = -1;
    private INDArray values; // [N, d, S]
    private INDArray dc;     // [N, d, M]
    private INDArray values2;
    private INDArray dc2;
    private final ViewCache c2 = new ViewCache(a -> Ops.reshape(a, a.size(0) * a.size(1), a.size(2)));
    private final ViewCache dv2;

    /** @param phi {@code S×M} row-major */
    public SampleValues(double[] phi, int dim, int terms, DataType dtype) {
        if (phi.length == 0 || phi.length % terms != 0) {
            throw new IllegalArgumentException("Φ has " + phi.length + " entries, not a positive multiple of M = " + terms);
        }
        this.dim = dim;
        this.terms = terms;
        this.samples = phi.length / terms;
        this.dtype = dtype;
        this.phi = Nd4j.createFromArray(phi).castTo(dtype).reshape(samples, terms);
        int s = samples;
        this.dv2 = new ViewCache(a -> Ops.reshape(a, a.length() / s, s));
    }

    public int samples() {
        return samples;
    }

    /** @return values [N, d, S] (owned by this layer) */
    public INDArray forward(INDArray c) {
        long n = c.size(0);
        if (n != rows) {
            rows = n;
            values = Nd4j.create(dtype, n, dim, samples);
            dc = Nd4j.create(dtype, n, dim, terms);
            values2 = Ops.reshape(values, n * dim, samples);
            dc2 = Ops.reshape(dc, n * dim, terms);
        }
        Ops.gemm(c2.of(c), phi, values2, false, true, 1, 0);
        return values;
    }

    /** @return ∂L/∂c [N, d, M] from ∂L/∂values [N, d, S] (owned by this layer) */
    public INDArray backward(INDArray dValues) {
        Ops.gemm(dv2.of(dValues), phi, dc2, false, false, 1, 0);
        return dc;
    }
}
