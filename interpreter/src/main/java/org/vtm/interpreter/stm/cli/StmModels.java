package org.vtm.interpreter.stm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.CharModelFiles;
import org.vtm.interpreter.stm.StmEvaluator;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.cli.UsageException;

/** Loading a finished {@code vtm stm train} model together with the corpus it was trained on. */
final class StmModels {
    private StmModels() {
    }

    /** A loaded model, its corpus (as recorded, or {@code --text}) and the facts that identify both. */
    record Loaded(CharModelFiles.Loaded model, CharCorpus corpus, String textSpec, StmEvaluator.Subject subject) {
    }

    /**
     * Loads the model in {@code dir} (a finished model directory, or one of its checkpoints,
     * {@code OUT/checkpoints/ckpt-…}) and splits its corpus as training did ({@code config.text} and
     * {@code config.heldOut} of model.json, or {@code textOverride}); refuses a corpus whose alphabet or recorded
     * SHA-256 differs from the model's.
     */
    static Loaded load(Path dir, String textOverride) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--model " + dir + " is not a directory");
        }
        boolean checkpoint = Files.isRegularFile(dir.resolve(CheckpointStore.STATE_FILE));
        CharModelFiles.Loaded m = checkpoint ? CharModelFiles.loadCheckpoint(dir) : CharModelFiles.load(dir);
        ModelDescription d = ModelDescription.read(dir);
        JsonNode cfg = d.config();
        String spec = textOverride != null ? textOverride : cfg.path("text").asText("");
        if (spec.isEmpty()) {
            throw new UsageException("--model " + dir + ": model.json records no training text; give it with --text");
        }
        double heldOut = cfg.path("heldOut").asDouble(0.05);
        if (!cfg.has("heldOut")) {
            throw new UsageException("--model " + dir + ": model.json records no held-out fraction (config.heldOut)");
        }
        CharCorpus corpus = new CharCorpus(CharCorpus.readText(spec), heldOut);
        String recorded = cfg.path("textSha256").asText("");
        if (!recorded.isEmpty() && !recorded.equals(corpus.textSha256())) {
            throw new UsageException("--model " + dir + " was trained on a text with SHA-256 " + recorded + ", but "
                    + spec + " has " + corpus.textSha256());
        }
        if (!corpus.alphabet().equals(m.alphabet())) {
            throw new UsageException("--model " + dir + ": the alphabet of " + spec + " (" + corpus.vocab()
                    + " characters) is not the model's (" + m.alphabet().length() + "); give the training text with --text");
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ModelDescription.FILE_NAME, AtomicFiles.sha256(dir.resolve(ModelDescription.FILE_NAME)));
        files.put(CharModelFiles.PARAMS, AtomicFiles.sha256(dir.resolve(CharModelFiles.PARAMS)));
        if (checkpoint) {
            files.put(CheckpointStore.STATE_FILE, AtomicFiles.sha256(dir.resolve(CheckpointStore.STATE_FILE)));
        }
        return new Loaded(m, corpus, spec, new StmEvaluator.Subject(dir.toString(), m.network(), files,
                charsTrained(dir, checkpoint)));
    }

    /** Characters trained: a checkpoint's progress.json, or a finished model's result.json; −1 if neither says. */
    static long charsTrained(Path dir, boolean checkpoint) {
        try {
            JsonNode n = TrainingJson.MAPPER.readTree(dir.resolve(checkpoint ? "progress.json" : "result.json").toFile());
            JsonNode c = checkpoint ? n.path("chars") : n.has("charsTrainedTotal") ? n.path("charsTrainedTotal")
                    : n.path("charsTrained");
            return c.canConvertToLong() ? c.asLong() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Corpus facts for a report. */
    static ObjectNode corpusFacts(Loaded l) {
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("text", l.textSpec());
        n.put("textSha256", l.corpus().textSha256());
        n.put("heldOutFraction", l.corpus().heldOutFraction());
        n.put("heldOutChars", l.corpus().heldOut().length);
        return n;
    }
}
