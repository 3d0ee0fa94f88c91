package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.TrainingHistory;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.Program;

/**
 * Model directories of the format before the completion marker ({@code vtm.model/1}), read from a
 * golden directory written by that version (src/test/resources/models/README.md): one whose record
 * shows that training ended loads; one that does not is refused with its format named and the way to
 * finish it, and that way works.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LegacyModelTest {
    @TempDir
    Path tmp;

    /** A private copy of the golden format-1 directory (1 epoch of 1, d = 2, n = 2, LSTM(4), seed 5). */
    Path golden() throws Exception {
        Path src = Path.of(LegacyModelTest.class.getResource("/models/v1-finished").toURI());
        Path dst = tmp.resolve("v1");
        try (Stream<Path> walk = Files.walk(src)) {
            walk.forEach(p -> {
                try {
                    Files.copy(p, dst.resolve(src.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return dst;
    }

    /** Sets {@code config.<key>} of model.json (as format 1 code wrote it, without touching anything else). */
    static void setConfig(Path dir, String key, int value) throws IOException {
        Path file = dir.resolve(ModelDescription.FILE_NAME);
        ObjectNode root = (ObjectNode) TrainingJson.MAPPER.readTree(file.toFile());
        ((ObjectNode) root.get("config")).put(key, value);
        Files.writeString(file, TrainingJson.MAPPER.writeValueAsString(root));
    }

    @Test
    void aFinishedFormatOneModelStillLoadsAndPredicts() throws Exception {
        Path dir = golden();
        assertFalse(Files.exists(dir.resolve(ModelCompletion.FILE_NAME)));
        LearnedInterpreter li = LearnedInterpreter.load(dir);
        assertEquals(1, li.description().formatVersion());
        assertEquals("vtm.model/1", li.description().format());
        FunctionSeries fs = li.transform(Program.parse("(x, y) -> (x * y, x + y)"), new double[] {0.2, -0.1}, 0.3);
        assertEquals(2 * li.functionSet().size(), fs.coefficients().length);
        for (double c : fs.coefficients()) {
            assertTrue(Double.isFinite(c), "coefficient " + c);
        }
    }

    @Test
    void aFormatOneModelThatStoppedEarlyLoads() throws Exception {
        Path dir = golden();
        setConfig(dir, "epochs", 20);
        setConfig(dir, "patience", 1);
        // its last checkpoint (after epoch 1) records one epoch without improvement: early stopping
        Path state = dir.resolve("checkpoints/ckpt-000001/state.json");
        Files.writeString(state, Files.readString(state).replace("\"bad_epochs\" : 0", "\"bad_epochs\" : 1"));
        LearnedInterpreter.load(dir);
    }

    @Test
    void anInterruptedFormatOneRunIsRefusedWithItsFormatAndCanBeFinished() throws Exception {
        Path dir = golden();
        setConfig(dir, "epochs", 20); // one epoch of 20 done, no early stop: killed (or stopped by time)
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(dir));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve(ModelDescription.FILE_NAME).toString()) && m.contains("vtm.model/1")
                && m.contains("1 of 20 epochs") && m.contains("--resume") && m.contains("--epochs 1"), m);
        assertFalse(m.contains("\n"), m);

        // the remedy the message names: resume with --epochs 1 trains nothing and marks the run finished
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 48, 2, 3, 17);
        Trainer.Result r = new Trainer(TrainerResumeTest.config(corpus, dir, 1).withResume(true), quiet()).run();
        assertEquals(1, r.resumedFromEpoch());
        assertEquals(1, TrainingHistory.read(dir.resolve(TrainingHistory.FILE_NAME)).size());
        assertEquals("epochs", ModelCompletion.require(dir, "").stopReason());
        assertEquals(1, LearnedInterpreter.load(dir).description().formatVersion());
    }

    @Test
    void aFormatOneRunKilledBeforeItsFirstEpochIsRefused() throws Exception {
        Path dir = golden();
        Files.delete(dir.resolve(TrainingHistory.FILE_NAME));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(dir));
        assertTrue(e.getMessage().contains("vtm.model/1") && e.getMessage().contains("0 of 1 epochs")
                && e.getMessage().contains("--resume"), e.getMessage());
    }

    /** The current format needs the marker: without it even a complete-looking directory is unfinished. */
    @Test
    void aCurrentFormatDirectoryWithoutItsMarkerIsRefused() throws Exception {
        Path dir = golden();
        Path desc = dir.resolve(ModelDescription.FILE_NAME);
        Files.writeString(desc, Files.readString(desc).replace("vtm.model/1", "vtm.model/" + ModelDescription.FORMAT_VERSION));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LearnedInterpreter.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": training did not finish") && e.getMessage().contains("--resume"),
                e.getMessage());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
