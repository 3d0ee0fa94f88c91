package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code with…} methods of {@link GeneratorConfig}: each changes its field and nothing else, validated. */
@Timeout(30)
class GeneratorConfigTest {
    static final GeneratorConfig BASE = GeneratorConfig.defaults(2, 3, "chebyshev", 1, 4);

    @Test
    void everyWithMethodChangesItsFieldAndNothingElse() throws Exception {
        Map<String, UnaryOperator<GeneratorConfig>> changes = Map.ofEntries(
                Map.entry("dim", c -> c.withDim(3)),
                Map.entry("order", c -> c.withOrder(5)),
                Map.entry("family", c -> c.withFamily("legendre")),
                Map.entry("minSteps", c -> c.withMinSteps(2)),
                Map.entry("maxSteps", c -> c.withMaxSteps(6)),
                Map.entry("depth", c -> c.withDepth(5)),
                Map.entry("operators", c -> c.withOperators(Map.of("+", 1.0, "sin", 2.0))),
                Map.entry("constantMin", c -> c.withConstantMin(-3.0)),
                Map.entry("constantMax", c -> c.withConstantMax(3.0)),
                Map.entry("pointMin", c -> c.withPointMin(-0.5)),
                Map.entry("pointMax", c -> c.withPointMax(0.5)),
                Map.entry("radiusMin", c -> c.withRadiusMin(0.2)),
                Map.entry("radiusMax", c -> c.withRadiusMax(0.9)),
                Map.entry("maxAbs", c -> c.withMaxAbs(1e3)),
                Map.entry("programFamily", c -> c.withProgramFamily(ProgramFamily.RATIONAL)),
                Map.entry("poleRatioMin", c -> c.withPoleRatioMin(0.3)),
                Map.entry("poleRatioMax", c -> c.withPoleRatioMax(0.8)));
        RecordComponent[] components = GeneratorConfig.class.getRecordComponents();
        assertEquals(components.length, changes.size(), "one with-method per field");
        for (RecordComponent rc : components) {
            GeneratorConfig changed = changes.get(rc.getName()).apply(BASE);
            for (RecordComponent other : components) {
                Object before = other.getAccessor().invoke(BASE);
                Object after = other.getAccessor().invoke(changed);
                if (other.getName().equals(rc.getName())) {
                    assertNotEquals(before, after, rc.getName() + " must change");
                } else {
                    assertEquals(before, after, "changing " + rc.getName() + " changed " + other.getName());
                }
            }
        }
    }

    @Test
    void withDepthIsTheCopyThePipelineMade() {
        GeneratorConfig copied = new GeneratorConfig(BASE.dim(), BASE.order(), BASE.family(), BASE.minSteps(), BASE.maxSteps(),
                7, BASE.operators(), BASE.constantMin(), BASE.constantMax(), BASE.pointMin(), BASE.pointMax(),
                BASE.radiusMin(), BASE.radiusMax(), BASE.maxAbs());
        assertEquals(copied, BASE.withDepth(7));
        assertEquals(copied.toJson(), BASE.withDepth(7).toJson());
        assertEquals(new GeneratorConfig(2, 3, "chebyshev", 3, 5, 3, GeneratorConfig.defaultOperators(), -2.0, 2.0, -1.0, 1.0,
                0.1, 0.5, 1e6), BASE.withSteps(3, 5));
    }

    @Test
    void withMethodsValidateLikeTheConstructor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BASE.withDepth(13));
        assertTrue(e.getMessage().contains("--depth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BASE.withMinSteps(5)); // above maxSteps 4
        assertTrue(e.getMessage().contains("--steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BASE.withOperators(Map.of("%", 1.0)));
        assertTrue(e.getMessage().contains("unknown operator '%'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BASE.withPoleRatioMax(1.0));
        assertTrue(e.getMessage().contains("--pole-ratio"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BASE.withPoleRatioMin(0.95)); // above poleRatioMax 0.9
        assertTrue(e.getMessage().contains("--pole-ratio"), e.getMessage());
    }
}
