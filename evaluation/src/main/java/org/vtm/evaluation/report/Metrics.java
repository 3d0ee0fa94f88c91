package org.vtm.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Summary numbers of an evaluation ({@value #FORMAT}): per family/order the median and 90th
 * percentile relative L2 error of every method, the fraction of the fixed→oracle gap each learned
 * model closes, errors by program length, and the ablations. Every number is a pure function of
 * the evaluation; run facts (versions, machine, timing) live under {@code provenance}, which
 * reproducibility checks leave out.
 */
public final class Metrics {
    public static final String FORMAT = "vtm.metrics/1";
    public static final String FILE_NAME = "metrics.json";
    /** Learned methods in report order (present ones only are reported). */
    public static final List<String> LEARNED = List.of("learned", "random_init", "direct_head");
    public static final String BASELINE_MISSING = "MLlib baseline: not available in this build";

    private Metrics() {
    }

    /** Builds metrics.json's tree from an evaluation ({@link Evaluator}) and the run facts. */
    public static ObjectNode of(JsonNode eval, JsonNode provenance) {
        ObjectNode root = Evaluator.JSON.createObjectNode();
        root.put("format", FORMAT);
        List<String> methods = new ArrayList<>();
        eval.path("methods").forEach(m -> methods.add(m.asText()));
        ArrayNode ms = root.putArray("methods");
        methods.forEach(ms::add);
        int trainMax = eval.path("train_max_steps").asInt(-1);
        root.put("train_max_steps", trainMax);
        root.put("test_seed", eval.path("test_seed").asLong());
        root.put("test_programs", eval.path("test_programs").asInt());

        ArrayNode groups = root.putArray("groups");
        ObjectNode g = groups.addObject();
        g.put("family", eval.path("family").asText());
        g.put("order", eval.path("order").asInt());
        g.put("dim", eval.path("dim").asInt());
        g.put("programs", eval.path("programs").size());
        summarise(g, eval.path("programs"), methods);

        ArrayNode bySteps = root.putArray("by_steps");
        TreeMap<Integer, List<JsonNode>> groupsBySteps = new TreeMap<>();
        for (JsonNode p : eval.path("programs")) {
            groupsBySteps.computeIfAbsent(p.path("steps").asInt(), k -> new ArrayList<>()).add(p);
        }
        for (var e : groupsBySteps.entrySet()) {
            ObjectNode s = bySteps.addObject();
            s.put("steps", e.getKey());
            if (trainMax > 0) {
                s.put("seen_in_training", e.getKey() <= trainMax);
            } else {
                s.putNull("seen_in_training");
            }
            s.put("programs", e.getValue().size());
            summarise(s, Evaluator.JSON.valueToTree(e.getValue()), methods);
        }

        ObjectNode abl = root.putObject("ablations");
        for (String m : LEARNED) {
            JsonNode info = eval.path("models").get(m);
            if (info == null) {
                continue;
            }
            ObjectNode a = abl.putObject(m);
            a.put("init", info.path("init").asText());
            a.put("head", info.path("head").asText());
            a.put("hidden", info.path("hidden").asInt());
            ObjectNode gm = (ObjectNode) g.path("methods").path(m);
            a.set("median", gm.get("median"));
            a.set("p90", gm.get("p90"));
            a.set("gap_closed", g.path("gap_closed").get(m));
            JsonNode h = eval.path("histories").path(m).path("epochs");
            a.put("epochs", h.size());
            double best = Double.POSITIVE_INFINITY;
            for (JsonNode ep : h) {
                double v = ep.path("validation_loss").asDouble(Double.NaN);
                if (v < best) {
                    best = v;
                }
            }
            putNumber(a, "best_validation_loss", best);
            a.put("beyond_step_encoding", eval.path("beyond_step_encoding").path(m).asInt());
        }
        ObjectNode baseline = root.putObject("baseline");
        if (methods.contains("baseline")) {
            baseline.put("available", true);
        } else {
            baseline.put("available", false);
            baseline.put("note", BASELINE_MISSING);
        }
        root.set("provenance", provenance == null ? Evaluator.JSON.createObjectNode() : provenance);
        return root;
    }

    private static void summarise(ObjectNode into, JsonNode programs, List<String> methods) {
        ObjectNode ms = into.putObject("methods");
        double[] fixed = column(programs, "fixed");
        double[] oracle = column(programs, "oracle");
        double mf = quantile(fixed, 0.5);
        double mo = quantile(oracle, 0.5);
        for (String m : methods) {
            double[] v = column(programs, m);
            ObjectNode o = ms.putObject(m);
            o.put("count", finiteCount(v));
            putNumber(o, "median", quantile(v, 0.5));
            putNumber(o, "p90", quantile(v, 0.9));
        }
        ObjectNode gap = into.putObject("gap_closed");
        ObjectNode better = into.putObject("fraction_better_than_fixed");
        for (String m : methods) {
            if (!LEARNED.contains(m) && !m.equals("baseline")) {
                continue;
            }
            double ml = quantile(column(programs, m), 0.5);
            putNumber(gap, m, gapClosed(mf, ml, mo));
            double[] v = column(programs, m);
            int n = 0;
            int b = 0;
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i])) {
                    n++;
                    if (v[i] < fixed[i]) {
                        b++;
                    }
                }
            }
            putNumber(better, m, n == 0 ? Double.NaN : (double) b / n);
        }
    }

    /** {@code (fixed − learned) / (fixed − oracle)} of medians; NaN when the gap is zero. */
    public static double gapClosed(double fixed, double learned, double oracle) {
        double gap = fixed - oracle;
        return gap == 0 || !Double.isFinite(gap) ? Double.NaN : (fixed - learned) / gap;
    }

    /** Errors of one method per program: null (non-finite) counts as +∞; a missing entry as NaN. */
    static double[] column(JsonNode programs, String method) {
        double[] v = new double[programs.size()];
        int i = 0;
        for (JsonNode p : programs) {
            JsonNode e = p.path("errors");
            if (!e.has(method)) {
                v[i++] = Double.NaN;
            } else if (e.get(method).isNull()) {
                v[i++] = Double.POSITIVE_INFINITY;
            } else {
                v[i++] = e.get(method).asDouble();
            }
        }
        return v;
    }

    private static int finiteCount(double[] v) {
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Quantile {@code q} by linear interpolation between order statistics (type 7), ignoring NaN,
     * with +∞ sorting last; NaN for no values.
     */
    public static double quantile(double[] values, double q) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double h = (v.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(v.length - 1, lo + 1);
        if (lo == hi || v[lo] == v[hi]) {
            return v[lo];
        }
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }

    static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
