package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.TrainingDivergedException;
import org.vtm.interpreter.train.TrainingJson;

/**
 * A non-finite loss stops {@code vtm stm train} with "diverged at update k (…)": the checkpoint of the last
 * round stays byte for byte, nothing of the failed round is written, no JSON file holds a non-finite
 * number, and {@code --resume} continues from the checkpoint. The NaN comes from the trainer's test hook
 * ({@link CharTrainer#failAt}); StmCliTest shows a real one through the command line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CharTrainerDivergenceTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** One pass of the tiny model of CharTrainerTest: 80 updates of 4 streams × 4 steps, (1296/4 − 1)/4. */
    private static final int PASS = 80;

    private static CharTrainer trainer(CharCorpus corpus, int passes, ByteArrayOutputStream log) {
        CharNetwork net = CharNetwork.stm(CharTrainerTest.tiny(corpus.vocab()), DataType.FLOAT);
        CharTrainer.Options o = new CharTrainer.Options(4, 4, 0.02, 5.0, 30, passes, 30, 100, 20, 0.7, 5L);
        return new CharTrainer(net, corpus, o, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void divergenceKeepsTheLastCheckpointAndResumeContinuesFromIt(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        trainer(corpus, 1, new ByteArrayOutputStream()).train(dir, TrainingJson.MAPPER.createObjectNode(), false);
        Map<String, byte[]> before = files(dir.resolve("checkpoints"));
        byte[] history = Files.readAllBytes(dir.resolve("history.json"));

        // the second pass diverges 5 updates in
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer(corpus, 1, log)
                .failAt(PASS + 5).train(dir, TrainingJson.MAPPER.createObjectNode(), true));
        assertEquals("diverged at update 85 (loss NaN); the last checkpoint (round 1, 80 updates) is kept; --resume "
                + "continues from it", e.getMessage());
        assertEquals(before.keySet(), files(dir.resolve("checkpoints")).keySet());
        files(dir.resolve("checkpoints")).forEach((name, bytes) -> assertArrayEquals(before.get(name), bytes, name));
        assertArrayEquals(history, Files.readAllBytes(dir.resolve("history.json")));
        assertFalse(ModelCompletion.exists(dir), "a diverged run is not a finished model");
        assertNoNonFiniteJson(dir);

        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        CharTrainer.Result resumed = trainer(corpus, 1, log2).train(dir, TrainingJson.MAPPER.createObjectNode(), true);
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("(round 1, " + PASS + " updates)"), log2.toString());
        assertEquals(2 * PASS, TrainingJson.MAPPER.readTree(dir.resolve("result.json").toFile()).get("updatesTotal")
                .asLong());
        assertTrue(Double.isFinite(resumed.heldOutBitsPerChar()));
        assertNoNonFiniteJson(dir);
    }

    @Test
    void divergenceBeforeTheFirstCheckpointWritesNoResult(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer(corpus, 1,
                new ByteArrayOutputStream()).failAt(3).train(dir, TrainingJson.MAPPER.createObjectNode(), false));
        assertEquals("diverged at update 3 (loss NaN); no checkpoint was written yet", e.getMessage());
        assertFalse(Files.exists(dir.resolve("result.json")));
        assertFalse(Files.exists(dir.resolve("history.json")));
        assertFalse(Files.exists(dir.resolve("checkpoints")) && files(dir.resolve("checkpoints")).size() > 0);
    }

    static void assertNoNonFiniteJson(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> f : files(dir).entrySet()) {
            if (f.getKey().endsWith(".json")) {
                String text = new String(f.getValue(), StandardCharsets.UTF_8);
                assertFalse(text.contains("NaN") || text.contains("Infinity"), f.getKey() + ": " + text);
            }
        }
    }

    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }
}
