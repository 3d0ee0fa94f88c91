package org.vtm.transforms;

/**
 * A program step written in ordinary Java over {@link Var}s: loops, {@code if} on
 * {@link Var#value()} and recursion are all allowed.
 */
@FunctionalInterface
public interface VarFunction {
    /** Maps the step's inputs to its outputs; must not modify {@code inputs}. */
    Var[] apply(Var[] inputs);
}
