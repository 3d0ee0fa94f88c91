package org.vtm.datagen.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.CorpusFormatException;

/**
 * The file format of the {@link LinearBaseline}, {@value #FORMAT}: one JSON file,
 * {@value #FILE_NAME} in an output directory, written atomically and read back with every field
 * checked (docs/linear-baseline-format.md). Doubles are written in their shortest exact decimal
 * form, so a model survives the round trip bit for bit.
 */
public final class LinearBaselineFile {
    /** The format version this class writes and the newest it reads. */
    public static final String FORMAT = "vtm.linear-baseline/2";
    /**
     * The previous version, still read: the same fields without {@code next_order} (its features
     * never include {@code a⁺}), so it loads as a model without next-order terms.
     */
    public static final String FORMAT_V1 = "vtm.linear-baseline/1";
    /** The model file inside an output directory. */
    public static final String FILE_NAME = "linear-baseline.json";

    /** Indented output, as the corpus manifest is written. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LinearBaselineFile() {
    }

    /** {@code model} as JSON (format {@value #FORMAT}). */
    public static String toJson(LinearBaseline model) {
        int dim = model.dim();
        int[][] alphas = model.alphas();
        double[] mean = model.mean();
        double[] scale = model.scale();
        int outputCount = model.outputCount();
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("format", FORMAT);
        root.put("dim", dim);
        root.put("order", model.order());
        root.put("family", model.family());
        root.put("terms", alphas.length);
        root.put("next_order", model.nextOrder());
        root.put("next_terms", model.nextTerms());
        ArrayNode al = root.putArray("alphas");
        for (int[] a : alphas) {
            ArrayNode row = al.addArray();
            for (int x : a) {
                row.add(x);
            }
        }
        ObjectNode features = root.putObject("features");
        features.put("count", mean.length);
        features.put("definition", "s = sqrt(mean(a_t^2)) (1 if 0); x = [v0[0..d-1], v_t[0..d-1], r, a_t[out][alpha] / s (output-major, d*M), "
                + (model.nextOrder() ? "a+_t[out][beta] / s (degree-(n+1) scaled terms of the prefix expansion, output-major, d*K), " : "")
                + "t, ln s]; "
                + "z_j = (x_j - mean_j) / scale_j; correction_k = s * (intercept_k + sum_j weights[k][j] * z_j); "
                + "k = out*M + alpha; corrected = fixed + correction");
        ArrayNode names = features.putArray("names");
        LinearBaseline.featureNames(dim, alphas, nextAlphas(dim, model.order(), model.nextTerms())).forEach(names::add);
        ObjectNode std = root.putObject("standardisation");
        doubles(std.putArray("mean"), mean);
        doubles(std.putArray("scale"), scale);
        ObjectNode outputs = root.putObject("outputs");
        outputs.put("count", outputCount);
        outputs.put("target", "(oracle_coefficients - fixed_coefficients) / s");
        ArrayNode w = root.putArray("weights");
        ArrayNode intercepts = root.putArray("intercepts");
        ObjectNode hyper = root.putObject("hyper_parameters");
        ArrayNode regParams = hyper.putArray("reg_param");
        ArrayNode elasticNetParams = hyper.putArray("elastic_net_param");
        for (int k = 0; k < outputCount; k++) {
            doubles(w.addArray(), model.weights(k));
            intercepts.add(model.intercept(k));
            regParams.add(model.regParam(k));
            elasticNetParams.add(model.elasticNetParam(k));
        }
        root.put("training_rows", model.trainingRows());
        root.set("selection", model.selection());
        root.set("provenance", model.provenance());
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code K} multi-indices of degree exactly {@code order+1}, canonical order (none if {@code K = 0}). */
    private static int[][] nextAlphas(int dim, int order, int nextTerms) {
        if (nextTerms == 0) {
            return new int[0][];
        }
        org.vtm.transforms.MultiIndexSet up = org.vtm.transforms.MultiIndexSet.of(dim, order + 1);
        int m = up.size() - nextTerms;
        int[][] b = new int[nextTerms][];
        for (int j = 0; j < nextTerms; j++) {
            b[j] = up.alpha(m + j);
        }
        return b;
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double x : v) {
            a.add(x);
        }
    }

    /** Writes {@code model} to {@code file} atomically (temporary sibling, forced, renamed). */
    public static void write(LinearBaseline model, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, toJson(model).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads and verifies a model: {@code path} is the JSON file or a directory holding
     * {@value #FILE_NAME}. Refuses a newer or foreign format, malformed JSON and inconsistent
     * shapes with a {@link CorpusFormatException} naming the file.
     */
    public static LinearBaseline read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorpusFormatException(file, -1, "missing: no linear baseline model here");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CorpusFormatException(file, -1, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CorpusFormatException(file, -1, "not a JSON object");
        }
        String format = root.path("format").asText(null);
        if (format == null || !format.startsWith("vtm.linear-baseline/")) {
            throw new CorpusFormatException(file, -1, "'format' is " + format + ", expected " + FORMAT);
        }
        boolean v1 = FORMAT_V1.equals(format);
        if (!FORMAT.equals(format) && !v1) {
            throw new CorpusFormatException(file, -1, "newer model version " + format + "; this VTM reads at most " + FORMAT);
        }
        try {
            int dim = requiredInt(root, "dim");
            int order = requiredInt(root, "order");
            String family = root.path("family").asText(null);
            if (family == null) {
                throw new IllegalArgumentException("missing field 'family'");
            }
            JsonNode al = required(root, "alphas");
            int[][] alphas = new int[al.size()][];
            for (int i = 0; i < alphas.length; i++) {
                JsonNode row = al.get(i);
                alphas[i] = new int[row.size()];
                for (int j = 0; j < alphas[i].length; j++) {
                    alphas[i][j] = row.get(j).asInt();
                }
            }
            if (requiredInt(root, "terms") != alphas.length) {
                throw new IllegalArgumentException("'terms' is " + root.get("terms") + " but 'alphas' lists " + alphas.length);
            }
            boolean nextOrder = false;
            if (!v1) {
                JsonNode no = required(root, "next_order");
                if (!no.isBoolean()) {
                    throw new IllegalArgumentException("'next_order' must be true or false, got " + no);
                }
                nextOrder = no.asBoolean();
                int k = nextOrder ? LinearBaseline.nextTerms(dim, order) : 0;
                if (requiredInt(root, "next_terms") != k) {
                    throw new IllegalArgumentException("'next_terms' is " + root.get("next_terms") + ", expected " + k
                            + " for next_order " + nextOrder + ", d=" + dim + ", n=" + order);
                }
            }
            int p = LinearBaseline.featureCount(dim, alphas.length, nextOrder ? LinearBaseline.nextTerms(dim, order) : 0);
            if (required(root, "features").path("count").asInt(-1) != p) {
                throw new IllegalArgumentException("features.count is " + root.path("features").path("count")
                        + ", expected 2d+3+d·M+d·K = " + p);
            }
            JsonNode std = required(root, "standardisation");
            JsonNode w = required(root, "weights");
            double[][] weights = new double[w.size()][];
            for (int k = 0; k < weights.length; k++) {
                weights[k] = doubles(w.get(k), "weights[" + k + "]");
            }
            JsonNode hyper = required(root, "hyper_parameters");
            return new LinearBaseline(dim, order, family, alphas, nextOrder, doubles(std.get("mean"), "standardisation.mean"),
                    doubles(std.get("scale"), "standardisation.scale"), weights,
                    doubles(required(root, "intercepts"), "intercepts"),
                    doubles(hyper.get("reg_param"), "hyper_parameters.reg_param"),
                    doubles(hyper.get("elastic_net_param"), "hyper_parameters.elastic_net_param"),
                    root.path("training_rows").asLong(0), root.get("selection"), root.get("provenance"));
        } catch (IllegalArgumentException e) {
            throw new CorpusFormatException(file, -1, "bad " + format + " model: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return n;
    }

    private static int requiredInt(JsonNode root, String name) {
        JsonNode n = required(root, name);
        if (!n.isInt()) {
            throw new IllegalArgumentException("'" + name + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double[] doubles(JsonNode a, String name) {
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("'" + name + "' must be an array of numbers");
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalArgumentException("'" + name + "'[" + i + "] is not a number: " + a.get(i));
            }
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
