package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vtm.artifacts.AtomicFiles;

/**
 * Per-epoch training record (train/validation loss, samples/s, time), written as JSON
 * ({@value #FORMAT}). Epochs must be appended in order without gaps, so a resumed run that would
 * repeat or skip an epoch fails loudly.
 */
public final class TrainingHistory {
    public static final String FORMAT = "vtm.history/1";
    public static final String FILE_NAME = "history.json";

    private final List<EpochRecord> epochs = new ArrayList<>();

    public TrainingHistory() {
    }

    public TrainingHistory(List<EpochRecord> records) {
        for (EpochRecord r : records) {
            add(r);
        }
    }

    /** Appends the next epoch; its number must be {@link #size()}. */
    public synchronized void add(EpochRecord record) {
        if (record.epoch() != epochs.size()) {
            throw new IllegalStateException("history has " + epochs.size() + " epochs; the next must be epoch "
                    + epochs.size() + ", got epoch " + record.epoch());
        }
        epochs.add(record);
    }

    public synchronized List<EpochRecord> epochs() {
        return List.copyOf(epochs);
    }

    public synchronized int size() {
        return epochs.size();
    }

    public TrainingHistory copy() {
        return new TrainingHistory(epochs());
    }

    public JsonNode toJsonNode() {
        ObjectNode root = TrainingJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("epochs");
        for (EpochRecord r : epochs()) {
            ObjectNode e = list.addObject();
            e.put("epoch", r.epoch());
            e.put("train_loss", r.trainLoss());
            e.put("validation_loss", r.validationLoss());
            e.put("samples_per_s", r.samplesPerSecond());
            e.put("seconds", r.seconds());
        }
        return root;
    }

    public static TrainingHistory fromJsonNode(JsonNode root, Path source) throws IOException {
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(source + ": history format is '" + format + "', this VTM reads " + FORMAT);
        }
        List<EpochRecord> list = new ArrayList<>();
        for (JsonNode e : root.path("epochs")) {
            list.add(new EpochRecord(e.path("epoch").asInt(), e.path("train_loss").asDouble(Double.NaN),
                    e.path("validation_loss").asDouble(Double.NaN), e.path("samples_per_s").asDouble(Double.NaN),
                    e.path("seconds").asDouble(Double.NaN)));
        }
        try {
            return new TrainingHistory(list);
        } catch (IllegalStateException ex) {
            throw new ModelFormatException(source + ": " + ex.getMessage(), ex);
        }
    }

    /** Writes the history atomically to {@code file}. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, (TrainingJson.MAPPER.writeValueAsString(toJsonNode()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a history file; errors name the file. */
    public static TrainingHistory read(Path file) throws IOException {
        JsonNode root;
        try {
            root = TrainingJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJsonNode(root, file);
    }
}
