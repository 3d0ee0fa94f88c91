package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.EpochRecord;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.ParameterFile;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.TrainingHistory;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.Program;

class TrainerResumeTest {
    static final int EPOCHS = 3;

    @TempDir
    static Path shared;
    static Path corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = TestCorpora.write(shared.resolve("corpus"), 48, 2, 3, 17);
    }

    /** A tiny configuration: 48 programs, d=2, n=2, LSTM(4), 8 programs per batch. */
    static TrainerConfig config(Path corpus, Path out, int epochs) {
        return TrainerConfig.defaults(corpus, "chebyshev", 2, epochs, out)
                .withEpochs(epochs).withBatchSize(8).withHidden(4).withLearningRate(1e-2).withValidationFraction(0.25)
                .withPatience(10).withSeed(5)
                .withCheckpointMinutes(0).withMaxSeconds(0).withBatchDelayMillis(0);
    }

    /**
     * kill -9 of a training JVM after its first checkpoint, then --resume: training continues at the
     * checkpoint's epoch and batch, the history has each epoch exactly once, and the final weights
     * equal those of an uninterrupted run with the same seed — which holds only if the resumed run
     * trained the same batches in the same order with the restored Adam state.
     */
    @Test
    void killedRunResumesWithSameDataOrderAndNoLostEpochs(@TempDir Path tmp) throws Exception {
        killAndResume(tmp, TrainerConfig.Precision.FLOAT64);
    }

    /** The same for a float32 run (its checkpoints hold float32 values as float64, exactly). */
    @Test
    void killedFloat32RunResumesWithSameDataOrderAndNoLostEpochs(@TempDir Path tmp) throws Exception {
        killAndResume(tmp, TrainerConfig.Precision.FLOAT32);
    }

    private static void killAndResume(Path tmp, TrainerConfig.Precision dtype) throws Exception {
        Path straight = tmp.resolve("straight");
        Trainer.Result reference = new Trainer(config(corpus, straight, EPOCHS).withDtype(dtype), quiet()).run();
        assertEquals(EPOCHS, reference.history().size());

        Path killed = tmp.resolve("killed");
        Process child = startChild(killed, dtype);
        CheckpointStore store = new CheckpointStore(killed.resolve("checkpoints"), 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (store.sequences().isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the child finished or died before its first checkpoint: "
                + new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        // the killed run left model.json and (at least untrained) parameters, but it is not a model
        assertTrue(Files.isRegularFile(killed.resolve(ModelDirectory.MODEL_FILE)));
        ModelFormatException unfinished = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(killed));
        assertTrue(unfinished.getMessage().contains(killed.toString()) && unfinished.getMessage().contains("--resume"),
                unfinished.getMessage());
        CheckpointStore.Checkpoint last = store.latest().orElseThrow();
        int epochAtKill = last.state().epoch();
        int batchAtKill = last.state().batchCursor();
        assertTrue(epochAtKill < EPOCHS, "the child got through all epochs before the kill");

        // the same command with --resume, in-process
        Trainer.Result resumed = new Trainer(config(corpus, killed, EPOCHS).withDtype(dtype).withResume(true), quiet())
                .run();
        assertEquals(epochAtKill, resumed.resumedFromEpoch());
        assertEquals(batchAtKill, resumed.resumedFromBatch());
        List<EpochRecord> epochs = TrainingHistory.read(killed.resolve(TrainingHistory.FILE_NAME)).epochs();
        assertEquals(EPOCHS, epochs.size());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(e, epochs.get(e).epoch());
            // validation loss depends only on the weights at the epoch end: equal ⇒ same training
            assertEquals(reference.history().epochs().get(e).validationLoss(), epochs.get(e).validationLoss(),
                    1e-9 * Math.abs(epochs.get(e).validationLoss()), "validation loss of epoch " + e);
        }
        Map<String, INDArray> a = ParameterFile.read(new CheckpointStore(straight.resolve("checkpoints"), 2).latest()
                .orElseThrow().directory().resolve(Trainer.CHECKPOINT_MODEL));
        Map<String, INDArray> b = ParameterFile.read(store.latest().orElseThrow().directory().resolve(Trainer.CHECKPOINT_MODEL));
        assertEquals(a.keySet(), b.keySet());
        for (String p : a.keySet()) {
            double diff = a.get(p).sub(b.get(p)).norm2Number().doubleValue();
            double norm = a.get(p).norm2Number().doubleValue();
            assertEquals(0, diff, 1e-9 * Math.max(1, norm), "array " + p + " differs from the uninterrupted run");
        }
        assertEquals("epochs", ModelCompletion.require(killed, "").stopReason());
        LearnedInterpreter.load(killed); // finished now
        // a second resume has nothing left to do and adds no epoch
        new Trainer(config(corpus, killed, EPOCHS).withDtype(dtype).withResume(true), quiet()).run();
        assertEquals(EPOCHS, TrainingHistory.read(killed.resolve(TrainingHistory.FILE_NAME)).size());
    }

    /** A trained model loads and predicts through the library API; a second fresh run into its directory is refused. */
    @Test
    void trainedModelLoadsAndRefusesOverwrite(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("m");
        new Trainer(config(corpus, out, 2), quiet()).run();
        LearnedInterpreter li = LearnedInterpreter.load(out);
        Program p = Program.parse("(x, y) -> (sin(x) * y, x + y * y)");
        FunctionSeries fs = li.transform(p, new double[] {0.2, -0.1}, 0.3);
        assertEquals(2 * li.functionSet().size(), fs.coefficients().length);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(config(corpus, out, 2), quiet()).run());
    }

    /**
     * Training improves on the fixed transform where it provably can. The programs are one step of
     * products of two leaves (polynomials of degree ≤ 2 = n + 1 for n = 1), so their whole truncation
     * error lies in the degree-(n+1) terms, which reach the model exactly through the next-order
     * inputs (linearly, through Q; the least-squares Q* would leave only the part of the degree-2
     * terms no degree-1 series can represent, about a third of the fixed transform's squared error).
     * With init tfx the untrained model is the fixed transform; after a short run the held-out loss
     * (relative squared error, positive) must be at most 0.9 of the fixed transform's.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void trainingImprovesOnFixedForDegreeNPlusOnePrograms(@TempDir Path tmp) throws Exception {
        Path products = TestCorpora.writeProducts(tmp.resolve("products"), 64, 1, 23);
        Path out = tmp.resolve("m");
        TrainerConfig c = TrainerConfig.defaults(products, "chebyshev", 1, 10, out)
                .withEpochs(10).withBatchSize(8).withHidden(4).withLearningRate(3e-2).withValidationFraction(0.25)
                .withPatience(100).withSeed(5)
                .withCheckpointMinutes(0).withMaxSeconds(0).withBatchDelayMillis(0)
                .withTuning(new TrainerConfig.Tuning(ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.REL, 1e-3, 1, 0));
        Trainer.Result r = new Trainer(c, quiet()).run();
        LearnedInterpreter li = LearnedInterpreter.load(out);
        StepDataset data = StepDataset.read(products, "chebyshev", -1, 1, 8, true);
        List<StepDataset.Sample> val = data.split(0.25, 5).get(1);
        SameDiff untrained = InterpreterModelTest.model(li.config(), 5);
        double fixedLoss = Trainer.loss(untrained, li.config(), val, 8, data.layout().samples());
        assertTrue(fixedLoss > 1e-8, "the fixed transform is not exact on these programs: " + fixedLoss);
        assertTrue(r.bestValidationLoss() <= 0.9 * fixedLoss, "held-out loss " + r.bestValidationLoss()
                + " is not clearly below the fixed transform's " + fixedLoss + " (history " + r.history().epochs() + ")");
    }

    /** Loading errors name the file: newer format, corrupt model file, T_FX mismatch. */
    @Test
    void loadingErrorsNameTheFile(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("m");
        new Trainer(config(corpus, out, 1), quiet()).run();
        Path desc = out.resolve(ModelDescription.FILE_NAME);
        String json = Files.readString(desc);

        // T_FX mismatch: a source whose matrix differs in one entry
        TfxSource perturbed = new TfxSource() {
            @Override
            public double[] tfx(String family, int dim, int order) {
                double[] t = TfxSource.computed().tfx(family, dim, order);
                t[0] += 1e-12;
                return t;
            }

            @Override
            public String describe() {
                return "perturbed";
            }
        };
        IOException e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(out, perturbed));
        assertTrue(e.getMessage().contains(desc.toString()) && e.getMessage().contains("T_FX mismatch"), e.getMessage());

        Files.writeString(desc, json.replace("vtm.model/" + ModelDescription.FORMAT_VERSION, "vtm.model/7"));
        e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(out));
        assertTrue(e.getMessage().contains(desc.toString()) && e.getMessage().contains("newer"), e.getMessage());
        Files.writeString(desc, json);

        Path model = out.resolve(ModelDirectory.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(out));
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
    }

    private static Process startChild(Path out, TrainerConfig.Precision dtype) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Djdk.")
                    || arg.startsWith("-Dio.netty")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx768m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainChild.class.getName());
        cmd.add(corpus.toString());
        cmd.add(out.toString());
        cmd.add(Integer.toString(EPOCHS));
        cmd.add("400");
        cmd.add(dtype.label());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(out.resolveSibling("child.log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static String path(File f) {
        return f.getPath();
    }
}
