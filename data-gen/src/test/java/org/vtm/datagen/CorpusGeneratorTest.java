package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.Expander;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;
import org.vtm.transforms.TensorSeries;

/** Real generated records: determinism, and every stored number re-derived by an independent route. */
class CorpusGeneratorTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.defaults(2, 4, "chebyshev", 1, 4);

    @Test
    void recordDependsOnlyOnSeedAndIndex() {
        CorpusGenerator a = new CorpusGenerator(CONFIG, 7);
        CorpusGenerator b = new CorpusGenerator(CONFIG, 7);
        assertEquals(a.record(5), b.record(5));
        b.record(0);
        b.record(9);
        assertEquals(a.record(5), b.record(5), "other records drawn before do not matter");
        assertNotEquals(a.record(5).program(), new CorpusGenerator(CONFIG, 8).record(5).program());
        assertNotEquals(a.record(5).program(), a.record(6).program());
    }

    @Test
    void storedNumbersMatchAnIndependentRecomputation() {
        CorpusGenerator g = new CorpusGenerator(CONFIG, 11);
        CorpusLayout layout = g.layout();
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, 4));
        MultiIndexSet alphas = MultiIndexSet.of(2, 4);
        double[][] u = layout.samplePoints();
        for (long i = 0; i < 12; i++) {
            CorpusRecord r = g.record(i);
            Program p = Program.parse(r.program());
            assertEquals(r.program(), p.text(), "stored text is canonical");
            assertEquals(p.steps().size(), r.steps());
            double radius = r.radius();
            for (int k = 0; k < r.steps(); k++) {
                Program prefix = Program.of(p.steps().subList(0, k + 1));
                // prefix expansion: direct expansion of the prefix program (not composition), scaled
                TensorSeries direct = Expander.expand(prefix, r.point(), 4);
                double[] c = direct.coefficients();
                double[] a = r.prefixExpansion()[k];
                for (int j = 0; j < c.length; j++) {
                    double scaled = c[j] * Math.pow(radius, alphas.degree(j % alphas.size()));
                    // composition and direct expansion round differently: relative 1e-9 of the largest term
                    assertEquals(scaled, a[j], 1e-9 * (1 + maxAbs(a)), "record " + i + " prefix " + k + " coefficient " + j);
                }
                // fixed coefficients: T_FX applied to the stored scaled expansion
                double[] fixed = t.apply(direct, radius).coefficients();
                assertArrayEquals(fixed, r.fixedCoefficients()[k], 1e-9 * (1 + maxAbs(fixed)), "record " + i);
                // sample values: plain execution at v0 + r·u_s
                double[] values = r.sampleValues()[k];
                for (int s = 0; s < u.length; s++) {
                    double[] x = {r.point()[0] + radius * u[s][0], r.point()[1] + radius * u[s][1]};
                    double[] y = prefix.execute(x);
                    assertEquals(y[0], values[s * 2], 0.0, "exact values, record " + i);
                    assertEquals(y[1], values[s * 2 + 1], 0.0);
                }
                double[] e = r.errors()[k];
                // the oracle is the least-squares optimum over these very points: it cannot lose to T_FX
                assertTrue(e[4] <= e[2] * (1 + 1e-9) + 1e-13, "oracle " + e[4] + " vs fixed " + e[2] + ", record " + i);
                // for a polynomial family the fixed series is the Taylor polynomial itself
                assertEquals(e[0], e[2], 1e-9 * (1 + e[0]), "taylor vs fixed, record " + i);
            }
            assertArrayEquals(r.point(), r.stepPoints()[0]);
        }
    }

    @Test
    void hostileOperatorMixesAreRejectedAndCounted() {
        GeneratorConfig risky = new GeneratorConfig(1, 3, "legendre", 1, 2, 3, Map.of("/", 1.0, "log", 1.0, "-", 1.0),
                -2, 2, -1, 1, 0.2, 0.9, 1e6);
        CorpusGenerator g = new CorpusGenerator(risky, 3);
        long rejected = 0;
        for (long i = 0; i < 30; i++) {
            CorpusRecord r = g.record(i);
            rejected += r.rejectedBefore();
            for (double[] step : r.sampleValues()) {
                assertTrue(Arrays.stream(step).allMatch(v -> Math.abs(v) <= 1e6), r.program());
            }
        }
        assertTrue(rejected > 0, "log and division over [-1,1] regions must produce rejections");
    }

    @Test
    void threadCountAndShardSizeDoNotChangeTheBytes(@TempDir Path tmp) throws IOException {
        CorpusGenerator g = new CorpusGenerator(CONFIG, 7);
        Manifest one = new CorpusWriter(g.layout(), 20, 8, 1).write(tmp.resolve("one"), 40, 7, CONFIG.toJson(), g::record, null);
        Manifest two = new CorpusWriter(g.layout(), 20, 8, 2).write(tmp.resolve("two"), 40, 7, CONFIG.toJson(), g::record, null);
        for (int k = 0; k < one.shards().size(); k++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(one.shards().get(k).file())),
                    Files.readAllBytes(tmp.resolve("two").resolve(two.shards().get(k).file())));
        }
        new CorpusWriter(g.layout(), 7, 8, 2).write(tmp.resolve("three"), 40, 7, CONFIG.toJson(), g::record, null);
        List<CorpusRecord> a = CorpusReader.open(tmp.resolve("one")).records(CorpusFilter.ALL);
        assertEquals(a, CorpusReader.open(tmp.resolve("three")).records(CorpusFilter.ALL));
        assertEquals(40, a.size());
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
