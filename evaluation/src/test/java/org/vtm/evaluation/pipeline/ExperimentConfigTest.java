package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {

    @Test
    void yamlOverridesThePresetAndTheWrittenConfigReadsBackEqual(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("experiment.yaml");
        Files.writeString(f, "preset: smoke\ntraining:\n  hidden: 12\n  lr: 0.0005\nproblem:\n  family: legendre\n");
        ExperimentConfig c = ExperimentConfig.load(f, null);
        assertEquals("smoke", c.text("preset"));
        assertEquals(12, c.integer("training.hidden"));
        assertEquals(5e-4, c.number("training.lr"), 0);
        assertEquals("legendre", c.text("problem.family"));
        assertEquals(ExperimentConfig.preset("smoke").integer("training.epochs"), c.integer("training.epochs"));
        c.write(dir.resolve("run"));
        assertEquals(c.tree(), ExperimentConfig.load(dir.resolve("run/config.yaml"), null).tree());
        assertEquals(c.tree(), ExperimentConfig.load(dir.resolve("run/config.json"), null).tree());
        // --preset wins over the file's preset key
        assertEquals("default", ExperimentConfig.load(f, "default").text("preset"));
        // the training precision: float32 in both presets (docs/benchmarks.md, "float32 training"), float64 selectable
        assertEquals("float32", ExperimentConfig.preset("default").text("training.dtype"));
        assertEquals("float32", ExperimentConfig.preset("smoke").text("training.dtype"));
        Path f64 = dir.resolve("f64.yaml");
        Files.writeString(f64, "training:\n  dtype: float64\n");
        assertEquals("float64", ExperimentConfig.load(f64, null).text("training.dtype"));
        assertEquals(12, ExperimentConfig.load(f, "default").integer("training.hidden"));
    }

    /** training.inputs: the default preset keeps next_order, the smoke preset exercises structure, a file may choose. */
    @Test
    void trainingInputsArePresetAndSelectable(@TempDir Path dir) throws Exception {
        assertEquals("next_order", ExperimentConfig.preset("default").text("training.inputs"));
        assertEquals("normalised+growth+structure", ExperimentConfig.preset("smoke").text("training.inputs"));
        Path f = dir.resolve("inputs.yaml");
        Files.writeString(f, "training:\n  inputs: growth+asinh\n");
        assertEquals("growth+asinh", ExperimentConfig.load(f, null).text("training.inputs"));
        // grids change it through with(…), validated the same way
        ExperimentConfig smoke = ExperimentConfig.preset("smoke");
        assertEquals("asinh+structure", smoke.with(java.util.Map.of("training.inputs",
                com.fasterxml.jackson.databind.node.TextNode.valueOf("asinh+structure"))).text("training.inputs"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smoke.with(java.util.Map.of(
                "training.inputs", com.fasterxml.jackson.databind.node.TextNode.valueOf("structure"))));
        assertTrue(e.getMessage().contains("training.inputs") && e.getMessage().contains("names no base mode"),
                e.getMessage());
    }

    /** training.head: transform in both presets, tail selectable, anything else one line naming the key. */
    @Test
    void trainingHeadIsTransformByDefaultTailOnRequestAndNothingElse(@TempDir Path dir) throws Exception {
        assertEquals("transform", ExperimentConfig.preset("default").text("training.head"));
        assertEquals("transform", ExperimentConfig.preset("smoke").text("training.head"));
        Path f = dir.resolve("head.yaml");
        Files.writeString(f, "training:\n  head: tail\n");
        assertEquals("tail", ExperimentConfig.load(f, null).text("training.head"));
        for (String bad : new String[] {"direct", "TAIL", "tails"}) {
            Files.writeString(f, "training:\n  head: " + bad + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, null));
            assertEquals("training.head must be 'transform' or 'tail', got '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void mistakesAreRefusedNamingTheSetting(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"test_corpus\": {\"seed\": 7}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("test_corpus.seed must differ"), e.getMessage());
        // seeds 7 and 8 draw the smoke preset's two training corpora: a held-out corpus may not reuse one
        Files.writeString(f, "{\"test_corpus\": {\"seed\": 8}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("test_corpus.seed 8 is one of the training corpora's seeds"), e.getMessage());
        Files.writeString(f, "{\"validation_corpus\": {\"seed\": 1007}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("validation_corpus.seed must differ from test_corpus.seed"), e.getMessage());
        Files.writeString(f, "{\"report\": {\"corpus\": \"train\"}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("report.corpus must be 'test'"), e.getMessage());
        Files.writeString(f, "{\"training\": {\"hidden\": 0}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("training.hidden must be at least 1"), e.getMessage());
        Files.writeString(f, "{\"training\": 3}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("'training' must be a mapping"), e.getMessage());
        Files.writeString(f, "{\"training\": {\"loss_eps\": 0}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("training.loss_eps (the floor ε of the log loss) must be within [1e-300, 1], got 0"),
                e.getMessage());
        Files.writeString(f, "{\"training\": {\"dtype\": \"float16\"}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("training.dtype must be 'float64' or 'float32', got 'float16'"), e.getMessage());
        Files.writeString(f, "{\"training\": {\"inputs\": \"normalised+gravity\"}}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().startsWith("training.inputs: ") && e.getMessage().contains("'gravity'")
                && e.getMessage().contains("asinh, normalised, next_order"), e.getMessage());
        Files.writeString(f, "{\"engine\": \"hadoop\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.load(f, "smoke"));
        assertTrue(e.getMessage().contains("engine must be 'local' or 'spark'"), e.getMessage());
    }
}
