package org.vtm.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vtm.artifacts.AtomicFiles;

/**
 * Writes a report directory from an evaluation: {@code metrics.json} ({@value Metrics#FORMAT}),
 * the PNG charts, {@code report.md} (linking the PNGs next to it) and {@code report.html}
 * (self-contained: the same PNGs embedded as {@code data:} URIs, inline CSS, no scripts).
 * Both documents have the same sections, in {@link #SECTIONS} order.
 */
public final class ReportWriter {
    /** Section titles, in order; tests check each is present in both documents. */
    public static final List<String> SECTIONS = List.of(
            "Summary",
            "Errors by family and order",
            "Comparisons",
            "Error vs number of program steps",
            "Ablations",
            "Worked examples",
            "Training curves",
            "Reproducibility");
    public static final String HTML = "report.html";
    public static final String SCATTER_PNG = "learned-vs-best.png";
    public static final String COST_PNG = "error-vs-cost.png";
    public static final String MARKDOWN = "report.md";

    private ReportWriter() {
    }

    /** Files written by {@link #write}. */
    public record Written(Path html, Path markdown, Path metrics, List<Path> images) {
    }

    /**
     * Writes the report into {@code dir}.
     *
     * @param config the experiment configuration tree (null when not run by the pipeline)
     * @param extra extra facts for the reproducibility section (e.g. stage timings), may be empty
     */
    public static Written write(ObjectNode eval, JsonNode config, Map<String, String> extra, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode provenance = provenance(config);
        ObjectNode metrics = Metrics.of(eval, provenance);
        Path metricsFile = dir.resolve(Metrics.FILE_NAME);
        AtomicFiles.write(metricsFile, (Evaluator.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metrics) + "\n")
                .getBytes(StandardCharsets.UTF_8));

        List<String> methods = new ArrayList<>();
        metrics.path("methods").forEach(m -> methods.add(m.asText()));
        JsonNode group = metrics.path("groups").get(0);
        int trainMax = metrics.path("train_max_steps").asInt(-1);
        List<Path> images = new ArrayList<>();

        Path errorsPng = dir.resolve("errors-by-method.png");
        Charts.errorsByMethod(group, methods, errorsPng);
        images.add(errorsPng);
        Path stepsPng = dir.resolve("error-vs-steps.png");
        Charts.errorVsSteps(metrics.path("by_steps"), methods, trainMax, stepsPng);
        images.add(stepsPng);

        Map<String, JsonNode> histories = new LinkedHashMap<>();
        for (String m : Metrics.LEARNED) {
            if (eval.path("histories").has(m)) {
                histories.put(m, eval.path("histories").get(m));
            }
        }
        Path ablPng = null;
        if (histories.size() > 1) {
            ablPng = dir.resolve("ablation-learning-curves.png");
            Charts.learningCurves(histories, "Learning curves of every variant and seed", ablPng);
            images.add(ablPng);
        }
        Map<String, double[][]> scatter = new LinkedHashMap<>();
        Map<String, String> best = new LinkedHashMap<>();
        JsonNode bestInfo = metrics.path("best_equal_information");
        metrics.path("best_equal_information").fields().forEachRemaining(e -> {
            if (!bestInfo.has("learned") || e.getKey().equals("learned")) { // the ablations' scale would flatten it
                best.put(e.getKey(), e.getValue().asText());
                scatter.put(e.getKey(), Metrics.scatter(eval.path("programs"), e.getKey(), e.getValue().asText()));
            }
        });
        Path scatterPng = null;
        if (!scatter.isEmpty()) {
            scatterPng = dir.resolve(SCATTER_PNG);
            Charts.learnedVsBest(scatter, best, scatterPng);
            images.add(scatterPng);
        }
        Path costPng = null;
        if (eval.has("costs")) {
            costPng = dir.resolve(COST_PNG);
            Charts.errorVsCost(group, eval.path("costs").path("us_per_program"), methods, costPng);
            images.add(costPng);
        }
        Path trainPng = null;
        if (!histories.isEmpty()) {
            String main = histories.containsKey("learned") ? "learned" : histories.keySet().iterator().next();
            trainPng = dir.resolve("training-curves.png");
            Charts.learningCurves(Map.of(main, histories.get(main)), "Training curves: " + Charts.label(main), trainPng);
            images.add(trainPng);
        }
        List<Path> examplePngs = new ArrayList<>();
        int n = 0;
        for (JsonNode ex : eval.path("examples")) {
            n++;
            Path p = dir.resolve("example-" + n + ".png");
            Charts.example(ex, n, p);
            examplePngs.add(p);
            images.add(p);
        }

