package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.Expander;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.Program;

class InterpreterModelTest {
    static final int ORDER = 3;

    static SameDiff model(ModelConfig c, long seed) {
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(c.family()), c.dim(), c.order());
        double[] tfx = BasisTransform.of(set).tfx();
        return InterpreterModel.newGraph(c, tfx, oraclePoints(set), seed);
    }

    static double[][] oraclePoints(FunctionSet set) {
        Oracle oracle = Oracle.of(set);
        double[] u = oracle.points();
        int d = set.dim();
        double[][] pts = new double[oracle.pointCount()][d];
        for (int s = 0; s < pts.length; s++) {
            System.arraycopy(u, s * d, pts[s], 0, d);
        }
        return pts;
    }

    /**
     * For a program that is exactly a polynomial of degree n+1, its order-(n+1) expansion is exact, so
     * T_FX·a + Q*·a⁺ (the untrained {@code --init projection} model) is the least-squares fit of the program
     * itself: it must equal {@link Oracle#fit}, an independent least-squares solve of sampled values.
     */
    @Test
    void projectionInitEqualsOracleOnDegreeNPlusOnePolynomials() {
        ModelConfig c = new ModelConfig("chebyshev", 2, ORDER, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.PROJECTION,
                ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3);
        LearnedInterpreter li = LearnedInterpreter.of(c, model(c, 3));
        Oracle oracle = Oracle.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, ORDER));
        // degree 4 = ORDER + 1 in both outputs, over two steps (the second squares a degree-2 polynomial)
        Program p = Program.parse("(x, y) -> (x*x + 0.5*y - 1, 0.3*x*y + y*y) |> (u, v) -> (u*u - 2*v*u, v*v + u*v - 0.25*u)");
        double[] point = {0.3, -0.2};
        double radius = 0.7;
        double[] learned = li.transform(p, point, radius).coefficients();
        double[] fit = oracle.fit(p, point, radius).coefficients();
        double scale = 0;
        for (double v : fit) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < fit.length; j++) {
            // both are double-precision least-squares solves of the same 64-point problem (normal equations vs
            // the oracle's own solver): agreement to ~1e-12 relative; 1e-8 leaves room for conditioning
            assertEquals(fit[j], learned[j], 1e-8 * scale, "coefficient " + j);
        }
        // and T_FX alone is not that fit (the check is not vacuous)
        double[] fixed = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, ORDER))
                .apply(Expander.expand(p, point, ORDER), radius).coefficients();
        double diff = 0;
        for (int j = 0; j < fit.length; j++) {
            diff = Math.max(diff, Math.abs(fit[j] - fixed[j]));
        }
        assertTrue(diff > 1e-3 * scale, "T_FX already equals the fit: " + diff);
    }

    @Test
    void gradientsOfLogLossWithNextOrderTermsMatchCentralDifferences() {
        gradientCheck(new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM,
                ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 0.5));
    }

    /**
     * Zero head ⇒ the model is the fixed transform: its coefficients equal BasisTransform.apply of
     * the whole program's expansion (what `vtm transform` prints), an independent computation
     * (one expansion of the whole program instead of composed step expansions).
     */
    @Test
    void untrainedModelReproducesFixedTransform() {
        ModelConfig c = new ModelConfig("chebyshev", 2, ORDER, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX);
        LearnedInterpreter li = LearnedInterpreter.of(c, model(c, 3));
        CorpusGenerator g = TestCorpora.generator(ORDER, 4, 11);
        BasisTransform bt = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, ORDER));
        List<Program> programs = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<Double> radii = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            CorpusRecord r = g.record(i);
            programs.add(Program.parse(r.program()));
            points.add(r.point());
            radii.add(r.radius());
        }
        double[][] pts = points.toArray(new double[0][]);
        double[] rad = radii.stream().mapToDouble(Double::doubleValue).toArray();
        FunctionSeries[] batched = li.transform(programs, pts, rad);
        int checked = 0;
        for (int i = 0; i < programs.size(); i++) {
            FunctionSeries fixed = bt.apply(Expander.expand(programs.get(i), pts[i], ORDER), rad[i]);
            FunctionSeries single = li.transform(programs.get(i), pts[i], rad[i]);
            assertEquals(FunctionSeries.Origin.LEARNED, single.origin());
            double[] e = fixed.coefficients();
            double[] s = single.coefficients();
            double[] b = batched[i].coefficients();
            for (int j = 0; j < e.length; j++) {
                // 1e-6 relative to max(1,|c|): both are double-precision evaluations of the same
                // linear map; composition vs. direct expansion differ only by rounding (~1e-13)
                double tol = 1e-6 * Math.max(1, Math.abs(e[j]));
                assertEquals(e[j], s[j], tol, "program " + i + " coefficient " + j);
                assertEquals(e[j], b[j], tol, "batched program " + i + " coefficient " + j);
                checked++;
            }
        }
        assertTrue(checked > 100);
    }

    @Test
    void gradientsOfTransformHeadMatchCentralDifferences() {
        gradientCheck(new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM));
    }

    @Test
    void gradientsOfDirectHeadMatchCentralDifferences() {
        gradientCheck(new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, ModelConfig.Init.RANDOM));
    }

    /**
     * Double precision central differences on a random sample of entries of every parameter
     * (LSTM input/recurrent weights and bias, head weights and bias), with a padded step in the
     * batch so masking is exercised. Random init: a zero head would give zero LSTM gradients.
     */
    private static void gradientCheck(ModelConfig c) {
        SameDiff sd = model(c, 5);
        CorpusGenerator g = TestCorpora.generator(c.order(), c.maxSteps(), 21);
        List<StepDataset.Sample> samples = new ArrayList<>();
        int sampleCount = g.layout().samples();
        for (int i = 0; i < 3; i++) {
            CorpusRecord r = g.record(i);
            StepDataset.Sample smp = sampleOf(r, g.layout().samples());
            if (c.inputs() == ModelConfig.Inputs.NEXT_ORDER) {
                smp = smp.withNext(StepInputs.nextOrderTerms(Program.parse(r.program()), r.point(), r.radius(), c.order()));
            }
            samples.add(smp);
        }
        Map<String, INDArray> in = ModelInputs.training(c, samples, c.maxSteps(), sampleCount);
        List<String> names = InterpreterModel.parameterNames(sd);
        Map<String, INDArray> grads = sd.calculateGradients(in, names);
        SplittableRandom random = new SplittableRandom(9);
        double eps = 1e-6;
        int checked = 0;
        for (String p : names) {
            INDArray param = sd.getVariable(p).getArr();
            INDArray grad = grads.get(p);
            long n = param.length();
            double maxGrad = 0;
            for (int k = 0; k < 6; k++) {
                long j = random.nextLong(n);
                double orig = param.getDouble(j);
                param.putScalar(j, orig + eps);
                double plus = loss(sd, in);
                param.putScalar(j, orig - eps);
                double minus = loss(sd, in);
                param.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = grad.getDouble(j);
                maxGrad = Math.max(maxGrad, Math.abs(analytic));
                // central differences in double: error O(eps²·f''') + O(ulp·f/eps) ≈ 1e-9 here
                double tol = 1e-6 + 1e-5 * Math.max(Math.abs(numeric), Math.abs(analytic));
                assertEquals(numeric, analytic, tol, p + "[" + j + "]");
                checked++;
            }
            assertTrue(maxGrad > 0, "all sampled gradients of " + p + " are zero; the check would be vacuous");
        }
        assertEquals(6 * names.size(), checked);
    }

    private static double loss(SameDiff sd, Map<String, INDArray> in) {
        return sd.output(in, InterpreterModel.LOSS).get(InterpreterModel.LOSS).getDouble(0);
    }

    static StepDataset.Sample sampleOf(CorpusRecord r, int sampleCount) {
        int k = r.steps();
        int d = r.dim();
        double[] points = new double[k * d];
        int dm = r.prefixExpansion()[0].length;
        double[] prefix = new double[k * dm];
        double[] values = new double[k * d * sampleCount];
        for (int t = 0; t < k; t++) {
            System.arraycopy(r.stepPoints()[t], 0, points, t * d, d);
            System.arraycopy(r.prefixExpansion()[t], 0, prefix, t * dm, dm);
            for (int s = 0; s < sampleCount; s++) {
                for (int o = 0; o < d; o++) {
                    values[(t * d + o) * sampleCount + s] = r.sampleValues()[t][s * d + o];
                }
            }
        }
        return new StepDataset.Sample(r.index(), k, r.radius(), points, prefix, values, new double[k * 6]);
    }
}
