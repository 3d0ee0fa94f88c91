package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.Program;

/**
 * {@link LearnedInterpreter} predicts on the layer engine: its coefficients equal the SameDiff graph's for the same
 * parameters to 1e-12 relative (of the largest coefficient of the series), for every head, input mode and
 * initialisation, for whole programs in a batch and for the prefixes of one program, and a loaded model is the graph
 * of its files. Both compute the same products in another op order, so they differ by rounding (measured: about
 * 1e-16); 1e-12 allows for that and for nothing else (one wrong term moves coefficients by far more).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LearnedInterpreterEngineTest {
    static final int ORDER = 3;
    static final double REL = 1e-12;

    @Test
    void engineCoefficientsEqualTheGraphsForEveryModelKind() {
        CorpusGenerator g = TestCorpora.generator(ORDER, 4, 21);
        List<Program> programs = new ArrayList<>();
        double[][] points = new double[16][];
        double[] radii = new double[16];
        for (int i = 0; i < 16; i++) {
            CorpusRecord r = g.record(i);
            programs.add(Program.parse(r.program()));
            points[i] = r.point();
            radii[i] = r.radius();
        }
        int compared = 0;
        // the SameDiff graph has no tail head (TailHeadTest checks that head against its formula by hand)
        for (ModelConfig.Head head : List.of(ModelConfig.Head.TRANSFORM, ModelConfig.Head.DIRECT)) {
            for (ModelConfig.Inputs inputs : ModelConfig.Inputs.values()) {
                for (ModelConfig.Init init : ModelConfig.Init.values()) {
                  for (boolean growth : new boolean[] {false, true}) {
                    if (init == ModelConfig.Init.PROJECTION && inputs != ModelConfig.Inputs.NEXT_ORDER) {
                        continue;
                    }
                    ModelConfig c = new ModelConfig("chebyshev", 2, ORDER, 4, 8, head, init, inputs,
                            ModelConfig.Loss.LOG_REL, 0.5, growth, false, ModelConfig.DEFAULT_STRUCTURE_WIDTH);
                    SameDiff sd = InterpreterModelTest.model(c, 7);
                    randomiseHead(sd);
                    LearnedInterpreter graph = LearnedInterpreter.of(c, sd);
                    LearnedInterpreter engine = LearnedInterpreter.of(c, engineOf(c, sd));
                    String what = head + "/" + c.inputSpec() + "/" + init;
                    FunctionSeries[] a = graph.transform(programs, points, radii);
                    FunctionSeries[] b = engine.transform(programs, points, radii);
                    for (int i = 0; i < a.length; i++) {
                        assertClose(a[i].coefficients(), b[i].coefficients(), what + " program " + i);
                    }
                    FunctionSeries[] pa = graph.transformPrefixes(programs.get(3), points[3], radii[3]);
                    FunctionSeries[] pb = engine.transformPrefixes(programs.get(3), points[3], radii[3]);
                    assertEquals(pa.length, pb.length);
                    for (int t = 0; t < pa.length; t++) {
                        assertClose(pa[t].coefficients(), pb[t].coefficients(), what + " prefix " + t);
                    }
                    compared++;
                  }
                }
            }
        }
        assertEquals(28, compared);
    }

    /** A trained model directory loads onto the engine: the same coefficients as the graph restored from its files. */
    @Test
    void loadedModelPredictsAsTheGraphOfItsFiles(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 48, 2, 3, 17);
        Path out = tmp.resolve("m");
        new Trainer(TrainerResumeTest.config(corpus, out, 2), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run();
        LearnedInterpreter loaded = LearnedInterpreter.load(out);
        ModelConfig c = loaded.config();
        ModelDescription desc = ModelDescription.read(out);
        SameDiff sd = InterpreterModel.newGraph(c, TfxSource.computed().tfx(c.family(), c.dim(), c.order()),
                InterpreterModelTest.oraclePoints(loaded.functionSet()), desc.seed());
        InterpreterModel.restore(sd, ParameterFile.read(out.resolve(ModelDirectory.MODEL_FILE)));
        LearnedInterpreter graph = LearnedInterpreter.of(c, sd);
        CorpusGenerator g = TestCorpora.generator(2, 3, 5);
        for (int i = 0; i < 8; i++) {
            CorpusRecord r = g.record(i);
            Program p = Program.parse(r.program());
            assertClose(graph.transform(p, r.point(), r.radius()).coefficients(),
                    loaded.transform(p, r.point(), r.radius()).coefficients(), "program " + i);
        }
    }

    /** Moves the (zero-initialised) transform head away from zero, so its path is exercised. */
    private static void randomiseHead(SameDiff sd) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        for (String name : List.of("head_W", "head_b", "lstm_b")) {
            org.nd4j.linalg.api.ndarray.INDArray p = sd.getVariable(name).getArr();
            double[] v = new double[(int) p.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.3 * (random.nextDouble() - 0.5);
            }
            p.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(v).reshape(p.shape()));
        }
        if (sd.hasVariable(InterpreterModel.NEXT_PARAMETER)) {
            org.nd4j.linalg.api.ndarray.INDArray q = sd.getVariable(InterpreterModel.NEXT_PARAMETER).getArr();
            q.addi(0.05);
        }
    }

    private static TrainingEngine engineOf(ModelConfig c, SameDiff sd) {
        org.vtm.transforms.FunctionSet set = org.vtm.transforms.FunctionSet.of(
                org.vtm.transforms.FunctionFamily.chebyshev(), c.dim(), c.order());
        TrainingEngine e = TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(c,
                org.vtm.transforms.BasisTransform.of(set).tfx(), InterpreterModelTest.oraclePoints(set), 1, 1e-3,
                TrainerConfig.Precision.FLOAT64);
        e.restoreParameters(InterpreterModel.state(sd));
        return e;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": all coefficients zero");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], REL * scale, what + ": coefficient " + i);
        }
    }
}
