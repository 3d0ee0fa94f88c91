package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.ProgramFamily;
import org.vtm.interpreter.train.EpochShuffle;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.LeastSquares;

/**
 * The tail head learns what the transform head cannot (design §12): on one-step programs of the {@code rational}
 * family at a fixed r/ρ the Taylor tail is geometric — every order past the first is {@code (c/B)·q^k·(ŵ·u)^k} with
 * {@code q = r/ρ} — so the next order is a function of the orders ≤ n the model reads ({@code normalised+growth}),
 * and the whole gap between {@code T_FX} and the oracle is almost all in it. Trained the same way on the same
 * programs (same seed, epochs, learning rate, data order), the tail model must close a clear part of the
 * fixed→oracle gap on held-out programs (another generator seed), and clearly more than the transform head.
 *
 * <p>Errors are relative L2 errors of each held-out program at the sample points; the gap closed is
 * {@code (e_fixed − e) / (e_fixed − e_oracle)} per program, its median over the held-out programs.
 *
 * <p>Measured when the test was written (4 epochs, four seed triples of corpora and initialisation): the tail head
 * closes 55–58 % of the gap (economised_n1, given the exact a⁺: 54 %), the transform head 23–29 %; median paired
 * log(e_tail/e_transform) −0.27 to −0.34. The tail head learns the tail faster, not something the transform head
 * cannot represent: with 12 epochs the transform head reaches 58–73 % and the tail head 71–76 % (one of the four
 * seeds a tie), so the budget here is the one at which "faster" is what is tested. About 1 s of training per head.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TailHeadLearningTest {
    static final int ORDER = 4;
    static final double POLE_RATIO = 0.6;
    static final int TRAIN = 1500;
    static final int HELD_OUT = 300;
    static final int EPOCHS = 4;
    static final int BATCH = 32;
    static final int HIDDEN = 24;
    static final double LR = 3e-3;
    static final long SEED = 5;

    /** The required median gap closed by the tail head, and its required lead over the transform head. */
    static final double MIN_GAP_CLOSED = 0.45;
    static final double MIN_LEAD = 0.15;
    /** The largest median paired log(e_tail / e_transform) accepted. */
    static final double MAX_LOG_RATIO = -0.15;

    /** What one run measured: the median gaps closed and the median paired log(e_tail / e_transform). */
    record Outcome(double gapTail, double gapTransform, double gapEconomised, double tailVersusTransform, String summary) {
    }

    @Test
    void theTailHeadPredictsTheGeometricTailOfRationalProgramsAndBeatsFixedAndTheTransformHead() {
        Outcome r = run(31, 32, SEED, EPOCHS);
        System.out.println(r.summary());
        assertTrue(r.gapEconomised() > 0.4, "the corpus' gap is largely in the next order (else the test says nothing): "
                + r.summary());
        assertTrue(r.gapTail() >= MIN_GAP_CLOSED, "the tail head closes at least " + 100 * MIN_GAP_CLOSED + " %: "
                + r.summary());
        assertTrue(r.gapTail() >= r.gapTransform() + MIN_LEAD, "the tail head leads the transform head by "
                + 100 * MIN_LEAD + " points: " + r.summary());
        assertTrue(r.tailVersusTransform() <= MAX_LOG_RATIO, "median log(e_tail / e_transform) ≤ " + MAX_LOG_RATIO + ": "
                + r.summary());
    }

    /** Trains both heads on programs of generator seed {@code trainSeed} and evaluates them on {@code heldSeed}'s. */
    static Outcome run(long trainSeed, long heldSeed, long seed, int epochs) {
        GeneratorConfig gc = GeneratorConfig.defaults(2, ORDER, "chebyshev", 1, 1)
                .withProgramFamily(ProgramFamily.RATIONAL).withPoleRatio(POLE_RATIO, POLE_RATIO);
        CorpusGenerator trainGen = new CorpusGenerator(gc, trainSeed);
        CorpusGenerator heldGen = new CorpusGenerator(gc, heldSeed);
        int s = trainGen.layout().samples();
        double[][] pts = trainGen.layout().samplePoints();
        List<StepDataset.Sample> train = new ArrayList<>();
        for (int i = 0; i < TRAIN; i++) {
            train.add(StepDataset.Sample.of(trainGen.record(i), s, ORDER));
        }
        List<StepDataset.Sample> held = new ArrayList<>();
        for (int i = 0; i < HELD_OUT; i++) {
            held.add(StepDataset.Sample.of(heldGen.record(i), s, ORDER));
        }
        FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), 2, ORDER);
        double[] tfx = BasisTransform.of(set).tfx();
        double[] phi = set.designMatrix(pts);
        int m = set.size();
        ModelConfig.InputSpec inputs = ModelConfig.InputSpec.parse("normalised+growth");

        double[] fixed = new double[HELD_OUT];
        double[] oracle = new double[HELD_OUT];
        double[] economised = new double[HELD_OUT];
        LeastSquares ls = LeastSquares.of(phi, s, m);
        NextOrderProjection qStar = NextOrderProjection.fit(set, pts);
        for (int i = 0; i < HELD_OUT; i++) {
            StepDataset.Sample h = held.get(i);
            double[] c = new double[2 * m];
            double[] oc = new double[2 * m];
            for (int o = 0; o < 2; o++) {
                for (int b = 0; b < m; b++) {
                    for (int a = 0; a < m; a++) {
                        c[o * m + b] += tfx[b * m + a] * h.prefix()[o * m + a];
                    }
                }
                System.arraycopy(ls.solve(Arrays.copyOfRange(h.values(), o * s, (o + 1) * s)), 0, oc, o * m, m);
            }
            fixed[i] = error(c, h, phi, m, s);
            oracle[i] = error(oc, h, phi, m, s);
            economised[i] = error(qStar.coefficients(tfx, h.prefix(), h.next()), h, phi, m, s);
        }

        long start = System.nanoTime();
        double[] tail = heldOutErrors(trained(ModelConfig.Head.TAIL, inputs, tfx, pts, train, s, seed, epochs), ModelConfig.Head.TAIL,
                inputs, held, phi, m, s);
        double tailSeconds = (System.nanoTime() - start) / 1e9;
        double[] transform = heldOutErrors(trained(ModelConfig.Head.TRANSFORM, inputs, tfx, pts, train, s, seed, epochs),
                ModelConfig.Head.TRANSFORM, inputs, held, phi, m, s);

        double gapTail = medianGapClosed(fixed, tail, oracle);
        double gapTransform = medianGapClosed(fixed, transform, oracle);
        double gapEconomised = medianGapClosed(fixed, economised, oracle);
        String summary = String.format(Locale.ROOT, "held-out median rel. error: fixed %.3e, transform %.3e, tail %.3e, "
                + "economised_n1 (exact a+) %.3e, oracle %.3e; median gap closed: transform %.1f %%, tail %.1f %%, "
                + "economised_n1 %.1f %%; tail training %.1f s", median(fixed), median(transform), median(tail),
                median(economised), median(oracle), 100 * gapTransform, 100 * gapTail, 100 * gapEconomised, tailSeconds);
        double[] logRatio = new double[HELD_OUT];
        for (int i = 0; i < HELD_OUT; i++) {
            logRatio[i] = Math.log(tail[i] / transform[i]);
        }
        summary += String.format(Locale.ROOT, "; median log(e_tail / e_transform) %.3f", median(logRatio));
        return new Outcome(gapTail, gapTransform, gapEconomised, median(logRatio), summary);
    }

    /** A model of {@code head} trained on {@code train}: the same seed, data order, epochs and learning rate for each. */
    private static TrainingEngine trained(ModelConfig.Head head, ModelConfig.InputSpec inputs, double[] tfx, double[][] pts,
            List<StepDataset.Sample> train, int s, long seed, int epochs) {
        ModelConfig c = config(head, inputs);
        TrainingEngine e = TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(c, tfx, pts, seed, LR,
                TrainerConfig.Precision.FLOAT64);
        BatchPacker packer = new BatchPacker(c, train, 1, s);
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = EpochShuffle.permutation(seed, epoch, train.size());
            for (int from = 0; from < train.size(); from += BATCH) {
                e.fit(packer.training(order, from, Math.min(train.size(), from + BATCH)), 1, 1);
            }
        }
        return e;
    }

    private static ModelConfig config(ModelConfig.Head head, ModelConfig.InputSpec inputs) {
        return new ModelConfig("chebyshev", 2, ORDER, 1, HIDDEN, head, ModelConfig.Init.TFX, inputs,
                ModelConfig.Loss.LOG_REL, 1e-3, ModelConfig.DEFAULT_STRUCTURE_WIDTH);
    }

    private static double[] heldOutErrors(TrainingEngine e, ModelConfig.Head head, ModelConfig.InputSpec inputs,
            List<StepDataset.Sample> held, double[] phi, int m, int s) {
        INDArray c = e.coefficients(ModelInputs.inputs(config(head, inputs), held, 1));
        double[] flat = c.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[held.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = error(Arrays.copyOfRange(flat, i * 2 * m, (i + 1) * 2 * m), held.get(i), phi, m, s);
        }
        return out;
    }

    /** Relative L2 error of coefficients {@code c} ([d][M]) at the sample points against the program's values. */
    private static double error(double[] c, StepDataset.Sample h, double[] phi, int m, int s) {
        double num = 0;
        double den = 0;
        for (int o = 0; o < 2; o++) {
            for (int q = 0; q < s; q++) {
                double v = 0;
                for (int b = 0; b < m; b++) {
                    v += phi[q * m + b] * c[o * m + b];
                }
                double y = h.values()[o * s + q];
                num += (v - y) * (v - y);
                den += y * y;
            }
        }
        return Math.sqrt(num / den);
    }

    private static double medianGapClosed(double[] fixed, double[] method, double[] oracle) {
        double[] g = new double[fixed.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (fixed[i] - method[i]) / (fixed[i] - oracle[i]);
        }
        return median(g);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
