package org.vtm.interpreter.engine;

import java.util.Arrays;
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

    /**
     * One named trainable tensor of the engine: its value and its gradient, both views into the flat
     * buffers of the {@link ParameterSet} that declared it (so an optimiser or a norm runs over all
     * parameters as one vector). Valid once the set is {@linkplain ParameterSet#allocate() allocated}.
     */
    public static final class Param {
        private final ParameterSet owner;
        private final String name;
        private final long[] shape;
        private final long offset;
        INDArray value;
        INDArray grad;

        Param(ParameterSet owner, String name, long[] shape, long offset) {
            this.owner = owner;
            this.name = name;
            this.shape = shape.clone();
            this.offset = offset;
        }

        public String name() {
            return name;
        }

        public long[] shape() {
            return shape.clone();
        }

        long offset() {
            return offset;
        }

        public long length() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        /** The live value (a view into the set's flat parameter buffer). */
        public INDArray value() {
            owner.requireAllocated();
            return value;
        }

        /** The live gradient of the last backward pass (a view into the set's flat gradient buffer). */
        public INDArray grad() {
            owner.requireAllocated();
            return grad;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }
}
