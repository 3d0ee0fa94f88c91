package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vtm.artifacts.AtomicFiles;

/**
 * The completion marker of a model directory ({@value #FILE_NAME}, {@value #FORMAT}, since
 * {@code vtm.model/2}): written last, atomically, when a training run ends, whatever ended it
 * (its epochs, early stopping, its time budget), and removed first when a run into the directory
 * starts or resumes. A directory is a finished model only while its marker is there; the marker
 * records why the run stopped and the SHA-256 of the model files it vouches for, so files changed
 * after the run ended are refused too. Untrained parameters are a legitimate result (a run whose
 * first epoch did not improve on the untrained model): complete means the run ended, not that it
 * improved.
 */
public final class ModelCompletion {
    public static final String FILE_NAME = "complete.json";
    public static final String FORMAT = "vtm.model-complete/1";

    /**
     * A verified marker.
     *
     * @param stopReason why the run stopped
     * @param epochs finished epochs (training rounds)
     * @param finishedAt when the run ended (ISO-8601)
     * @param files the SHA-256 of each model file the marker vouches for, by file name
     */
    public record Marker(String stopReason, int epochs, String finishedAt, Map<String, String> files) {
        public Marker {
            files = Map.copyOf(files);
        }
    }

    private ModelCompletion() {
    }

    /** Marks {@code dir} complete: records the stop reason and the checksums of {@code files} (names in dir). */
    public static void write(Path dir, String stopReason, int epochs, List<String> files) throws IOException {
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("stop_reason", stopReason);
        n.put("epochs", epochs);
        n.put("finished_at", Instant.now().toString());
        ObjectNode sums = n.putObject("files");
        for (String f : files) {
            sums.put(f, AtomicFiles.sha256(dir.resolve(f)));
        }
        AtomicFiles.write(dir.resolve(FILE_NAME),
                (TrainingJson.MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the marker (a run is about to change the directory); nothing if there is none. */
    public static void remove(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /**
     * Reads and verifies the marker of {@code dir}: its format, and the checksum of every file it lists.
     *
     * @param unfinished what to do about a directory without a marker, appended to the message
     *     (e.g. "continue it with 'vtm train --resume' and the same options")
     * @throws ModelFormatException if there is no marker (the run did not finish), it is damaged or
     *     newer, or a listed file is missing or changed
     */
    public static Marker require(Path dir, String unfinished) throws ModelFormatException {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(dir + ": training did not finish (no " + FILE_NAME
                    + "; the run was interrupted, failed or is still going); " + unfinished, e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": unreadable: " + e.getMessage(), e);
        }
        JsonNode n;
        try {
            n = TrainingJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": corrupt, not valid JSON", e);
        }
        String format = n == null ? "" : n.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(file + ": format is '" + format + "', this VTM reads " + FORMAT
                    + (format.startsWith("vtm.model-complete/") ? " (written by a newer VTM?)" : ""));
        }
        if (!n.path("stop_reason").isTextual() || !n.path("files").isObject()) {
            throw new ModelFormatException(file + ": corrupt, 'stop_reason' and 'files' are required");
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("files").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
                throw new ModelFormatException(file + ": corrupt, '" + name + "' is not a file name in the model directory");
            }
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new ModelFormatException(f + ": missing, but " + file + " lists it as part of the finished model");
            }
            String now;
            try {
                now = AtomicFiles.sha256(f);
            } catch (IOException ex) {
                throw new ModelFormatException(f + ": unreadable: " + ex.getMessage(), ex);
            }
            if (!now.equals(e.getValue().asText())) {
                throw new ModelFormatException(f + ": changed after training finished (SHA-256 " + now + ", "
                        + FILE_NAME + " records " + e.getValue().asText() + ")");
            }
            files.put(e.getKey(), now);
        }
        return new Marker(n.path("stop_reason").asText(), n.path("epochs").asInt(), n.path("finished_at").asText(""),
                files);
    }
}
