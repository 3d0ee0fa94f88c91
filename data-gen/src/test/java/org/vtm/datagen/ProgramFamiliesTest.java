package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.transforms.Algebra;
import org.vtm.transforms.Comparison;
import org.vtm.transforms.DoubleAlgebra;
import org.vtm.transforms.Program;
import org.vtm.transforms.Step;
import org.vtm.transforms.UnaryFunction;
import org.vtm.transforms.VarFunction;

/**
 * Each program family's defining property, checked on generated records through the program
 * text alone (parsed by the transforms parser and evaluated with algebras written here, so the
 * checks do not share code with the generator): the shape of every step (a symbolic algebra of
 * affine forms), the rational family's pole (the root of its denominator, and the program's values
 * near it and inside it) and the branching family's boundary (the branches taken over the region).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProgramFamiliesTest {

    static GeneratorConfig config(ProgramFamily family, int dim) {
        return GeneratorConfig.defaults(dim, 3, "chebyshev", 1, 3).withProgramFamily(family);
    }

    // ------------------------------------------------------------------ a symbolic algebra

    /**
     * A value of the symbolic algebra: an affine form {@code c + w·x} of the step's parameters
     * (exact, {@code w} null for a constant), or a non-affine value with the functions applied to
     * affine forms on its way ({@code top}: the outermost function if the value is {@code f(affine)}).
     */
    record Sym(double c, double[] w, UnaryFunction top, boolean other) {
        static Sym constant(double c) {
            return new Sym(c, null, null, false);
        }

        boolean affine() {
            return !other && top == null;
        }

        boolean constantValue() {
            return affine() && w == null;
        }
    }

    /** Traces a step: which functions, divisions by affine forms and branches it uses. */
    static final class Tracer implements Algebra<Sym> {
        final int dim;
        final List<UnaryFunction> functions = new ArrayList<>();
        final List<Sym> denominators = new ArrayList<>();
        int selects;
        int powers;
        int nonAffineProducts;

        Tracer(int dim) {
            this.dim = dim;
        }

        List<Sym> parameters() {
            List<Sym> p = new ArrayList<>();
            for (int l = 0; l < dim; l++) {
                double[] w = new double[dim];
                w[l] = 1;
                p.add(new Sym(0, w, null, false));
            }
            return p;
        }

        private static Sym nonAffine() {
            return new Sym(Double.NaN, null, null, true);
        }

        private Sym combine(Sym a, Sym b, double sb) {
            if (!a.affine() || !b.affine()) {
                return nonAffine();
            }
            double[] w = null;
            if (a.w != null || b.w != null) {
                w = new double[dim];
                for (int l = 0; l < dim; l++) {
                    w[l] = (a.w == null ? 0 : a.w[l]) + sb * (b.w == null ? 0 : b.w[l]);
                }
            }
            return new Sym(a.c + sb * b.c, w, null, false);
        }

        private Sym scale(Sym a, double k) {
            double[] w = a.w == null ? null : Arrays.stream(a.w).map(x -> k * x).toArray();
            return new Sym(k * a.c, w, null, false);
        }

        @Override
        public Sym constant(double c) {
            return Sym.constant(c);
        }

        @Override
        public Sym add(Sym a, Sym b) {
            return combine(a, b, 1);
        }

        @Override
        public Sym sub(Sym a, Sym b) {
            return combine(a, b, -1);
        }

        @Override
        public Sym mul(Sym a, Sym b) {
            if (a.constantValue() && b.affine()) {
                return scale(b, a.c);
            }
            if (b.constantValue() && a.affine()) {
                return scale(a, b.c);
            }
            nonAffineProducts++;
            return nonAffine();
        }

        @Override
        public Sym div(Sym a, Sym b) {
            if (b.constantValue() && a.affine()) {
                return scale(a, 1 / b.c);
            }
            denominators.add(b);
            return nonAffine();
        }

        @Override
        public Sym neg(Sym a) {
            return a.affine() ? scale(a, -1) : a;
        }

        @Override
        public Sym pow(Sym a, double p) {
            powers++;
            return nonAffine();
        }

        @Override
        public Sym pow(Sym a, Sym b) {
            powers++;
            return nonAffine();
        }

        @Override
        public Sym apply(UnaryFunction f, Sym a) {
            functions.add(f);
            return a.affine() ? new Sym(Double.NaN, null, f, false) : nonAffine();
        }

        @Override
        public Sym select(Comparison cmp, Sym a, Sym b, Sym then, Sym otherwise) {
            selects++;
            return nonAffine();
        }

        @Override
        public List<Sym> call(VarFunction f, int outputDim, List<Sym> inputs) {
            throw new AssertionError("generated programs have no Java steps");
        }
    }

    static List<Sym> trace(Step step, Tracer t) {
        return step.apply(t, t.parameters());
    }

    // ------------------------------------------------------------------ families

    @Test
    void mlpStepsAreLayersOfOneActivationOfAffineMaps() {
        for (int dim : new int[] {1, 2, 3}) {
            CorpusGenerator g = new CorpusGenerator(config(ProgramFamily.MLP, dim), 17);
            Set<UnaryFunction> seen = EnumSet.noneOf(UnaryFunction.class);
            for (long i = 0; i < 30; i++) {
                CorpusRecord r = g.record(i);
                assertEquals("mlp", r.programFamily());
                assertTrue(Double.isNaN(r.poleDistance()) && Double.isNaN(r.poleRatio()), "no pole recorded");
                for (Step step : Program.parse(r.program()).steps()) {
                    Tracer t = new Tracer(dim);
                    List<Sym> outs = trace(step, t);
                    UnaryFunction act = outs.get(0).top();
                    assertTrue(Set.of(UnaryFunction.TANH, UnaryFunction.SIGMOID, UnaryFunction.SOFTPLUS).contains(act),
                            r.program());
                    for (Sym o : outs) {
                        assertEquals(act, o.top(), "one activation per layer, each of an affine form: " + r.program());
                    }
                    assertEquals(dim, t.functions.size(), "nothing but the activations: " + r.program());
                    assertEquals(0, t.selects + t.powers + t.nonAffineProducts + t.denominators.size(), r.program());
                    seen.add(act);
                }
            }
            assertEquals(3, seen.size(), "all three activations occur for d=" + dim);
        }
    }

    @Test
    void expAffineOutputsAreOneFunctionOfAnAffineForm() {
        CorpusGenerator g = new CorpusGenerator(config(ProgramFamily.EXP_AFFINE, 2), 23);
        Set<UnaryFunction> allowed = EnumSet.of(UnaryFunction.EXP, UnaryFunction.LOG, UnaryFunction.SIN, UnaryFunction.COS,
                UnaryFunction.TAN);
        Set<UnaryFunction> seen = EnumSet.noneOf(UnaryFunction.class);
        for (long i = 0; i < 40; i++) {
            CorpusRecord r = g.record(i);
            assertEquals("exp-affine", r.programFamily());
            for (Step step : Program.parse(r.program()).steps()) {
                Tracer t = new Tracer(2);
                for (Sym o : trace(step, t)) {
                    assertTrue(o.top() != null && allowed.contains(o.top()), "f(affine) with f in " + allowed + ": " + r.program());
                    seen.add(o.top());
                }
                assertEquals(2, t.functions.size(), r.program());
                assertEquals(0, t.selects + t.powers + t.nonAffineProducts + t.denominators.size(), r.program());
            }
        }
        assertEquals(allowed, seen);
    }

    /**
     * The pole: step 0 divides by one affine form {@code D}; its zero set's max-norm distance from
     * v0, {@code |D(v0)| / ‖∇D‖₁}, is the recorded ρ; later steps are entire (affine maps and sines
     * only); the program is finite at random points strictly inside the max-norm ball of radius ρ
     * and blows up like 1/distance approaching the nearest point of the zero set.
     */
    @Test
    void rationalPoleIsTheNearestSingularityAtTheRecordedDistance() {
        for (int dim : new int[] {1, 2, 3}) {
            GeneratorConfig c = config(ProgramFamily.RATIONAL, dim).withPoleRatio(0.2, 0.8);
            CorpusGenerator g = new CorpusGenerator(c, 29);
            SplittableRandom probe = new SplittableRandom(3);
            double lo = 1;
            double hi = 0;
            for (long i = 0; i < 40; i++) {
                CorpusRecord r = g.record(i);
                double[] v0 = r.point();
                double rho = r.poleDistance();
                assertEquals("rational", r.programFamily());
                assertEquals(r.radius() / rho, r.poleRatio(), 1e-15, "r/ρ recorded");
                assertTrue(r.poleRatio() >= 0.2 - 1e-12 && r.poleRatio() <= 0.8 + 1e-12, "r/ρ in the configured range: " + r);
                lo = Math.min(lo, r.poleRatio());
                hi = Math.max(hi, r.poleRatio());
                Program p = Program.parse(r.program());
                // the denominator's root, from the text
                Tracer t0 = new Tracer(dim);
                trace(p.steps().get(0), t0);
                assertFalse(t0.denominators.isEmpty(), r.program());
                Sym den = t0.denominators.get(0);
                for (Sym other : t0.denominators) {
                    assertEquals(den.c(), other.c(), 0.0, "one pole hyperplane");
                    assertTrue(Arrays.equals(den.w(), other.w()), "one pole hyperplane");
                }
                double atV0 = den.c();
                double norm1 = 0;
                for (int l = 0; l < dim; l++) {
                    atV0 += den.w()[l] * v0[l];
                    norm1 += Math.abs(den.w()[l]);
                }
                assertEquals(Math.abs(atV0) / norm1, rho, 1e-12 * rho, "ρ is the max-norm distance of D = 0 from v0");
                for (int s = 1; s < p.steps().size(); s++) {
                    Tracer ts = new Tracer(dim);
                    trace(p.steps().get(s), ts);
                    assertTrue(ts.denominators.isEmpty() && ts.selects == 0 && ts.powers == 0, "entire later steps: " + r.program());
                    assertTrue(ts.functions.stream().allMatch(f -> f == UnaryFunction.SIN), "entire later steps: " + r.program());
                }
                // finite inside the max-norm ball of radius ρ (the region lies inside it: r < ρ)
                for (int k = 0; k < 50; k++) {
                    double[] x = new double[dim];
                    for (int l = 0; l < dim; l++) {
                        x[l] = v0[l] + rho * 0.999 * probe.nextDouble(-1, 1);
                    }
                    for (double y : p.execute(x)) {
                        assertTrue(Double.isFinite(y), "finite inside the ball of radius ρ: " + r.program());
                    }
                }
                // and singular at its surface: the corner direction that reaches D = 0
                double[] dir = new double[dim];
                for (int l = 0; l < dim; l++) {
                    dir[l] = -Math.signum(atV0) * Math.signum(den.w()[l]);
                }
                double near = magnitude(p, v0, dir, rho * (1 - 1e-5));
                double nearer = magnitude(p, v0, dir, rho * (1 - 1e-7));
                assertTrue(nearer > 30 * near, "blows up approaching the pole (" + near + " → " + nearer + "): " + r.program());
            }
            assertTrue(lo < 0.35 && hi > 0.65, "r/ρ spreads over the range: " + lo + ".." + hi);
        }
    }

    private static double magnitude(Program p, double[] v0, double[] dir, double t) {
        double[] x = new double[v0.length];
        for (int l = 0; l < x.length; l++) {
            x[l] = v0[l] + t * dir[l];
        }
        double m = 0;
        for (double y : p.execute(x)) {
            m = Math.max(m, Math.abs(y));
        }
        return m;
    }

    /** Doubles ({@link DoubleAlgebra}), recording which way every {@code if} went. */
    static final class Branches implements Algebra<Double> {
        private static final DoubleAlgebra D = DoubleAlgebra.INSTANCE;
        final List<Boolean> taken = new ArrayList<>();

        @Override
        public Double constant(double c) {
            return D.constant(c);
        }

        @Override
        public Double add(Double a, Double b) {
            return D.add(a, b);
        }

        @Override
        public Double sub(Double a, Double b) {
            return D.sub(a, b);
        }

        @Override
        public Double mul(Double a, Double b) {
            return D.mul(a, b);
        }

        @Override
        public Double div(Double a, Double b) {
            return D.div(a, b);
        }

        @Override
        public Double neg(Double a) {
            return D.neg(a);
        }

        @Override
        public Double pow(Double a, double p) {
            return D.pow(a, p);
        }

        @Override
        public Double pow(Double a, Double b) {
            return D.pow(a, b);
        }

        @Override
        public Double apply(UnaryFunction f, Double a) {
            return D.apply(f, a);
        }

        @Override
        public Double select(Comparison cmp, Double a, Double b, Double then, Double otherwise) {
            taken.add(cmp.test(a, b));
            return D.select(cmp, a, b, then, otherwise);
        }

        @Override
        public List<Double> call(VarFunction f, int outputDim, List<Double> inputs) {
            return D.call(f, outputDim, inputs);
        }
    }

    @Test
    void branchingBoundaryCrossesTheRegion() {
        for (int dim : new int[] {1, 2}) {
            CorpusGenerator g = new CorpusGenerator(config(ProgramFamily.BRANCHING, dim), 31);
            double[][] u = g.layout().samplePoints();
            for (long i = 0; i < 30; i++) {
                CorpusRecord r = g.record(i);
                assertEquals("branching", r.programFamily());
                Program p = Program.parse(r.program());
                Tracer t0 = new Tracer(dim);
                trace(p.steps().get(0), t0);
                assertEquals(dim, t0.selects, "one if per output of step 0: " + r.program());
                boolean sawThen = false;
                boolean sawOtherwise = false;
                for (double[] us : u) {
                    List<Double> x = new ArrayList<>();
                    for (int l = 0; l < dim; l++) {
                        x.add(r.point()[l] + r.radius() * us[l]);
                    }
                    Branches b = new Branches();
                    p.steps().get(0).apply(b, x);
                    sawThen |= b.taken.contains(true);
                    sawOtherwise |= b.taken.contains(false);
                }
                assertTrue(sawThen && sawOtherwise, "both branches are taken at sample points of the region: " + r);
            }
        }
    }

    @Test
    void familiesDrawDifferentProgramsFromTheSameSeedAndAreDeterministic() {
        for (ProgramFamily f : ProgramFamily.values()) {
            GeneratorConfig c = config(f, 2);
            CorpusRecord a = new CorpusGenerator(c, 41).record(3);
            assertEquals(a, new CorpusGenerator(c, 41).record(3), f.label());
            assertEquals(f.label(), a.programFamily());
            assertTrue(a.rejectedBefore() < CorpusGenerator.MAX_ATTEMPTS, f.label());
        }
    }

    @Test
    void badFamilyOrPoleRatioIsRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgramFamily.byLabel("cnn"));
        assertTrue(e.getMessage().contains("'cnn'") && e.getMessage().contains("exp-affine"), e.getMessage());
        for (double[] q : new double[][] {{0, 0.5}, {0.5, 1}, {0.6, 0.4}, {Double.NaN, 0.5}}) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> config(ProgramFamily.RATIONAL, 2).withPoleRatio(q[0], q[1]));
            assertTrue(x.getMessage().startsWith("--pole-ratio must be a range a..b with 0 < a <= b < 1"), x.getMessage());
        }
    }

    @Test
    void manifestRecordsTheFamilyAndItsOptions() {
        var random = config(ProgramFamily.RANDOM, 2).toJson();
        assertEquals("random", random.path("program_family").asText());
        assertFalse(random.has("pole_ratio_min"));
        var rational = config(ProgramFamily.RATIONAL, 2).withPoleRatio(0.3, 0.7).toJson();
        assertEquals("rational", rational.path("program_family").asText());
        assertEquals(0.3, rational.path("pole_ratio_min").asDouble());
        assertEquals(0.7, rational.path("pole_ratio_max").asDouble());
    }
}
