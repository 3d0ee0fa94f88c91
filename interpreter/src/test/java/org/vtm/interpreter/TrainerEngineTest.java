package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.EpochRecord;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.Program;

/**
 * {@code vtm train --engine layers} trains the same model as the SameDiff default, writes the same files, and
 * keeps the trainer's guarantees (fixed T_FX at epoch 0, exact resume).
 *
 * <p>Tolerance of the cross-engine comparisons: the layer engine computes the same arithmetic in another op
 * order (its training step equals {@code Trainer.fit} to 1e-10 on parameters of order one, TrainingStepTest),
 * so after the 12 Adam steps of two epochs the losses differ by rounding only; 1e-9 relative leaves room for
 * that and none for a different batch, order, clipping or learning rate (one such difference moves the losses
 * in their third digit). Runs of one engine are compared for equality up to 1e-12 (checkpoints store doubles).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainerEngineTest {
    static final double CROSS_ENGINE = 1e-9;
    static final double SAME_ENGINE = 1e-12;

    @TempDir
    static Path shared;
    static Path corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = TestCorpora.write(shared.resolve("corpus"), 48, 2, 3, 17);
    }

    static TrainerConfig config(Path out, int epochs, TrainerConfig.Engine engine) {
        return TrainerResumeTest.config(corpus, out, epochs).withEngine(engine);
    }

    @Test
    void layersTrainsTheSameLossesAsSameDiffAndWritesTheSameFiles(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        Trainer.Result graph = new Trainer(config(tmp.resolve("samediff"), 2, TrainerConfig.Engine.SAMEDIFF), quiet()).run();
        long t1 = System.nanoTime();
        Trainer.Result layers = new Trainer(config(tmp.resolve("layers"), 2, TrainerConfig.Engine.LAYERS), quiet()).run();
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "2 epochs incl. setup: samediff %.3f s, layers %.3f s; per epoch samediff %s, layers %s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, seconds(graph), seconds(layers));

        assertEquals(2, layers.history().size());
        for (int e = 0; e < 2; e++) {
            EpochRecord g = graph.history().epochs().get(e);
            EpochRecord l = layers.history().epochs().get(e);
            assertClose(g.trainLoss(), l.trainLoss(), CROSS_ENGINE, "train loss of epoch " + e);
            assertClose(g.validationLoss(), l.validationLoss(), CROSS_ENGINE, "validation loss of epoch " + e);
        }
        // the training moved the model: equal losses are not those of two untouched models
        assertTrue(Math.abs(graph.history().epochs().get(1).validationLoss() - graph.untrainedValidationLoss())
                > 1e-6 * Math.abs(graph.untrainedValidationLoss()), "training did not change the validation loss");
        assertSameArrays(modelParams(tmp.resolve("samediff")), modelParams(tmp.resolve("layers")), CROSS_ENGINE);
        assertSameArrays(lastCheckpoint(tmp.resolve("samediff")), lastCheckpoint(tmp.resolve("layers")), CROSS_ENGINE);

        assertEquals("layers", ModelDescription.read(tmp.resolve("layers")).config().path("engine").asText());
        assertEquals("samediff", ModelDescription.read(tmp.resolve("samediff")).config().path("engine").asText());
        // the layer engine's model loads and predicts like the graph's
        Program p = Program.parse("(x, y) -> (sin(x) * y, x + y * y)");
        double[] a = LearnedInterpreter.load(tmp.resolve("samediff")).transform(p, new double[] {0.2, -0.1}, 0.3)
                .coefficients();
        FunctionSeries fs = LearnedInterpreter.load(tmp.resolve("layers")).transform(p, new double[] {0.2, -0.1}, 0.3);
        double[] b = fs.coefficients();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], CROSS_ENGINE * Math.max(1, Math.abs(a[i])), "coefficient " + i);
        }
    }

    /** With init tfx the untrained model is the fixed transform: its epoch-0 loss is the graph's, and T_0 is T_FX. */
    @Test
    void layersStartsFromTheFixedTransform(@TempDir Path tmp) throws Exception {
        Trainer.Result graph = new Trainer(config(tmp.resolve("samediff"), 1, TrainerConfig.Engine.SAMEDIFF)
                .withInit(ModelConfig.Init.TFX), quiet()).run();
        Trainer.Result layers = new Trainer(config(tmp.resolve("layers"), 1, TrainerConfig.Engine.LAYERS)
                .withInit(ModelConfig.Init.TFX), quiet()).run();
        assertTrue(Double.isFinite(graph.untrainedValidationLoss()));
        assertClose(graph.untrainedValidationLoss(), layers.untrainedValidationLoss(), SAME_ENGINE, "epoch-0 loss");

        // the engine the trainer starts from: zero head, T_0 = T_FX to the bit
        StepDataset data = StepDataset.read(corpus, "chebyshev", -1, 2, 8, true);
        TrainerConfig.Tuning t = TrainerConfig.Tuning.DEFAULT;
        ModelConfig model = new ModelConfig(data.layout().family(), data.layout().dim(), 2, 8, 4,
                ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX, t.inputs().base(), t.loss(), t.headScale());
        double[] tfx = TfxSource.computed().tfx(model.family(), model.dim(), model.order());
        TrainingEngine engine = TrainingEngine.provider(TrainerConfig.Engine.LAYERS)
                .create(model, tfx, data.layout().samplePoints(), 5, 1e-2, TrainerConfig.Precision.FLOAT64);
        Map<String, INDArray> state = engine.state();
        assertEquals(0, state.get("head_W").norm2Number().doubleValue(), 0.0, "head_W");
        assertEquals(0, state.get("head_b").norm2Number().doubleValue(), 0.0, "head_b");
        double[] t0 = state.get(InterpreterModel.T0).dup().data().asDouble();
        assertEquals(tfx.length, t0.length);
        for (int i = 0; i < tfx.length; i++) {
            assertEquals(tfx[i], t0[i], 0.0, "T0[" + i + "]");
        }
    }

    /** A layers run stopped after epoch 1 and resumed to epoch 2 equals the straight 2-epoch layers run. */
    @Test
    void interruptedLayersRunResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Trainer.Result reference = new Trainer(config(straight, 2, TrainerConfig.Engine.LAYERS), quiet()).run();
        Path split = tmp.resolve("split");
        new Trainer(config(split, 1, TrainerConfig.Engine.LAYERS), quiet()).run();
        Trainer.Result resumed = new Trainer(config(split, 2, TrainerConfig.Engine.LAYERS).withResume(true), quiet()).run();
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals(0, resumed.resumedFromBatch());
        assertHistoriesEqual(reference.history().epochs(), resumed.history().epochs(), SAME_ENGINE);
        assertSameArrays(lastCheckpoint(straight), lastCheckpoint(split), SAME_ENGINE);
        assertSameArrays(modelParams(straight), modelParams(split), SAME_ENGINE);
    }

    /** The files do not depend on the engine: a SameDiff run resumed with the layer engine continues it. */
    @Test
    void aRunMaySwitchEnginesOnResume(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Trainer.Result reference = new Trainer(config(straight, 2, TrainerConfig.Engine.SAMEDIFF), quiet()).run();
        Path split = tmp.resolve("split");
        new Trainer(config(split, 1, TrainerConfig.Engine.SAMEDIFF), quiet()).run();
        Trainer.Result resumed = new Trainer(config(split, 2, TrainerConfig.Engine.LAYERS).withResume(true), quiet()).run();
        assertEquals(1, resumed.resumedFromEpoch());
        assertHistoriesEqual(reference.history().epochs(), resumed.history().epochs(), CROSS_ENGINE);
        assertSameArrays(lastCheckpoint(straight), lastCheckpoint(split), CROSS_ENGINE);
    }

    private static void assertHistoriesEqual(List<EpochRecord> expected, List<EpochRecord> actual, double rel) {
        assertEquals(expected.size(), actual.size());
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(e, actual.get(e).epoch());
            assertClose(expected.get(e).trainLoss(), actual.get(e).trainLoss(), rel, "train loss of epoch " + e);
            assertClose(expected.get(e).validationLoss(), actual.get(e).validationLoss(), rel,
                    "validation loss of epoch " + e);
        }
    }

    private static void assertClose(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }

    private static void assertSameArrays(Map<String, INDArray> a, Map<String, INDArray> b, double rel) {
        assertEquals(a.keySet(), b.keySet());
        for (String p : a.keySet()) {
            assertEquals(java.util.Arrays.toString(a.get(p).shape()), java.util.Arrays.toString(b.get(p).shape()), p);
            double diff = a.get(p).sub(b.get(p)).norm2Number().doubleValue();
            double norm = a.get(p).norm2Number().doubleValue();
            assertEquals(0, diff, rel * Math.max(1, norm), "array " + p);
        }
    }

    private static Map<String, INDArray> modelParams(Path dir) throws IOException {
        return ParameterFile.read(dir.resolve(ModelDirectory.MODEL_FILE));
    }

    private static Map<String, INDArray> lastCheckpoint(Path dir) throws IOException {
        return ParameterFile.read(new CheckpointStore(dir.resolve(ModelDirectory.CHECKPOINTS), 2).latest().orElseThrow()
                .directory().resolve(Trainer.CHECKPOINT_MODEL));
    }

    private static String seconds(Trainer.Result r) {
        StringBuilder sb = new StringBuilder();
        for (EpochRecord e : r.history().epochs()) {
            sb.append(String.format(Locale.ROOT, "%.3fs ", e.seconds()));
        }
        return sb.toString().trim();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
