package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of the same configuration — the second started from the first run's recorded
 * {@code config.yaml}, in another directory, so every stage runs again — give identical metrics
 * (everything but {@code provenance}), bit for bit.
 */
// runs the smoke pipeline twice (Spark, ND4J training)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ReproducibilityTest {

    @Test
    void theRecordedConfigurationReproducesTheMetrics(@TempDir Path tmp) throws Exception {
        SmokeRun.Result first = SmokeRun.get();
        assertEquals(0, first.exitCode(), first.errors());
        Path second = tmp.resolve("again");
        SmokeRun.Result r = SmokeRun.run("pipeline", "--out", second.toString(), "--config",
                first.dir().resolve("config.yaml").toString());
        assertEquals(0, r.exitCode(), r.errors());
        assertTrue(r.output().contains("(" + PipelineSmokeTest.STAGES.size() + " stage(s) run, 0 skipped)"), r.output());
        ObjectMapper json = new ObjectMapper();
        ObjectNode a = (ObjectNode) json.readTree(first.dir().resolve("report/metrics.json").toFile());
        ObjectNode b = (ObjectNode) json.readTree(second.resolve("report/metrics.json").toFile());
        a.remove("provenance");
        b.remove("provenance");
        assertEquals(a, b, "metrics differ between two runs of the same configuration");
        // the corpora are byte-identical too (same manifests, hence same shard checksums)
        assertEquals(Files.readString(first.dir().resolve("corpus-train/manifest.json")).replaceAll("\"provenance\"[^}]*}", ""),
                Files.readString(second.resolve("corpus-train/manifest.json")).replaceAll("\"provenance\"[^}]*}", ""));
        JsonNode g = a.path("groups").get(0).path("methods");
        assertTrue(g.path("learned").path("median").isNumber());
    }
}
