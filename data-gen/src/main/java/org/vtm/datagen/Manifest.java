package org.vtm.datagen;

import org.vtm.artifacts.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a corpus directory: written last, so its presence means the corpus is
 * complete. Records what produced the corpus (seed, generator configuration, VTM and Java
 * versions) and a checksum for every shard and record batch.
 *
 * @param format the manifest format, {@value #FORMAT}
 * @param schema the shards' schema version, {@value CorpusSchema#FORMAT}
 * @param vtmVersion the VTM version that wrote the corpus
 * @param provenance Java, OS and host facts of the writing process
 * @param seed the generator seed
 * @param generator the generator configuration (as JSON, every field explicit)
 * @param configHash SHA-256 of the canonical generator configuration; resumes only reuse shards
 *     written under the same hash
 * @param records the number of records
 * @param rejected how many drawn programs were rejected (not finite over their region)
 * @param shards the shards in record order
 */
public record Manifest(
        String format,
        String schema,
        String vtmVersion,
        Map<String, String> provenance,
        long seed,
        JsonNode generator,
        String configHash,
        long records,
        long rejected,
        List<ShardInfo> shards) {

    public static final String FORMAT = "vtm.corpus-manifest/1";
    public static final String FILE_NAME = "manifest.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Manifest {
        provenance = Map.copyOf(provenance);
        shards = List.copyOf(shards);
    }

    /** Writes {@code dir/manifest.json} atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code dir/manifest.json}.
     *
     * @throws CorpusFormatException if it is missing (an incomplete corpus), unreadable or newer,
     *     or names a shard that is not a plain file name inside {@code dir}
     */
    public static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isDirectory(dir)) {
            throw new CorpusFormatException(dir, -1, "not a directory (a corpus is a directory with " + FILE_NAME + " and shards)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorpusFormatException(file, -1, "missing: the corpus is incomplete (an interrupted run leaves no manifest; "
                    + "re-run the same command to complete it)");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CorpusFormatException(file, -1, "not valid JSON: " + e.getOriginalMessage());
        }
        String format = tree.path("format").asText(null);
        if (format == null || !format.startsWith("vtm.corpus-manifest/")) {
            throw new CorpusFormatException(file, -1, "'format' is " + format + ", expected " + FORMAT);
        }
        if (!FORMAT.equals(format)) {
            throw new CorpusFormatException(file, -1, "newer manifest version " + format + "; this VTM reads at most " + FORMAT);
        }
        try {
            Manifest m = JSON.treeToValue(tree, Manifest.class);
            if (m.shards() == null || m.schema() == null) {
                throw new CorpusFormatException(file, -1, "missing field 'shards' or 'schema'");
            }
            for (int k = 0; k < m.shards().size(); k++) {
                ShardInfo shard = m.shards().get(k);
                if (shard == null) {
                    throw new CorpusFormatException(file, -1, "shards[" + k + "] is null; expected a shard description");
                }
                CorpusFormatException.plainFileName(file, "shards[" + k + "].file", shard.file(), ShardInfo.fileName(k));
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new CorpusFormatException(file, -1, "bad manifest: " + e.getOriginalMessage());
        }
    }
}
