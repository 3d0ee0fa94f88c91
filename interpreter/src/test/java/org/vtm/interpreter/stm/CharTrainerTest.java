package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.TrainingJson;

/** A tiny training run learns, and checkpoint + resume continues with the carried state. */
class CharTrainerTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** A highly predictable text: a short sentence repeated (the next character is nearly determined). */
    static String text() {
        return "the cat sat on the mat. ".repeat(60); // 1,440 chars, 10 % held out
    }

    static StmConfig tiny(int vocab) {
        return new StmConfig(vocab, 1, 8, 4, 4, 2, 2, StmConfig.ThetaForm.FULL, StmConfig.ThetaActivation.TANH,
                StmConfig.WriteMode.BILINEAR, 0.5, 0.5, StmConfig.DEFAULT_THETA_INIT, StmConfig.MemoryInit.UNIFORM,
                StmConfig.DEFAULT_MEMORY_INIT_SCALE, 3L);
    }

    @Test
    void heldOutBitsFallAndResumeContinuesWithTheCarriedMemory(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(text(), 0.1);
        CharNetwork net = CharNetwork.stm(tiny(corpus.vocab()), DataType.FLOAT);
        // one pass of 1,296 chars in 4 streams of 4 steps = 81 updates (short segments: the cost of an
        // update is per unrolled op); a large time budget so the pass limit ends the run
        CharTrainer.Options o = new CharTrainer.Options(4, 4, 0.02, 5.0, 30, 1, 30, 100, 20, 0.7, 5L);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CharTrainer trainer = new CharTrainer(net, corpus, o, new PrintStream(log, true, StandardCharsets.UTF_8));
        double initial = trainer.evaluate().bitsPerChar();
        CharTrainer.Result first = trainer.train(dir, TrainingJson.MAPPER.createObjectNode(), false);
        // the initial model is near uniform over the 12 characters (log2 12 = 3.58 bits); a model that
        // learned only the character frequencies would reach ≈ 3.2 bits, so demand a clear gain
        assertTrue(initial > 3.3, "initial " + initial);
        assertTrue(first.heldOutBitsPerChar() < initial - 0.5, "initial " + initial + " after "
                + first.heldOutBitsPerChar());
        Path checkpoint;
        try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
            checkpoint = s.filter(Files::isDirectory).sorted().reduce((a, b) -> b).orElseThrow();
        }
        Map<String, INDArray> carried = CharModelFiles.loadArrays(checkpoint.resolve(CharTrainer.STATE_FILE));
        INDArray fresh = net.initialState(4, new SplittableRandom(5L ^ 0x5DEECE66DL)).get("mem");
        // the carried memory is what training wrote, not the initial fill
        assertEquals(fresh.shapeInfoToString(), carried.get("mem").shapeInfoToString());
        assertFalse(fresh.equalsWithEps(carried.get("mem"), 1e-3));
        long updatesBefore = TrainingJson.MAPPER.readTree(dir.resolve("result.json").toFile()).get("updatesTotal")
                .asLong();

        CharNetwork again = CharNetwork.stm(tiny(corpus.vocab()), DataType.FLOAT);
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        CharTrainer.Result second = new CharTrainer(again, corpus, o,
                new PrintStream(log2, true, StandardCharsets.UTF_8)).train(dir, TrainingJson.MAPPER.createObjectNode(), true);
        String text2 = log2.toString(StandardCharsets.UTF_8);
        assertTrue(text2.contains("resuming from"), text2);
        assertFalse(text2.contains("does not fit"), text2);
        long updatesAfter = TrainingJson.MAPPER.readTree(dir.resolve("result.json").toFile()).get("updatesTotal")
                .asLong();
        assertEquals(2 * updatesBefore, updatesAfter, "a second pass of the same length");
        // resumed from the trained parameters: no relapse to the initial level (0.5 bits margin, as above)
        assertTrue(second.heldOutBitsPerChar() < initial - 0.5, "resumed " + second.heldOutBitsPerChar());
        assertEquals(2, TrainingJson.MAPPER.readTree(dir.resolve("history.json").toFile()).path("epochs").size(),
                Files.readString(dir.resolve("history.json")));
    }
}
