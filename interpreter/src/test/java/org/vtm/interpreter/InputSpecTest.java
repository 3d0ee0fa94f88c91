package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.interpreter.train.ModelFormatException;

/** {@link ModelConfig.InputSpec}: parsing, canonical text, and how model.json records it (old and new formats). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InputSpecTest {

    @Test
    void parsesAnyOrderAndCaseAndWritesCanonically() {
        ModelConfig.InputSpec s = ModelConfig.InputSpec.parse("Structure+normalised+GROWTH");
        assertEquals(new ModelConfig.InputSpec(ModelConfig.Inputs.NORMALISED, true, true), s);
        assertEquals("normalised+growth+structure", s.label());
        assertEquals("next_order", ModelConfig.InputSpec.parse("next_order").label());
        assertEquals("asinh+structure", ModelConfig.InputSpec.parse("structure+asinh").label());
        Set<String> labels = new HashSet<>();
        for (ModelConfig.InputSpec x : ModelConfig.InputSpec.all()) {
            assertEquals(x, ModelConfig.InputSpec.parse(x.label()), x.label());
            labels.add(x.label());
        }
        assertEquals(12, labels.size());
    }

    @Test
    void refusesBadSpecificationsNamingTheWord() {
        for (List<String> c : List.of(List.of("raw", "unknown word 'raw'"), List.of("growth", "names no base mode"),
                List.of("asinh+normalised", "two base modes"), List.of("asinh+growth+growth", "repeats 'growth'"),
                List.of("asinh+", "unknown word ''"), List.of("", "empty input specification"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelConfig.InputSpec.parse(c.get(0)), c.get(0));
            assertTrue(e.getMessage().contains(c.get(1)) && e.getMessage().contains("asinh, normalised, next_order"),
                    e.getMessage());
        }
    }

    @Test
    void featuresGrowByTheFlagsColumns() {
        ModelConfig base = new ModelConfig("chebyshev", 2, 3, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                ModelConfig.Inputs.NORMALISED, ModelConfig.Loss.REL, 1);
        ModelConfig both = new ModelConfig("chebyshev", 2, 3, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                ModelConfig.InputSpec.parse("normalised+growth+structure"), ModelConfig.Loss.REL, 1, 5);
        assertEquals(base.features() + 2 * 9 + 5, both.features());
        assertEquals(18, both.growthColumns());
        assertEquals(5, both.structureColumns());
        // without structure the width is unused and does not make two configurations differ (resume compares them)
        assertEquals(base, new ModelConfig("chebyshev", 2, 3, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                ModelConfig.InputSpec.of(ModelConfig.Inputs.NORMALISED), ModelConfig.Loss.REL, 1, 7));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig("chebyshev", 2, 0, 4, 8,
                ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX, ModelConfig.InputSpec.parse("asinh+growth"),
                ModelConfig.Loss.REL, 1, 16));
    }

    /** model.json records the canonical text (vtm.model/4) and reads back; a previous format's enum name still reads. */
    @Test
    void modelPropertiesRoundTripAndReadThePreviousFormat() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ModelConfig c = new ModelConfig("chebyshev", 2, 3, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                ModelConfig.InputSpec.parse("growth+structure+next_order"), ModelConfig.Loss.LOG_REL, 1e-3, 12);
        ObjectNode n = json.createObjectNode();
        c.writeTo(n);
        assertEquals("next_order+growth+structure", n.path("inputs").asText());
        assertEquals(12, n.path("structure_width").asInt());
        assertEquals(c, ModelConfig.readFrom(n, Path.of("model.json")));

        ObjectNode old = json.createObjectNode(); // as vtm.model/3 wrote it: an enum name, no flags
        new ModelConfig("chebyshev", 2, 3, 4, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3).writeTo(old);
        old.put("inputs", "next_order");
        ModelConfig read = ModelConfig.readFrom(old, Path.of("model.json"));
        assertEquals(ModelConfig.Inputs.NEXT_ORDER, read.inputs());
        assertFalse(read.growth() || read.structure());
        assertFalse(old.has("structure_width"));

        n.put("syntax_vocabulary", 99);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelConfig.readFrom(n, Path.of("m.json")));
        assertTrue(e.getMessage().contains("m.json") && e.getMessage().contains("vocabulary"), e.getMessage());
        n.put("syntax_vocabulary", 1);
        n.put("inputs", "next_order+wobble");
        e = assertThrows(ModelFormatException.class, () -> ModelConfig.readFrom(n, Path.of("m.json")));
        assertTrue(e.getMessage().contains("wobble"), e.getMessage());
    }
}
