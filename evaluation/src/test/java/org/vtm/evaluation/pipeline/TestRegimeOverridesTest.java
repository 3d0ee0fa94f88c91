package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.interpreter.TrainerConfig;

/**
 * E3's test-corpus overrides: held-out operators ({@code train_corpus.exclude_operators},
 * {@code test_corpus.operator_weights}) and held-out programs longer than the training ones (the
 * learned models' step encoding covers every corpus).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestRegimeOverridesTest {

    private static ExperimentConfig load(Path tmp, String yaml) throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, yaml);
        return ExperimentConfig.load(f, "smoke");
    }

    private static Cell cell(Path tmp, String yaml) throws Exception {
        return new Cell(load(tmp, yaml), tmp.resolve("run"), System.out, null, () -> {
            throw new IllegalStateException("no Spark here");
        });
    }

    private static Map<String, StageRunner.Stage> stages(Cell c, Path tmp) {
        return c.stages(new StageRunner(tmp.resolve("run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
    }

    @Test
    void heldOutOperatorsAreLeftOutOfTrainingAndValidationAndWeightedInTheTestCorpus(@TempDir Path tmp) throws Exception {
        Cell c = cell(tmp, "train_corpus: {exclude_operators: [sinh, cosh]}\ntest_corpus: {operator_weights: {sinh: 3.0, cosh: 2}}\n");
        Map<String, Double> train = c.generatorConfig("train_corpus").operators();
        Map<String, Double> validation = c.generatorConfig("validation_corpus").operators();
        Map<String, Double> test = c.generatorConfig("test_corpus").operators();
        assertFalse(train.containsKey("sinh") || train.containsKey("cosh"), "training never draws them: " + train);
        assertFalse(validation.containsKey("sinh") || validation.containsKey("cosh"), "nor does tuning: " + validation);
        assertEquals(3.0, test.get("sinh"));
        assertEquals(2.0, test.get("cosh"));
        Map<String, Double> mix = GeneratorConfig.defaultOperators();
        assertEquals(mix.get("+"), test.get("+"), "other operators keep the generator's weight");
        assertEquals(mix.get("tanh"), train.get("tanh"));
        assertEquals(mix.size() - 2, train.size());

        // without overrides every corpus draws the generator's mix
        Cell plain = cell(tmp, "training: {seeds: 1}\n");
        assertEquals(mix, plain.generatorConfig("train_corpus").operators());
        assertEquals(mix, plain.generatorConfig("test_corpus").operators());
    }

    /**
     * The overrides change the corpora's stage hashes only when set: a run made before they existed keeps
     * its corpora (same inputs as the section without the new keys), the validation corpus follows the
     * training exclusion.
     */
    @Test
    void corpusHashesChangeOnlyWhenAnOverrideIsSet(@TempDir Path tmp) throws Exception {
        Cell plain = cell(tmp, "training: {seeds: 1}\n");
        Map<String, StageRunner.Stage> s = stages(plain, tmp);
        ObjectNode train = (ObjectNode) ExperimentConfig.preset("smoke").node("train_corpus").deepCopy();
        train.remove("exclude_operators");
        assertTrue(s.get("generate-train").inputs().contains(ExperimentConfig.COMPACT.writeValueAsString(train)),
                s.get("generate-train").inputs().toString());
        assertFalse(s.get("generate-test").inputs().toString().contains("operator_weights"));

        Map<String, StageRunner.Stage> x = stages(cell(tmp, "train_corpus: {exclude_operators: [tan]}\n"), tmp);
        assertNotEquals(s.get("generate-train").inputs(), x.get("generate-train").inputs());
        assertNotEquals(s.get("generate-validation").inputs(), x.get("generate-validation").inputs());
        assertEquals(s.get("generate-test").inputs(), x.get("generate-test").inputs(), "the test corpus is unchanged");
        Map<String, StageRunner.Stage> w = stages(cell(tmp, "test_corpus: {operator_weights: {tan: 1.0}}\n"), tmp);
        assertNotEquals(s.get("generate-test").inputs(), w.get("generate-test").inputs());
    }

    /** Programs twice (four times) as long as in training are evaluated: the step encoding covers the test corpus. */
    @Test
    void theStepEncodingCoversTheLongestHeldOutProgram(@TempDir Path tmp) throws Exception {
        TrainerConfig defaults = TrainerConfig.defaults(tmp.resolve("corpus"), "chebyshev", 3, 1, tmp.resolve("out"));
        assertEquals(defaults.maxSteps(), Cell.DEFAULT_STEP_ENCODING, "the default width is TrainerConfig's");
        Cell plain = cell(tmp, "training: {seeds: 1}\n");
        assertEquals(Cell.DEFAULT_STEP_ENCODING, plain.stepEncoding());
        assertFalse(stages(plain, tmp).get("train").inputs().toString().contains("step encoding"),
                "the default width keeps existing models' hashes");
        Cell longer = cell(tmp, "train_corpus: {max_steps: 6}\ntest_corpus: {min_steps: 7, max_steps: 12}\n");
        assertEquals(12, longer.stepEncoding());
        assertTrue(stages(longer, tmp).get("train").inputs().toString().contains("step encoding 12"));
        assertEquals(14, cell(tmp, "validation_corpus: {max_steps: 14}\n").stepEncoding());
    }

    @Test
    void badOverridesAreRefusedInOneLineNamingTheSetting(@TempDir Path tmp) {
        String[][] cases = {
            {"train_corpus: {exclude_operators: [sinus]}\n", "train_corpus.exclude_operators: unknown operator \"sinus\""},
            {"train_corpus: {exclude_operators: [tan, tan]}\n", "train_corpus.exclude_operators: operator 'tan' is listed twice"},
            {"train_corpus: {exclude_operators: tan}\n", "train_corpus.exclude_operators must be a list"},
            {"test_corpus: {operator_weights: {sinus: 1}}\n", "test_corpus.operator_weights: unknown operator 'sinus'"},
            {"test_corpus: {operator_weights: {tan: -1}}\n", "test_corpus.operator_weights.tan must be a finite weight ≥ 0"},
            {"test_corpus: {operator_weights: [tan]}\n", "test_corpus.operator_weights must be null"},
            {"train_corpus: {exclude_operators: [" + String.join(", ", GeneratorConfig.OPERATORS.stream()
                    .map(o -> "'" + o + "'").toList()) + "]}\n", "train_corpus.exclude_operators excludes every operator"},
            {"test_corpus: {max_steps: 2000}\n", "test_corpus.max_steps must be at most 1024"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(tmp, c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }
}
