package org.vtm.interpreter.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trainable parameters of an engine model, stored in one flat value buffer and one flat gradient
 * buffer of the model's data type. Layers {@linkplain #declare declare} their tensors first; after
 * {@link #allocate()} every {@link Param} is a view into the flat buffers, so clipping and Adam run as
 * a handful of operations over one vector, whatever the number of layers.
 */
public final class ParameterSet {
    private final DataType dtype;
    private final List<Param> params = new ArrayList<>();
    private long size;
    private INDArray values;
    private INDArray grads;

    public ParameterSet(DataType dtype) {
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("engine data type must be DOUBLE or FLOAT, got " + dtype);
        }
        this.dtype = dtype;
    }

    public DataType dtype() {
        return dtype;
    }

    /** Declares a zero-initialised tensor; only before {@link #allocate()}. Names are unique. */
    public Param declare(String name, long... shape) {
        if (values != null) {
            throw new IllegalStateException("parameter '" + name + "' declared after the set was allocated");
        }
        for (Param p : params) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' declared twice");
            }
        }
        Param p = new Param(this, name, shape, size);
        params.add(p);
        size += p.length();
        return p;
    }

    /** Allocates the flat buffers (zeros) and the per-parameter views. */
    public void allocate() {
        if (values != null) {
            throw new IllegalStateException("parameter set already allocated");
        }
        values = Nd4j.zeros(dtype, Math.max(size, 1));
        grads = Nd4j.zeros(dtype, Math.max(size, 1));
        for (Param p : params) {
            p.value = view(values, p);
            p.grad = view(grads, p);
        }
    }

    private static INDArray view(INDArray flat, Param p) {
        long[] shape = p.shape();
        long[] stride = new long[shape.length];
        long st = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = st;
            st *= shape[i];
        }
        INDArray v = Nd4j.create(flat.data(), shape, stride, p.offset(), 'c', flat.dataType());
        if (p.length() > 0) { // the view must write through to the flat buffer
            v.putScalar(p.length() - 1, 1);
            boolean shared = flat.getDouble(p.offset() + p.length() - 1) == 1;
            v.putScalar(p.length() - 1, 0);
            if (!shared) {
                throw new IllegalStateException("parameter view of " + p + " is a copy");
            }
        }
        return v;
    }

    void requireAllocated() {
        if (values == null) {
            throw new IllegalStateException("parameter set not allocated yet");
        }
    }

    public List<Param> params() {
        return Collections.unmodifiableList(params);
    }

    /** The parameter called {@code name}. */
    public Param get(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter '" + name + "'");
    }

    /** All values as one vector (live). */
    public INDArray flatValues() {
        requireAllocated();
        return values;
    }

    /** All gradients as one vector (live). */
    public INDArray flatGradients() {
        requireAllocated();
        return grads;
    }

    public long size() {
        return size;
    }
}
