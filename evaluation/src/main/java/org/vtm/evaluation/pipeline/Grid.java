package org.vtm.evaluation.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vtm.transforms.cli.UsageException;

/**
 * An experiment grid ({@value #FORMAT}), read from YAML: a base experiment configuration (the keys
 * of {@code vtm pipeline --config}, {@code preset} included) and axes, each a setting of that
 * configuration (dotted, e.g. {@code problem.dim}) with a list of values; the cartesian product of
 * the axes gives the cells, in the order the axes are written (the last axis varies fastest). An
 * optional {@code exclude} list leaves cells out of the product: each entry maps some axes to one of
 * their values, and a cell matching every pair of an entry is not run (e.g. the {@code d = 8, n = 6}
 * cell whose {@code M} is too large). {@link #MAX_CELLS} bounds the product before exclusion.
 *
 * <pre>
 * format: vtm.grid/1
 * base:
 *   preset: smoke
 *   training: {epochs: 1}
 * axes:
 *   problem.family: [chebyshev, legendre]
 *   problem.dim: [1, 2]
 * exclude:
 *   - {problem.family: legendre, problem.dim: 2}
 * </pre>
 *
 * <p>Every mistake is refused before anything runs, naming the file, the line and the key: an
 * unknown top-level key, base setting or axis, a value of the wrong type, an empty or repeated axis,
 * a cell whose configuration is invalid.
 */
public final class Grid {
    public static final String FORMAT = "vtm.grid/1";
    /** The most cells a grid may have (a typo in an axis should not start a thousand trainings). */
    public static final int MAX_CELLS = 256;

    /** One cell: its 1-based index, its directory name, its axis values and its configuration. */
    public record Point(int index, String name, Map<String, JsonNode> values, ExperimentConfig config) {
        public Point {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** {@code problem.dim=2, problem.family=legendre}; {@code (base)} for a grid without axes. */
        public String label() {
            if (values.isEmpty()) {
                return "(base)";
            }
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> parts.add(k + "=" + (v.isTextual() ? v.asText() : v.toString())));
            return String.join(", ", parts);
        }
    }

    private final ObjectNode source;
    private final List<String> axes;
    private final List<Point> cells;

    private Grid(ObjectNode source, List<String> axes, List<Point> cells) {
        this.source = source;
        this.axes = List.copyOf(axes);
        this.cells = List.copyOf(cells);
    }

    /** The grid as written (for the run directory's record of it). */
    public ObjectNode source() {
        return source.deepCopy();
    }

    public List<String> axes() {
        return axes;
    }

    public List<Point> cells() {
        return cells;
    }

    /** A grid of one cell: {@code config} itself (no axes). */
    public static Grid single(ExperimentConfig config) {
        ObjectNode src = JsonNodeFactory.instance.objectNode();
        src.put("format", FORMAT);
        src.set("base", config.tree());
        src.putObject("axes");
        return new Grid(src, List.of(), List.of(new Point(1, "base", Map.of(), config)));
    }

