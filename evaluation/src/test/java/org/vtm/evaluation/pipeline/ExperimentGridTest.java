package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-cell grid on embedded Spark ({@code vtm experiment}): each cell's metrics equal those of the
 * same cell run alone through {@code vtm pipeline} (everything but {@code provenance}, bit for bit),
 * the grid report has a table per cell, and a re-run skips every stage.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ExperimentGridTest {
    /**
     * A tiny grid: two function families, two training seeds, the T_FX model and the direct-head
     * ablation in each (four training tasks per cell: one per seed and variant). The MLlib baseline is off to keep the test short: it is the same
     * driver-side stage as in {@code vtm pipeline}, whose tests fit it.
     */
    static final String GRID = """
            format: vtm.grid/1
            base:
              preset: smoke
              train_corpus: {programs: 48, threads: 1}
              test_corpus: {programs: 16, threads: 1}
              training: {epochs: 1, hidden: 4, batch_size: 8, seeds: 2}
              ablations: {random_init: false, direct_head: true}
              baseline: {enabled: false}      # its cross-validated MLlib fit is 20-60 s per cell; the stage is vtm pipeline's
              report: {examples: 1, slice_points: 5}
            axes:
              problem.family: [chebyshev, legendre]
            """;

    @Test
    void aTwoCellGridEqualsItsCellsRunOneByOne(@TempDir Path tmp) throws Exception {
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, GRID);
        Path out = tmp.resolve("exp");
        SmokeRun.Result r = SmokeRun.run("experiment", "--grid", grid.toString(), "--out", out.toString(), "--master", "local[2]");
        System.out.println(r.output()); // stage timings, in the surefire output file
        assertEquals(0, r.exitCode(), r.output() + r.errors());
        assertTrue(r.output().contains("8 training task(s) on Spark (local[2])"), r.output());
        for (String cell : List.of("chebyshev", "legendre")) {
            for (String stage : List.of("train", "train-direct-head", "train-s1", "train-direct-head-s1")) {
                assertTrue(r.output().contains("cell " + cell + ", " + stage + " (task in process "), cell + " " + stage
                        + " is a task of its own:\n" + r.output());
            }
        }
        assertTrue(r.output().contains("2 evaluation task(s) on Spark"), r.output());
        ObjectMapper json = new ObjectMapper();
        JsonNode report = json.readTree(out.resolve("report/grid.json").toFile());
        assertEquals(GridReport.FORMAT, report.path("format").asText());
        assertEquals(2, report.path("cells").size());
        String md = Files.readString(out.resolve("report/report.md"));
        for (String cell : List.of("chebyshev", "legendre")) {
            assertTrue(md.contains("## Cell " + cell + ": problem.family="), md);
            Path alone = tmp.resolve("alone-" + cell);
            SmokeRun.Result p = SmokeRun.run("pipeline", "--out", alone.toString(), "--config",
                    out.resolve("cells").resolve(cell).resolve("config.yaml").toString());
            System.out.println(p.output());
            assertEquals(0, p.exitCode(), p.output() + p.errors());
            ObjectNode a = (ObjectNode) json.readTree(out.resolve("cells").resolve(cell).resolve("report/metrics.json").toFile());
            ObjectNode b = (ObjectNode) json.readTree(alone.resolve("report/metrics.json").toFile());
            a.remove("provenance");
            b.remove("provenance");
            assertEquals(b, a, "cell " + cell + " differs from the same configuration run alone");
            assertTrue(a.path("groups").get(0).path("methods").path("direct_head").path("median").isNumber(), a.toString());
            assertEquals(2, a.path("seeds").asInt(), a.toString());
            assertEquals(2, a.path("groups").get(0).path("methods").path("learned").path("seeds").size(), "a median per seed");
            JsonNode fromReport = report.path("cells").get(cell.equals("chebyshev") ? 0 : 1).path("metrics").deepCopy();
            ((ObjectNode) fromReport).remove("provenance");
            assertEquals(a, fromReport, "grid.json carries the cell's metrics");
        }
        assertTrue(md.contains("| learned |"), md);
        assertEquals(Grid.load(grid, "local[2]").cells().get(1).config().tree(),
                Grid.load(out.resolve("report/grid.yaml"), "local[2]").cells().get(1).config().tree(), "the recorded grid re-runs it");

        SmokeRun.Result again = SmokeRun.run("experiment", "--grid", grid.toString(), "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, again.exitCode(), again.output() + again.errors());
        assertTrue(again.output().contains("(2 cell(s), 0 stage(s) run, 24 skipped)"), again.output());
        assertTrue(again.output().contains("train: skipped (inputs unchanged"), again.output());
    }
}
