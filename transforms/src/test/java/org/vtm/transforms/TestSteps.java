package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;

/** Small hand-written steps for tests. */
final class TestSteps {

    private TestSteps() {
    }

    /** (x, y) -> (if(x < y, x*y, x - y) , exp(x)/(1 + y^2) + sin(y)^3). */
    static final Step BRANCHY = new Step() {
        @Override
        public int inputDim() {
            return 2;
        }

        @Override
        public int outputDim() {
            return 2;
        }

        @Override
        public <T> List<T> apply(Algebra<T> a, List<T> in) {
            T x = in.get(0);
            T y = in.get(1);
            T first = a.select(Comparison.LT, x, y, a.mul(x, y), a.sub(x, y));
            T second = a.add(a.div(a.apply(UnaryFunction.EXP, x), a.add(a.constant(1), a.mul(y, y))),
                    a.pow(a.apply(UnaryFunction.SIN, y), 3.0));
            return List.of(first, second);
        }

        @Override
        public String text() {
            return "(x, y) -> (if(x < y, x*y, x - y), exp(x)/(1 + y*y) + sin(y)^3)";
        }
    };

    /** (x, y, z) -> every elementary function, pow(double) and pow(Var), defined near [-1, 1]^3. */
    static final Step ALL_FUNCTIONS = new Step() {
        @Override
        public int inputDim() {
            return 3;
        }

        @Override
        public int outputDim() {
            return 4;
        }

        @Override
        public <T> List<T> apply(Algebra<T> a, List<T> in) {
            T x = in.get(0);
            T y = in.get(1);
            T z = in.get(2);
            T two = a.constant(2.0);
            T o0 = a.add(a.apply(UnaryFunction.TAN, a.mul(a.constant(0.3), x)),
                    a.apply(UnaryFunction.LOG, a.add(two, a.apply(UnaryFunction.SIN, y))));
            T o1 = a.mul(a.apply(UnaryFunction.SQRT, a.add(a.constant(1.0), a.mul(z, z))),
                    a.apply(UnaryFunction.ATAN, x));
            T o2 = a.div(a.mul(a.apply(UnaryFunction.SOFTPLUS, y), a.apply(UnaryFunction.SINH, z)),
                    a.apply(UnaryFunction.COSH, x));
            T o3 = a.sub(a.pow(a.add(a.constant(1.5), a.apply(UnaryFunction.SIN, x)), y),
                    a.mul(a.pow(a.add(two, a.apply(UnaryFunction.COS, z)), -1.3),
                            a.add(a.apply(UnaryFunction.TANH, x), a.apply(UnaryFunction.SIGMOID,
                                    a.neg(a.mul(y, a.apply(UnaryFunction.EXP, z)))))));
            return List.of(o0, o1, o2, o3);
        }

        @Override
        public String text() {
            return "<all functions>";
        }
    };

    /** A step that runs a Java function over Vars (through Algebra.call). */
    static Step java(int in, int out, VarFunction f) {
        return new Step() {
            @Override
            public int inputDim() {
                return in;
            }

            @Override
            public int outputDim() {
                return out;
            }

            @Override
            public <T> List<T> apply(Algebra<T> a, List<T> inputs) {
                return a.call(f, out, inputs);
            }

            @Override
            public String text() {
                return "<java test step>";
            }
        };
    }

    /** Runs a step at one point over Hipparchus; returns a TensorSeries in our convention. */
    static TensorSeries hipparchus(List<? extends Step> steps, double[] point, int order) {
        HipparchusAlgebra alg = new HipparchusAlgebra(point.length, order);
        List<org.hipparchus.analysis.differentiation.DerivativeStructure> v = new ArrayList<>();
        for (int i = 0; i < point.length; i++) {
            v.add(alg.factory.variable(i, point[i]));
        }
        for (Step s : steps) {
            v = s.apply(alg, v);
        }
        MultiIndexSet set = MultiIndexSet.of(point.length, order);
        double[] c = new double[v.size() * set.size()];
        for (int o = 0; o < v.size(); o++) {
            System.arraycopy(HipparchusAlgebra.normalized(v.get(o), set), 0, c, o * set.size(), set.size());
        }
        return TensorSeries.of(point, order, v.size(), c);
    }

    /** Runs steps at one point over the Var algebra. */
    static TensorSeries viaVar(List<? extends Step> steps, double[] point, int order) {
        Space s = Space.of(point.length, order);
        VarAlgebra alg = new VarAlgebra(s);
        List<Var> v = new ArrayList<>();
        for (int i = 0; i < point.length; i++) {
            v.add(s.variable(i, point[i]));
        }
        for (Step st : steps) {
            v = st.apply(alg, v);
        }
        return TensorSeries.of(point, v.toArray(new Var[0]));
    }
}