        Doc md = new Doc(false, dir);
        Doc html = new Doc(true, dir);
        for (Doc doc : List.of(md, html)) {
            render(doc, eval, metrics, config, extra, methods, group, trainMax, errorsPng, stepsPng, ablPng, trainPng,
                    examplePngs, scatterPng, costPng);
        }
        Path mdFile = dir.resolve(MARKDOWN);
        Path htmlFile = dir.resolve(HTML);
        AtomicFiles.write(mdFile, md.text().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(htmlFile, html.text().getBytes(StandardCharsets.UTF_8));
        return new Written(htmlFile, mdFile, metricsFile, images);
    }

    /** Versions, machine and configuration of this process. */
    static ObjectNode provenance(JsonNode config) {
        ObjectNode p = Evaluator.JSON.createObjectNode();
        ArrayNode versions = p.putArray("versions");
        try {
            Versions.report().forEach(versions::add);
        } catch (RuntimeException | LinkageError e) {
            versions.add("versions unavailable: " + e);
        }
        ObjectNode machine = p.putObject("machine");
        org.vtm.artifacts.Provenance.facts().forEach(machine::put);
        org.vtm.artifacts.Provenance.source().forEach(machine::put);
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        String cpu = cpuModel();
        if (cpu != null) {
            machine.put("cpu", cpu);
        }
        if (config != null) {
            p.set("config", config);
        }
        return p;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static void render(Doc doc, JsonNode eval, JsonNode metrics, JsonNode config, Map<String, String> extra,
            List<String> methods, JsonNode group, int trainMax, Path errorsPng, Path stepsPng, Path ablPng, Path trainPng,
            List<Path> examplePngs, Path scatterPng, Path costPng) throws IOException {
        String family = group.path("family").asText();
        int order = group.path("order").asInt();
        doc.title("VTM evaluation: learned interpreter vs fixed T_FX (" + family + ", d=" + group.path("dim").asInt() + ", n="
                + order + ")");

        doc.section(SECTIONS.get(0));
        JsonNode gm = group.path("methods");
        JsonNode points = metrics.path("evaluation_points");
        doc.para(String.format(Locale.ROOT, "%d held-out programs (test seed %d, %d..%d steps), function family %s, order %d, "
                        + "%d training seed(s). Error = relative L2 error of the whole program's series against exact "
                        + "execution at %d independent points of its region (%s; neither training nor the oracle saw them; "
                        + "the oracle is fitted on the %d sample points), pooled over outputs; L∞ = max-abs error there.",
                group.path("programs").asInt(), metrics.path("test_seed").asLong(), minSteps(metrics), maxSteps(metrics),
                family, order, metrics.path("seeds").asInt(1), points.path("count").asInt(), points.path("kind").asText(),
                eval.path("samples").asInt()));
        for (JsonNode c : metrics.path("comparisons")) {
            if (!Metrics.LEARNED.contains(c.path("a").asText())) {
                continue;
            }
            doc.para(comparisonSentence(c));
        }
        if (!metrics.path("baseline").path("available").asBoolean()) {
            doc.para(Metrics.BASELINE_MISSING + ".");
        }

        doc.section(SECTIONS.get(1));
        List<String> head = new ArrayList<>(List.of("family", "order", "method", "median rel. L2", "p90 rel. L2",
                "median L∞", "gap closed (median g_p)", "better than fixed", "seed medians (min–max)"));
        List<List<String>> rows = new ArrayList<>();
        for (String m : methods) {
            JsonNode s = gm.path(m);
            String spread = "";
            if (s.has("seeds")) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (JsonNode k : s.path("seeds")) {
                    double v = k.path("median").asDouble(Double.NaN);
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                spread = sci(lo) + " – " + sci(hi) + " (" + s.path("seeds").size() + ")";
            }
            boolean ref = m.equals("fixed") || m.equals("oracle");
            rows.add(List.of(family, String.valueOf(order), Charts.label(m), sci(s.path("median").asDouble(Double.NaN)),
                    sci(s.path("p90").asDouble(Double.NaN)), sci(s.path("linf_median").asDouble(Double.NaN)),
                    ref ? "" : pct(s.path("gap_closed").asDouble(Double.NaN)),
                    ref ? "" : pct(s.path("better_fraction").asDouble(Double.NaN)), spread));
        }
        if (!methods.contains("baseline")) {
            rows.add(List.of(family, String.valueOf(order), "MLlib linear baseline", "not available in this build", "", "", "",
                    "", ""));
        }
        doc.table(head, rows);
        JsonNode fg = gm.path("fixed");
        doc.para("Gap closed by A on program p: g_p = log(e_A/e_fixed) / log(e_oracle/e_fixed) (1 = as good as the "
                + "least-squares oracle, 0 = fixed, negative = worse), reported as the median over the programs that have a gap; "
                + gm.path("learned").path("gap_excluded").asInt(fg.path("gap_excluded").asInt())
                + " program(s) with e_fixed ≤ 1.001·e_oracle are excluded. Better than fixed = share of programs with "
                + "log(e_A/e_fixed) < −log 1.01 (ties within 1 % count as neither). A method trained per seed enters with "
                + "each program's geometric-mean error over its seeds.");
        doc.image(errorsPng, "median and 90th percentile error by method");

        doc.section(SECTIONS.get(2));
        List<List<String>> crows = new ArrayList<>();
        for (JsonNode c : metrics.path("comparisons")) {
            crows.add(List.of(Charts.label(c.path("a").asText()), Charts.label(c.path("b").asText()),
                    c.path("programs").asText(), num(c.path("median_log_ratio").asDouble(Double.NaN)),
                    "[" + num(c.path("ci95").path(0).asDouble(Double.NaN)) + ", "
                            + num(c.path("ci95").path(1).asDouble(Double.NaN)) + "]",
                    pct(c.path("better_fraction").asDouble(Double.NaN)), pct(c.path("worse_fraction").asDouble(Double.NaN)),
                    c.path("ties").asText()));
        }
        doc.table(List.of("A", "B", "programs", "median log(e_A/e_B)", "95 % CI (bootstrap)", "A better", "A worse", "ties"),
                crows);
        doc.para("Per-program paired log-ratios (negative: A better), each program's log-ratio averaged over training seeds; "
                + "the interval is a percentile bootstrap over programs (" + PairedStatistics.RESAMPLES
                + " resamples, seeded). The learned model is compared with fixed T_FX and with the best non-learned method "
                + "that has the same information (" + metrics.path("best_equal_information") + ").");
        List<List<String>> lrows = new ArrayList<>();
        for (JsonNode f : metrics.path("input_independent_fit")) {
            lrows.add(List.of("input-independent ΔT" + (f.path("with_q").asBoolean() ? ", Q" : ""), f.path("seed_index").asText(),
                    num(f.path("final_loss").asDouble(Double.NaN)), "start " + num(f.path("start_loss").asDouble(Double.NaN))
                            + ", " + f.path("steps").asText() + " steps" + (f.path("converged").asBoolean() ? ", converged"
                            : ", NOT converged")));
        }
        metrics.path("ablations").fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            for (int k = 0; k < a.path("final_training_loss").size(); k++) {
                lrows.add(List.of(Charts.label(e.getKey()), String.valueOf(k),
                        num(a.path("final_training_loss").path(k).asDouble(Double.NaN)),
                        "best validation " + num(a.path("best_validation_loss").path(k).asDouble(Double.NaN)) + ", "
                                + a.path("epochs").path(k).asText() + " epochs"));
            }
        });
        if (!lrows.isEmpty()) {
            doc.para("Training loss (mean over (program, step) of log(1e-10 + ‖Φc − y‖²/‖y‖²) at the sample points): the "
                    + "constant ΔT/Q fitted to convergence on the whole training corpus beside each learned model's last "
                    + "epoch (its training split).");
            doc.table(List.of("method", "seed", "final training loss", "note"), lrows);
        }
        if (scatterPng != null) {
            doc.image(scatterPng, "per-program log-ratio of learned vs best equal-information method against fixed error");
        }
        if (costPng != null) {
            JsonNode costs = eval.path("costs");
            doc.para("Cost: µs per program from the program text to its F-coefficients, one thread, measured on "
                    + costs.path("programs").asInt() + " programs after a warm-up pass (machine-dependent; recorded under "
                    + "provenance and left out of reproducibility comparisons): " + costs.path("us_per_program") + ".");
            doc.image(costPng, "median error against cost per method");
        }

