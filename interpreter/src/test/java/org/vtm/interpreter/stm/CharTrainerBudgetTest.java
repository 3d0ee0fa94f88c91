package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.ProgressListener;

/**
 * {@code vtm stm train --chars}: a run with a character budget stops there (or at the plateau rule), an interrupted
 * run resumed with the same options ends with the same model as an uninterrupted one (across a pass boundary, with
 * the cosine schedule), and result.json carries the whole-tail score and the bars.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CharTrainerBudgetTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** 4 streams of 4 steps: 16 characters per update; a pass of the 1,296 training characters is 80 updates. */
    static CharTrainer.Options options(long chars, double plateau, long every) {
        return new CharTrainer.Options(4, 4, 0.02, 5.0, 30, 1000, 30, 100, 10, 0.7, 5L)
                .withCharBudget(chars, plateau, every)
                .withSchedule(new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.1, chars));
    }

    static CharTrainer trainer(CharCorpus corpus, CharTrainer.Options o) {
        CharNetwork net = CharNetwork.stm(CharTrainerTest.tiny(corpus.vocab()), DataType.FLOAT);
        return new CharTrainer(net, corpus, o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    static JsonNode json(Path file) throws Exception {
        return TrainingJson.MAPPER.readTree(file.toFile());
    }

    @Test
    void aCharacterBudgetShowsProgressInCharactersNotAgainstTheTimeLimit(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        List<long[]> ticks = new ArrayList<>();
        List<String> units = new ArrayList<>();
        ProgressListener recorder = new ProgressListener() {
            @Override
            public void progress(String task, String unit, long done, long total, String detail) {
                units.add(unit);
                ticks.add(new long[] {done, total});
            }

            @Override
            public void message(String line) {
            }
        };
        CharNetwork net = CharNetwork.stm(CharTrainerTest.tiny(corpus.vocab()), DataType.FLOAT);
        new CharTrainer(net, corpus, options(480, 0, 160), recorder).train(dir, TrainingJson.MAPPER.createObjectNode(), false);
        // 480 characters at 16 per update: 30 ticks, each in characters against the budget (the time budget, 30
        // minutes here, made the bar read "0/1800 s" with an ETA of hours before)
        assertEquals(30, ticks.size());
        assertTrue(units.stream().allMatch("chars"::equals), units.toString());
        for (int i = 0; i < ticks.size(); i++) {
            assertEquals(16L * (i + 1), ticks.get(i)[0], "tick " + i);
            assertEquals(480L, ticks.get(i)[1], "tick " + i);
        }
    }

    @Test
    void anInterruptedRunResumesToTheSameModel(@TempDir Path a, @TempDir Path b) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        CharTrainer.Options o = options(1600, 0, 400); // 100 updates: into the second pass; rounds every 25 updates
        CharTrainer.Result whole = trainer(corpus, o).train(a, TrainingJson.MAPPER.createObjectNode(), false);
        assertEquals(1600, whole.charsTrainedTotal());
        assertTrue(whole.stopReason().startsWith("character budget"), whole.stopReason());

        IllegalStateException killed = assertThrows(IllegalStateException.class,
                () -> trainer(corpus, o).interruptAfterRound(2).train(b, TrainingJson.MAPPER.createObjectNode(), false));
        assertTrue(killed.getMessage().contains("interrupted"), killed.getMessage());
        CharTrainer.Result resumed = trainer(corpus, o).train(b, TrainingJson.MAPPER.createObjectNode(), true);
        assertEquals(1600, resumed.charsTrainedTotal());
        assertEquals(800, resumed.charsTrained(), "this invocation trained the last 800 characters");

        Map<String, INDArray> pa = CharModelFiles.loadArrays(a.resolve(CharModelFiles.PARAMS));
        Map<String, INDArray> pb = CharModelFiles.loadArrays(b.resolve(CharModelFiles.PARAMS));
        assertEquals(pa.keySet(), pb.keySet());
        for (String n : pa.keySet()) {
            assertArrayEquals(pa.get(n).dup('c').data().asDouble(), pb.get(n).dup('c').data().asDouble(), 0.0, n);
        }
        assertEquals(whole.wholeTailBitsPerChar(), resumed.wholeTailBitsPerChar(), 0.0);
        JsonNode ha = json(a.resolve("history.json")).path("epochs");
        JsonNode hb = json(b.resolve("history.json")).path("epochs");
        assertEquals(4, ha.size());
        assertEquals(4, hb.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(ha.get(i).path("validation_loss").asDouble(), hb.get(i).path("validation_loss").asDouble(), 0.0,
                    "round " + i + ": " + ha.get(i) + " vs " + hb.get(i));
        }
    }

    @Test
    void resultJsonCarriesTheWholeTailScoreAndTheBars(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        CharTrainer.Result r = trainer(corpus, options(320, 0, 160)).train(dir, TrainingJson.MAPPER.createObjectNode(),
                false);
        JsonNode j = json(dir.resolve("result.json"));
        assertEquals(CharTrainer.RESULT_FORMAT, j.path("format").asText());
        assertEquals(320, j.path("charsTrainedTotal").asLong());
        CharModelFiles.Loaded m = CharModelFiles.load(dir);
        int[] tail = corpus.heldOut();
        double expected = TailScorer.mean(TailScorer.carried(m.network(), tail, 13, 5L, null));
        assertEquals(expected, j.path("heldOutWholeTailBitsPerChar").asDouble(), 1e-12);
        assertEquals(expected, r.wholeTailBitsPerChar(), 1e-12);
        assertEquals(tail.length - 1, j.path("heldOutWholeTailChars").asInt());
        NgramBars bars = NgramBars.fit(corpus.train(), corpus.vocab());
        assertEquals(bars.bigramBitsPerChar(tail), j.path("heldOutWholeTailBigramBitsPerChar").asDouble(), 1e-12);
        assertEquals(bars.unigramBitsPerChar(tail), j.path("heldOutWholeTailUnigramBitsPerChar").asDouble(), 1e-12);
        assertEquals(100, j.path("heldOutEvaluatedChars").asInt());
        JsonNode cfg = json(dir.resolve(CharTrainer.RUN_CONFIG_FILE));
        assertEquals("cosine", cfg.path("options").path("lrSchedule").asText());
        assertEquals(5, cfg.path("options").path("seed").asLong());
        assertEquals("5", cfg.path("signature").path("--seed").asText());
    }

    @Test
    void thePlateauRuleStopsAfterTheMinimum(@TempDir Path dir) throws Exception {
        CharCorpus corpus = new CharCorpus(CharTrainerTest.text(), 0.1);
        // any improvement is below 1e9 bits/char per 1M characters: the first evaluation that has a predecessor and
        // comes at or after the minimum (160) stops the run: the one at 320
        CharTrainer.Result r = trainer(corpus, options(160, 1e9, 160)).train(dir, TrainingJson.MAPPER.createObjectNode(),
                false);
        assertEquals(320, r.charsTrainedTotal());
        assertTrue(r.stopReason().startsWith("plateau"), r.stopReason());
        assertTrue(json(dir.resolve("complete.json")).path("stop_reason").asText().startsWith("plateau"));
    }

    @Test
    void cosineScheduleFactors() {
        LearningRateSchedule s = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.1, 1000);
        assertEquals(1.0, s.factor(0), 1e-15);
        assertEquals(0.55, s.factor(500), 1e-15);
        assertEquals(0.1, s.factor(1000), 1e-15);
        assertEquals(0.1, s.factor(5000), 1e-15);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI / 4)) / 2, s.factor(250), 1e-15);
        assertEquals(1.0, LearningRateSchedule.CONSTANT.factor(123), 0);
        assertThrows(IllegalArgumentException.class,
                () -> new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0, 10));
    }
}
