package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.Provenance;

/**
 * {@code model.json} of a model directory: the format version ({@code vtm.model/<v>}), the model
 * kind, the seed, the training configuration, model-specific properties (e.g. family, d, n, a T_FX
 * checksum) and provenance (VTM version, Java, OS). Readers refuse a newer format version and name
 * the file in every error ({@link ModelFormatException}).
 *
 * <p>Format versions: {@code vtm.model/1} directories carry no completion marker; since
 * {@code vtm.model/2} a trainer writes {@link ModelCompletion} last, when the run ends, and a model
 * without it is unfinished. {@link #FIRST_MARKED_VERSION} is the first version with the marker.
 * Versions 1 and 2 name the training corpus by its absolute path ({@code config.corpus}); since
 * {@code vtm.model/3} the provenance names it by what a reader can check anywhere —
 * {@code provenance.training_corpus}: the SHA-256 of its manifest, its seed, record count and
 * longest program ({@link TrainingCorpus}) — and records where the code came from,
 * {@code provenance.source} (code hash, git commit, dirty flag: {@code Provenance.source()}).
 * Up to {@code vtm.model/3} a learned interpreter's {@code inputs} property is one base mode
 * ({@code asinh}, {@code normalised}, {@code next_order}); since {@code vtm.model/4} it is an input
 * specification {@code base[+growth][+structure]} (canonical order), with {@code structure_width} and
 * {@code syntax_vocabulary} when it has {@code structure}. The reader takes both. Since {@code vtm.model/5} the
 * {@code head} property may be {@code tail}: its parameter file holds the constant {@code Q*} ({@code tail_Q})
 * beside {@code T0}, and {@code properties.tail_q_sha256} its checksum; models of the other heads are written as
 * in version 4.
 */
public final class ModelDescription {
    public static final String FORMAT_PREFIX = "vtm.model/";
    public static final int FORMAT_VERSION = 5;
    /** The first format version whose finished directories carry {@link ModelCompletion}. */
    public static final int FIRST_MARKED_VERSION = 2;
    public static final String FILE_NAME = "model.json";
    /** The first format version whose provenance names the training corpus by {@link TrainingCorpus}. */
    public static final int FIRST_CHECKABLE_CORPUS_VERSION = 3;

    /**
     * The corpus a model was trained on, as a reader can check it without the training machine's
     * file system.
     *
     * @param manifestSha256 SHA-256 of the corpus' {@code manifest.json} (which hashes its shards)
     * @param seed the corpus' generator seed
     * @param records records (programs) read from it
     * @param maxSteps the longest program its generator could write (-1: not recorded)
     */
    public record TrainingCorpus(String manifestSha256, long seed, long records, int maxSteps) {
    }

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
        ObjectNode source = prov.putObject("source");
        for (Map.Entry<String, String> e : Provenance.source().entrySet()) {
            source.put(e.getKey(), e.getValue());
        }
        return new ModelDescription(n);
    }

    /** Records the training corpus in the provenance ({@code provenance.training_corpus}). */
    public void setTrainingCorpus(TrainingCorpus corpus) {
        ObjectNode c = ((ObjectNode) root.get("provenance")).putObject("training_corpus");
        c.put("manifest_sha256", corpus.manifestSha256());
        c.put("seed", corpus.seed());
        c.put("records", corpus.records());
        c.put("max_steps", corpus.maxSteps());
    }

    /**
     * The training corpus as recorded since {@code vtm.model/3}; empty for older formats (they name
     * it only by path, {@link #legacyCorpusPath()}) and for models without one.
     */
    public java.util.Optional<TrainingCorpus> trainingCorpus() {
        JsonNode c = root.path("provenance").path("training_corpus");
        if (!c.isObject()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new TrainingCorpus(c.path("manifest_sha256").asText(""), c.path("seed").asLong(),
                c.path("records").asLong(), c.path("max_steps").asInt(-1)));
    }

    /** The training corpus' absolute path as formats 1 and 2 recorded it ({@code config.corpus}); empty if absent. */
    public java.util.Optional<Path> legacyCorpusPath() {
        String p = root.path("config").path("corpus").asText("");
        return p.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(p));
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
