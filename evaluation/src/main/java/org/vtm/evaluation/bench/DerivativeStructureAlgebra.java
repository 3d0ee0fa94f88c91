package org.vtm.evaluation.bench;

import java.util.List;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.vtm.transforms.Algebra;
import org.vtm.transforms.Comparison;
import org.vtm.transforms.UnaryFunction;
import org.vtm.transforms.VarFunction;

/**
 * The program algebra over Hipparchus {@link DerivativeStructure}s: the reference implementation
 * the expansion benchmark compares against (same steps, same points). Java {@code Var} steps are
 * not supported on this algebra.
 */
public final class DerivativeStructureAlgebra implements Algebra<DerivativeStructure> {

    private final DSFactory factory;

    public DerivativeStructureAlgebra(int dim, int order) {
        this.factory = new DSFactory(dim, order);
    }

    public DSFactory factory() {
        return factory;
    }

    @Override
    public DerivativeStructure constant(double c) {
        return factory.constant(c);
    }

    @Override
    public DerivativeStructure add(DerivativeStructure a, DerivativeStructure b) {
        return a.add(b);
    }

    @Override
    public DerivativeStructure sub(DerivativeStructure a, DerivativeStructure b) {
        return a.subtract(b);
    }

    @Override
    public DerivativeStructure mul(DerivativeStructure a, DerivativeStructure b) {
        return a.multiply(b);
    }

    @Override
    public DerivativeStructure div(DerivativeStructure a, DerivativeStructure b) {
        return a.divide(b);
    }

    @Override
    public DerivativeStructure neg(DerivativeStructure a) {
        return a.negate();
    }

    @Override
    public DerivativeStructure pow(DerivativeStructure a, double p) {
        return a.pow(p);
    }

    @Override
    public DerivativeStructure pow(DerivativeStructure a, DerivativeStructure b) {
        return a.pow(b);
    }

    @Override
    public DerivativeStructure apply(UnaryFunction f, DerivativeStructure a) {
        switch (f) {
            case SIN: return a.sin();
            case COS: return a.cos();
            case TAN: return a.tan();
            case EXP: return a.exp();
            case LOG: return a.log();
            case SQRT: return a.sqrt();
            case TANH: return a.tanh();
            case SIGMOID: return a.negate().exp().add(1.0).reciprocal();
            case SINH: return a.sinh();
            case COSH: return a.cosh();
            case ATAN: return a.atan();
            case SOFTPLUS: return a.exp().log1p();
            default: throw new AssertionError(f);
        }
    }

    @Override
    public DerivativeStructure select(Comparison cmp, DerivativeStructure a, DerivativeStructure b,
                                      DerivativeStructure then, DerivativeStructure otherwise) {
        return cmp.test(a.getValue(), b.getValue()) ? then : otherwise;
    }

    @Override
    public List<DerivativeStructure> call(VarFunction f, int outputDim, List<DerivativeStructure> inputs) {
        throw new UnsupportedOperationException(
                "a step written in Java over Var cannot run on Hipparchus DerivativeStructure");
    }
}
