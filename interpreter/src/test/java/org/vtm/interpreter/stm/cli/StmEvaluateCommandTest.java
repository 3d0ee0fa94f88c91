package org.vtm.interpreter.stm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.CharModelFiles;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.CharTrainer;
import org.vtm.interpreter.stm.NgramBars;
import org.vtm.interpreter.stm.StmConfig;
import org.vtm.interpreter.stm.StmEvaluator;
import org.vtm.interpreter.stm.TailScorer;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;

/** {@code vtm stm evaluate} and {@code vtm stm diagnose} on two tiny trained models of one text. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StmEvaluateCommandTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    static final String TEXT = "the cat (sat) on the \"mat\". ".repeat(50);

    static Path train(Path dir, Path textFile, CharNetwork.Kind kind) throws Exception {
        CharCorpus corpus = new CharCorpus(Files.readString(textFile), 0.1);
        StmConfig c = new StmConfig(corpus.vocab(), 2, 6, 4, 4, 2, 2, StmConfig.ThetaForm.FULL,
                StmConfig.ThetaActivation.TANH, StmConfig.WriteMode.BILINEAR, 0.5, 0.5, 2.0,
                StmConfig.MemoryInit.UNIFORM, 1.0, 3L);
        CharNetwork net = kind == CharNetwork.Kind.STM ? CharNetwork.stm(c, DataType.FLOAT)
                : CharNetwork.lstm(corpus.vocab(), 2, 8, 3L, DataType.FLOAT);
        ObjectNode cfg = TrainingJson.MAPPER.createObjectNode();
        cfg.put("text", textFile.toString());
        cfg.put("heldOut", 0.1);
        cfg.put("textSha256", corpus.textSha256());
        CharTrainer.Options o = new CharTrainer.Options(4, 4, 0.02, 5.0, 30, 1000, 30, 100, 10, 0.7, 5L)
                .withCharBudget(320, 0, 320);
        new CharTrainer(net, corpus, o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .train(dir, cfg, false);
        return dir;
    }

    @Test
    void evaluateReportsBothModelsOnTheSameCharacters(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, TEXT);
        Path stm = train(tmp.resolve("stm"), text, CharNetwork.Kind.STM);
        Path lstm = train(tmp.resolve("lstm"), text, CharNetwork.Kind.LSTM);
        Path out = tmp.resolve("eval.json");
        StmEvaluateCommand c = new StmEvaluateCommand();
        Path checkpoint = stm.resolve("checkpoints/ckpt-000001"); // the only round: the final parameters
        new CommandLine(c).parseArgs("--model", stm.toString(), "--model", lstm.toString(), "--model",
                checkpoint.toString(), "--out", out.toString(),
                "--window", "20", "--segment", "7", "--samples", "2", "--sample-chars", "30", "--prime", "the");
        assertEquals(0, c.call());
        JsonNode r = TrainingJson.MAPPER.readTree(out.toFile());
        assertEquals(StmEvaluator.FORMAT, r.path("format").asText());
        CharCorpus corpus = new CharCorpus(TEXT, 0.1);
        int[] tail = corpus.heldOut();
        assertEquals(tail.length - 1, r.path("corpus").path("scoredChars").asInt());
        NgramBars bars = NgramBars.fit(corpus.train(), corpus.vocab());
        assertEquals(bars.bigramBitsPerChar(tail), r.path("bars").path("bigramBitsPerChar").asDouble(), 1e-12);
        JsonNode ms = r.path("models");
        assertEquals(3, ms.size());
        assertEquals(ms.get(0).path("wholeTailBitsPerChar").asDouble(), ms.get(2).path("wholeTailBitsPerChar").asDouble(),
                0.0, "the checkpoint holds the finished model's parameters");
        assertEquals(320, ms.get(2).path("charsTrained").asLong());
        assertEquals(320, ms.get(0).path("charsTrained").asLong());
        assertEquals(ms.get(0).path("sha256").path("params.sd").asText(), ms.get(2).path("sha256").path("params.sd")
                .asText());
        CharNetwork stmNet = CharModelFiles.load(stm).network();
        assertEquals(TailScorer.mean(TailScorer.carried(stmNet, tail, 50, 1L, null)),
                ms.get(0).path("wholeTailBitsPerChar").asDouble(), 1e-12);
        assertEquals("stm", ms.get(0).path("kind").asText());
        assertEquals("lstm", ms.get(1).path("kind").asText());
        assertTrue(ms.get(0).path("memory").path("layers").size() == 2, ms.get(0).path("memory").toString());
        assertTrue(ms.get(1).path("memory").isMissingNode());
        JsonNode buckets = ms.get(1).path("resetWindow").path("byPosition");
        assertEquals(2, buckets.size(), "0-10 and 10-20 in windows of 20");
        assertEquals(20, buckets.get(1).path("to").asInt());
        long counted = buckets.get(0).path("chars").asLong() + buckets.get(1).path("chars").asLong();
        assertEquals(tail.length - 1, counted);
        for (JsonNode m : ms) {
            assertEquals(2, m.path("samples").size());
            assertEquals(1, m.path("samples").get(0).path("seed").asLong());
            assertEquals(30, m.path("samples").get(0).path("text").asText().length());
            assertEquals(64, m.path("sha256").path("params.sd").asText().length());
        }
        assertEquals(5, r.path("heldOutBrackets").size()); // (), [], {}, quotes, all
        assertTrue(r.path("heldOutBrackets").get(0).path("opened").asLong() > 0);
        assertFalse(r.path("provenance").path("vtm_version").asText().isEmpty());
    }

    @Test
    void badOptionsAreOneLineUsageErrors(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, TEXT);
        Path lstm = train(tmp.resolve("lstm"), text, CharNetwork.Kind.LSTM);
        StmEvaluateCommand c = new StmEvaluateCommand();
        new CommandLine(c).parseArgs("--model", lstm.toString(), "--window", "0");
        UsageException e = assertThrows(UsageException.class, c::call);
        assertTrue(e.getMessage().contains("--window"), e.getMessage());
        Path mine = Files.writeString(tmp.resolve("notes.json"), "{\"mine\": 1}");
        StmEvaluateCommand over = new StmEvaluateCommand();
        new CommandLine(over).parseArgs("--model", lstm.toString(), "--out", mine.toString());
        UsageException e3 = assertThrows(UsageException.class, over::call);
        assertTrue(e3.getMessage().contains("is not a report"), e3.getMessage());
        assertEquals("{\"mine\": 1}", Files.readString(mine));
        StmDiagnoseCommand d = new StmDiagnoseCommand();
        new CommandLine(d).parseArgs("--model", lstm.toString(), "--out", tmp.resolve("diag").toString());
        UsageException e2 = assertThrows(UsageException.class, d::call);
        assertTrue(e2.getMessage().contains("plain LSTM"), e2.getMessage());
    }

    @Test
    void diagnoseWritesSummaryTraceAndPictures(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, TEXT);
        Path stm = train(tmp.resolve("stm"), text, CharNetwork.Kind.STM);
        Path out = tmp.resolve("diag");
        StmDiagnoseCommand d = new StmDiagnoseCommand();
        new CommandLine(d).parseArgs("--model", stm.toString(), "--out", out.toString(), "--bins", "20");
        assertEquals(0, d.call());
        JsonNode s = TrainingJson.MAPPER.readTree(out.resolve("summary.json").toFile());
        int scored = new CharCorpus(TEXT, 0.1).heldOut().length - 1;
        assertEquals(scored, s.path("steps").asInt());
        assertEquals(2, s.path("layers").size());
        double inside = s.path("layers").get(0).path("insideFractionMean").asDouble();
        assertTrue(inside > 0 && inside <= 1 + 1e-9, "inside " + inside);
        assertEquals(1 + 2 * scored, Files.readAllLines(out.resolve("trace.csv")).size());
        assertTrue(Files.size(out.resolve("read-rows.png")) > 100);
    }
}
