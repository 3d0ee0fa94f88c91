package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.transforms.ExpansionBudget;

/**
 * Every committed experiment grid (docs/experiments/*.yaml, issue 16's E1–E3) reads with {@link Grid}
 * — keys, values and every cell's configuration valid — has the cells its header promises, three
 * training seeds per cell (a tuning grid, reporting on the validation corpus, may use fewer), and a header naming
 * the one command that runs it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ExperimentGridFilesTest {
    /** File → expected number of cells. */
    static final Map<String, Integer> GRIDS = Map.ofEntries(
            Map.entry("e1-tail-predictors.yaml", 20), // 5 program families × 4 input modes
            Map.entry("e1-loss-floor.yaml", 4), // E1 with the log loss's floor at 1e-24: 4 program families
            Map.entry("e1-rational-floor-ablation.yaml", 1), // e1-loss-floor's rational cell with the default floor
            Map.entry("e1-rational-confirm.yaml", 2), // both floors on fresh rational test programs
            Map.entry("e1-random-budget.yaml", 1), // E1's goal cell with 16,000 training programs and 150 epochs
            Map.entry("e1b-tail-head.yaml", 4), // 2 program families × 2 input modes, training.head: tail
            Map.entry("e2-equal-cost.yaml", 8), // d ∈ {2,4,8} × n ∈ {3,4,6} without d = 8, n = 6
            Map.entry("e2-equal-cost-small.yaml", 7), // the same without d = 8, n = 4
            Map.entry("e3-regimes.yaml", 5), // r/ρ 0.1 … 0.9
            Map.entry("e3-regimes-budget.yaml", 5), // the same with 150 epochs, patience 20, no time budget
            Map.entry("e3-branching.yaml", 2),
            Map.entry("e3-long-programs.yaml", 1),
            Map.entry("e3-held-out-operators.yaml", 2),
            Map.entry("e1-loss-floor-tuning.yaml", 4)); // tuning on the validation corpus: 2 families × 2 floors, one seed

    static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        Path d = here.resolve("docs/experiments");
        return Files.isDirectory(d) ? d : here.getParent().resolve("docs/experiments");
    }

    @Test
    void everyCommittedGridReadsWithItsCellsSeedsAndCommand() throws Exception {
        Path dir = dir();
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertEquals(GRIDS.keySet().stream().sorted().toList(), files, "the committed grids");
        List<String> failures = new java.util.ArrayList<>(); // every file is checked: the message lists all that fail
        for (String name : files) {
            Path f = dir.resolve(name);
            String text = Files.readString(f);
            if (!(text.startsWith("#") && text.contains("./vtm experiment --grid docs/experiments/" + name + " --out runs/"))) {
                failures.add(name + ": no header comment with the command that runs it");
            }
            Grid g;
            try {
                g = load(f);
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
                continue;
            }
            if (g.cells().size() != GRIDS.get(name)) {
                failures.add(name + ": " + g.cells().size() + " cells, expected " + GRIDS.get(name));
            }
            for (Grid.Point c : g.cells()) {
                boolean tuning = c.config().text("report.corpus").equals("validation"); // a tuning grid may use one seed
                if (c.config().integer("training.seeds") != 3 && !(tuning && c.config().integer("training.seeds") >= 1)) {
                    failures.add(name + " " + c.label() + ": training.seeds " + c.config().integer("training.seeds"));
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** E1b trains the tail head in every cell, on E1's random and rational families. */
    @Test
    void theTailHeadGridTrainsTheTailHeadInEveryCell() throws Exception {
        Grid g = load(dir().resolve("e1b-tail-head.yaml"));
        java.util.Set<String> families = new java.util.TreeSet<>();
        for (Grid.Point c : g.cells()) {
            assertEquals("tail", c.config().text("training.head"), c.label());
            assertTrue(c.config().text("training.inputs").startsWith("normalised+growth"), c.label());
            families.add(c.config().text("problem.program_family"));
        }
        assertEquals(java.util.Set.of("random", "rational"), families);
    }

    /** E2's restriction: M = C(d+n, n) ≤ 500 in every cell, and every such cell of the product is there. */
    @Test
    void theEqualCostGridHasExactlyTheCellsWithAtMost500Terms() throws Exception {
        Grid g = load(dir().resolve("e2-equal-cost.yaml"));
        int found = 0;
        for (int d : new int[] {2, 4, 8}) {
            for (int n : new int[] {3, 4, 6}) {
                long m = binomial(d + n, n);
                final int dd = d;
                final int nn = n;
                boolean present = g.cells().stream().anyMatch(c -> c.config().integer("problem.dim") == dd
                        && c.config().integer("problem.order") == nn);
                assertEquals(m <= 500, present, "d=" + d + " n=" + n + " M=" + m);
                found += present ? 1 : 0;
            }
        }
        assertEquals(g.cells().size(), found);
    }

    /**
     * Reads a grid with the expansion budget its header's command sets ({@code -Dvtm.expansion.budgetBytes=…}
     * in {@code VTM_JAVA_OPTS}), else the default; the property is restored afterwards.
     */
    static Grid load(Path f) throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-D" + java.util.regex.Pattern.quote(ExpansionBudget.PROPERTY)
                + "=(\\d+)").matcher(Files.readString(f));
        String old = System.getProperty(ExpansionBudget.PROPERTY);
        if (m.find()) {
            System.setProperty(ExpansionBudget.PROPERTY, m.group(1));
        }
        try {
            return Grid.load(f, null);
        } finally {
            if (old == null) {
                System.clearProperty(ExpansionBudget.PROPERTY);
            } else {
                System.setProperty(ExpansionBudget.PROPERTY, old);
            }
        }
    }

    static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
