package org.vtm.transforms;

/** SKELETON (contract only; the calculus helper replaces the bodies). */
public final class Space {
    public static Space of(int dim, int order) { throw new UnsupportedOperationException("skeleton"); }
    public int dim() { throw new UnsupportedOperationException("skeleton"); }
    public int order() { throw new UnsupportedOperationException("skeleton"); }
    public Var variable(int index, double value) { throw new UnsupportedOperationException("skeleton"); }
    public Var constant(double c) { throw new UnsupportedOperationException("skeleton"); }
}
