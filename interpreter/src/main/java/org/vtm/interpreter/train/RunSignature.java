package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.vtm.artifacts.AtomicFiles;

/**
 * What a resumed run must share with the run that wrote its checkpoints, as ordered (what, value)
 * pairs: options with their canonical values ({@code --controller 32}) and facts about the data
 * ({@code text SHA-256 …}). Written as {@value #FILE_NAME} into every checkpoint; on resume
 * {@link #requireSameAs} names the first difference. Immutable.
 */
public final class RunSignature {
    public static final String FILE_NAME = "run.json";
    public static final String FORMAT = "vtm.run-signature/1";

    private final Map<String, String> entries;

    private RunSignature(Map<String, String> entries) {
        this.entries = entries;
    }

    /** An empty signature; add entries with {@link #with}. */
    public static RunSignature of() {
        return new RunSignature(Map.of());
    }

    /** This signature and {@code what = value} (added last, or replacing an earlier value in place). */
    public RunSignature with(String what, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(entries);
        copy.put(what, String.valueOf(value));
        return new RunSignature(copy);
    }

    /** The entries in order. */
    public Map<String, String> entries() {
        return new LinkedHashMap<>(entries);
    }

    /**
     * Refuses to continue {@code recorded}'s run with this one if they differ.
     *
     * @throws IllegalArgumentException naming the first entry (in the recorded order, then entries
     *     only this run has) that differs, e.g. "--resume: checkpoint was trained with --controller
     *     128, this run asks for 64"
     */
    public void requireSameAs(RunSignature recorded) {
        for (Map.Entry<String, String> e : recorded.entries.entrySet()) {
            String now = entries.get(e.getKey());
            if (!e.getValue().equals(now)) {
                throw new IllegalArgumentException("--resume: checkpoint was trained with " + e.getKey() + " "
                        + e.getValue() + ", this run asks for " + (now == null ? "no " + e.getKey() : now));
            }
        }
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (!recorded.entries.containsKey(e.getKey())) {
                throw new IllegalArgumentException("--resume: checkpoint was trained without " + e.getKey()
                        + ", this run asks for " + e.getValue());
            }
        }
    }

    /** Writes {@code dir/run.json} atomically. */
    public void write(Path dir) throws IOException {
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("format", FORMAT);
        ObjectNode e = n.putObject("entries");
        entries.forEach(e::put);
        AtomicFiles.write(dir.resolve(FILE_NAME),
                (TrainingJson.MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code dir/run.json}; empty if there is none (checkpoints of VTM versions before it).
     *
     * @throws ModelFormatException if the file is damaged or of another format
     */
    public static Optional<RunSignature> read(Path dir) throws ModelFormatException {
        Path file = dir.resolve(FILE_NAME);
        JsonNode n;
        try {
            n = TrainingJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ModelFormatException(file + ": corrupt or unreadable: " + e.getMessage(), e);
        }
        if (n == null || !FORMAT.equals(n.path("format").asText("")) || !n.path("entries").isObject()) {
            throw new ModelFormatException(file + ": not a " + FORMAT + " file");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("entries").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return Optional.of(new RunSignature(out));
    }

    /** {@code text} quoted on one line: control and non-ASCII characters as Java escapes. */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
