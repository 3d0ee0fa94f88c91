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
import org.vtm.interpreter.train.EpochRecord;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.Program;

/**
 * Training with the structure and growth inputs on the layer engine (float32, the default), the model files that
 * record the input specification, and reading a model of the previous format.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StructureTrainingTest {

    static final int EPOCHS = 20;
    static final double LR = 1e-2;

    static TrainerConfig config(Path corpus, Path out, int epochs, String inputs) {
        return TrainerResumeTest.config(corpus, out, epochs).withLearningRate(1e-2)
                .withTuning(new TrainerConfig.Tuning(ModelConfig.InputSpec.parse(inputs), ModelConfig.Loss.REL, 1, 1, 0, 6))
                .withDtype(TrainerConfig.Precision.FLOAT32);
    }

    /**
     * On a small corpus, the training loss of the last epoch is clearly below the first epoch's, the encoder's
     * parameters moved, model.json records the canonical specification, and the model predicts from program text.
     */
    @Test
    void lossDecreasesWithStructureInputsAndTheModelPredicts(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 48, 2, 3, 17);
        Path out = tmp.resolve("m");
        // full batches (all 36 training programs): the epochs' losses are those of successive Adam steps on one objective
        Trainer.Result r = new Trainer(config(corpus, out, EPOCHS, "structure+growth+normalised").withBatchSize(64)
                .withLearningRate(LR).withPatience(1000), quiet()).run();
        List<EpochRecord> epochs = r.history().epochs();
        System.out.println("losses " + epochs.stream().map(EpochRecord::trainLoss).toList());
        assertEquals(EPOCHS, epochs.size());
        double first = epochs.get(0).trainLoss();
        double last = epochs.get(epochs.size() - 1).trainLoss();
        for (int e = 1; e < epochs.size(); e++) {
            assertTrue(epochs.get(e).trainLoss() < epochs.get(e - 1).trainLoss(), "loss rose at epoch " + e + ": " + epochs);
        }
        assertTrue(last < 0.9 * first, "training loss did not decrease: " + epochs);

        ModelDescription desc = ModelDescription.read(out);
        assertEquals("vtm.model/" + ModelDescription.FORMAT_VERSION, desc.format());
        assertEquals("normalised+growth+structure", desc.properties().path("inputs").asText());
        assertEquals(6, desc.properties().path("structure_width").asInt());

        LearnedInterpreter li = LearnedInterpreter.load(out);
        assertTrue(li.config().structure() && li.config().growth());
        // the encoder was trained: its parameters are not the initial ones of the same seed
        TrainingEngine fresh = TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(li.config(),
                TfxSource.computed().tfx("chebyshev", 2, 2), InterpreterModelTest.oraclePoints(li.functionSet()), 5, 1e-2,
                TrainerConfig.Precision.FLOAT64);
        // (the last checkpoint: the kept model is the best on validation, here possibly the untrained one)
        Map<String, INDArray> saved = ParameterFile.read(new org.vtm.interpreter.train.CheckpointStore(
                out.resolve(ModelDirectory.CHECKPOINTS), 2).latest().orElseThrow().directory().resolve(Trainer.CHECKPOINT_MODEL));
        INDArray start = fresh.state().get("struct_E");
        assertTrue(saved.containsKey("struct_E"));
        assertTrue(saved.get("struct_E").castTo(start.dataType()).sub(start).amaxNumber().doubleValue() > 1e-6,
                "the encoder parameters did not move");

        // inference computes the encodings from the program alone; another program gives another encoding
        Program p = Program.parse("(x, y) -> (sin(x) * y, x + y * y)");
        FunctionSeries a = li.transform(p, new double[] {0.2, -0.1}, 0.3);
        FunctionSeries b = li.transform(List.of(p), new double[][] {{0.2, -0.1}}, new double[] {0.3})[0];
        assertEquals(a.coefficients().length, b.coefficients().length);
        for (int i = 0; i < a.coefficients().length; i++) {
            assertEquals(a.coefficients()[i], b.coefficients()[i], 0, "coefficient " + i);
            assertTrue(Double.isFinite(a.coefficients()[i]));
        }
    }

    @Test
    void sameDiffRefusesStructureInOneLine(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 8, 2, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                config(corpus, tmp.resolve("m"), 1, "asinh+structure").withEngine(TrainerConfig.Engine.SAMEDIFF)
                        .withDtype(TrainerConfig.Precision.FLOAT64), quiet()).run());
        assertEquals("--engine samediff has no structure encoder; train --inputs asinh+structure with --engine layers",
                e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("m").resolve(ModelDescription.FILE_NAME)), "nothing written");
    }

    /** A model directory of the previous format (vtm.model/3: inputs an enum name, no flags) still loads and predicts. */
    @Test
    void readsAModelOfThePreviousFormat(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 16, 2, 2, 7);
        Path out = tmp.resolve("m");
        new Trainer(TrainerResumeTest.config(corpus, out, 1), quiet()).run();
        Program p = Program.parse("(x, y) -> (exp(x) * y, x - y)");
        double[] now = LearnedInterpreter.load(out).transform(p, new double[] {0.1, 0.2}, 0.25).coefficients();
        Path desc = out.resolve(ModelDescription.FILE_NAME);
        String json = Files.readString(desc);
        assertTrue(json.contains("\"inputs\" : \"next_order\""), json);
        Files.writeString(desc, json.replace("vtm.model/" + ModelDescription.FORMAT_VERSION, "vtm.model/3"));
        // as that version's trainer finished it: the completion marker over its files
        org.vtm.interpreter.train.ModelCompletion.remove(out);
        org.vtm.interpreter.train.ModelCompletion.write(out, "epochs", 1,
                List.of(ModelDescription.FILE_NAME, ModelDirectory.MODEL_FILE));
        assertEquals(3, ModelDescription.read(out).formatVersion());
        LearnedInterpreter old = LearnedInterpreter.load(out);
        assertEquals(ModelConfig.InputSpec.of(ModelConfig.Inputs.NEXT_ORDER), old.config().inputSpec());
        double[] then = old.transform(p, new double[] {0.1, 0.2}, 0.25).coefficients();
        for (int i = 0; i < now.length; i++) {
            assertEquals(now[i], then[i], 0, "coefficient " + i);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
