package org.vtm.interpreter;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.interpreter.train.TrainingDivergedException;

/**
 * A non-finite loss or gradient stops {@code vtm train} with "diverged at update k (…)" before the update
 * changes anything, for both engines: the checkpoint, the best model and the history stay as they were and
 * no file of the run holds a non-finite number. The non-finite value is injected as a NaN parameter into the
 * checkpoint the run resumes from (a real model does not diverge in a test-sized run).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainerDivergenceTest {
    @TempDir
    static Path shared;
    static Path corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = TestCorpora.write(shared.resolve("corpus"), 48, 2, 3, 17);
    }

    @ParameterizedTest
    @EnumSource(TrainerConfig.Engine.class)
    void aNonFiniteLossStopsAtItsUpdateAndWritesNothing(TrainerConfig.Engine engine, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        // 36 training programs in batches of 8: 5 updates per epoch
        Trainer.Result first = new Trainer(TrainerResumeTest.config(corpus, out, 1).withEngine(engine), quiet()).run();
        assertEquals(1, first.history().size());
        CheckpointStore store = new CheckpointStore(out.resolve("checkpoints"), 2);
        Path checkpoint = store.latest().orElseThrow().directory();
        Path params = checkpoint.resolve(Trainer.CHECKPOINT_MODEL);
        Map<String, INDArray> saved = ParameterFile.read(params);
        String poisoned = saved.keySet().stream().filter(k -> !k.startsWith("adam") && !k.equals(InterpreterModel.T0))
                .findFirst().orElseThrow();
        saved.get(poisoned).putScalar(0, Double.NaN);
        ParameterFile.write(params, saved);
        Map<String, byte[]> before = files(out);

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Trainer(
                TrainerResumeTest.config(corpus, out, 2).withEngine(engine).withResume(true), quiet()).run());
        // the first update of the resumed run (5 were made) is the first with the NaN parameter
        assertEquals(6, e.update(), e.getMessage());
        assertTrue(e.getMessage().startsWith("diverged at update 6 (loss NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch 2, batch 0"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Map<String, byte[]> after = files(out);
        after.remove(Path.of("complete.json").toString()); // a resumed run is unfinished until it ends
        before.remove(Path.of("complete.json").toString());
        assertEquals(before.keySet(), after.keySet(), "no file added or removed");
        for (Map.Entry<String, byte[]> f : before.entrySet()) {
            assertTrue(java.util.Arrays.equals(f.getValue(), after.get(f.getKey())), f.getKey() + " changed");
        }
        for (Map.Entry<String, byte[]> f : after.entrySet()) {
            if (f.getKey().endsWith(".json")) {
                String text = new String(f.getValue(), StandardCharsets.UTF_8);
                assertFalse(text.contains("NaN") || text.contains("Infinity"), f.getKey() + ": " + text);
            }
        }
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
