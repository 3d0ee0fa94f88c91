package org.vtm.evaluation.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.Provenance;
import org.vtm.evaluation.report.Metrics;

/**
 * The report of an experiment grid: {@value #GRID} (the grid as given, to re-run it),
 * {@value #JSON} ({@value #FORMAT}: the grid and every cell's {@code metrics.json}),
 * {@value #MARKDOWN} and {@value #HTML} with one table per cell — each
 * method's numbers as the cell's {@code metrics.json} has them, and its comparisons when it has
 * any — and a link to the cell's own full report. The tables are built from whatever fields the
 * metrics carry, so a newer metrics format shows up without changes here.
 */
public final class GridReport {
    public static final String FORMAT = "vtm.grid-report/1";
    public static final String JSON = "grid.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String GRID = "grid.yaml";

    private GridReport() {
    }

    /** A cell and the directory of its report. */
    public record CellReport(Grid.Point point, Path reportDir) {
    }

    /** Writes the three files into {@code dir}; returns the HTML report. */
    public static Path write(Grid grid, List<CellReport> cells, String master, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = ExperimentConfig.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("grid", grid.source());
        ArrayNode axes = root.putArray("axes");
        grid.axes().forEach(axes::add);
        ArrayNode list = root.putArray("cells");
        StringBuilder md = new StringBuilder("# VTM experiment grid\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>VTM experiment grid"
                + "</title><style>body{font-family:sans-serif;max-width:70em;margin:auto}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child{text-align:left}</style></head>"
                + "<body>\n<h1>VTM experiment grid</h1>\n");
        String intro = cells.size() + " cell(s); axes: " + (grid.axes().isEmpty() ? "none" : String.join(", ", grid.axes()))
                + "; Spark master " + master + ". Every cell has its own full report (linked); the grid is in " + GRID + ".";
        md.append(intro).append("\n");
        html.append("<p>").append(escape(intro)).append("</p>\n");
        for (CellReport c : cells) {
            JsonNode metrics = ExperimentConfig.JSON.readTree(c.reportDir().resolve(Metrics.FILE_NAME).toFile());
            ObjectNode entry = list.addObject();
            entry.put("name", c.point().name());
            entry.put("label", c.point().label());
            ObjectNode values = entry.putObject("values");
            c.point().values().forEach(values::set);
            entry.set("metrics", metrics);
            String link = dir.relativize(c.reportDir().resolve(HTML)).toString().replace('\\', '/');
            String title = "Cell " + c.point().name() + ": " + c.point().label();
            md.append("\n## ").append(title).append("\n\n[full report](").append(link).append(")\n");
            html.append("<h2>").append(escape(title)).append("</h2>\n<p><a href=\"").append(escape(link))
                    .append("\">full report</a></p>\n");
            for (JsonNode g : metrics.path("groups")) {
                String caption = g.path("family").asText() + ", d = " + g.path("dim").asText() + ", n = " + g.path("order").asText()
                        + ", " + g.path("programs").asText() + " test programs";
                md.append("\n").append(caption).append("\n\n");
                html.append("<p>").append(escape(caption)).append("</p>\n");
                table(g, md, html);
            }
            comparisons(metrics.path("comparisons"), md, html);
        }
        html.append("<p>Source: ").append(escape(Provenance.source().toString())).append("</p>\n</body></html>\n");
        ObjectNode prov = root.putObject("provenance");
        Provenance.source().forEach(prov::put);
        prov.put("spark_master", master);
        AtomicFiles.write(dir.resolve(GRID), ExperimentConfig.YAML.writeValueAsBytes(grid.source()));
        AtomicFiles.write(dir.resolve(JSON), (ExperimentConfig.JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(MARKDOWN), md.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(HTML), html.toString().getBytes(StandardCharsets.UTF_8));
        return dir.resolve(HTML);
    }

    /** Methods × their numeric fields, plus the group's per-method maps (gap closed, fraction better, …). */
    private static void table(JsonNode group, StringBuilder md, StringBuilder html) {
        JsonNode methods = group.path("methods");
        Set<String> columns = new LinkedHashSet<>();
        methods.fields().forEachRemaining(m -> m.getValue().fields().forEachRemaining(f -> {
            if (f.getValue().isNumber() || f.getValue().isNull()) {
                columns.add(f.getKey());
            }
        }));
        List<String> perMethodMaps = new ArrayList<>();
        group.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("methods") && f.getValue().isObject()) {
                boolean keyedByMethod = true;
                for (var it = f.getValue().fieldNames(); it.hasNext();) {
                    keyedByMethod &= methods.has(it.next());
                }
                if (keyedByMethod && f.getValue().size() > 0) {
                    perMethodMaps.add(f.getKey());
                }
            }
        });
        List<String> header = new ArrayList<>(List.of("method"));
        header.addAll(columns);
        header.addAll(perMethodMaps);
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        md.append(" --- |".repeat(header.size())).append("\n");
        html.append("<table><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        methods.fields().forEachRemaining(m -> {
            List<String> row = new ArrayList<>(List.of(m.getKey()));
            columns.forEach(col -> row.add(format(m.getValue().path(col))));
            perMethodMaps.forEach(map -> row.add(format(group.path(map).path(m.getKey()))));
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
            html.append("<tr>");
            row.forEach(x -> html.append("<td>").append(escape(x)).append("</td>"));
            html.append("</tr>\n");
        });
        html.append("</table>\n");
    }

    /** The comparisons list of a metrics file that has one (every scalar field as a column). */
    private static void comparisons(JsonNode list, StringBuilder md, StringBuilder html) {
        if (!list.isArray() || list.isEmpty()) {
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        list.forEach(c -> c.fieldNames().forEachRemaining(columns::add));
        md.append("\nComparisons\n\n| ").append(String.join(" | ", columns)).append(" |\n|")
                .append(" --- |".repeat(columns.size())).append("\n");
        html.append("<p>Comparisons</p>\n<table><tr>");
        columns.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (JsonNode c : list) {
            List<String> row = new ArrayList<>();
            columns.forEach(col -> row.add(format(c.path(col))));
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
            html.append("<tr>");
            row.forEach(x -> html.append("<td>").append(escape(x)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String format(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "–";
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return String.format(Locale.ROOT, "%.4g", v.asDouble());
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(format(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
