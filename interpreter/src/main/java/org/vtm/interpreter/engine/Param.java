package org.vtm.interpreter.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One named trainable tensor of the engine: its value and its gradient, both views into the flat
 * buffers of the {@link ParameterSet} that declared it (so an optimiser or a norm runs over all
 * parameters as one vector). Valid once the set is {@linkplain ParameterSet#allocate() allocated}.
 */
public final class Param {
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
