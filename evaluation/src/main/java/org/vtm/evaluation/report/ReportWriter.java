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
            "Error vs number of program steps",
            "Ablations",
            "Worked examples",
            "Training curves",
            "Reproducibility");
    public static final String HTML = "report.html";
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
            Charts.learningCurves(histories, "Ablations: learning curves (T_FX init vs random init vs direct head)", ablPng);
            images.add(ablPng);
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
                    examplePngs);
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
            List<Path> examplePngs) throws IOException {
        String family = group.path("family").asText();
        int order = group.path("order").asInt();
        doc.title("VTM evaluation: learned interpreter vs fixed T_FX (" + family + ", d=" + group.path("dim").asInt() + ", n="
                + order + ")");

        doc.section(SECTIONS.get(0));
        JsonNode gm = group.path("methods");
        double fixed = gm.path("fixed").path("median").asDouble(Double.NaN);
        double learned = gm.path("learned").path("median").asDouble(Double.NaN);
        double oracle = gm.path("oracle").path("median").asDouble(Double.NaN);
        doc.para(String.format(Locale.ROOT, "%d held-out programs (test seed %d, %d..%d steps), function family %s, order %d. "
                        + "Error = relative L2 error of the whole program's series against exact execution at the %d "
                        + "sample points of its region, pooled over outputs.",
                group.path("programs").asInt(), metrics.path("test_seed").asLong(), minSteps(metrics), maxSteps(metrics),
                family, order, eval.path("samples").asInt()));
        if (gm.has("learned")) {
            double gap = group.path("gap_closed").path("learned").asDouble(Double.NaN);
            String verdict = !(learned <= fixed) ? "The learned interpreter is WORSE than the fixed T_FX on the median program."
                    : learned < fixed ? "The learned interpreter improves on the fixed T_FX on the median program."
                    : "The learned interpreter equals the fixed T_FX on the median program (it did not move away from its initialisation).";
            doc.para(String.format(Locale.ROOT, "Median error: fixed T_FX %s, learned %s, oracle %s; the learned interpreter "
                    + "closes %s of the fixed→oracle gap and beats the fixed transform on %s of programs. %s",
                    sci(fixed), sci(learned), sci(oracle), pct(gap),
                    pct(group.path("fraction_better_than_fixed").path("learned").asDouble(Double.NaN)), verdict));
        } else {
            doc.para("No learned model with T_FX initialisation was evaluated.");
        }
        if (!metrics.path("baseline").path("available").asBoolean()) {
            doc.para(Metrics.BASELINE_MISSING + ".");
        }

        doc.section(SECTIONS.get(1));
        List<String> head = new ArrayList<>(List.of("family", "order", "method", "median rel. L2", "p90 rel. L2",
                "gap closed", "better than fixed"));
        List<List<String>> rows = new ArrayList<>();
        for (String m : methods) {
            JsonNode s = gm.path(m);
            rows.add(List.of(family, String.valueOf(order), Charts.label(m), sci(s.path("median").asDouble(Double.NaN)),
                    sci(s.path("p90").asDouble(Double.NaN)),
                    group.path("gap_closed").has(m) ? pct(group.path("gap_closed").path(m).asDouble(Double.NaN)) : "",
                    group.path("fraction_better_than_fixed").has(m)
                            ? pct(group.path("fraction_better_than_fixed").path(m).asDouble(Double.NaN)) : ""));
        }
        if (!methods.contains("baseline")) {
            rows.add(List.of(family, String.valueOf(order), "MLlib linear baseline", "not available in this build", "", "", ""));
        }
        doc.table(head, rows);
        doc.para("Gap closed = (median fixed − median learned) / (median fixed − median oracle): 100 % means as good as the "
                + "least-squares oracle, 0 % no better than the fixed transform, negative worse.");
        doc.image(errorsPng, "median and 90th percentile error by method");

        doc.section(SECTIONS.get(2));
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

        doc.section(SECTIONS.get(3));
        JsonNode abl = metrics.path("ablations");
        if (abl.size() > 0) {
            List<List<String>> arows = new ArrayList<>();
            abl.fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                arows.add(List.of(Charts.label(e.getKey()), a.path("init").asText(), a.path("head").asText(),
                        a.path("epochs").asText(), sci(a.path("best_validation_loss").asDouble(Double.NaN)),
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

        doc.section(SECTIONS.get(4));
        doc.para("1-D slices u = (u₀, 0, …) through the region of a few held-out programs (the longest first), output 0: "
                + "the true program, its Taylor polynomial, the fixed T_FX series and the learned series.");
        int i = 0;
        for (JsonNode ex : eval.path("examples")) {
            doc.para("Example " + (i + 1) + ": `" + ex.path("program").asText() + "` at v0 = " + ex.path("point")
                    + ", r = " + String.format(Locale.ROOT, "%.4g", ex.path("radius").asDouble()));
            doc.image(examplePngs.get(i), "worked example " + (i + 1));
            i++;
        }

        doc.section(SECTIONS.get(5));
        if (trainPng != null) {
            doc.image(trainPng, "training and validation loss per epoch");
        } else {
            doc.para("No training history was found next to the model.");
        }

        doc.section(SECTIONS.get(6));
        JsonNode prov = metrics.path("provenance");
        List<List<String>> facts = new ArrayList<>();
        if (config != null) {
            facts.add(List.of("seed", config.path("seed").asText()));
            facts.add(List.of("preset", config.path("preset").asText()));
        }
        facts.add(List.of("test corpus seed", metrics.path("test_seed").asText()));
        eval.path("models").fields().forEachRemaining(e -> facts.add(List.of("model " + e.getKey() + " seed",
                e.getValue().path("seed").asText())));
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
