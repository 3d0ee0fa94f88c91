package org.vtm.transforms;

import java.util.List;

/** SKELETON (contract only; the language helper replaces the bodies). */
public final class Program {
    public static Program parse(String text) { throw new UnsupportedOperationException("skeleton"); }
    public static Program of(List<Step> steps) { throw new UnsupportedOperationException("skeleton"); }
    public List<Step> steps() { throw new UnsupportedOperationException("skeleton"); }
    public int inputDim() { throw new UnsupportedOperationException("skeleton"); }
    public int outputDim() { throw new UnsupportedOperationException("skeleton"); }
    public String text() { throw new UnsupportedOperationException("skeleton"); }
    /** Plain execution at a point. */
    public double[] execute(double[] x) { throw new UnsupportedOperationException("skeleton"); }
}
