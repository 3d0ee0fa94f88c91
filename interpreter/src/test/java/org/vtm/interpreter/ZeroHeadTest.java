package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Program;

/**
 * The zero-head property for every input mode and flag combination and both heads that start from {@code T_FX}
 * (transform and tail): with init tfx the untrained model, on the layer engine (the one that predicts) in float64
 * and, for the transform head without structure, on the SameDiff graph, is the fixed transform — its coefficients
 * of every prefix equal {@code T_FX·a_t} computed here directly, to rounding of one matrix product. The untrained
 * tail model's coefficients are moreover the transform model's of the same seed bit for bit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZeroHeadTest {
    static final int ORDER = 3;

    @Test
    void untrainedModelIsTheFixedTransformForEveryInputCombination() {
        FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), 2, ORDER);
        double[] tfx = BasisTransform.of(set).tfx();
        double[][] pts = InterpreterModelTest.oraclePoints(set);
        CorpusGenerator g = TestCorpora.generator(ORDER, 4, 41);
        List<Program> programs = new ArrayList<>();
        List<CorpusRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CorpusRecord r = g.record(i);
            records.add(r);
            programs.add(Program.parse(r.program()));
        }
        int m = set.size();
        int combos = 0;
        List<ModelConfig.Head> heads = List.of(ModelConfig.Head.TRANSFORM, ModelConfig.Head.TAIL);
        for (int combo = 0; combo < 2 * ModelConfig.InputSpec.all().size(); combo++) {
            ModelConfig.Head head = heads.get(combo / ModelConfig.InputSpec.all().size());
            ModelConfig.InputSpec spec = ModelConfig.InputSpec.all().get(combo % ModelConfig.InputSpec.all().size());
            ModelConfig c = new ModelConfig("chebyshev", 2, ORDER, 4, 8, head, ModelConfig.Init.TFX,
                    spec, ModelConfig.Loss.LOG_REL, 0.5, 6);
            long seed = combos % 12 + 3; // the tail models get the transform models' seeds
            List<LearnedInterpreter> models = new ArrayList<>();
            models.add(LearnedInterpreter.of(c, TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(c, tfx, pts,
                    seed, 1e-3, TrainerConfig.Precision.FLOAT64)));
            if (!spec.structure() && head == ModelConfig.Head.TRANSFORM) {
                models.add(LearnedInterpreter.of(c, InterpreterModel.newGraph(c, tfx, pts, seed)));
            }
            if (head == ModelConfig.Head.TAIL) {
                ModelConfig plain = new ModelConfig("chebyshev", 2, ORDER, 4, 8, ModelConfig.Head.TRANSFORM,
                        ModelConfig.Init.TFX, spec, ModelConfig.Loss.LOG_REL, 0.5, 6);
                LearnedInterpreter transform = LearnedInterpreter.of(plain, TrainingEngine.provider(TrainerConfig.Engine.LAYERS)
                        .create(plain, tfx, pts, seed, 1e-3, TrainerConfig.Precision.FLOAT64));
                for (int i = 0; i < programs.size(); i++) {
                    CorpusRecord r = records.get(i);
                    FunctionSeries[] mine = models.get(0).transformPrefixes(programs.get(i), r.point(), r.radius());
                    FunctionSeries[] theirs = transform.transformPrefixes(programs.get(i), r.point(), r.radius());
                    for (int t = 0; t < mine.length; t++) {
                        for (int j = 0; j < mine[t].coefficients().length; j++) {
                            assertEquals(theirs[t].coefficients()[j], mine[t].coefficients()[j], 0, spec + " program " + i
                                    + " step " + t + " coefficient " + j + ": the untrained tail model is the transform model");
                        }
                    }
                }
            }
            for (LearnedInterpreter li : models) {
                for (int i = 0; i < programs.size(); i++) {
                    CorpusRecord r = records.get(i);
                    StepInputs in = StepInputs.of(programs.get(i), r.point(), r.radius(), ORDER);
                    FunctionSeries[] prefixes = li.transformPrefixes(programs.get(i), r.point(), r.radius());
                    assertEquals(in.steps(), prefixes.length);
                    for (int t = 0; t < prefixes.length; t++) {
                        double[] a = in.prefixExpansion()[t];
                        double[] got = prefixes[t].coefficients();
                        for (int o = 0; o < 2; o++) {
                            for (int beta = 0; beta < m; beta++) {
                                double e = 0;
                                double scale = 0;
                                for (int alpha = 0; alpha < m; alpha++) {
                                    e += tfx[beta * m + alpha] * a[o * m + alpha];
                                    scale += Math.abs(tfx[beta * m + alpha] * a[o * m + alpha]);
                                }
                                assertEquals(e, got[o * m + beta], 1e-14 * Math.max(scale, 1e-300),
                                        head + " " + spec + " program " + i + " step " + t + " output " + o + " coefficient "
                                                + beta);
                            }
                        }
                    }
                    FunctionSeries whole = li.transform(programs.get(i), r.point(), r.radius());
                    assertEquals(prefixes[prefixes.length - 1].coefficients().length, whole.coefficients().length);
                    for (int j = 0; j < whole.coefficients().length; j++) {
                        assertEquals(prefixes[prefixes.length - 1].coefficients()[j], whole.coefficients()[j], 0,
                                spec + " program " + i);
                    }
                }
            }
            combos++;
        }
        assertEquals(24, combos);
        assertTrue(programs.size() >= 10);
    }
}
