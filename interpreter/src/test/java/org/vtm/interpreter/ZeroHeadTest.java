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
 * The zero-head property for every input mode and flag combination: with init tfx the untrained model, on the layer
 * engine (the one that predicts) in float64 and, without structure, on the SameDiff graph, is the fixed transform —
 * its coefficients of every prefix equal {@code T_FX·a_t} computed here directly, to rounding of one matrix product.
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
        for (ModelConfig.InputSpec spec : ModelConfig.InputSpec.all()) {
            ModelConfig c = new ModelConfig("chebyshev", 2, ORDER, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                    spec, ModelConfig.Loss.LOG_REL, 0.5, 6);
            List<LearnedInterpreter> models = new ArrayList<>();
            models.add(LearnedInterpreter.of(c, TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(c, tfx, pts,
                    combos + 3, 1e-3, TrainerConfig.Precision.FLOAT64)));
            if (!spec.structure()) {
                models.add(LearnedInterpreter.of(c, InterpreterModel.newGraph(c, tfx, pts, combos + 3)));
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
                                        spec + " program " + i + " step " + t + " output " + o + " coefficient " + beta);
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
        assertEquals(12, combos);
        assertTrue(programs.size() >= 10);
    }
}