    /**
     * Reads and validates a grid file; {@code master} (may be null) replaces every cell's
     * {@code spark_master}.
     *
     * @throws UsageException naming the file, line and key of the first mistake
     */
    public static Grid load(Path file, String master) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + " (experiment grid not found)");
        }
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try (JsonParser p = ExperimentConfig.YAML.getFactory().createParser(Files.readAllBytes(file))) {
            if (p.nextToken() == null) {
                throw new UsageException(file + ": the grid is empty; expected 'format', 'base' and 'axes'");
            }
            root = read(p, "", lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UsageException(file + ":" + line + ": not valid YAML: " + e.getOriginalMessage());
        }
        Where at = new Where(file, lines);
        if (!root.isObject()) {
            throw at.error("", "expected a mapping with 'format', 'base' and 'axes' at the top level");
        }
        for (var it = root.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!List.of("format", "base", "axes", "exclude").contains(k)) {
                throw at.error(k, "unknown key; valid: format, base, axes, exclude");
            }
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw at.error(root.has("format") ? "format" : "", "expected 'format: " + FORMAT + "'"
                    + (root.has("format") ? ", got " + root.get("format") : " (missing)"));
        }
        JsonNode baseNode = root.path("base");
        if (!root.has("base") || baseNode.isNull()) {
            baseNode = JsonNodeFactory.instance.objectNode();
        }
        if (!baseNode.isObject()) {
            throw at.error("base", "expected a mapping of experiment settings (the keys of vtm pipeline --config)");
        }
        ExperimentConfig base;
        try {
            base = ExperimentConfig.overlay(baseNode, null, null);
        } catch (IllegalArgumentException e) {
            throw at.error(at.keyIn("base.", e.getMessage(), "base"), e.getMessage());
        }
        if (master != null) {
            base = base.with(Map.of("spark_master", JsonNodeFactory.instance.textNode(master)));
        }
        JsonNode axesNode = root.path("axes");
        if (!root.has("axes") || !axesNode.isObject()) {
            throw at.error(root.has("axes") ? "axes" : "", "expected 'axes': a mapping of setting → list of values"
                    + " (e.g. problem.dim: [1, 2])");
        }
        List<String> axes = new ArrayList<>();
        List<List<JsonNode>> values = new ArrayList<>();
        long count = 1;
        for (var it = axesNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "axes." + e.getKey();
            JsonNode preset;
            try {
                preset = base.node(e.getKey());
            } catch (IllegalArgumentException x) {
                throw at.error(key, "unknown setting '" + e.getKey() + "' (an axis is a setting of the experiment "
                        + "configuration, e.g. problem.dim)");
            }
            if (preset.isObject()) {
                throw at.error(key, "'" + e.getKey() + "' is a section; an axis is one setting (e.g. "
                        + e.getKey() + "." + preset.fieldNames().next() + ")");
            }
            if (e.getKey().equals("spark_master") || e.getKey().equals("preset") || e.getKey().equals("format")) {
                throw at.error(key, "'" + e.getKey() + "' cannot vary between cells");
            }
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw at.error(key, "expected a non-empty list of values, got " + e.getValue());
            }
            List<JsonNode> vs = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                JsonNode v = e.getValue().get(i);
                String vk = key + "[" + i + "]";
                if (!sameType(preset, v)) {
                    throw at.error(vk, "expected " + typeName(preset) + " like the setting's " + preset + ", got " + v);
                }
                if (vs.contains(v)) {
                    throw at.error(vk, "value " + v + " is listed twice");
                }
                vs.add(v);
            }
            axes.add(e.getKey());
            values.add(vs);
            count *= vs.size();
            if (count > MAX_CELLS) {
                throw at.error("axes", "the grid has more than " + MAX_CELLS + " cells");
            }
        }
        List<Map<String, JsonNode>> excluded = exclusions(root, axes, values, at);
        List<Point> cells = new ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        int[] index = new int[axes.size()];
        for (int c = 0; c < count; c++) {
            Map<String, JsonNode> settings = new LinkedHashMap<>();
            for (int a = 0; a < axes.size(); a++) {
                settings.put(axes.get(a), values.get(a).get(index[a]));
            }
            for (int a = axes.size() - 1; a >= 0; a--) { // odometer: the last axis fastest
                if (++index[a] < values.get(a).size()) {
                    break;
                }
                index[a] = 0;
            }
            if (excluded.stream().anyMatch(x -> x.entrySet().stream().allMatch(e -> e.getValue().equals(settings.get(e.getKey()))))) {
                continue;
            }
            int number = cells.size() + 1;
            String label = new Point(number, "", settings, base).label();
            ExperimentConfig config;
            try {
                config = base.with(settings);
                Cell.check(config);
            } catch (IllegalArgumentException e) {
                String key = at.keyIn("axes.", e.getMessage(), null);
                if (key == null) {
                    key = at.keyIn("base.", e.getMessage(), "axes");
                }
                throw at.error(key, "cell " + number + " (" + label + "): " + e.getMessage());
            }
            cells.add(new Point(number, name(number, settings, taken), settings, config));
        }
        if (cells.isEmpty()) {
            throw at.error("exclude", "every cell of the grid is excluded");
        }
        return new Grid((ObjectNode) root, axes, cells);
    }

    /**
     * The {@code exclude} entries: each a non-empty mapping of axes to one of their values (a value
     * not on the axis would exclude nothing, so it is refused, as is an entry naming no axis).
     */
    private static List<Map<String, JsonNode>> exclusions(JsonNode root, List<String> axes, List<List<JsonNode>> values,
            Where at) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        JsonNode ex = root.path("exclude");
        if (ex.isMissingNode() || ex.isNull()) {
            return out;
        }
        if (!ex.isArray()) {
            throw at.error("exclude", "expected a list of cells to leave out, each a mapping axis → value "
                    + "(e.g. - {problem.dim: 8, problem.order: 6}), got " + ex);
        }
        for (int i = 0; i < ex.size(); i++) {
            JsonNode entry = ex.get(i);
            String ek = "exclude[" + i + "]";
            if (!entry.isObject() || entry.isEmpty()) {
                throw at.error(ek, "expected a non-empty mapping axis → value, got " + entry);
            }
            Map<String, JsonNode> m = new LinkedHashMap<>();
            for (var it = entry.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                int a = axes.indexOf(e.getKey());
                if (a < 0) {
                    throw at.error(ek, "'" + e.getKey() + "' is not an axis of this grid; axes: " + String.join(", ", axes));
                }
                if (!values.get(a).contains(e.getValue())) {
                    throw at.error(ek, "value " + e.getValue() + " is not on axis " + e.getKey() + " " + values.get(a));
                }
                m.put(e.getKey(), e.getValue());
            }
            out.add(m);
        }
        return out;
    }

    /**
     * {@code legendre-2}: the cell's values, restricted to file-name characters, so a cell keeps
     * its directory (and its finished work) when axes gain or lose values; {@code base} for a grid
     * without axes; the index is appended when two cells would otherwise share a name.
     */
    static String name(int index, Map<String, JsonNode> settings, java.util.Set<String> taken) {
        List<String> parts = new ArrayList<>();
        for (JsonNode v : settings.values()) {
            parts.add((v.isTextual() ? v.asText() : v.toString()).replaceAll("[^A-Za-z0-9.]+", "_"));
        }
        String s = parts.isEmpty() ? "base" : String.join("-", parts);
        if (s.length() > 80) {
            s = s.substring(0, 80);
        }
        if (!taken.add(s)) {
            s = s + "-" + index;
            taken.add(s);
        }
        return s;
    }

    private static boolean sameType(JsonNode preset, JsonNode v) {
        if (preset.isNull()) { // an optional setting, unset by default (e.g. test_corpus.program_family)
            return v.isTextual() || v.isNull();
        }
        if (preset.isIntegralNumber()) {
            return v.isIntegralNumber();
        }
        if (preset.isNumber()) {
            return v.isNumber();
        }
        return preset.getNodeType() == v.getNodeType();
    }

    private static String typeName(JsonNode n) {
        if (n.isIntegralNumber()) {
            return "an integer";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "true or false";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNull()) {
            return "a string or null";
        }
        return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Builds the tree from the parser, recording the line of every key and list element. */
    private static JsonNode read(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        JsonToken t = p.currentToken();
        lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                lines.put(child, p.currentTokenLocation().getLineNr());
                p.nextToken();
                o.set(name, read(p, child, lines));
            }
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + i++ + "]";
                lines.put(child, p.currentTokenLocation().getLineNr());
                a.add(read(p, child, lines));
            }
            return a;
        }
        return ExperimentConfig.YAML.readTree(p);
    }

    /** Where in the file a key is, for messages. */
    private record Where(Path file, Map<String, Integer> lines) {
        UsageException error(String key, String message) {
            Integer line = lines.get(key);
            String at = file + (line == null ? "" : ":" + line) + ": ";
            return new UsageException(at + (key.isEmpty() ? "" : key + ": ") + message);
        }

        /**
         * The longest recorded key under {@code prefix} whose setting a message quotes (e.g.
         * "training.lr must be positive" → base.training.lr), else {@code fallback}.
         */
        String keyIn(String prefix, String message, String fallback) {
            String best = fallback;
            int length = -1;
            for (String k : lines.keySet()) {
                if (k.startsWith(prefix) && !k.contains("[")) {
                    String setting = k.substring(prefix.length());
                    if (!setting.isEmpty() && message.contains(setting) && setting.length() > length) {
                        best = k;
                        length = setting.length();
                    }
                }
            }
            if (length < 0) { // no setting quoted: one whose last part is a word of the message ("unknown function family")
                for (String k : lines.keySet()) {
                    if (k.startsWith(prefix) && !k.contains("[") && k.length() > prefix.length()) {
                        String last = k.substring(k.lastIndexOf('.') + 1);
                        if (java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(last) + "\\b")
                                .matcher(message).find()) {
                            return k;
                        }
                    }
                }
            }
            return best;
        }
    }
}