        doc.section(SECTIONS.get(3));
        doc.para(trainMax > 0 ? "Training programs had at most " + trainMax + " steps; rows marked \"longer than training\" "
                + "test length generalisation (NPI-style)." : "The training corpus' step range is unknown.");
        List<String> sh = new ArrayList<>(List.of("steps", "programs", "in training range"));
        methods.forEach(m -> sh.add(Charts.label(m)));
        List<List<String>> srows = new ArrayList<>();
        for (JsonNode k : metrics.path("by_steps")) {
            List<String> r = new ArrayList<>();
            r.add(k.path("steps").asText());
            r.add(k.path("programs").asText());
            JsonNode seen = k.path("seen_in_training");
            r.add(seen.isBoolean() ? (seen.asBoolean() ? "yes" : "no — longer than training") : "?");
            for (String m : methods) {
                r.add(sci(k.path("methods").path(m).path("median").asDouble(Double.NaN)));
            }
            srows.add(r);
        }
        doc.table(sh, srows);
        doc.image(stepsPng, "median error vs program steps");

        doc.section(SECTIONS.get(4));
        JsonNode abl = metrics.path("ablations");
        if (abl.size() > 0) {
            List<List<String>> arows = new ArrayList<>();
            abl.fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                arows.add(List.of(Charts.label(e.getKey()), a.path("init").asText(), a.path("head").asText(),
                        join(a.path("epochs")), join(a.path("best_validation_loss")),
                        sci(a.path("median").asDouble(Double.NaN)), sci(a.path("p90").asDouble(Double.NaN)),
                        pct(a.path("gap_closed").asDouble(Double.NaN))));
            });
            doc.table(List.of("model", "init", "head", "epochs", "best validation loss", "median rel. L2", "p90 rel. L2",
                    "gap closed"), arows);
        }
        if (ablPng != null) {
            doc.para("Random init vs T_FX init (and the direct-coefficient head) on one plot: validation loss solid, "
                    + "training loss dashed.");
            doc.image(ablPng, "learning curves of the ablations");
        } else {
            doc.para("Ablations were not part of this evaluation (one model only).");
        }

        doc.section(SECTIONS.get(5));
        doc.para("1-D slices u = (u₀, 0, …) through the region of a few held-out programs (the longest first), output 0: "
                + "the true program, its Taylor polynomial, the fixed T_FX series and the learned series.");
        int i = 0;
        for (JsonNode ex : eval.path("examples")) {
            doc.para("Example " + (i + 1) + ": `" + ex.path("program").asText() + "` at v0 = " + ex.path("point")
                    + ", r = " + String.format(Locale.ROOT, "%.4g", ex.path("radius").asDouble()));
            doc.image(examplePngs.get(i), "worked example " + (i + 1));
            i++;
        }

        doc.section(SECTIONS.get(6));
        if (trainPng != null) {
            doc.image(trainPng, "training and validation loss per epoch");
        } else {
            doc.para("No training history was found next to the model.");
        }

        doc.section(SECTIONS.get(7));
        JsonNode prov = metrics.path("provenance");
        List<List<String>> facts = new ArrayList<>();
        if (config != null) {
            facts.add(List.of("seed", config.path("seed").asText()));
            facts.add(List.of("preset", config.path("preset").asText()));
        }
        facts.add(List.of("test corpus seed", metrics.path("test_seed").asText()));
        eval.path("models").fields().forEachRemaining(e -> e.getValue().path("seeds").forEach(k -> facts.add(List.of(
                "model " + e.getKey() + " seed " + k.path("seed_index").asText(), "training seed "
                        + k.path("training_seed").asText()))));
        prov.path("versions").forEach(v -> facts.add(List.of("version", v.asText())));
        prov.path("machine").fields().forEachRemaining(e -> facts.add(List.of("machine " + e.getKey(), e.getValue().asText())));
        extra.forEach((k, v) -> facts.add(List.of(k, v)));
        doc.table(List.of("fact", "value"), facts);
        if (config != null) {
            doc.para("Effective configuration (`vtm pipeline --config config.yaml` with this file reproduces the run):");
            doc.code(ExperimentYaml.toYaml(config));
        }
    }

    private static int minSteps(JsonNode metrics) {
        JsonNode b = metrics.path("by_steps");
        return b.size() == 0 ? 0 : b.get(0).path("steps").asInt();
    }

    private static int maxSteps(JsonNode metrics) {
        JsonNode b = metrics.path("by_steps");
        return b.size() == 0 ? 0 : b.get(b.size() - 1).path("steps").asInt();
    }

    /** One sentence for a learned model's comparison. */
    static String comparisonSentence(JsonNode c) {
        double med = c.path("median_log_ratio").asDouble(Double.NaN);
        double lo = c.path("ci95").path(0).asDouble(Double.NaN);
        double hi = c.path("ci95").path(1).asDouble(Double.NaN);
        String verdict = hi < 0 ? "better (the whole 95 % interval is below 0)"
                : lo > 0 ? "worse (the whole 95 % interval is above 0)" : "not distinguishable (the 95 % interval contains 0)";
        return String.format(Locale.ROOT, "%s vs %s: median per-program log(e_A/e_B) %s, 95 %% CI [%s, %s] (factor %s); "
                        + "A better on %s, worse on %s, tied on %d of %d programs — %s.",
                Charts.label(c.path("a").asText()), Charts.label(c.path("b").asText()), num(med), num(lo), num(hi),
                Double.isFinite(med) ? String.format(Locale.ROOT, "%.3g", Math.exp(med)) : "–",
                pct(c.path("better_fraction").asDouble(Double.NaN)), pct(c.path("worse_fraction").asDouble(Double.NaN)),
                c.path("ties").asInt(), c.path("programs").asInt(), verdict);
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "–";
    }

    private static String join(JsonNode a) {
        if (!a.isArray()) {
            return a.asText();
        }
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.isNumber() && !v.isIntegralNumber() ? num(v.asDouble()) : v.asText()));
        return String.join(" / ", out);
    }

    static String sci(double v) {
        return Double.isNaN(v) ? "–" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.3e", v);
    }

    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f %%", 100 * v) : "–";
    }

    /** A document being built, Markdown or HTML. */
    static final class Doc {
        private final boolean html;
        private final Path dir;
        private final StringBuilder b = new StringBuilder();

        Doc(boolean html, Path dir) {
            this.html = html;
            this.dir = dir;
        }

        void title(String t) {
            if (html) {
                b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(t))
                        .append("</title>\n<style>\nbody{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;"
                                + "color:#222;line-height:1.45}\ntable{border-collapse:collapse;margin:1em 0;font-size:90%}\n"
                                + "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}\nth{background:#f3f3f3}\n"
                                + "img{max-width:100%;border:1px solid #eee}\npre{background:#f7f7f7;padding:1em;overflow:auto}\n"
                                + "code{background:#f3f3f3}\n</style></head>\n<body>\n<h1>").append(esc(t)).append("</h1>\n");
            } else {
                b.append("# ").append(t).append("\n\n");
            }
        }

        void section(String s) {
            if (html) {
                b.append("<h2 id=\"").append(s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")).append("\">")
                        .append(esc(s)).append("</h2>\n");
            } else {
                b.append("## ").append(s).append("\n\n");
            }
        }

        void para(String s) {
            if (html) {
                b.append("<p>").append(inlineCode(esc(s))).append("</p>\n");
            } else {
                b.append(s).append("\n\n");
            }
        }

        void code(String s) {
            if (html) {
                b.append("<pre>").append(esc(s)).append("</pre>\n");
            } else {
                b.append("```yaml\n").append(s).append(s.endsWith("\n") ? "" : "\n").append("```\n\n");
            }
        }

        void table(List<String> head, List<List<String>> rows) {
            if (html) {
                b.append("<table><thead><tr>");
                head.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
                b.append("</tr></thead><tbody>\n");
                for (List<String> r : rows) {
                    b.append("<tr>");
                    r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
                    b.append("</tr>\n");
                }
                b.append("</tbody></table>\n");
            } else {
                b.append("| ").append(String.join(" | ", head)).append(" |\n|");
                head.forEach(h -> b.append("---|"));
                b.append("\n");
                for (List<String> r : rows) {
                    b.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
                }
                b.append("\n");
            }
        }

        void image(Path png, String alt) throws IOException {
            int height = png.getFileName().toString().startsWith("example-") ? Charts.EXAMPLE_HEIGHT : Charts.HEIGHT;
            if (html) {
                b.append("<p><img alt=\"").append(esc(alt)).append("\" width=\"").append(Charts.WIDTH).append("\" height=\"")
                        .append(height).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"></p>\n");
            } else {
                b.append("![").append(alt).append("](").append(dir.relativize(png)).append(")\n\n");
            }
        }

        String text() {
            return html ? b + "</body></html>\n" : b.toString();
        }

        private static String esc(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }

        private static String inlineCode(String s) {
            return s.replaceAll("`([^`]*)`", "<code>$1</code>");
        }
    }
}
