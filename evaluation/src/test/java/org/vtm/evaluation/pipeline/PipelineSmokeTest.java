package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.evaluation.report.ReportWriter;

/** The smoke pipeline end to end: report structure, sanity of the numbers, and stage reuse on a re-run. */
// the first test to ask for the smoke run waits for a whole pipeline (Spark, ND4J training): 1-3 min here
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PipelineSmokeTest {
    static final List<String> STAGES = List.of("generate-train", "generate-test", "precompute", "baseline", "train",
            "train-random-init", "train-direct-head", "evaluate", "report");
    static final List<String> IMAGES = List.of("errors-by-method.png", "error-vs-steps.png", "ablation-learning-curves.png",
            "training-curves.png", "example-1.png", "example-2.png");

    @Test
    void smokePipelineWritesACompleteReport() throws Exception {
        SmokeRun.Result r = SmokeRun.get();
        assertEquals(0, r.exitCode(), r.errors());
        for (String s : STAGES) {
            assertTrue(r.output().contains("] " + s + ": done in "), "stage " + s + " ran:\n" + r.output());
            assertTrue(Files.isRegularFile(stageDir(r.dir(), s).resolve("stage.json")), s);
        }
        Path rep = r.dir().resolve("report");
        String html = Files.readString(rep.resolve(ReportWriter.HTML));
        String md = Files.readString(rep.resolve(ReportWriter.MARKDOWN));
        for (String section : ReportWriter.SECTIONS) {
            assertTrue(html.contains(">" + section + "</h2>"), "html section " + section);
            assertTrue(md.contains("\n## " + section + "\n"), "md section " + section);
        }
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "no external assets");
        assertEquals(IMAGES.size(), html.split("src=\"data:image/png;base64,", -1).length - 1, "embedded images");
        for (String png : IMAGES) {
            assertTrue(md.contains("](" + png + ")"), "md links " + png);
            assertNonBlank(rep.resolve(png));
        }
        assertTrue(html.contains("MLlib linear baseline</td>"), "the MLlib baseline is in the table");
        assertTrue(Files.isRegularFile(r.dir().resolve("config.yaml")));
        assertTrue(Files.isRegularFile(rep.resolve("config.yaml")));
        assertTrue(md.contains("ND4J") && md.contains("Java") && md.contains("Spark") && md.contains("Arrow"), "versions");
    }

    @Test
    void metricsHaveEveryFieldAndTheLearnedModelIsNoWorseThanFixed() throws Exception {
        SmokeRun.Result r = SmokeRun.get();
        assertEquals(0, r.exitCode(), r.errors());
        JsonNode m = new ObjectMapper().readTree(r.dir().resolve("report").resolve("metrics.json").toFile());
        assertEquals("vtm.metrics/1", m.path("format").asText());
        JsonNode g = m.path("groups").get(0);
        assertEquals("chebyshev", g.path("family").asText());
        assertEquals(3, g.path("order").asInt());
        for (String method : List.of("taylor", "fixed", "baseline", "learned", "random_init", "direct_head", "oracle")) {
            JsonNode s = g.path("methods").path(method);
            assertTrue(s.path("median").isNumber() && s.path("p90").isNumber(), method + " " + s);
            assertTrue(s.path("median").asDouble() <= s.path("p90").asDouble(), method);
        }
        assertTrue(g.path("gap_closed").has("learned"));
        assertTrue(m.path("baseline").path("available").asBoolean());
        assertTrue(g.path("gap_closed").has("baseline"));
        // length generalisation: the test corpus has 1..3 steps, training 1..2
        JsonNode steps = m.path("by_steps");
        assertEquals(3, steps.size());
        assertTrue(steps.get(2).path("seen_in_training").isBoolean() && !steps.get(2).path("seen_in_training").asBoolean());
        assertTrue(m.path("ablations").has("random_init") && m.path("ablations").has("direct_head"));

        double fixed = g.path("methods").path("fixed").path("median").asDouble();
        double learned = g.path("methods").path("learned").path("median").asDouble();
        double oracle = g.path("methods").path("oracle").path("median").asDouble();
        assertTrue(oracle <= fixed, "the least-squares oracle is the best fit in F: " + oracle + " vs " + fixed);
        // The trainer keeps the initial model (= fixed T_FX, to ~1e-6 relative) unless an epoch beats it on
        // validation; 2 % covers that rounding plus validation/test disagreement on a 60-program test set.
        assertTrue(learned <= fixed * 1.02, "learned median " + learned + " vs fixed " + fixed);
    }

    @Test
    void aSecondInvocationSkipsEveryStage() throws Exception {
        SmokeRun.get();
        SmokeRun.Result again = SmokeRun.run("pipeline", "--out", SmokeRun.DIR.toString(), "--config",
                SmokeRun.DIR.resolve("config.yaml").toString());
        assertEquals(0, again.exitCode(), again.errors());
        for (String s : STAGES) {
            assertTrue(again.output().contains("] " + s + ": skipped"), "stage " + s + " skipped:\n" + again.output());
        }
        assertFalse(again.output().contains(": running"), again.output());
        assertTrue(again.output().contains("(0 stage(s) run, 9 skipped)"), again.output());
    }

    @Test
    void evaluateWritesTheReportForOneModel() throws Exception {
        SmokeRun.Result r = SmokeRun.get();
        assertEquals(0, r.exitCode(), r.errors());
        Path out = r.dir().resolveSibling("smoke-evaluate");
        SmokeRun.Result e = SmokeRun.run("evaluate", "--model", r.dir().resolve("model-tfx").toString(), "--corpus",
                r.dir().resolve("corpus-test").toString(), "--out", out.toString(), "--examples", "1");
        assertEquals(0, e.exitCode(), e.errors());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode pm = new ObjectMapper().readTree(r.dir().resolve("report/metrics.json").toFile());
        // the same model on the same corpus: the same learned numbers as in the pipeline's report
        assertEquals(pm.path("groups").get(0).path("methods").path("learned"), m.path("groups").get(0).path("methods").path("learned"));
        assertEquals(2, m.path("train_max_steps").asInt(), "read from the model's training corpus");
        String md = Files.readString(out.resolve(ReportWriter.MARKDOWN));
        for (String section : ReportWriter.SECTIONS) {
            assertTrue(md.contains("\n## " + section + "\n"), "md section " + section);
        }
        assertTrue(md.contains("Ablations were not part of this evaluation"));
        assertNonBlank(out.resolve("example-1.png"));
        SmokeRun.Result bad = SmokeRun.run("evaluate", "--model", out.resolve("nope").toString(), "--corpus",
                r.dir().resolve("corpus-test").toString(), "--out", out.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.errors().strip().lines().count(), bad.errors());
    }

    @Test
    void usageMistakesExitWithTwoAndOneLine() throws Exception {
        Path bad = Files.createTempFile("vtm-experiment", ".yaml");
        try {
            Files.writeString(bad, "training:\n  epoch: 3\n");
            SmokeRun.Result r = SmokeRun.run("pipeline", "--out", bad.resolveSibling("vtm-bad-run").toString(), "--config",
                    bad.toString());
            assertEquals(2, r.exitCode());
            assertTrue(r.errors().contains("unknown setting 'training.epoch'"), r.errors());
            assertEquals(1, r.errors().strip().lines().count(), r.errors());
            SmokeRun.Result p = SmokeRun.run("pipeline", "--out", "x", "--preset", "huge");
            assertEquals(2, p.exitCode());
            assertTrue(p.errors().contains("unknown preset 'huge'"), p.errors());
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    static Path stageDir(Path run, String stage) {
        return run.resolve(switch (stage) {
            case "generate-train" -> "corpus-train";
            case "generate-test" -> "corpus-test";
            case "precompute" -> "tbank";
            case "train" -> "model-tfx";
            case "train-random-init" -> "model-random";
            case "train-direct-head" -> "model-direct";
            case "evaluate" -> "evaluation";
            default -> stage;
        });
    }

    /** A PNG that decodes, has the chart size, and is not one flat colour (≥ 1 % non-background pixels, ≥ 4 colours). */
    static void assertNonBlank(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, png + " decodes");
        assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, png + " size");
        int bg = img.getRGB(0, 0);
        long differ = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                colours.add(c);
                if (c != bg) {
                    differ++;
                }
            }
        }
        assertTrue(differ > img.getWidth() * img.getHeight() / 100, png + " has content");
        assertTrue(colours.size() >= 4, png + " has " + colours.size() + " colours");
    }
}
