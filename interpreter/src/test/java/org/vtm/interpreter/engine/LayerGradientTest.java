package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.interpreter.engine.EngineFixtures.check;
import static org.vtm.interpreter.engine.EngineFixtures.checkNonZero;
import static org.vtm.interpreter.engine.EngineFixtures.dot;
import static org.vtm.interpreter.engine.EngineFixtures.random;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each layer's hand-derived backward pass against double-precision central differences over every entry of
 * every parameter and of the layer's input: the scalar is {@code Σ r ⊙ output} for a fixed random {@code r},
 * whose gradient is what backward(r) returns.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LayerGradientTest {

    @Test
    void lstmGradientsOfWeightsBiasAndInputMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(1);
        int b = 2;
        int t = 4;
        int f = 3;
        int h = 3;
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        LstmLayer lstm = new LstmLayer(ps, "lstm_", f, h);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.8);
        INDArray x = random(rnd, 1, b, t, f);
        INDArray r = random(rnd, 1, b, t, h);
        java.util.function.DoubleSupplier loss = () -> dot(lstm.forward(x), r);
        lstm.forward(x);
        INDArray dx = lstm.backward(r, true).dup();
        for (Param p : ps.params()) {
            INDArray g = p.grad().dup();
            checkNonZero(p.name(), p.value(), g, loss);
        }
        checkNonZero("x", x, dx, loss);
    }

    @Test
    void lstmWithOneStepHasZeroRecurrentGradient() {
        SplittableRandom rnd = new SplittableRandom(2);
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        LstmLayer lstm = new LstmLayer(ps, "lstm_", 2, 2);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.8);
        INDArray x = random(rnd, 1, 3, 1, 2);
        INDArray r = random(rnd, 1, 3, 1, 2);
        ps.flatGradients().assign(7); // stale values must be overwritten
        lstm.forward(x);
        lstm.backward(r, false);
        for (Param p : ps.params()) {
            check(p.name(), p.value(), p.grad().dup(), () -> dot(lstm.forward(x), r));
        }
        assertTrue(ps.get("lstm_R").grad().amaxNumber().doubleValue() == 0);
    }

    @Test
    void transformHeadGradientsMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 5;
        int hid = 3;
        int d = 2;
        int m = 4;
        double[] t0 = new double[m * m];
        for (int i = 0; i < t0.length; i++) {
            t0[i] = rnd.nextDouble(-1, 1);
        }
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        TransformHead head = new TransformHead(ps, hid, d, m, 0.7, t0);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.5);
        INDArray hidden = random(rnd, 1, n, hid);
        INDArray a = random(rnd, 1, n, d, m);
        INDArray r = random(rnd, 1, n, d, m);
        java.util.function.DoubleSupplier loss = () -> dot(head.forward(hidden, a), r);
        head.forward(hidden, a);
        INDArray dh = head.backward(r).dup();
        for (Param p : ps.params()) {
            checkNonZero(p.name(), p.value(), p.grad().dup(), loss);
        }
        checkNonZero("hidden", hidden, dh, loss);
    }

    @Test
    void transformHeadWithZeroWeightsIsT0TimesA() {
        SplittableRandom rnd = new SplittableRandom(4);
        int m = 3;
        double[] t0 = new double[m * m];
        for (int i = 0; i < t0.length; i++) {
            t0[i] = rnd.nextDouble(-1, 1);
        }
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        TransformHead head = new TransformHead(ps, 2, 2, m, 1e-3, t0);
        ps.allocate();
        INDArray hidden = random(rnd, 1, 4, 2);
        INDArray a = random(rnd, 1, 4, 2, m);
        INDArray c = head.forward(hidden, a);
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 2; o++) {
                for (int beta = 0; beta < m; beta++) {
                    double e = 0;
                    for (int alpha = 0; alpha < m; alpha++) {
                        e += t0[beta * m + alpha] * a.getDouble(n, o, alpha);
                    }
                    org.junit.jupiter.api.Assertions.assertEquals(e, c.getDouble(n, o, beta), 1e-15,
                            "c[" + n + "][" + o + "][" + beta + "]");
                }
            }
        }
    }

    @Test
    void directHeadGradientsMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(5);
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        DirectHead head = new DirectHead(ps, 3, 2, 4);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.5);
        INDArray hidden = random(rnd, 1, 5, 3);
        INDArray r = random(rnd, 1, 5, 2, 4);
        java.util.function.DoubleSupplier loss = () -> dot(head.forward(hidden, null), r);
        head.forward(hidden, null);
        INDArray dh = head.backward(r).dup();
        for (Param p : ps.params()) {
            checkNonZero(p.name(), p.value(), p.grad().dup(), loss);
        }
        checkNonZero("hidden", hidden, dh, loss);
    }

    @Test
    void nextOrderTermGradientMatchesCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(6);
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        NextOrderTerm term = new NextOrderTerm(ps, 2, 3, 4);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.5);
        INDArray c0 = random(rnd, 1, 5, 2, 4);
        INDArray next = random(rnd, 1, 5, 2, 3);
        INDArray r = random(rnd, 1, 5, 2, 4);
        java.util.function.DoubleSupplier loss = () -> {
            INDArray c = c0.dup();
            term.addInPlace(c, next);
            return dot(c, r);
        };
        loss.getAsDouble();
        term.backward(r);
        Param q = ps.get("next_W");
        checkNonZero(q.name(), q.value(), q.grad().dup(), loss);
    }

    @Test
    void valuesAndBothLossesGradientsMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 6;
        int d = 2;
        int m = 3;
        int s = 5;
        double[] phi = new double[s * m];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = rnd.nextDouble(-1, 1);
        }
        INDArray c = random(rnd, 1, n, d, m);
        INDArray y = random(rnd, 1, n, d, s);
        INDArray w = random(rnd, 1, n).addi(1.5);
        INDArray mask = random(rnd, 1, n).addi(1);
        mask.putScalar(2, 0); // a padded row
        // the last: a floor ε comparable to the rows' errors, so a backward pass that ignored ε would fail the check
        for (LossLayer loss : new LossLayer[] {LossLayer.squaredError(DataType.DOUBLE), LossLayer.logRelative(DataType.DOUBLE),
            LossLayer.logRelative(DataType.DOUBLE, 3.0)}) {
            SampleValues values = new SampleValues(phi, d, m, DataType.DOUBLE);
            java.util.function.DoubleSupplier f = () -> loss.forward(values.forward(c), y, w, mask);
            f.getAsDouble();
            INDArray dc = values.backward(loss.backward()).dup();
            checkNonZero(loss.needsMask() ? "c (log loss)" : "c (squared error)", c, dc, f);
        }
    }
}
