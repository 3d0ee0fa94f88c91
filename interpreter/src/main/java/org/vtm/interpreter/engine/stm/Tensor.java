package org.vtm.interpreter.engine.stm;

/**
 * A named parameter of the character engine: its shape, its value and its gradient, both flat row-major
 * {@code double[]} owned here (a layer reads {@link #value} and accumulates into {@link #grad}).
 */
public final class Tensor {
    private final String name;
    private final long[] shape;
    final double[] value;
    final double[] grad;

    public Tensor(String name, long... shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 1) {
                throw new IllegalArgumentException("parameter " + name + " needs positive dimensions, got "
                        + java.util.Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parameter " + name + " is too large: " + n + " entries");
        }
        this.name = name;
        this.shape = shape.clone();
        this.value = new double[(int) n];
        this.grad = new double[(int) n];
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int size() {
        return value.length;
    }

    /** The live value array (callers may write it: the engine copies parameters in before each pass). */
    public double[] value() {
        return value;
    }

    /** The live gradient array of the last backward pass. */
    public double[] grad() {
        return grad;
    }

    void zeroGrad() {
        java.util.Arrays.fill(grad, 0.0);
    }
}
