package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.TrainingJson;

/**
 * The updater on the layer engine makes the same updates as on the SameDiff graph (double precision, 1e-10), and
 * a run stopped after a pass and resumed ends with exactly the parameters of an uninterrupted run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CharUpdaterTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    @Test
    void layersAndSameDiffMakeTheSameUpdates() {
        StmConfig c = CharEngineParityTest.config(StmConfig.ThetaForm.FULL, StmConfig.WriteMode.BILINEAR,
                StmConfig.ThetaActivation.TANH);
        CharNetwork a = CharNetwork.stm(c, DataType.DOUBLE);
        CharNetwork b = CharNetwork.stm(c, DataType.DOUBLE);
        // a small clip norm so that clipping is active in some updates
        CharUpdater la = new CharUpdater(a, 3, 4, 0.05, 0.02, CharUpdater.Engine.LAYERS);
        CharUpdater sb = new CharUpdater(b, 3, 4, 0.05, 0.02, CharUpdater.Engine.SAMEDIFF);
        SplittableRandom r = new SplittableRandom(21);
        Map<String, INDArray> stateA = StmGradientTest.randomState(a, 3, r);
        Map<String, INDArray> stateB = stateA;
        boolean clipped = false;
        for (int k = 0; k < 4; k++) {
            INDArray x = StmGradientTest.oneHot(3, 4, c.vocab(), r);
            INDArray y = StmGradientTest.oneHot(3, 4, c.vocab(), r);
            CharUpdater.Step sa = la.update(x, y, stateA);
            CharUpdater.Step sbb = sb.update(x, y, stateB);
            assertEquals(sbb.loss(), sa.loss(), 1e-10, "loss of update " + k);
            assertEquals(sbb.gradientNorm(), sa.gradientNorm(), 1e-10, "gradient norm of update " + k);
            clipped |= sa.gradientNorm() > 0.02;
            stateA = sa.state();
            stateB = sbb.state();
        }
        assertTrue(clipped, "clipping was never active");
        assertEquals(4, la.updates());
        for (String n : a.params().keySet()) {
            assertArrayEquals(b.params().get(n).reshape(-1).toDoubleVector(), a.params().get(n).reshape(-1)
                    .toDoubleVector(), 1e-10, n);
            assertArrayEquals(sb.secondMoments().get(n).reshape(-1).toDoubleVector(), la.secondMoments().get(n)
                    .reshape(-1).toDoubleVector(), 1e-12, "v_" + n);
        }
        for (String s : a.stateNames()) {
            assertArrayEquals(stateB.get(s).reshape(-1).toDoubleVector(), stateA.get(s).reshape(-1).toDoubleVector(),
                    1e-10, s);
        }
    }

    @Test
    void anUnknownEngineIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharUpdater.Engine.parse("gpu", "--engine"));
        assertEquals("--engine must be layers or samediff, got 'gpu'", e.getMessage());
    }

    /** A zero memory fill: the state at the start of a pass does not depend on a random stream. */
    static StmConfig zeroFilled(int vocab) {
        return CharTrainerTest.tiny(vocab).withMemoryInit(StmConfig.MemoryInit.ZEROS, 0);
    }

    @Test
    void aResumedRunEndsWithTheParametersOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CharTrainer.Options twoPasses = new CharTrainer.Options(4, 4, 0.02, 5.0, 30, 2, 30, 100, 0, 0.7, 5L);
        CharTrainer.Options onePass = new CharTrainer.Options(4, 4, 0.02, 5.0, 30, 1, 30, 100, 0, 0.7, 5L);
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        new CharTrainer(CharNetwork.stm(zeroFilled(corpus.vocab()), DataType.FLOAT), corpus, twoPasses, quiet)
                .train(whole, TrainingJson.MAPPER.createObjectNode(), false);
        new CharTrainer(CharNetwork.stm(zeroFilled(corpus.vocab()), DataType.FLOAT), corpus, onePass, quiet)
                .train(parts, TrainingJson.MAPPER.createObjectNode(), false);
        new CharTrainer(CharNetwork.stm(zeroFilled(corpus.vocab()), DataType.FLOAT), corpus, onePass, quiet)
                .train(parts, TrainingJson.MAPPER.createObjectNode(), true);
        Map<String, INDArray> a = CharModelFiles.loadArrays(whole.resolve(CharModelFiles.PARAMS));
        Map<String, INDArray> b = CharModelFiles.loadArrays(parts.resolve(CharModelFiles.PARAMS));
        assertEquals(a.keySet(), b.keySet());
        for (String n : a.keySet()) {
            assertArrayEquals(a.get(n).reshape(-1).toFloatVector(), b.get(n).reshape(-1).toFloatVector(), 0f, n);
        }
        assertEquals(TrainingJson.MAPPER.readTree(whole.resolve("result.json").toFile()).get("updatesTotal"),
                TrainingJson.MAPPER.readTree(parts.resolve("result.json").toFile()).get("updatesTotal"));
    }
}
