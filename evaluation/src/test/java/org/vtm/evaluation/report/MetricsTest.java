package org.vtm.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        // 1..10: type-7 median = 5.5, p90 = 1 + 0.9·9 = 9.1 (as R's quantile(type = 7) and numpy's default)
        double[] v = {7, 3, 10, 1, 5, 9, 2, 8, 6, 4};
        assertEquals(5.5, Metrics.quantile(v, 0.5), 0);
        assertEquals(9.1, Metrics.quantile(v, 0.9), 1e-12);
        assertEquals(3.0, Metrics.quantile(new double[] {3}, 0.9), 0);
        // NaN (method not evaluated on a program) is ignored, +∞ (zero truth) sorts last
        assertEquals(2.0, Metrics.quantile(new double[] {Double.NaN, 1, 2, 3}, 0.5), 0);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.quantile(new double[] {1, Double.POSITIVE_INFINITY}, 1.0));
        assertTrue(Double.isNaN(Metrics.quantile(new double[] {Double.NaN}, 0.5)));
    }

    @Test
    void gapClosedIsZeroAtFixedAndOneAtTheOracle() {
        assertEquals(0.0, Metrics.gapClosed(1e-3, 1e-3, 1e-4), 0);
        assertEquals(1.0, Metrics.gapClosed(1e-3, 1e-4, 1e-4), 1e-12);
        assertEquals(0.5, Metrics.gapClosed(1.0, 0.6, 0.2), 1e-12);
        assertEquals(-1.0, Metrics.gapClosed(1.0, 1.8, 0.2), 1e-12);
        assertTrue(Double.isNaN(Metrics.gapClosed(1.0, 0.5, 1.0)), "no gap to close");
    }

    /** A vtm.metrics/1 file (errors at the sample points) is refused in one line naming the file and the format. */
    @Test
    void aMetricsOneFileIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("metrics.json");
        Files.writeString(old, "{\"format\": \"vtm.metrics/1\", \"groups\": []}", StandardCharsets.UTF_8);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Metrics.read(old));
        assertTrue(e.getMessage().contains(old.toString()) && e.getMessage().contains("vtm.metrics/1")
                && e.getMessage().contains("vtm.metrics/3"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        Path now = dir.resolve("now.json");
        Files.writeString(now, "{\"format\": \"vtm.metrics/2\"}", StandardCharsets.UTF_8);
        assertEquals("vtm.metrics/2", Metrics.read(now).path("format").asText(), "the previous format is still read");
        Path three = dir.resolve("three.json");
        Files.writeString(three, "{\"format\": \"vtm.metrics/3\", \"methods\": [\"fixed\", \"pade\"]}", StandardCharsets.UTF_8);
        assertEquals("pade", Metrics.read(three).path("methods").get(1).asText());
        Path future = dir.resolve("future.json");
        Files.writeString(future, "{\"format\": \"vtm.metrics/4\"}", StandardCharsets.UTF_8);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Metrics.read(future))
                .getMessage().contains("vtm.metrics/4"));
    }

    /**
     * The learned model is always compared with input_independent (the constant map fitted on the same training
     * programs), also when another method is the best with equal information: here pade is best, and the
     * learned-vs-input_independent log ratio is log(1/2) for every program.
     */
    @Test
    void learnedIsComparedWithInputIndependentEvenWhenItIsNotTheBest() {
        com.fasterxml.jackson.databind.node.ObjectNode eval = Evaluator.JSON.createObjectNode();
        eval.put("family", "chebyshev").put("dim", 2).put("order", 4).put("test_seed", 1007).put("test_programs", 30);
        com.fasterxml.jackson.databind.node.ArrayNode ms = eval.putArray("methods");
        for (String m : new String[] {"fixed", "pade", "input_independent", "learned", "oracle"}) {
            ms.add(m);
        }
        com.fasterxml.jackson.databind.node.ArrayNode programs = eval.putArray("programs");
        for (int p = 0; p < 30; p++) {
            double fixed = 1e-3 * (1 + p);
            com.fasterxml.jackson.databind.node.ObjectNode e = programs.addObject().put("index", p).put("steps", 1)
                    .putObject("errors");
            e.put("fixed", fixed).put("pade", fixed / 10).put("oracle", fixed / 20);
            e.putArray("input_independent").add(fixed / 2).add(fixed / 2);
            e.putArray("learned").add(fixed / 4).add(fixed / 4);
        }
        com.fasterxml.jackson.databind.JsonNode m = Metrics.of(eval, Evaluator.JSON.createObjectNode());
        assertEquals("pade", m.path("best_equal_information").path("learned").asText());
        double found = Double.NaN;
        boolean withPade = false;
        for (com.fasterxml.jackson.databind.JsonNode c : m.path("comparisons")) {
            if (c.path("a").asText().equals("learned") && c.path("b").asText().equals("input_independent")) {
                found = c.path("median_log_ratio").asDouble();
            }
            withPade |= c.path("a").asText().equals("learned") && c.path("b").asText().equals("pade");
        }
        assertEquals(Math.log(0.5), found, 1e-12);
        assertTrue(withPade, "learned vs pade is still there");
    }
}
