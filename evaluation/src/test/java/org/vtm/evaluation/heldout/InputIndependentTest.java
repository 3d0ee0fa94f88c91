package org.vtm.evaluation.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.interpreter.NextOrderProjection;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InputIndependentTest {
    @TempDir
    static Path dir;
    static CorpusReader corpus;
    static List<CorpusRecord> records;

    @BeforeAll
    static void writeCorpus() throws Exception {
        Path c = dir.resolve("corpus");
        CorpusGenerator g = new CorpusGenerator(GeneratorConfig.defaults(2, 2, "chebyshev", 1, 3), 11);
        new CorpusWriter(g.layout(), 64, 32, 2).write(c, 60, 11, g.config().toJson(), g::record, null);
        corpus = CorpusReader.open(c);
        records = corpus.records(CorpusFilter.ALL);
    }

    /**
     * The fit converges to a stationary point of the learned model's log loss: no small step in a
     * random direction lowers it, and it is at least as good as the two constant maps we know —
     * ΔT = 0, Q = 0 (fixed T_FX) and ΔT = 0, Q = Q* (economised n+1).
     */
    @Test
    void convergesToAMinimumNoWorseThanFixedOrQStar() {
        InputIndependent fit = InputIndependent.fit(corpus.layout(), records, true);
        assertTrue(fit.converged(), "converged in " + fit.steps() + " steps");
        assertTrue(fit.hasNextOrder());
        InputIndependent.Problem pr = InputIndependent.problem(corpus.layout(), records, true);
        double[] p = fit.parameters();
        int m = pr.m();
        int w = pr.width();
        assertEquals(fit.startLoss(), pr.loss(new double[m * w]), 1e-12, "start = fixed T_FX");
        assertEquals(fit.loss(), pr.loss(p), 1e-12);
        FunctionSet set = FunctionSet.of(FunctionFamily.byName("chebyshev"), 2, 2);
        double[] q = NextOrderProjection.fit(set, corpus.layout().samplePoints()).matrix(); // K × M
        double[] qStar = new double[m * w];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < pr.k(); j++) {
                qStar[i * w + m + j] = q[j * m + i];
            }
        }
        double atQStar = pr.loss(qStar);
        assertTrue(fit.loss() <= atQStar + 1e-9, "fit " + fit.loss() + " vs Q* " + atQStar);
        assertTrue(atQStar < fit.startLoss(), "Q* beats fixed on the training rows: " + atQStar + " vs " + fit.startLoss());
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] v = p.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += 1e-5 * (Math.abs(p[i]) + 1e-3) * (rng.nextDouble() - 0.5);
            }
            assertTrue(pr.loss(v) >= fit.loss() - 1e-9, "a nearby point is better: " + pr.loss(v) + " < " + fit.loss());
        }
    }

    /** Without a⁺ only ΔT is fitted; it still never ends worse than fixed T_FX. */
    @Test
    void withoutNextOrderTermsOnlyDeltaTIsFitted() {
        InputIndependent fit = InputIndependent.fit(corpus.layout(), records, false);
        assertTrue(!fit.hasNextOrder());
        assertEquals(6 * 6, fit.parameters().length, "M = C(2+2, 2) = 6");
        assertTrue(fit.loss() <= fit.startLoss());
        CorpusRecord r = records.get(0);
        double[] c = fit.method(2).of(r, 0);
        assertEquals(r.fixedCoefficients()[0].length, c.length);
    }

    /**
     * The floor ε of the log loss is the learned model's ({@code training.loss_eps}): the fit's objective is
     * {@code mean log(ε + e)}, so its loss at the untouched T_FX is exactly that mean for each ε, and the fit is
     * a local minimum of its own objective (the first-order check above, at ε = 1e-24).
     */
    @Test
    void theFitUsesTheGivenLossFloor() {
        InputIndependent.Problem coarse = InputIndependent.problem(corpus.layout(), records, false);
        InputIndependent.Problem fine = coarse.withEps(1e-24);
        double[] zero = new double[coarse.m() * coarse.width()];
        InputIndependent fitFine = InputIndependent.fit(corpus.layout(), records, false, 1e-24);
        InputIndependent fitCoarse = InputIndependent.fit(corpus.layout(), records, false);
        assertEquals(fine.loss(zero), fitFine.startLoss(), 1e-12);
        assertEquals(coarse.loss(zero), fitCoarse.startLoss(), 1e-12);
        assertTrue(fine.loss(zero) < coarse.loss(zero), "a smaller floor lowers every log(ε + e)");
        double[] p = fitFine.parameters();
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 10; trial++) {
            double[] v = p.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += 1e-5 * (Math.abs(p[i]) + 1e-3) * (rng.nextDouble() - 0.5);
            }
            assertTrue(fine.loss(v) >= fitFine.loss() - 1e-9, "a nearby point is better: " + fine.loss(v) + " < " + fitFine.loss());
        }
        assertThrows(IllegalArgumentException.class, () -> InputIndependent.fit(corpus.layout(), records, false, 0));
    }
}
