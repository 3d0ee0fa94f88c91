package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vtm.datagen.ProgramFamily;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.artifacts.OutputDirectory;

/** Reading experiment grids: the cells, and mistakes refused on the command line naming file, line and key. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GridTest {

    @Test
    void theCellsAreTheCartesianProductOfTheAxesOverTheBase(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, """
                format: vtm.grid/1
                base:
                  preset: smoke
                  training: {epochs: 1}
                axes:
                  problem.family: [chebyshev, legendre]
                  problem.dim: [1, 2, 3]
                """);
        Grid g = Grid.load(f, null);
        assertEquals(List.of("problem.family", "problem.dim"), g.axes());
        assertEquals(6, g.cells().size());
        Grid.Point third = g.cells().get(2);
        assertEquals("chebyshev-3", third.name());
        assertEquals("problem.family=chebyshev, problem.dim=3", third.label());
        assertEquals(3, third.config().integer("problem.dim"));
        assertEquals("legendre", g.cells().get(3).config().text("problem.family"));
        assertEquals(1, g.cells().get(5).config().integer("training.epochs"), "the base applies to every cell");
        assertEquals("smoke", g.cells().get(5).config().text("preset"));
        assertEquals("local[*]", g.cells().get(0).config().text("spark_master"));
        assertEquals("spark://127.0.0.1:7077", Grid.load(f, "spark://127.0.0.1:7077").cells().get(4).config().text("spark_master"));
    }

    @Test
    void excludedCellsAreLeftOutAndTheRestKeepTheirNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, """
                format: vtm.grid/1
                base:
                  preset: smoke
                axes:
                  problem.family: [chebyshev, legendre]
                  problem.dim: [1, 2, 3]
                exclude:
                  - {problem.family: legendre, problem.dim: 3}
                  - {problem.dim: 2}
                """);
        Grid g = Grid.load(f, null);
        assertEquals(List.of("chebyshev-1", "chebyshev-3", "legendre-1"), g.cells().stream().map(Grid.Point::name).toList());
        assertEquals(List.of(1, 2, 3), g.cells().stream().map(Grid.Point::index).toList(), "kept cells are numbered 1..k");
        assertEquals(3, g.cells().get(1).config().integer("problem.dim"));
        check(dir, "format: vtm.grid/1\nbase: {preset: smoke}\naxes:\n  problem.dim: [1, 2]\nexclude:\n  - {problem.order: 3}\n",
                "grid.yaml:6: exclude[0]: 'problem.order' is not an axis of this grid; axes: problem.dim");
        check(dir, "format: vtm.grid/1\nbase: {preset: smoke}\naxes:\n  problem.dim: [1, 2]\nexclude:\n  - {problem.dim: 4}\n",
                "grid.yaml:6: exclude[0]: value 4 is not on axis problem.dim [1, 2]");
        check(dir, "format: vtm.grid/1\nbase: {preset: smoke}\naxes:\n  problem.dim: [1, 2]\nexclude: {problem.dim: 1}\n",
                "grid.yaml:5: exclude: expected a list of cells to leave out");
        check(dir, "format: vtm.grid/1\nbase: {preset: smoke}\naxes:\n  problem.dim: [1]\nexclude:\n  - {problem.dim: 1}\n",
                "every cell of the grid is excluded");
    }

    @Test
    void mistakesExitWithCode2NamingFileLineAndKey(@TempDir Path dir) throws Exception {
        String ok = "format: vtm.grid/1\nbase:\n  preset: smoke\naxes:\n  problem.dim: [1, 2]\n";
        check(dir, ok.replace("format: vtm.grid/1", "format: vtm.grid/9"), ":1: format: expected 'format: vtm.grid/1'");
        check(dir, ok + "cells: 3\n", ":6: cells: unknown key; valid: format, base, axes");
        check(dir, ok.replace("  preset: smoke", "  preset: smoke\n  training: {epoch: 3}"),
                ":4: base.training.epoch: unknown setting 'training.epoch'");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem.dims: [1, 2]"), ":5: axes.problem.dims: unknown setting 'problem.dims'");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem: [1, 2]"), ":5: axes.problem: 'problem' is a section");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem.dim: 2"), ":5: axes.problem.dim: expected a non-empty list");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem.dim:\n    - 1\n    - two"),
                ":7: axes.problem.dim[1]: expected an integer like the setting's 2, got \"two\"");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem.dim: [1, 1]"), ":5: axes.problem.dim[1]: value 1 is listed twice");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem.dim: [1, 0]"),
                ":5: axes.problem.dim: cell 2 (problem.dim=0): problem.dim must be at least 1");
        check(dir, ok.replace("problem.dim: [1, 2]", "problem.family: [chebyshev, bessel]"),
                ":5: axes.problem.family: cell 2 (problem.family=bessel): unknown function family");
        check(dir, ok.replace("problem.dim: [1, 2]", "spark_master: [\"local[1]\", \"local[2]\"]"),
                "axes.spark_master: 'spark_master' cannot vary between cells");
        check(dir, "format: vtm.grid/1\naxes: [1\n", ": not valid YAML");
    }

    @Test
    void theProgramFamilyAndTheTestCorpusPoleRatioAreGridAxes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, """
                format: vtm.grid/1
                base:
                  preset: smoke
                  test_corpus: {program_family: null}   # the smoke preset tests on mlp; follow the problem here
                axes:
                  problem.program_family: [random, mlp, exp-affine, rational, branching]
                """);
        Grid g = Grid.load(f, null);
        assertEquals(5, g.cells().size());
        assertEquals("exp_affine", g.cells().get(2).name(), "file-name characters");
        for (Grid.Point p : g.cells()) {
            ProgramFamily want = ProgramFamily.byLabel(p.config().text("problem.program_family"));
            Cell cell = new Cell(p.config(), dir, System.out, null, null);
            for (String section : ExperimentConfig.CORPORA) {
                assertEquals(want, cell.generatorConfig(section).programFamily(), p.label() + " " + section);
            }
        }
        Files.writeString(f, """
                format: vtm.grid/1
                base:
                  preset: smoke
                  test_corpus: {program_family: rational}
                axes:
                  test_corpus.pole_ratio: ["0.1..0.2", "0.8..0.9"]
                """);
        g = Grid.load(f, null);
        Cell high = new Cell(g.cells().get(1).config(), dir, System.out, null, null);
        assertEquals(ProgramFamily.RATIONAL, high.generatorConfig("test_corpus").programFamily());
        assertEquals(0.8, high.generatorConfig("test_corpus").poleRatioMin());
        assertEquals(0.9, high.generatorConfig("test_corpus").poleRatioMax());
        assertEquals(ProgramFamily.byLabel(g.cells().get(1).config().text("problem.program_family")),
                high.generatorConfig("train_corpus").programFamily(), "the override is the test corpus's");
        assertTrue(high.generatorConfig("train_corpus").programFamily() != ProgramFamily.RATIONAL);
    }

    @Test
    void badProgramFamiliesInAGridExitWithCode2NamingTheKey(@TempDir Path dir) throws Exception {
        String ok = "format: vtm.grid/1\nbase:\n  preset: smoke\naxes:\n  problem.program_family: [random, mlp]\n";
        check(dir, ok.replace("[random, mlp]", "[random, cnn]"),
                ":5: axes.problem.program_family: cell 2 (problem.program_family=cnn): problem.program_family: unknown "
                        + "program family 'cnn'; valid: random, mlp, exp-affine, rational, branching");
        check(dir, ok.replace("problem.program_family: [random, mlp]", "test_corpus.pole_ratio: [\"0.2..0.4\"]"),
                "test_corpus.pole_ratio applies to program_family rational only, but test_corpus is generated with "
                        + "program_family " + ExperimentConfig.preset("smoke").programFamily("test_corpus").label());
        check(dir, ok.replace("  preset: smoke", "  preset: smoke\n  problem: {program_family: rational}")
                        .replace("problem.program_family: [random, mlp]", "problem.pole_ratio: [\"0.5..1.5\"]"),
                "problem.pole_ratio must be a range 'a..b' of r/ρ (region radius over pole distance) with 0 < a <= b < 1, "
                        + "got '0.5..1.5'");
        check(dir, ok.replace("[random, mlp]", "[1, 2]"), "axes.problem.program_family[0]: expected a string");
    }

    @Test
    void aDirectoryVtmDidNotWriteIsRefusedBeforeSparkStarts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, "format: vtm.grid/1\nbase: {preset: smoke}\naxes:\n  problem.dim: [1, 2]\n");
        Path out = Files.createDirectories(dir.resolve("thesis"));
        Files.writeString(out.resolve("chapter1.tex"), "mine");
        SmokeRun.Result r = SmokeRun.run("experiment", "--grid", f.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), r.errors());
        assertTrue(r.errors().contains("is not empty and was not written by VTM"), r.errors());
        assertEquals(List.of("chapter1.tex"), OutputDirectory.entries(out));
        r = SmokeRun.run("experiment", "--grid", f.toString(), "--out", dir.resolve("x").toString(), "--master", "yarn");
        assertEquals(2, r.exitCode(), r.errors());
        assertTrue(r.errors().contains("--master must be local[N], local[*] or spark://host:port, got 'yarn'"), r.errors());
    }

    private static void check(Path dir, String yaml, String expected) throws Exception {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, yaml);
        Path out = dir.resolve("out");
        SmokeRun.Result r = SmokeRun.run("experiment", "--grid", f.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), yaml + "\n" + r.errors());
        String line = r.errors().strip();
        assertTrue(line.startsWith("vtm experiment: " + f + ":"), line);
        assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(!Files.exists(out), "nothing written for a refused grid");
    }
}
