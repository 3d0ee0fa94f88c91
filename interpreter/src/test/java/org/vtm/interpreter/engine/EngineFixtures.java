package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.ModelInputs;
import org.vtm.interpreter.StepDataset;
import org.vtm.interpreter.Trainer;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

/** Shared test data for the engine: real corpus records packed by ModelInputs, and a central-difference checker. */
final class EngineFixtures {
    private EngineFixtures() {
    }

    /** A model configuration, its T_FX, sample points, Φ and one packed training batch. */
    record Fixture(ModelConfig config, double[] tfx, double[][] samplePoints, double[] phi, Map<String, INDArray> batch) {
        SameDiff graph(long seed) {
            return InterpreterModel.newGraph(config, tfx, samplePoints, seed);
        }

        Network network(long seed, DataType dtype) {
            return Network.create(config, tfx, phi, null, InterpreterModel.tailProjection(config, samplePoints), seed, dtype);
        }
    }

    static Fixture fixture(ModelConfig c, int programs, long seed) {
        CorpusGenerator g = new CorpusGenerator(GeneratorConfig.defaults(c.dim(), c.order(), c.family(), 1, c.maxSteps()), seed);
        int s = g.layout().samples();
        List<StepDataset.Sample> samples = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            samples.add(StepDataset.Sample.of(g.record(i), s, c.order()));
        }
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(c.family()), c.dim(), c.order());
        double[] tfx = BasisTransform.of(set).tfx();
        double[][] pts = g.layout().samplePoints();
        double[] phi = set.designMatrix(pts);
        return new Fixture(c, tfx, pts, phi, ModelInputs.training(c, samples, c.maxSteps(), s));
    }

    static INDArray random(SplittableRandom random, double scale, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, scale * random.nextDouble(-1, 1));
        }
        return a;
    }

    /** Fills every parameter of {@code params} with uniform values in ±scale. */
    static void randomise(ParameterSet params, SplittableRandom random, double scale) {
        INDArray v = params.flatValues();
        for (long i = 0; i < v.length(); i++) {
            v.putScalar(i, scale * random.nextDouble(-1, 1));
        }
    }

    /**
     * Central differences in double precision over EVERY entry of {@code value} against {@code analytic}:
     * {@code (f(θ+h) − f(θ−h))/2h} with h = 1e-6 has truncation error O(h²·f''') ≈ 1e-12 and rounding error
     * O(ulp(f)/h) ≈ 1e-10·|f|, so agreement to 1e-7·(1 + |f|) + 1e-6·|g| is tight yet leaves room for both.
     *
     * @return the largest |analytic| seen (the caller asserts it is not zero)
     */
    static double check(String name, INDArray value, INDArray analytic, DoubleSupplier f) {
        assertEquals(value.length(), analytic.length(), name + ": gradient shape");
        double h = 1e-6;
        double f0 = Math.abs(f.getAsDouble());
        double max = 0;
        for (long j = 0; j < value.length(); j++) {
            double orig = value.getDouble(j);
            value.putScalar(j, orig + h);
            double plus = f.getAsDouble();
            value.putScalar(j, orig - h);
            double minus = f.getAsDouble();
            value.putScalar(j, orig);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic.getDouble(j);
            max = Math.max(max, Math.abs(a));
            double tol = 1e-7 * (1 + f0) + 1e-6 * Math.max(Math.abs(numeric), Math.abs(a));
            assertEquals(numeric, a, tol, name + "[" + j + "] (of " + value.length() + ")");
        }
        return max;
    }

    /** As {@link #check}, and asserts that the gradient is not identically zero (the check would be vacuous). */
    static void checkNonZero(String name, INDArray value, INDArray analytic, DoubleSupplier f) {
        double max = check(name, value, analytic, f);
        assertTrue(max > 0, "all gradients of " + name + " are zero; the check would be vacuous");
    }

    /** Σ r ⊙ out: a scalar whose gradient with respect to out is r. */
    static double dot(INDArray out, INDArray r) {
        return out.castTo(DataType.DOUBLE).reshape(out.length()).mul(r.reshape(r.length())).sumNumber().doubleValue();
    }

    static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        double scale = Math.max(1, expected.castTo(DataType.DOUBLE).amaxNumber().doubleValue());
        for (long j = 0; j < expected.length(); j++) {
            assertEquals(expected.getDouble(j), actual.getDouble(j), tol * scale, what + "[" + j + "]");
        }
    }
}
