package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.EpochRecord;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.transforms.Program;

/**
 * {@code vtm train --dtype float32}: the layer engine trains in float32, model.json records it, the model loads and
 * predicts (in float64), and a float32 run is deterministic and resumes exactly. Runs of one precision are compared
 * for exact equality: checkpoints and model files hold float64, in which every float32 value is exact, so a resumed
 * run continues from the very same parameters and Adam state.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainerDtypeTest {
    @TempDir
    static Path shared;
    static Path corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = TestCorpora.write(shared.resolve("corpus"), 48, 2, 3, 17);
    }

    static TrainerConfig config(Path out, int epochs, TrainerConfig.Precision dtype) {
        return TrainerResumeTest.config(corpus, out, epochs).withDtype(dtype);
    }

    @Test
    void float32RunTrainsInFloat32RecordsItAndLoads(@TempDir Path tmp) throws Exception {
        Trainer.Result r32 = new Trainer(config(tmp.resolve("f32"), 2, TrainerConfig.Precision.FLOAT32), quiet()).run();
        Trainer.Result r64 = new Trainer(config(tmp.resolve("f64"), 2, TrainerConfig.Precision.FLOAT64), quiet()).run();

        ModelDescription d32 = ModelDescription.read(tmp.resolve("f32"));
        assertEquals("float32", d32.config().path("dtype").asText());
        assertEquals("float32", d32.provenance().path("training_dtype").asText());
        assertEquals("float64", ModelDescription.read(tmp.resolve("f64")).config().path("dtype").asText());

        // the float32 run's parameters are float32 values (stored as float64) and it trained: they left T_FX's start
        Map<String, INDArray> p32 = params(tmp.resolve("f32"));
        Map<String, INDArray> p64 = params(tmp.resolve("f64"));
        int notFloat32 = 0;
        for (Map.Entry<String, INDArray> e : p64.entrySet()) {
            double[] v = e.getValue().dup().data().asDouble();
            for (double x : v) {
                notFloat32 += x == (double) (float) x ? 0 : 1;
            }
        }
        assertTrue(notFloat32 > 0, "the float64 run's parameters are all float32 values: the test cannot tell them apart");
        for (Map.Entry<String, INDArray> e : p32.entrySet()) {
            double[] v = e.getValue().dup().data().asDouble();
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], (double) (float) v[i], 0.0, e.getKey() + "[" + i + "] is not a float32 value");
            }
        }
        assertTrue(p32.get("head_W").norm2Number().doubleValue() > 0, "the float32 run did not move the head");

        // the same training in both precisions: losses agree to float32 rounding, not to the last bit
        for (int e = 0; e < 2; e++) {
            EpochRecord a = r64.history().epochs().get(e);
            EpochRecord b = r32.history().epochs().get(e);
            assertEquals(a.validationLoss(), b.validationLoss(), 1e-3 * Math.abs(a.validationLoss()), "epoch " + e);
        }
        assertNotEquals(r64.history().epochs().get(1).validationLoss(), r32.history().epochs().get(1).validationLoss());

        // a float32 model loads and predicts like the float64 one, to float32 training's difference
        Program p = Program.parse("(x, y) -> (sin(x) * y, x + y * y)");
        double[] a = LearnedInterpreter.load(tmp.resolve("f64")).transform(p, new double[] {0.2, -0.1}, 0.3).coefficients();
        double[] b = LearnedInterpreter.load(tmp.resolve("f32")).transform(p, new double[] {0.2, -0.1}, 0.3).coefficients();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 * scale, "coefficient " + i);
        }
    }

    @Test
    void float32RunsAreDeterministic(@TempDir Path tmp) throws Exception {
        Trainer.Result first = new Trainer(config(tmp.resolve("a"), 2, TrainerConfig.Precision.FLOAT32), quiet()).run();
        Trainer.Result second = new Trainer(config(tmp.resolve("b"), 2, TrainerConfig.Precision.FLOAT32), quiet()).run();
        for (int e = 0; e < 2; e++) {
            assertEquals(first.history().epochs().get(e).trainLoss(), second.history().epochs().get(e).trainLoss(), 0.0);
            assertEquals(first.history().epochs().get(e).validationLoss(),
                    second.history().epochs().get(e).validationLoss(), 0.0);
        }
        assertBitIdentical(params(tmp.resolve("a")), params(tmp.resolve("b")));
        assertBitIdentical(lastCheckpoint(tmp.resolve("a")), lastCheckpoint(tmp.resolve("b")));
    }

    /** Stopped after epoch 1 and resumed to epoch 2: bit for bit the straight 2-epoch float32 run. */
    @Test
    void interruptedFloat32RunResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Trainer.Result reference = new Trainer(config(straight, 2, TrainerConfig.Precision.FLOAT32), quiet()).run();
        Path split = tmp.resolve("split");
        new Trainer(config(split, 1, TrainerConfig.Precision.FLOAT32), quiet()).run();
        Trainer.Result resumed = new Trainer(config(split, 2, TrainerConfig.Precision.FLOAT32).withResume(true), quiet())
                .run();
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals(reference.history().epochs().get(1).validationLoss(),
                resumed.history().epochs().get(1).validationLoss(), 0.0);
        assertBitIdentical(lastCheckpoint(straight), lastCheckpoint(split));
        assertBitIdentical(params(straight), params(split));
    }

    /** A run is resumed in the precision it started in; the refusal names model.json and both precisions. */
    @Test
    void resumingInAnotherPrecisionIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("m");
        new Trainer(config(out, 1, TrainerConfig.Precision.FLOAT32), quiet()).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                config(out, 2, TrainerConfig.Precision.FLOAT64).withResume(true), quiet()).run());
        assertTrue(e.getMessage().contains(out.resolve("model.json").toString())
                && e.getMessage().contains("float32") && e.getMessage().contains("--dtype float64"), e.getMessage());
    }

    @Test
    void sameDiffRefusesFloat32AndAnUnknownRecordedPrecisionIsAFormatError(@TempDir Path tmp) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                config(tmp.resolve("sd"), 1, TrainerConfig.Precision.FLOAT32).withEngine(TrainerConfig.Engine.SAMEDIFF),
                quiet()).run());
        assertTrue(e.getMessage().contains("--engine samediff trains in float64 only"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("sd")), "the refused run wrote its directory");

        // model.json's config.dtype: float64 when absent (models written before it existed), refused when unknown
        Path desc = tmp.resolve("model.json");
        ModelDescription d = ModelDescription.create(ModelDirectory.KIND, 1);
        assertEquals(TrainerConfig.Precision.FLOAT64, Trainer.recordedDtype(d, desc));
        d.config().put("dtype", "float32");
        assertEquals(TrainerConfig.Precision.FLOAT32, Trainer.recordedDtype(d, desc));
        d.config().put("dtype", "float8");
        ModelFormatException f = assertThrows(ModelFormatException.class, () -> Trainer.recordedDtype(d, desc));
        assertTrue(f.getMessage().contains(desc.toString()) && f.getMessage().contains("float8"), f.getMessage());
    }

    static void assertBitIdentical(Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
            assertEquals(DataType.DOUBLE, a.get(k).dataType(), k);
            assertArrayEquals(a.get(k).dup().data().asDouble(), b.get(k).dup().data().asDouble(), 0.0, k);
        }
    }

    private static Map<String, INDArray> params(Path dir) throws IOException {
        return ParameterFile.read(dir.resolve(ModelDirectory.MODEL_FILE));
    }

    private static Map<String, INDArray> lastCheckpoint(Path dir) throws IOException {
        return ParameterFile.read(new CheckpointStore(dir.resolve(ModelDirectory.CHECKPOINTS), 2).latest().orElseThrow()
                .directory().resolve(Trainer.CHECKPOINT_MODEL));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
