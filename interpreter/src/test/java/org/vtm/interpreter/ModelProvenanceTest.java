package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.Manifest;
import org.vtm.artifacts.Provenance;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.TrainingJson;

/**
 * {@code model.json} names its training corpus by what a reader can check on another machine —
 * the manifest's SHA-256, the seed, the record count and the longest program — not by an absolute
 * path, and records where the code came from ({@code Provenance.source()}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelProvenanceTest {

    @Test
    void aTrainedModelRecordsItsCorpusByHashAndItsSource(@TempDir Path tmp) throws Exception {
        Path corpus = TestCorpora.write(tmp.resolve("corpus"), 24, 2, 3, 19);
        Path out = tmp.resolve("model");
        new Trainer(TrainerResumeTest.config(corpus, out, 1), new PrintStream(OutputStream.nullOutputStream())).run();

        String text = Files.readString(out.resolve(ModelDescription.FILE_NAME));
        assertFalse(text.contains(corpus.toAbsolutePath().toString()), "no absolute corpus path in model.json:\n" + text);
        JsonNode root = TrainingJson.MAPPER.readTree(text);
        assertEquals("vtm.model/5", root.path("format").asText());
        assertTrue(root.path("config").path("corpus").isMissingNode(), text);

        Manifest manifest = Manifest.read(corpus);
        JsonNode tc = root.path("provenance").path("training_corpus");
        assertEquals(AtomicFiles.sha256(corpus.resolve(Manifest.FILE_NAME)), tc.path("manifest_sha256").asText());
        assertEquals(manifest.seed(), tc.path("seed").asLong());
        assertEquals(24, tc.path("records").asLong());
        assertEquals(3, tc.path("max_steps").asInt());
        JsonNode source = root.path("provenance").path("source");
        Provenance.source().forEach((k, v) -> assertEquals(v, source.path(k).asText(), "provenance.source." + k));
        assertTrue(source.path("code_sha256").asText().matches("[0-9a-f]{64}"), source.toString());

        ModelDescription read = LearnedInterpreter.load(out).description();
        ModelDescription.TrainingCorpus back = read.trainingCorpus().orElseThrow();
        assertEquals(tc.path("manifest_sha256").asText(), back.manifestSha256());
        assertEquals(manifest.seed(), back.seed());
        assertEquals(24, back.records());
        assertEquals(3, back.maxSteps());
        assertTrue(read.legacyCorpusPath().isEmpty());
    }
}
