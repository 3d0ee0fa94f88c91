package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell's per-seed stages: {@link Cell#trainings()} (one Spark task each in a grid) and
 * {@link Cell#driverStages()} name stages that {@link Cell#stages} defines, one per training seed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CellTest {

    private static Cell cell(Path tmp, String yaml) throws Exception {
        Files.createDirectories(tmp);
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, yaml);
        return new Cell(ExperimentConfig.load(f, "smoke"), tmp.resolve("run"), System.out, null, () -> {
            throw new IllegalStateException("no Spark here");
        });
    }

    @Test
    void everySeedHasItsOwnTrainingsCorpusAndBaseline(@TempDir Path tmp) throws Exception {
        Cell c = cell(tmp, "training: {seeds: 3, seed: 20}\nablations: {random_init: false, direct_head: true}\n");
        assertEquals(List.of(new Cell.Training("train", 20, "learned"), new Cell.Training("train-direct-head", 20, "direct_head"),
                new Cell.Training("train-s1", 21, "learned"), new Cell.Training("train-direct-head-s1", 21, "direct_head"),
                new Cell.Training("train-s2", 22, "learned"), new Cell.Training("train-direct-head-s2", 22, "direct_head")),
                c.trainings());
        assertEquals(List.of("generate-train", "generate-train-s1", "generate-train-s2", "generate-test", "generate-validation",
                "precompute", "baseline", "baseline-s1", "baseline-s2"), c.driverStages());
        Map<String, StageRunner.Stage> stages = c.stages(new StageRunner(tmp.resolve("run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        for (Cell.Training t : c.trainings()) {
            assertTrue(stages.containsKey(t.stage()) && c.enabled(stages.get(t.stage())), t.toString());
        }
        for (String s : c.driverStages()) {
            assertTrue(stages.containsKey(s), s);
        }
        assertEquals(List.of("generate-train-s1", "precompute"), stages.get("train-s1").upstream(), "seed 1 trains on its corpus");
        assertEquals(List.of("generate-train-s2"), stages.get("baseline-s2").upstream());
        assertFalse(c.enabled(stages.get("train-random-init-s2")), "an ablation switched off is off for every seed");
        assertFalse(c.enabled(stages.get("generate-validation")), "the validation corpus only for report.corpus: validation");
    }

    @Test
    void theBaselineGetsTheDegreeNPlusOneTermsExactlyWhenTheLearnedModelDoes(@TempDir Path tmp) throws Exception {
        assertTrue(cell(tmp.resolve("a"), "training: {inputs: next_order}\n").learnedHasNextOrder());
        assertTrue(cell(tmp.resolve("b"), "training: {inputs: next_order+growth}\n").learnedHasNextOrder());
        assertFalse(cell(tmp.resolve("c"), "training: {inputs: normalised+growth+structure}\n").learnedHasNextOrder());
        assertFalse(cell(tmp.resolve("d"), "training: {inputs: asinh}\n").learnedHasNextOrder());
    }

    /**
     * training.head: tail trains the learned model with the tail head (its stage says so in what it hashes); the
     * default transform head hashes as before the key existed, so earlier runs' models stay valid; the ablations keep
     * their heads.
     */
    @Test
    void theLearnedModelTrainsTheConfiguredHead(@TempDir Path tmp) throws Exception {
        Cell tail = cell(tmp.resolve("t"), "training: {head: tail}\nablations: {random_init: true, direct_head: true}\n");
        Cell plain = cell(tmp.resolve("p"), "ablations: {random_init: true, direct_head: true}\n");
        assertEquals(org.vtm.interpreter.ModelConfig.Head.TAIL, tail.learnedHead());
        assertEquals(org.vtm.interpreter.ModelConfig.Head.TRANSFORM, plain.learnedHead());
        Map<String, StageRunner.Stage> t = tail.stages(new StageRunner(tmp.resolve("t/run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        Map<String, StageRunner.Stage> p = plain.stages(new StageRunner(tmp.resolve("p/run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        assertTrue(t.get("train").inputs().get(2).contains("head tail"), t.get("train").inputs().toString());
        assertTrue(p.get("train").inputs().get(2).contains("head transform"), p.get("train").inputs().toString());
        assertFalse(p.get("train").inputs().get(1).contains("head"), "the default head is not in the hashed training node: "
                + p.get("train").inputs().get(1));
        assertTrue(t.get("train-random-init").inputs().get(2).contains("head transform"));
        assertTrue(t.get("train-direct-head").inputs().get(2).contains("head direct"));
    }

    /**
     * training.loss_eps reaches the training stage's hashed configuration when it is not the default, so models trained
     * with another floor are never reused; the default 1e-10 hashes as before the key existed.
     */
    @Test
    void theLossFloorIsPartOfTheTrainingStageOnlyWhenItIsNotTheDefault(@TempDir Path tmp) throws Exception {
        Cell fine = cell(tmp.resolve("f"), "training: {loss_eps: 1.0e-24}\n");
        Cell plain = cell(tmp.resolve("p"), "");
        Map<String, StageRunner.Stage> f = fine.stages(new StageRunner(tmp.resolve("f/run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        Map<String, StageRunner.Stage> p = plain.stages(new StageRunner(tmp.resolve("p/run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        assertTrue(f.get("train").inputs().get(1).contains("\"loss_eps\":1.0E-24"), f.get("train").inputs().get(1));
        assertFalse(p.get("train").inputs().get(1).contains("loss_eps"), p.get("train").inputs().get(1));
    }

    @Test
    void aTuningCellGeneratesTheValidationCorpus(@TempDir Path tmp) throws Exception {
        Cell c = cell(tmp, "report: {corpus: validation}\n");
        Map<String, StageRunner.Stage> stages = c.stages(new StageRunner(tmp.resolve("run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        assertTrue(c.enabled(stages.get("generate-validation")));
        assertEquals(2, c.trainings().stream().filter(t -> t.variant().equals("learned")).count(), "the smoke preset's 2 seeds");
    }

    @Test
    void theProgramFamilyAppliesToEveryCorpusUnlessACorpusOverridesIt(@TempDir Path tmp) throws Exception {
        Cell plain = cell(tmp, "problem: {program_family: random}\ntest_corpus: {program_family: null}\n");
        for (String section : ExperimentConfig.CORPORA) {
            assertEquals(org.vtm.datagen.ProgramFamily.RANDOM, plain.generatorConfig(section).programFamily(), section);
        }
        Cell c = cell(tmp, "problem: {program_family: mlp}\ntest_corpus: {program_family: rational, pole_ratio: '0.2..0.5'}\n");
        assertEquals(org.vtm.datagen.ProgramFamily.MLP, c.generatorConfig("train_corpus").programFamily());
        assertEquals(org.vtm.datagen.ProgramFamily.MLP, c.generatorConfig("validation_corpus").programFamily());
        var test = c.generatorConfig("test_corpus");
        assertEquals(org.vtm.datagen.ProgramFamily.RATIONAL, test.programFamily());
        assertEquals(0.2, test.poleRatioMin());
        assertEquals(0.5, test.poleRatioMax());
        assertEquals("rational", test.toJson().path("program_family").asText(), "the corpus manifest records it");
        Map<String, StageRunner.Stage> stages = c.stages(new StageRunner(tmp.resolve("run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        Map<String, StageRunner.Stage> before = plain.stages(new StageRunner(tmp.resolve("run"), "code", System.out)).stream()
                .collect(Collectors.toMap(StageRunner.Stage::name, Function.identity()));
        assertFalse(stages.get("generate-test").inputs().equals(before.get("generate-test").inputs()),
                "another family is another corpus (the stage re-runs)");
    }
}
