package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Program;

/**
 * The tail head through the trainer and the model files: {@code vtm.model/5} records {@code head: tail} and the
 * checksum of {@code Q*}, which the parameter file holds and the loaded model uses; the SameDiff engine refuses the
 * head in one line; a {@code vtm.model/4} model still loads.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TailHeadTrainingTest {

    static TrainerConfig config(Path corpus, Path out, int epochs) {
        return TrainerResumeTest.config(corpus, out, epochs).withHead(ModelConfig.Head.TAIL)
                .withTuning(new TrainerConfig.Tuning(ModelConfig.InputSpec.parse("normalised+growth"),
                        ModelConfig.Loss.LOG_REL, 1e-3, 1, 0))
                .withDtype(TrainerConfig.Precision.FLOAT32);
    }

    @Test
    void aTrainedTailModelRecordsAndUsesItsStoredQStar(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 24, 2, 2, 17);
        Path out = tmp.resolve("m");
        // nothing held out: the kept model is the last epoch's, so U and u have moved
        new Trainer(config(corpus, out, 2).withValidationFraction(0), quiet()).run();
        ModelDescription desc = ModelDescription.read(out);
        assertEquals("vtm.model/5", desc.format());
        assertEquals("tail", desc.properties().path("head").asText());
        Map<String, INDArray> saved = ParameterFile.read(out.resolve(ModelDirectory.MODEL_FILE));
        FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), 2, 2);
        double[] qStar = NextOrderProjection.fit(set, InterpreterModelTest.oraclePoints(set)).matrix();
        double[] stored = saved.get(InterpreterModel.TAIL_Q).dup('c').data().asDouble();
        assertEquals(qStar.length, stored.length);
        for (int i = 0; i < qStar.length; i++) { // trained in float32: the Q* the model was trained with, as T_0
            assertEquals((double) (float) qStar[i], stored[i], 0, "model.params holds Q* at the sample points, entry " + i);
        }
        assertEquals(TfxSource.checksum(stored), desc.properties().path(LearnedInterpreter.TAIL_Q_SHA256).asText());
        assertTrue(saved.containsKey(org.vtm.interpreter.engine.TailHead.W) && saved.containsKey(InterpreterModel.T0));

        Program p = Program.parse("(x, y) -> (exp(x) * y, x - y)");
        LearnedInterpreter li = LearnedInterpreter.load(out);
        assertEquals(ModelConfig.Head.TAIL, li.config().head());
        double[] before = li.transform(p, new double[] {0.1, 0.2}, 0.25).coefficients();

        // another Q* in model.params (the run's files re-marked complete): refused, naming both files
        saved.put(InterpreterModel.TAIL_Q, saved.get(InterpreterModel.TAIL_Q).mul(2));
        ParameterFile.write(out.resolve(ModelDirectory.MODEL_FILE), saved);
        ModelCompletion.remove(out);
        ModelCompletion.write(out, "epochs", 2, List.of(ModelDescription.FILE_NAME, ModelDirectory.MODEL_FILE));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(out));
        assertTrue(e.getMessage().contains("the tail head's Q* has sha256") && e.getMessage().contains("model.json says"),
                e.getMessage());
        // …and the model does use the stored Q*: with the recorded checksum updated, the prediction changes
        String json = Files.readString(out.resolve(ModelDescription.FILE_NAME));
        Files.writeString(out.resolve(ModelDescription.FILE_NAME), json.replace(TfxSource.checksum(stored),
                TfxSource.checksum(saved.get(InterpreterModel.TAIL_Q).dup('c').data().asDouble())));
        ModelCompletion.remove(out);
        ModelCompletion.write(out, "epochs", 2, List.of(ModelDescription.FILE_NAME, ModelDirectory.MODEL_FILE));
        double[] doubled = LearnedInterpreter.load(out).transform(p, new double[] {0.1, 0.2}, 0.25).coefficients();
        assertTrue(saved.get(org.vtm.interpreter.engine.TailHead.W).amaxNumber().doubleValue() > 0, "U was trained");
        assertTrue(!java.util.Arrays.equals(before, doubled), "the prediction does not depend on the stored Q*");
    }

    @Test
    void sameDiffRefusesTheTailHeadInOneLine(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 8, 2, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                config(corpus, tmp.resolve("m"), 1).withEngine(TrainerConfig.Engine.SAMEDIFF)
                        .withDtype(TrainerConfig.Precision.FLOAT64), quiet()).run());
        assertEquals("--engine samediff has no tail head; train --head tail with --engine layers", e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("m").resolve(ModelDescription.FILE_NAME)), "nothing written");
    }

    /** A model directory of the previous format (vtm.model/4, a transform head) still loads and predicts the same. */
    @Test
    void readsAModelOfFormat4(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 16, 2, 2, 7);
        Path out = tmp.resolve("m");
        new Trainer(TrainerResumeTest.config(corpus, out, 1), quiet()).run();
        Program p = Program.parse("(x, y) -> (exp(x) * y, x - y)");
        double[] now = LearnedInterpreter.load(out).transform(p, new double[] {0.1, 0.2}, 0.25).coefficients();
        Path desc = out.resolve(ModelDescription.FILE_NAME);
        String json = Files.readString(desc);
        assertTrue(json.contains("\"head\" : \"transform\"") && !json.contains(LearnedInterpreter.TAIL_Q_SHA256), json);
        Files.writeString(desc, json.replace("vtm.model/" + ModelDescription.FORMAT_VERSION, "vtm.model/4"));
        ModelCompletion.remove(out);
        ModelCompletion.write(out, "epochs", 1, List.of(ModelDescription.FILE_NAME, ModelDirectory.MODEL_FILE));
        assertEquals(4, ModelDescription.read(out).formatVersion());
        double[] then = LearnedInterpreter.load(out).transform(p, new double[] {0.1, 0.2}, 0.25).coefficients();
        for (int i = 0; i < now.length; i++) {
            assertEquals(now[i], then[i], 0, "coefficient " + i);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
