package org.vtm.transforms;

/** SKELETON (contract only; the calculus helper replaces the bodies). */
public final class Var {
    public Space space() { throw new UnsupportedOperationException("skeleton"); }
    public double value() { throw new UnsupportedOperationException("skeleton"); }
    public double d(int... indices) { throw new UnsupportedOperationException("skeleton"); }
    public Var add(Var o) { throw new UnsupportedOperationException("skeleton"); }
    public Var add(double o) { throw new UnsupportedOperationException("skeleton"); }
    public Var sub(Var o) { throw new UnsupportedOperationException("skeleton"); }
    public Var sub(double o) { throw new UnsupportedOperationException("skeleton"); }
    public Var mul(Var o) { throw new UnsupportedOperationException("skeleton"); }
    public Var mul(double o) { throw new UnsupportedOperationException("skeleton"); }
    public Var div(Var o) { throw new UnsupportedOperationException("skeleton"); }
    public Var div(double o) { throw new UnsupportedOperationException("skeleton"); }
    public Var neg() { throw new UnsupportedOperationException("skeleton"); }
    public Var pow(double p) { throw new UnsupportedOperationException("skeleton"); }
    public Var pow(Var p) { throw new UnsupportedOperationException("skeleton"); }
    public Var apply(UnaryFunction f) { throw new UnsupportedOperationException("skeleton"); }
    public Var sin() { throw new UnsupportedOperationException("skeleton"); }
    public Var exp() { throw new UnsupportedOperationException("skeleton"); }
}
