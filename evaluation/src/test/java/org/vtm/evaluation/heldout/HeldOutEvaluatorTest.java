package org.vtm.evaluation.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.ErrorColumn;
import org.vtm.datagen.GeneratorConfig;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeldOutEvaluatorTest {
    @TempDir
    static Path dir;
    static Path corpus;

    @BeforeAll
    static void writeCorpus() throws Exception {
        corpus = dir.resolve("corpus");
        CorpusGenerator g = new CorpusGenerator(GeneratorConfig.defaults(2, 2, "chebyshev", 1, 3), 7);
        new CorpusWriter(g.layout(), 64, 32, 2).write(corpus, 30, 7, g.config().toJson(), g::record, null);
    }

    /**
     * A method given by the corpus' own fixed and oracle coefficients scores exactly what the corpus
     * generator recorded for them (Φ·c at the sample points against the exact values): the design
     * matrix, the value layout and the named columns agree.
     */
    @Test
    void coefficientsAreScoredAsTheCorpusScoredThem() throws Exception {
        HeldOutEvaluator.Errors e = HeldOutEvaluator.open(corpus)
                .corpusColumn("fixed", ErrorColumn.FIXED_REL_L2)
                .coefficients("fixed again", (r, t) -> r.fixedCoefficients()[t])
                .corpusColumn("oracle", ErrorColumn.ORACLE_REL_L2)
                .coefficients("oracle again", (r, t) -> r.oracleCoefficients()[t])
                .evaluate(HeldOutEvaluator.Scope.PREFIXES, null);
        assertEquals(List.of("fixed", "fixed again", "oracle", "oracle again"), e.methods());
        for (HeldOutEvaluator.Row row : e.rows()) {
            double[] v = row.errors();
            assertEquals(row.record().errors()[row.step()][2], v[0]);
            assertEquals(v[0], v[1], 1e-12 * Math.max(1, v[0]), "record " + row.record().index() + " step " + row.step());
            assertEquals(row.record().errors()[row.step()][4], v[2]);
            assertEquals(v[2], v[3], 1e-12 * Math.max(1, v[2]), "record " + row.record().index() + " step " + row.step());
        }
    }

    @Test
    void programsScopeScoresTheLastPrefixAndPrefixesScopeEveryOne() throws Exception {
        HeldOutEvaluator ev = HeldOutEvaluator.open(corpus).corpusColumn("taylor", ErrorColumn.TAYLOR_REL_L2);
        List<CorpusRecord> records = ev.records();
        int[] progress = {0, 0};
        HeldOutEvaluator.Errors programs = ev.evaluate(HeldOutEvaluator.Scope.PROGRAMS, (done, total) -> {
            assertTrue(done > progress[0], "progress grows");
            progress[0] = done;
            progress[1] = total;
        });
        assertEquals(records.size(), progress[0]);
        assertEquals(records.size(), progress[1]);
        assertEquals(records.size(), programs.rows().size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(records.get(i).steps() - 1, programs.rows().get(i).step());
        }
        HeldOutEvaluator.Errors prefixes = ev.evaluate(HeldOutEvaluator.Scope.PREFIXES, null);
        assertEquals(records.stream().mapToInt(CorpusRecord::steps).sum(), prefixes.rows().size());
        double[] all = prefixes.rows().stream().mapToDouble(r -> r.errors()[0]).sorted().toArray();
        int n = all.length;
        assertEquals(n % 2 == 1 ? all[n / 2] : 0.5 * (all[n / 2 - 1] + all[n / 2]), prefixes.median("taylor", prefixes.rows()));
        long better = prefixes.rows().stream().filter(r -> r.errors()[0] < r.record().errors()[r.step()][2]).count();
        HeldOutEvaluator.Errors both = HeldOutEvaluator.open(corpus).corpusColumn("taylor", ErrorColumn.TAYLOR_REL_L2)
                .corpusColumn("fixed", ErrorColumn.FIXED_REL_L2).evaluate(HeldOutEvaluator.Scope.PREFIXES, null);
        assertEquals(better, both.better("taylor", "fixed", both.rows()));
    }

    @Test
    void methodNamesAreUniqueAndKnown() throws Exception {
        HeldOutEvaluator ev = HeldOutEvaluator.open(corpus).corpusColumn("fixed", ErrorColumn.FIXED_REL_L2);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ev.corpusColumn("fixed", ErrorColumn.ORACLE_REL_L2));
        assertTrue(twice.getMessage().contains("'fixed'"), twice.getMessage());
        HeldOutEvaluator.Errors e = ev.evaluate(HeldOutEvaluator.Scope.PROGRAMS, null);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> e.median("learned", e.rows()));
        assertTrue(unknown.getMessage().contains("'learned'") && unknown.getMessage().contains("[fixed]"), unknown.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> ev.requireCompatible("model m", "legendre", 2, 2));
        assertTrue(other.getMessage().contains("model m is for legendre d=2 n=2") && other.getMessage().contains("chebyshev"),
                other.getMessage());
    }
}
