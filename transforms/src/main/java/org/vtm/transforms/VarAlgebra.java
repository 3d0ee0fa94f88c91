package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;

/** The {@link Algebra} of {@link Var}s in one {@link Space}: a step expands at one point. */
public final class VarAlgebra implements Algebra<Var> {

    private final Space space;

    public VarAlgebra(Space space) {
        this.space = SeriesChecks.notNull("space", space);
    }

    public Space space() {
        return space;
    }

    @Override
    public Var constant(double c) {
        return space.constant(c);
    }

    @Override
    public Var add(Var a, Var b) {
        return a.add(b);
    }

    @Override
    public Var sub(Var a, Var b) {
        return a.sub(b);
    }

    @Override
    public Var mul(Var a, Var b) {
        return a.mul(b);
    }

    @Override
    public Var div(Var a, Var b) {
        return a.div(b);
    }

    @Override
    public Var neg(Var a) {
        return a.neg();
    }

    @Override
    public Var pow(Var a, double p) {
        return a.pow(p);
    }

    @Override
    public Var pow(Var a, Var b) {
        return a.pow(b);
    }

    @Override
    public Var apply(UnaryFunction f, Var a) {
        return a.apply(f);
    }

    @Override
    public Var select(Comparison cmp, Var a, Var b, Var then, Var otherwise) {
        return cmp.test(a.value(), b.value()) ? then : otherwise;
    }

    @Override
    public List<Var> call(VarFunction f, int outputDim, List<Var> inputs) {
        Var[] out = f.apply(inputs.toArray(new Var[0]));
        checkOutputs(out, outputDim, space);
        List<Var> r = new ArrayList<>(out.length);
        for (Var v : out) {
            r.add(v);
        }
        return r;
    }

    static void checkOutputs(Var[] out, int outputDim, Space space) {
        if (out == null || out.length != outputDim) {
            throw new IllegalArgumentException("a Java step returned " + (out == null ? "null" : out.length
                    + " outputs") + ", expected " + outputDim);
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null || !out[i].space().equals(space)) {
                throw new IllegalArgumentException("output " + i + " of a Java step is "
                        + (out[i] == null ? "null" : "in " + out[i].space()) + ", expected a Var of " + space);
            }
        }
    }
}
