package org.vtm.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Summary numbers of an evaluation ({@value #FORMAT}, documented in docs/metrics.md): per
 * family/order, for every method, the median, 90th percentile and median L∞ error at the independent
 * evaluation points, the gap closed (per-program {@code g_p}, median) and the fraction of programs
 * better than fixed beyond a tie; the paired comparisons with bootstrap confidence intervals
 * ({@link PairedStatistics}); errors by program length; the ablations and the training losses. A
 * method trained per seed has each program's error as the geometric mean over seeds, and its
 * per-seed medians as the spread. Every number is a pure function of the evaluation; run facts
 * (versions, machine, timing, measured costs) live under {@code provenance}, which reproducibility
 * checks leave out.
 */
public final class Metrics {
    public static final String FORMAT = "vtm.metrics/3";
    /**
     * Older formats {@link #read} still accepts: {@code vtm.metrics/2} differs only in having no {@code pade}
     * method (so no comparisons with it, and {@code best_equal_information} chosen without it).
     */
    public static final List<String> READABLE = List.of("vtm.metrics/2", FORMAT);
    public static final String FILE_NAME = "metrics.json";
    /** Learned methods in report order (present ones only are reported). */
    public static final List<String> LEARNED = List.of("learned", "random_init", "direct_head");
    public static final String BASELINE_MISSING = "MLlib baseline: not available in this build";
    /** Non-learned methods that use at most the learned model's information: the degree-(n+1) terms or less. */
    static final List<String> SAME_INFORMATION_NEXT_ORDER = List.of(Evaluator.ECONOMISED_N1, Evaluator.INPUT_INDEPENDENT,
            "baseline", Evaluator.PADE);
    static final List<String> SAME_INFORMATION_ORDER_N = List.of(Evaluator.INPUT_INDEPENDENT, "baseline", Evaluator.PADE);

    private Metrics() {
    }

    /**
     * Reads a {@value #FILE_NAME} of a {@link #READABLE} format (a {@code /2} file lacks {@code pade});
     * refuses any other (an older {@code vtm.metrics/1} file in one line naming it: its errors were
     * measured at the sample points and are not comparable).
     */
    public static JsonNode read(java.nio.file.Path file) throws java.io.IOException {
        JsonNode n = Evaluator.JSON.readTree(java.nio.file.Files.readAllBytes(file));
        String f = n.path("format").asText("");
        if (!READABLE.contains(f)) {
            throw new IllegalArgumentException(file + ": metrics format '" + f + "' is not read by this VTM (it reads "
                    + String.join(", ", READABLE)
                    + (f.equals("vtm.metrics/1") ? "; /1 measured errors at the sample points, re-run the report stage" : "")
                    + ")");
        }
        return n;
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
        root.put("seeds", eval.path("seeds").asInt(1));
        root.set("evaluation_points", eval.path("evaluation_points"));
        root.put("non_finite_truth", eval.path("non_finite_truth").asInt());
        if (eval.has("pade_note")) {
            root.put("pade_note", eval.path("pade_note").asText());
        }

        ArrayNode groups = root.putArray("groups");
        ObjectNode g = groups.addObject();
        g.put("family", eval.path("family").asText());
        g.put("order", eval.path("order").asInt());
        g.put("dim", eval.path("dim").asInt());
        g.put("programs", eval.path("programs").size());
        summarise(g, eval.path("programs"), methods);

        boolean nextOrder = eval.path("next_order").asBoolean(false);
        ObjectNode best = root.putObject("best_equal_information");
        ArrayNode comparisons = root.putArray("comparisons");
        List<String[]> pairs = new ArrayList<>();
        List<String[]> constantPairs = new ArrayList<>();
        for (String m : LEARNED) {
            if (!methods.contains(m)) {
                continue;
            }
            pairs.add(new String[] {m, "fixed"});
            String b = bestEqualInformation(g, methods, nextOrder);
            if (b != null) {
                best.put(m, b);
                pairs.add(new String[] {m, b});
            }
            if (methods.contains(Evaluator.PADE) && !Evaluator.PADE.equals(b)) {
                pairs.add(new String[] {m, Evaluator.PADE});
            }
            // the constant map fitted on the same training programs is the bar for "input-dependent": always compared
            // (listed last, so the pairs above keep their bootstrap seeds)
            if (methods.contains(Evaluator.INPUT_INDEPENDENT) && !Evaluator.INPUT_INDEPENDENT.equals(b)) {
                constantPairs.add(new String[] {m, Evaluator.INPUT_INDEPENDENT});
            }
        }
        for (String[] pr : List.of(new String[] {Evaluator.PADE, "fixed"}, new String[] {Evaluator.ECONOMISED_N1, "fixed"},
                new String[] {Evaluator.INPUT_INDEPENDENT, "fixed"}, new String[] {"baseline", "fixed"},
                new String[] {Evaluator.ECONOMISED_N2, Evaluator.ECONOMISED_N1})) {
            if (methods.contains(pr[0]) && methods.contains(pr[1])) {
                pairs.add(pr);
            }
        }
        pairs.addAll(constantPairs);
        long seed = eval.path("test_seed").asLong();
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i)[0];
            String b = pairs.get(i)[1];
            double[] lr = PairedStatistics.logRatios(seedColumn(eval.path("programs"), a),
                    collapsed(seedColumn(eval.path("programs"), b)));
            PairedStatistics.Comparison c = PairedStatistics.compare(lr, seed + i);
            ObjectNode o = comparisons.addObject();
            o.put("a", a);
            o.put("b", b);
            o.put("programs", c.programs());
            putNumber(o, "median_log_ratio", c.medianLogRatio());
            ArrayNode ci = o.putArray("ci95");
            addNumber(ci, c.lo());
            addNumber(ci, c.hi());
            putNumber(o, "better_fraction", c.betterFraction());
            putNumber(o, "worse_fraction", c.programs() == 0 ? Double.NaN : (double) c.worse() / c.programs());
            o.put("ties", c.ties());
            o.put("bootstrap_seed", seed + i);
        }

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
            a.put("inputs", info.path("inputs").asText());
            a.put("hidden", info.path("hidden").asInt());
            ObjectNode gm = (ObjectNode) g.path("methods").path(m);
            a.set("median", gm.get("median"));
            a.set("p90", gm.get("p90"));
            a.set("gap_closed", gm.get("gap_closed"));
            ArrayNode epochs = a.putArray("epochs");
            ArrayNode bestVal = a.putArray("best_validation_loss");
            ArrayNode lastTrain = a.putArray("final_training_loss");
            for (JsonNode hist : eval.path("histories").path(m)) {
                JsonNode h = hist.path("epochs");
                epochs.add(h.size());
                double bv = Double.POSITIVE_INFINITY;
                double lt = Double.NaN;
                for (JsonNode ep : h) {
                    double v = ep.path("validation_loss").asDouble(Double.NaN);
                    if (v < bv) {
                        bv = v;
                    }
                    if (ep.has("train_loss")) {
                        lt = ep.path("train_loss").asDouble(Double.NaN);
                    }
                }
                addNumber(bestVal, bv);
                addNumber(lastTrain, lt);
            }
            a.put("beyond_step_encoding", eval.path("beyond_step_encoding").path(m).asInt());
        }
        root.set("input_independent_fit", eval.path(Evaluator.INPUT_INDEPENDENT));
        ObjectNode baseline = root.putObject("baseline");
        if (methods.contains("baseline")) {
            baseline.put("available", true);
            // the information set the baselines were fitted with (all seeds; false if any lacked a+)
            JsonNode fits = eval.path(Evaluator.BASELINE_FITS);
            boolean withNext = fits.size() > 0;
            for (JsonNode f : fits) {
                withNext &= f.path("next_order").asBoolean(false);
            }
            baseline.put("next_order", withNext);
            baseline.put("inputs", withNext ? "order-n features and the degree-(n+1) terms a+"
                    : "order-n features (no degree-(n+1) terms)");
        } else {
            baseline.put("available", false);
            baseline.put("note", BASELINE_MISSING);
        }
        ObjectNode prov = provenance == null ? Evaluator.JSON.createObjectNode() : ((ObjectNode) provenance).deepCopy();
        if (eval.has("costs")) {
            prov.set("costs", eval.get("costs"));
        }
        root.set("provenance", prov);
        return root;
    }

    /**
     * The non-learned method with the learned model's information (or less) and the lowest median
     * error in {@code group}; null if there is none.
     */
    static String bestEqualInformation(JsonNode group, List<String> methods, boolean nextOrder) {
        String best = null;
        double bestMedian = Double.POSITIVE_INFINITY;
        for (String c : nextOrder ? SAME_INFORMATION_NEXT_ORDER : SAME_INFORMATION_ORDER_N) {
            if (!methods.contains(c)) {
                continue;
            }
            double med = group.path("methods").path(c).path("median").asDouble(Double.NaN);
            if (best == null || med < bestMedian) {
                best = c;
                bestMedian = Double.isNaN(med) ? Double.POSITIVE_INFINITY : med;
            }
        }
        return best;
    }

    private static void summarise(ObjectNode into, JsonNode programs, List<String> methods) {
        ObjectNode ms = into.putObject("methods");
        double[] fixed = collapsed(seedColumn(programs, "fixed"));
        double[] oracle = collapsed(seedColumn(programs, "oracle"));
        for (String m : methods) {
            double[][] per = seedColumn(programs, m);
            double[] v = collapsed(per);
            ObjectNode o = ms.putObject(m);
            o.put("count", finiteCount(v));
            putNumber(o, "median", quantile(v, 0.5));
            putNumber(o, "p90", quantile(v, 0.9));
            putNumber(o, "linf_median", quantile(collapsed(seedColumn(programs, m, "linf")), 0.5));
            double[] lr = PairedStatistics.logRatios(per, fixed);
            PairedStatistics.Gap gap = PairedStatistics.gapClosed(lr, fixed, oracle);
            putNumber(o, "gap_closed", gap.median());
            o.put("gap_programs", gap.programs());
            o.put("gap_excluded", gap.excluded());
            int better = 0;
            int ties = 0;
            int n = 0;
            for (double x : lr) {
                if (!Double.isNaN(x)) {
                    n++;
                    if (Math.abs(x) <= PairedStatistics.TIE) {
                        ties++;
                    } else if (x < 0) {
                        better++;
                    }
                }
            }
            putNumber(o, "better_fraction", n == 0 ? Double.NaN : (double) better / n);
            o.put("ties_with_fixed", ties);
            int seeds = per.length == 0 ? 0 : per[0].length;
            if (isSeeded(programs, m)) {
                ArrayNode sn = o.putArray("seeds");
                for (int k = 0; k < seeds; k++) {
                    double[] col = new double[per.length];
                    for (int p = 0; p < per.length; p++) {
                        col[p] = per[p][k];
                    }
                    ObjectNode one = sn.addObject();
                    putNumber(one, "median", quantile(col, 0.5));
                    putNumber(one, "p90", quantile(col, 0.9));
                }
            }
        }
    }

    private static boolean isSeeded(JsonNode programs, String method) {
        for (JsonNode p : programs) {
            return p.path("errors").path(method).isArray();
        }
        return false;
    }

    private static double[][] seedColumn(JsonNode programs, String method) {
        return seedColumn(programs, method, "errors");
    }

    /**
     * One method's errors per program and seed ({@code field}: errors or linf): null (non-finite) is
     * +∞, a missing entry NaN; a method without seeds has one column.
     */
    static double[][] seedColumn(JsonNode programs, String method, String field) {
        double[][] out = new double[programs.size()][];
        int i = 0;
        for (JsonNode p : programs) {
            JsonNode e = p.path(field);
            if (!e.has(method)) {
                out[i++] = new double[] {Double.NaN};
            } else if (e.get(method).isArray()) {
                JsonNode a = e.get(method);
                double[] v = new double[a.size()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = value(a.get(k));
                }
                out[i++] = v;
            } else {
                out[i++] = new double[] {value(e.get(method))};
            }
        }
        return out;
    }

    private static double value(JsonNode n) {
        return n == null || n.isMissingNode() ? Double.NaN : n.isNull() ? Double.POSITIVE_INFINITY : n.asDouble();
    }

    /** Per program {@code [e_fixed, seed-averaged log(e_a/e_b)]}, for the report's scatter plot. */
    static double[][] scatter(JsonNode programs, String a, String b) {
        double[] fixed = collapsed(seedColumn(programs, "fixed"));
        double[] lr = PairedStatistics.logRatios(seedColumn(programs, a), collapsed(seedColumn(programs, b)));
        double[][] out = new double[fixed.length][];
        for (int p = 0; p < fixed.length; p++) {
            out[p] = new double[] {fixed[p], lr[p]};
        }
        return out;
    }

    /** Per program: the geometric mean over seeds (NaN if a seed is missing, +∞ if one is +∞). */
    static double[] collapsed(double[][] perSeed) {
        double[] out = new double[perSeed.length];
        for (int p = 0; p < perSeed.length; p++) {
            double[] v = perSeed[p];
            if (v.length == 1) {
                out[p] = v[0];
                continue;
            }
            double logs = 0;
            boolean nan = false;
            boolean inf = false;
            for (double x : v) {
                nan |= Double.isNaN(x);
                inf |= x == Double.POSITIVE_INFINITY;
                logs += Math.log(x);
            }
            out[p] = nan ? Double.NaN : inf ? Double.POSITIVE_INFINITY : Math.exp(logs / v.length);
        }
        return out;
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
        return PairedStatistics.quantile(values, q);
    }

    static void addNumber(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
