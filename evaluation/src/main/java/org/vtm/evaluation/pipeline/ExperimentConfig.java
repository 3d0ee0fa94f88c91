package org.vtm.evaluation.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.datagen.ProgramFamily;

/**
 * The effective configuration of a {@code vtm pipeline} experiment ({@value #FORMAT}): a preset
 * ({@code smoke} or {@code default}, shipped as resources) overlaid with the user's YAML or JSON
 * file. Every key of the user file must exist in the preset (a typo is refused, naming the key).
 * The tree is kept as JSON; sections are hashed by the pipeline to decide which stages to re-run.
 */
public final class ExperimentConfig {
    public static final String FORMAT = "vtm.experiment/1";
    public static final List<String> PRESETS = List.of("smoke", "default");

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper COMPACT = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final ObjectNode tree;

    private ExperimentConfig(ObjectNode tree) {
        this.tree = tree;
        validate();
    }

    /** The named preset. */
    public static ExperimentConfig preset(String name) throws IOException {
        return new ExperimentConfig(presetTree(name));
    }

    /**
     * Loads a configuration: the preset named by {@code presetOverride}, else by the file's
     * {@code preset} key, else {@code default}; then the file's keys over it.
     */
    public static ExperimentConfig load(Path file, String presetOverride) throws IOException {
        JsonNode user;
        if (file == null) {
            user = JSON.createObjectNode();
        } else {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file + " (experiment configuration not found)");
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            ObjectMapper m = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
            try {
                user = m.readTree(Files.readAllBytes(file));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": not valid " + (m == YAML ? "YAML" : "JSON") + ": "
                        + e.getOriginalMessage());
            }
            if (user == null || user.isMissingNode() || user.isNull()) {
                user = JSON.createObjectNode();
            }
            if (!user.isObject()) {
                throw new IllegalArgumentException(file + ": expected a mapping of settings at the top level");
            }
        }
        return overlay(user, presetOverride, file);
    }

    /**
     * The preset named by {@code presetOverride}, else by {@code user}'s {@code preset} key, else
     * {@code default}, with {@code user}'s keys over it; {@code file} (may be null) names the source
     * in messages.
     */
    public static ExperimentConfig overlay(JsonNode user, String presetOverride, Path file) throws IOException {
        String preset = presetOverride != null ? presetOverride : user.path("preset").asText("default");
        ObjectNode base = presetTree(preset);
        merge(base, user, "", file);
        base.put("preset", preset);
        return new ExperimentConfig(base);
    }

    /** An effective configuration as {@link #toJson} wrote it (validated again). */
    public static ExperimentConfig fromJson(String json) throws IOException {
        JsonNode tree = JSON.readTree(json);
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("an experiment configuration must be a JSON object");
        }
        return new ExperimentConfig((ObjectNode) tree);
    }

    /**
     * This configuration with the settings at the given dotted paths replaced (then validated once,
     * so settings that constrain each other may change together).
     */
    public ExperimentConfig with(Map<String, JsonNode> settings) {
        ObjectNode copy = tree.deepCopy();
        for (Map.Entry<String, JsonNode> e : settings.entrySet()) {
            String path = e.getKey();
            String[] parts = path.split("\\.");
            ObjectNode at = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = at.get(parts[i]);
                if (next == null || !next.isObject()) {
                    throw new IllegalArgumentException("configuration has no section '" + parts[i] + "' in '" + path + "'");
                }
                at = (ObjectNode) next;
            }
            JsonNode old = at.get(parts[parts.length - 1]);
            if (old == null) {
                throw new IllegalArgumentException("configuration has no setting '" + path + "'");
            }
            if (old.isObject()) {
                throw new IllegalArgumentException("'" + path + "' is a section, not a setting");
            }
            at.set(parts[parts.length - 1], e.getValue());
        }
        return new ExperimentConfig(copy);
    }

    private static ObjectNode presetTree(String name) throws IOException {
        if (!PRESETS.contains(name)) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; valid: " + String.join(", ", PRESETS));
        }
        try (InputStream in = ExperimentConfig.class.getResourceAsStream("/org/vtm/evaluation/presets/" + name + ".json")) {
            if (in == null) {
                throw new IOException("preset resource " + name + ".json is missing from the build");
            }
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static void merge(ObjectNode base, JsonNode over, String where, Path file) {
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = where + e.getKey();
            JsonNode old = base.get(e.getKey());
            if (old == null) {
                throw new IllegalArgumentException((file == null ? "" : file + ": ") + "unknown setting '" + key
                        + "'; valid here: " + String.join(", ", iterable(base.fieldNames())));
            }
            if (old.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException((file == null ? "" : file + ": ") + "setting '" + key
                            + "' must be a mapping, got " + e.getValue());
                }
                merge((ObjectNode) old, e.getValue(), key + ".", file);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private void validate() {
        if (!FORMAT.equals(tree.path("format").asText())) {
            throw new IllegalArgumentException("configuration format is '" + tree.path("format").asText() + "', this VTM reads "
                    + FORMAT);
        }
        positive("problem.dim");
        positive("problem.order");
        positive("problem.depth");
        for (String c : CORPORA) {
            positive(c + ".programs");
            positive(c + ".min_steps");
            positive(c + ".threads");
            if (integer(c + ".max_steps") < integer(c + ".min_steps")) {
                throw new IllegalArgumentException(c + ".max_steps must be ≥ " + c + ".min_steps, got "
                        + integer(c + ".max_steps") + " < " + integer(c + ".min_steps"));
            }
        }
        for (String c : List.of("train_corpus", "test_corpus", "validation_corpus")) {
            if (integer(c + ".max_steps") > TrainingLimits.MAX_STEPS) {
                throw new IllegalArgumentException(c + ".max_steps must be at most " + TrainingLimits.MAX_STEPS
                        + " (the learned model's step encoding, one column per step, covers every corpus), got "
                        + integer(c + ".max_steps"));
            }
        }
        checkOperatorOverrides();
        for (String c : CORPORA) {
            poleRatio(c); // validates the program family too
        }
        if (integer("train_corpus.seed") == integer("test_corpus.seed")) {
            throw new IllegalArgumentException("test_corpus.seed must differ from train_corpus.seed (held-out programs), both are "
                    + integer("test_corpus.seed"));
        }
        positive("training.seeds");
        long seeds = integer("training.seeds");
        long train = integer("train_corpus.seed");
        for (String other : List.of("test_corpus", "validation_corpus")) {
            long o = integer(other + ".seed");
            if (o >= train && o < train + seeds) {
                throw new IllegalArgumentException(other + ".seed " + o + " is one of the training corpora's seeds (train_corpus.seed "
                        + train + " + 0.." + (seeds - 1) + " for training.seeds " + seeds + "); held-out corpora need their own seed");
            }
        }
        if (integer("validation_corpus.seed") == integer("test_corpus.seed")) {
            throw new IllegalArgumentException("validation_corpus.seed must differ from test_corpus.seed (tuning never sees the "
                    + "test programs), both are " + integer("test_corpus.seed"));
        }
        String on = text("report.corpus");
        if (!on.equals("test") && !on.equals("validation")) {
            throw new IllegalArgumentException("report.corpus must be 'test' (reported runs) or 'validation' (tuning), got '"
                    + on + "'");
        }
        positive("training.epochs");
        positive("training.batch_size");
        positive("training.hidden");
        positive("training.patience");
        if (!(number("training.lr") > 0)) {
            throw new IllegalArgumentException("training.lr must be positive, got " + number("training.lr"));
        }
        if (!(number("training.max_minutes") >= 0)) {
            throw new IllegalArgumentException("training.max_minutes must be ≥ 0 (0: no time budget), got "
                    + number("training.max_minutes"));
        }
        double eps = number("training.loss_eps");
        if (!(eps >= org.vtm.interpreter.train.TrainingLimits.MIN_LOSS_EPS
                && eps <= org.vtm.interpreter.train.TrainingLimits.MAX_LOSS_EPS)) {
            throw new IllegalArgumentException("training.loss_eps (the floor ε of the log loss) must be within [1e-300, 1], got "
                    + eps);
        }
        String dtype = text("training.dtype");
        if (!dtype.equals("float64") && !dtype.equals("float32")) {
            throw new IllegalArgumentException("training.dtype must be 'float64' or 'float32', got '" + dtype + "'");
        }
        try {
            org.vtm.interpreter.ModelConfig.InputSpec.parse(text("training.inputs"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training.inputs: " + e.getMessage());
        }
        String head = text("training.head");
        if (!head.equals("transform") && !head.equals("tail")) {
            throw new IllegalArgumentException("training.head must be 'transform' or 'tail', got '" + head + "'");
        }
        if (!(number("training.val_fraction") > 0 && number("training.val_fraction") < 1)) {
            throw new IllegalArgumentException("training.val_fraction must be in (0, 1), got " + number("training.val_fraction"));
        }
        positive("report.examples");
        if (integer("report.slice_points") < 2) {
            throw new IllegalArgumentException("report.slice_points must be at least 2, got " + integer("report.slice_points"));
        }
        String engine = text("engine");
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new IllegalArgumentException("engine must be 'local' or 'spark', got '" + engine + "'");
        }
        if (!text("spark_master").startsWith("local") && !text("spark_master").startsWith("spark://")) {
            throw new IllegalArgumentException("spark_master must be local[N], local[*] or spark://host:port, got '"
                    + text("spark_master") + "'");
        }
    }

    /** Setting: operators the training corpora (and the validation corpus) never draw (E3, held-out operators). */
    static final String EXCLUDE_OPERATORS = "train_corpus.exclude_operators";
    /** Setting: operator weights of the test corpus over the generator's mix, or null for its mix unchanged. */
    static final String TEST_OPERATOR_WEIGHTS = "test_corpus.operator_weights";

    private JsonNode optional(String path) {
        JsonNode n = tree;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    private void checkOperatorOverrides() {
        JsonNode ex = optional(EXCLUDE_OPERATORS);
        if (!ex.isMissingNode()) {
            if (!ex.isArray()) {
                throw new IllegalArgumentException(EXCLUDE_OPERATORS + " must be a list of operator names (e.g. [sinh, cosh]), got "
                        + ex);
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (JsonNode op : ex) {
                if (!op.isTextual() || !GeneratorConfig.OPERATORS.contains(op.asText())) {
                    throw new IllegalArgumentException(EXCLUDE_OPERATORS + ": unknown operator " + op + "; valid: "
                            + String.join(" ", GeneratorConfig.OPERATORS));
                }
                if (!seen.add(op.asText())) {
                    throw new IllegalArgumentException(EXCLUDE_OPERATORS + ": operator '" + op.asText() + "' is listed twice");
                }
            }
        }
        JsonNode w = optional(TEST_OPERATOR_WEIGHTS);
        if (!w.isMissingNode() && !w.isNull()) {
            if (!w.isObject()) {
                throw new IllegalArgumentException(TEST_OPERATOR_WEIGHTS + " must be null (the generator's mix) or a mapping "
                        + "operator → weight (e.g. {sinh: 3.0}), got " + w);
            }
            for (var it = w.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!GeneratorConfig.OPERATORS.contains(e.getKey())) {
                    throw new IllegalArgumentException(TEST_OPERATOR_WEIGHTS + ": unknown operator '" + e.getKey() + "'; valid: "
                            + String.join(" ", GeneratorConfig.OPERATORS));
                }
                if (!e.getValue().isNumber() || !(e.getValue().asDouble() >= 0) || !Double.isFinite(e.getValue().asDouble())) {
                    throw new IllegalArgumentException(TEST_OPERATOR_WEIGHTS + "." + e.getKey()
                            + " must be a finite weight ≥ 0, got " + e.getValue());
                }
            }
        }
        Map<String, Double> mix = GeneratorConfig.defaultOperators();
        if (!hasWeight(operatorMix("train_corpus", mix))) {
            throw new IllegalArgumentException(EXCLUDE_OPERATORS + " excludes every operator of the generator's mix; the "
                    + "training corpus would have none left");
        }
        if (!hasWeight(operatorMix("test_corpus", mix))) {
            throw new IllegalArgumentException(TEST_OPERATOR_WEIGHTS + " leaves the test corpus no operator with a positive "
                    + "weight");
        }
    }

    private static boolean hasWeight(Map<String, Double> mix) {
        return mix.values().stream().anyMatch(v -> v > 0);
    }

    /**
     * The operator mix corpus {@code section} draws from, given the generator's {@code mix}: the
     * training and validation corpora without {@value #EXCLUDE_OPERATORS} (tuning never sees the
     * held-out operators either), the test corpus with {@value #TEST_OPERATOR_WEIGHTS} over the mix
     * (a named operator gets that weight, the others keep theirs). Unchanged when neither is set.
     */
    public Map<String, Double> operatorMix(String section, Map<String, Double> mix) {
        Map<String, Double> out = new java.util.LinkedHashMap<>(mix);
        if (section.equals("test_corpus")) {
            JsonNode w = optional(TEST_OPERATOR_WEIGHTS);
            if (w.isObject()) {
                w.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
            }
        } else {
            optional(EXCLUDE_OPERATORS).forEach(op -> out.remove(op.asText()));
        }
        return out;
    }

    /** Whether any corpus' operator mix differs from the generator's (the E3 held-out-operator regime). */
    public boolean overridesOperators() {
        return !optional(EXCLUDE_OPERATORS).isEmpty() || optional(TEST_OPERATOR_WEIGHTS).isObject();
    }

    /** The longest program of any corpus: the step encoding the learned models need (at least {@code floor}). */
    public int longestProgram(int floor) {
        long m = floor;
        for (String c : List.of("train_corpus", "test_corpus", "validation_corpus")) {
            m = Math.max(m, integer(c + ".max_steps"));
        }
        return (int) m;
    }

    /** The corpus sections, each generated with its own seed and program family. */
    public static final List<String> CORPORA = List.of("train_corpus", "test_corpus", "validation_corpus");

    /**
     * The program family a corpus section is generated with: the section's {@code program_family}
     * if it is set (not null), else {@code problem.program_family}.
     *
     * @throws IllegalArgumentException naming the setting and listing the families
     */
    public ProgramFamily programFamily(String section) {
        String key = setting(section, "program_family");
        try {
            return ProgramFamily.byLabel(text(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    /**
     * The r/ρ range {@code {min, max}} a corpus section's rational programs are drawn with: the
     * section's {@code pole_ratio} if set, else {@code problem.pole_ratio}, else the family's
     * default ({@value ProgramFamily#DEFAULT_POLE_RATIO_MIN}..{@value ProgramFamily#DEFAULT_POLE_RATIO_MAX}).
     * A range given for a corpus of another family is refused (it would be ignored).
     *
     * @throws IllegalArgumentException naming the setting and what is expected
     */
    public double[] poleRatio(String section) {
        ProgramFamily family = programFamily(section);
        String key = setting(section, "pole_ratio");
        if (node(key).isNull()) {
            return new double[] {ProgramFamily.DEFAULT_POLE_RATIO_MIN, ProgramFamily.DEFAULT_POLE_RATIO_MAX};
        }
        if (!family.hasPole()) {
            throw new IllegalArgumentException(key + " applies to program_family rational only, but " + section
                    + " is generated with program_family " + family.label());
        }
        String text = text(key);
        String expected = key + " must be a range 'a..b' of r/ρ (region radius over pole distance) with 0 < a <= b < 1, got '"
                + text + "'";
        int dots = text.indexOf("..");
        double[] q;
        try {
            q = dots < 0 ? new double[] {Double.parseDouble(text.trim()), Double.parseDouble(text.trim())}
                    : new double[] {Double.parseDouble(text.substring(0, dots).trim()),
                            Double.parseDouble(text.substring(dots + 2).trim())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected);
        }
        if (!(q[0] > 0) || !(q[0] <= q[1]) || !(q[1] < 1)) {
            throw new IllegalArgumentException(expected);
        }
        return q;
    }

    /** {@code section.name} if that setting is not null, else {@code problem.name}. */
    private String setting(String section, String name) {
        return node(section + "." + name).isNull() ? "problem." + name : section + "." + name;
    }

    private void positive(String path) {
        if (integer(path) < 1) {
            throw new IllegalArgumentException(path + " must be at least 1, got " + node(path));
        }
    }

    /** The node at a dotted path; refuses a missing one. */
    public JsonNode node(String path) {
        JsonNode n = tree;
        for (String part : path.split("\\.")) {
            n = n.get(part);
            if (n == null) {
                throw new IllegalArgumentException("configuration has no setting '" + path + "'");
            }
        }
        return n;
    }

    public long integer(String path) {
        JsonNode n = node(path);
        if (!n.isIntegralNumber()) {
            throw new IllegalArgumentException("setting '" + path + "' must be an integer, got " + n);
        }
        return n.asLong();
    }

    public double number(String path) {
        JsonNode n = node(path);
        if (!n.isNumber()) {
            throw new IllegalArgumentException("setting '" + path + "' must be a number, got " + n);
        }
        return n.asDouble();
    }

    public boolean flag(String path) {
        JsonNode n = node(path);
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("setting '" + path + "' must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    public String text(String path) {
        JsonNode n = node(path);
        if (!n.isTextual()) {
            throw new IllegalArgumentException("setting '" + path + "' must be a string, got " + n);
        }
        return n.asText();
    }

    /** A copy of the whole tree. */
    public ObjectNode tree() {
        return tree.deepCopy();
    }

    /** Compact JSON of a section (or of a value), the text that is hashed. */
    public String canonical(String path) {
        try {
            return COMPACT.writeValueAsString(node(path));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code config.json} and {@code config.yaml} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("config.json"), (JSON.writeValueAsString(tree) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("config.yaml"), YAML.writeValueAsBytes(tree));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
