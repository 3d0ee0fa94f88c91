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
    /** The smoke preset trains two seeds: seed 1's stages carry the suffix -s1. */
    static final List<String> STAGES = List.of("generate-train", "generate-train-s1", "generate-test", "precompute",
            "baseline", "baseline-s1", "train", "train-random-init", "train-direct-head", "train-s1", "train-random-init-s1",
            "train-direct-head-s1", "evaluate", "report");
    static final List<String> IMAGES = List.of("errors-by-method.png", "error-vs-steps.png", "ablation-learning-curves.png",
            "training-curves.png", "learned-vs-best.png", "error-vs-cost.png", "example-1.png", "example-2.png");
    static final List<String> METHODS = List.of("taylor", "fixed", "pade", "economised_n1", "economised_n2", "input_independent",
            "baseline", "learned", "random_init", "direct_head", "oracle");

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
        assertEquals("vtm.metrics/3", m.path("format").asText());
        assertEquals(METHODS, new ObjectMapper().convertValue(m.path("methods"), List.class), "every method, in report order");
        assertEquals(2, m.path("seeds").asInt());
        JsonNode g = m.path("groups").get(0);
        assertEquals("chebyshev", g.path("family").asText());
        assertEquals(3, g.path("order").asInt());
        JsonNode eval = new ObjectMapper().readTree(r.dir().resolve("evaluation/evaluation.json").toFile());
        int samples = eval.path("samples").asInt();
        assertTrue(m.path("evaluation_points").path("count").asInt() >= 4 * samples, "independent points ≥ 4× the "
                + samples + " sample points: " + m.path("evaluation_points"));
        assertTrue(m.path("evaluation_points").path("kind").asText().startsWith("gauss-legendre"));
        for (String method : METHODS) {
            JsonNode s = g.path("methods").path(method);
            assertTrue(s.path("median").isNumber() && s.path("p90").isNumber() && s.path("linf_median").isNumber(), method + " " + s);
            assertTrue(s.path("median").asDouble() <= s.path("p90").asDouble(), method);
            assertTrue(s.has("gap_closed") && s.has("better_fraction"), method + " " + s);
        }
        for (String seeded : List.of("learned", "random_init", "direct_head", "input_independent", "baseline")) {
            assertEquals(2, g.path("methods").path(seeded).path("seeds").size(), seeded + " has one median per seed");
        }
        assertEquals(2, m.path("input_independent_fit").size());
        for (JsonNode f : m.path("input_independent_fit")) {
            assertTrue(f.path("converged").asBoolean() && f.path("final_loss").asDouble() <= f.path("start_loss").asDouble(),
                    f.toString());
        }
        JsonNode cs = m.path("comparisons");
        assertTrue(cs.size() >= 6, cs.toString());
        boolean learnedVsBest = false;
        for (JsonNode c : cs) {
            double lo = c.path("ci95").get(0).asDouble();
            double hi = c.path("ci95").get(1).asDouble();
            double med = c.path("median_log_ratio").asDouble();
            assertTrue(lo <= med && med <= hi, "CI brackets the median: " + c);
            assertTrue(c.path("ties").isInt() && c.path("better_fraction").isNumber(), c.toString());
            learnedVsBest |= c.path("a").asText().equals("learned")
                    && c.path("b").asText().equals(m.path("best_equal_information").path("learned").asText());
        }
        assertTrue(learnedVsBest, "learned is compared with the best equal-information method: " + cs);
        boolean learnedVsPade = false;
        for (JsonNode c : cs) {
            learnedVsPade |= c.path("a").asText().equals("learned") && c.path("b").asText().equals("pade");
        }
        assertTrue(learnedVsPade, "learned is compared with the Padé-type extrapolation: " + cs);
        assertTrue(m.path("provenance").path("costs").path("us_per_program").path("pade").isNumber(), "pade is timed");
        assertTrue(m.path("provenance").path("costs").path("us_per_program").path("economised_n1").isNumber(),
                "costs under provenance");
        assertTrue(m.path("baseline").path("available").asBoolean());
        // the smoke preset's learned model reads orders ≤ n only (normalised+growth+structure, no a+), so the
        // baseline is not fed a+ either: the same information (issue 15)
        assertFalse(m.path("baseline").path("next_order").asBoolean(), m.path("baseline").toString());
        assertFalse(m.path("baseline").path("inputs").asText().contains("a+"), m.path("baseline").toString());
        assertEquals(2, eval.path("baseline_fits").size(), eval.path("baseline_fits").toString());
        for (JsonNode f : eval.path("baseline_fits")) {
            assertFalse(f.path("next_order").asBoolean(), f.toString());
        }
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
        assertTrue(again.output().contains("(0 stage(s) run, " + STAGES.size() + " skipped)"), again.output());
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
        assertEquals(pm.path("groups").get(0).path("methods").path("learned").path("seeds").get(0),
                m.path("groups").get(0).path("methods").path("learned").path("seeds").get(0));
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
            case "generate-train-s1" -> "corpus-train-s1";
            case "train-s1" -> "model-tfx-s1";
            case "train-random-init-s1" -> "model-random-s1";
            case "train-direct-head-s1" -> "model-direct-s1";
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
