package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
    private static final TfxSource OTHER_TFX = new TfxSource() {
        @Override
        public double[] tfx(String family, int dim, int order) {
            return new double[0];
        }

        @Override
        public String describe() {
            return "test";
        }
    };

    /** Every field has a with… method that changes that field and no other. */
    @Test
    void eachWithMethodChangesExactlyItsField() throws Exception {
        TrainerConfig base = TrainerConfig.defaults(Path.of("corpus"), "chebyshev", 2, 3, Path.of("out"));
        Map<String, Object> values = Map.ofEntries(
                Map.entry("corpus", Path.of("other-corpus")), Map.entry("tfx", OTHER_TFX),
                Map.entry("family", "legendre"), Map.entry("order", 4), Map.entry("epochs", 7),
                Map.entry("out", Path.of("elsewhere")), Map.entry("resume", true), Map.entry("batchSize", 9),
                Map.entry("hidden", 11), Map.entry("learningRate", 0.05), Map.entry("init", ModelConfig.Init.RANDOM),
                Map.entry("head", ModelConfig.Head.DIRECT), Map.entry("validationFraction", 0.3), Map.entry("patience", 2),
                Map.entry("seed", 42L), Map.entry("checkpointMinutes", 1.5), Map.entry("maxSteps", 5),
                Map.entry("maxSeconds", 90.0), Map.entry("batchDelayMillis", 3L),
                Map.entry("tuning", TrainerConfig.Tuning.FIRST), Map.entry("engine", TrainerConfig.Engine.SAMEDIFF), // the non-default engine
                Map.entry("dtype", TrainerConfig.Precision.FLOAT32));
        RecordComponent[] components = TrainerConfig.class.getRecordComponents();
        assertEquals(components.length, values.size(), "a value for every field");
        for (RecordComponent c : components) {
            String name = c.getName();
            Method with = TrainerConfig.class.getMethod("with" + name.substring(0, 1).toUpperCase(Locale.ROOT)
                    + name.substring(1), c.getType());
            TrainerConfig changed = (TrainerConfig) with.invoke(base, values.get(name));
            for (RecordComponent other : components) {
                Object before = other.getAccessor().invoke(base);
                Object after = other.getAccessor().invoke(changed);
                if (other.getName().equals(name)) {
                    assertNotEquals(before, after, name + " unchanged by " + with.getName());
                    assertEquals(values.get(name), after, name);
                } else {
                    assertEquals(before, after, with.getName() + " changed " + other.getName());
                }
            }
        }
    }
}
