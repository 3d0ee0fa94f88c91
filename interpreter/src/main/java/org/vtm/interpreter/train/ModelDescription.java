package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.vtm.datagen.AtomicFiles;
import org.vtm.datagen.Provenance;

/**
 * {@code model.json} of a model directory: the format version ({@code vtm.model/<v>}), the model
 * kind, the seed, the training configuration, model-specific properties (e.g. family, d, n, a T_FX
 * checksum) and provenance (VTM version, Java, OS). Readers refuse a newer format version and name
 * the file in every error ({@link ModelFormatException}).
 *
 * <p>Format versions: {@code vtm.model/1} directories carry no completion marker; since
 * {@code vtm.model/2} a trainer writes {@link ModelCompletion} last, when the run ends, and a model
 * without it is unfinished. {@link #FIRST_MARKED_VERSION} is the first version with the marker.
 */
public final class ModelDescription {
    public static final String FORMAT_PREFIX = "vtm.model/";
    public static final int FORMAT_VERSION = 2;
    /** The first format version whose finished directories carry {@link ModelCompletion}. */
    public static final int FIRST_MARKED_VERSION = 2;
    public static final String FILE_NAME = "model.json";

    private final ObjectNode root;

    private ModelDescription(ObjectNode root) {
        this.root = root;
    }

    /** A new description for a model of {@code kind}, with provenance of this process. */
    public static ModelDescription create(String kind, long seed) {
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("format", FORMAT_PREFIX + FORMAT_VERSION);
        n.put("kind", kind);
        n.put("seed", seed);
        n.putObject("config");
        n.putObject("properties");
        ObjectNode prov = n.putObject("provenance");
        prov.put("vtm_version", Provenance.vtmVersion());
        for (Map.Entry<String, String> e : Provenance.facts().entrySet()) {
            prov.put(e.getKey(), e.getValue());
        }
        return new ModelDescription(n);
    }

    public String kind() {
        return root.path("kind").asText();
    }

    public long seed() {
        return root.path("seed").asLong();
    }

    public int formatVersion() {
        return parseVersion(root.path("format").asText(""));
    }

    /** The training configuration (mutable node: put entries into it). */
    public ObjectNode config() {
        return (ObjectNode) root.get("config");
    }

    /** Model-specific properties (mutable node). */
    public ObjectNode properties() {
        return (ObjectNode) root.get("properties");
    }

    public JsonNode provenance() {
        return root.get("provenance");
    }

    /** The format string as written, e.g. {@code vtm.model/2}. */
    public String format() {
        return root.path("format").asText("");
    }

    /** A required string property; a missing one is an error naming {@code source}. */
    public String requireText(String key, Path source) throws ModelFormatException {
        JsonNode v = properties().get(key);
        if (v == null || !v.isValueNode()) {
            throw new ModelFormatException(source + ": property '" + key + "' is missing");
        }
        return v.asText();
    }

    /** A required integer property; a missing one is an error naming {@code source}. */
    public int requireInt(String key, Path source) throws ModelFormatException {
        JsonNode v = properties().get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new ModelFormatException(source + ": integer property '" + key + "' is missing or not an integer");
        }
        return v.asInt();
    }

    public String toJson() {
        try {
            return TrainingJson.MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code dir/model.json} atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code dir/model.json}.
     *
     * @throws ModelFormatException naming the file if it is missing, not JSON, of another format or newer
     */
    public static ModelDescription read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir + ": no such model directory");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": missing (not a VTM model directory?)", e);
        }
        JsonNode n;
        try {
            n = TrainingJson.MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file + ": corrupt, not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(n instanceof ObjectNode obj)) {
            throw new ModelFormatException(file + ": corrupt, expected a JSON object");
        }
        String format = obj.path("format").asText("");
        if (!format.startsWith(FORMAT_PREFIX)) {
            throw new ModelFormatException(file + ": format is '" + format + "', expected " + FORMAT_PREFIX + FORMAT_VERSION);
        }
        int version = parseVersion(format);
        if (version < 1) {
            throw new ModelFormatException(file + ": unreadable format version in '" + format + "'");
        }
        if (version > FORMAT_VERSION) {
            throw new ModelFormatException(file + ": format " + format + " is newer than this VTM reads (" + FORMAT_PREFIX
                    + FORMAT_VERSION + "); upgrade VTM");
        }
        if (!obj.path("config").isObject() || !obj.path("properties").isObject()) {
            throw new ModelFormatException(file + ": corrupt, 'config' and 'properties' must be objects");
        }
        return new ModelDescription(obj);
    }

    private static int parseVersion(String format) {
        try {
            return Integer.parseInt(format.substring(FORMAT_PREFIX.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
