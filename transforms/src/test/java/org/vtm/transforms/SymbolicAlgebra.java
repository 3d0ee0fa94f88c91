package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Test algebra whose elements are S-expressions of the operations performed, e.g.
 * {@code "sub(add(x,y),x)"}. Two evaluations give the same string exactly when they perform the same
 * algebra calls on the same constants, which makes precedence, associativity and the choice between
 * {@code pow(T, double)} and {@code pow(T, T)} directly observable.
 */
public final class SymbolicAlgebra implements Algebra<String> {

    /** Inputs named x0, x1, ... for a step of the given arity. */
    public static List<String> inputs(int n) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add("x" + i);
        }
        return in;
    }

    @Override
    public String constant(double c) {
        return Double.toString(c);
    }

    @Override
    public String add(String a, String b) {
        return "add(" + a + "," + b + ")";
    }

    @Override
    public String sub(String a, String b) {
        return "sub(" + a + "," + b + ")";
    }

    @Override
    public String mul(String a, String b) {
        return "mul(" + a + "," + b + ")";
    }

    @Override
    public String div(String a, String b) {
        return "div(" + a + "," + b + ")";
    }

    @Override
    public String neg(String a) {
        return "neg(" + a + ")";
    }

    @Override
    public String pow(String a, double p) {
        return "powd(" + a + "," + p + ")";
    }

    @Override
    public String pow(String a, String b) {
        return "pow(" + a + "," + b + ")";
    }

    @Override
    public String apply(UnaryFunction f, String a) {
        return f.symbol() + "(" + a + ")";
    }

    @Override
    public String select(Comparison cmp, String a, String b, String then, String otherwise) {
        return "if(" + a + cmp.symbol() + b + "," + then + "," + otherwise + ")";
    }

    @Override
    public List<String> call(VarFunction f, int outputDim, List<String> inputs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputDim; i++) {
            out.add("call" + System.identityHashCode(f) + "#" + i + inputs);
        }
        return out;
    }

    /** The symbolic result of the single-step program {@code text} on inputs x0, x1, .... */
    public static List<String> eval(Program p) {
        List<String> values = inputs(p.inputDim());
        for (Step s : p.steps()) {
            values = s.apply(new SymbolicAlgebra(), values);
        }
        return values;
    }
}
