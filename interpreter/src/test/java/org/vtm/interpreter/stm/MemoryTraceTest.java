package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory trace's statistics on constructed steps, and its files. */
class MemoryTraceTest {
    /** One layer, a 3×3 memory, a 2×2 word (4 cells), the full Θ form. */
    static StmConfig config() {
        return new StmConfig(3, 1, 2, 3, 3, 2, 2, StmConfig.ThetaForm.FULL, StmConfig.ThetaActivation.TANH,
                StmConfig.WriteMode.BILINEAR, 0.5, 0, 1, StmConfig.MemoryInit.ZEROS, 0, 1L);
    }

    @Test
    void statisticsOfConstructedSteps(@TempDir Path dir) throws Exception {
        MemoryTrace t = new MemoryTrace(config());
        // step 1: the 4 word cells land on 4 cells with weight 1 each, fully inside; memory norm 2
        double[] in = {1, 1, 0, 1, 1, 0, 0, 0, 0};
        double[] mem1 = {1, 1, 0, 1, 1, 0, 0, 0, 0};
        t.add(0, new double[] {1, 0, 0, 0, 1, 0}, in, in, mem1);
        // step 2: half of the weight falls outside (total 2 of 4), and 2 word cells share cell (2,2): A = 2 there
        double[] edge = {0, 0, 0, 0, 0, 0, 0, 0, 2};
        double[] mem2 = {3, 0, 0, 0, 0, 0, 0, 0, 4};
        t.add(0, new double[] {3, 0, 0, 0, 3, 0}, edge, edge, mem2);
        assertEquals(1.0, MemoryTrace.insideFraction(in, 4), 0);
        assertEquals(0.5, MemoryTrace.insideFraction(edge, 4), 0);
        assertEquals(0.0, MemoryTrace.crowding(in), 0);
        assertEquals(0.5, MemoryTrace.crowding(edge), 0); // excess 1 of total 2
        assertArrayEquals(new double[] {0.5, 0.5}, MemoryTrace.centroid(in, 3, 3), 0);
        assertArrayEquals(new double[] {2, 2}, MemoryTrace.centroid(edge, 3, 3), 0);
        assertEquals(5.0, MemoryTrace.norm(mem2), 0);
        JsonNode l = t.summary().path("layers").get(0);
        assertEquals(2, t.steps());
        assertEquals(0.75, l.path("insideFractionMean").asDouble(), 1e-12);
        assertEquals(0.5, l.path("insideFractionMin").asDouble(), 1e-12);
        assertEquals(0.5, l.path("stepsPartlyOutside").asDouble(), 1e-12);
        assertEquals(0.25, l.path("writeCrowdingMean").asDouble(), 1e-12);
        assertEquals(2.0, l.path("writeAccessMax").asDouble(), 1e-12);
        assertEquals(3.5, l.path("memoryNormMean").asDouble(), 1e-12);
        assertEquals(5.0, l.path("memoryNormFinal").asDouble(), 1e-12);
        assertEquals(2.0, l.path("thetaMean").get(0).asDouble(), 1e-12);
        assertEquals(1.0, l.path("thetaStd").get(0).asDouble(), 1e-12);
        assertEquals(1.25, l.path("readCentroidRowMean").asDouble(), 1e-12);
        assertEquals(0.75, l.path("readCentroidRowStd").asDouble(), 1e-12);
        t.writeCsv(dir.resolve("trace.csv"));
        t.writePictures(dir, 4, 10);
        assertEquals(3, Files.readAllLines(dir.resolve("trace.csv")).size());
        for (String png : new String[] {"layers-read.png", "layers-write.png", "memory-final.png", "read-rows.png",
            "memory-norm.png", "inside.png", "crowding.png"}) {
            assertTrue(Files.size(dir.resolve(png)) > 100, png);
        }
    }
}
