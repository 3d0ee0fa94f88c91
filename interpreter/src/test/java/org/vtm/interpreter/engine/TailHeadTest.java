package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.interpreter.engine.EngineFixtures.checkNonZero;
import static org.vtm.interpreter.engine.EngineFixtures.dot;
import static org.vtm.interpreter.engine.EngineFixtures.random;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.NextOrderProjection;
import org.vtm.interpreter.engine.ParameterSet.Param;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

/**
 * The tail head {@code c[o] = a[o]·Tᵀ + ‖a[o]‖·p[o]·Q*}: its formula by hand, its gradients by central differences
 * (the layer alone and the whole network's loss), its zero start, and {@code Q*} kept in the model's state.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TailHeadTest {

    /** Equal values entry by entry ({@code ==}: bit for bit up to the sign of zero). */
    static boolean sameValues(double[] x, double[] y) {
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] == y[i])) {
                return false;
            }
        }
        return true;
    }

    private static double[] uniform(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return v;
    }

    /** The layer with random parameters against the formula computed here entry by entry. */
    @Test
    void computesTheTransformPlusTheScaledTailThroughQStar() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 4;
        int hid = 3;
        int d = 2;
        int m = 4;
        int k = 3;
        double[] t0 = uniform(rnd, m * m);
        double[] q = uniform(rnd, k * m);
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        TransformHead th = new TransformHead(ps, hid, d, m, 0.7, t0);
        TailHead head = new TailHead(ps, th, hid, d, m, k, q);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.5);
        INDArray hidden = random(rnd, 1, n, hid);
        INDArray a = random(rnd, 1, n, d, m);
        INDArray c = head.forward(hidden, a).dup();
        double[] hw = ps.get("head_W").value().dup().data().asDouble();
        double[] hb = ps.get("head_b").value().dup().data().asDouble();
        double[] u = ps.get(TailHead.W).value().dup().data().asDouble();
        double[] ub = ps.get(TailHead.B).value().dup().data().asDouble();
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < d; o++) {
                double norm = 0;
                for (int al = 0; al < m; al++) {
                    norm += a.getDouble(r, o, al) * a.getDouble(r, o, al);
                }
                norm = Math.sqrt(norm);
                double[] p = new double[k];
                for (int j = 0; j < k; j++) {
                    double v = ub[o * k + j];
                    for (int i = 0; i < hid; i++) {
                        v += hidden.getDouble(r, i) * u[i * d * k + o * k + j];
                    }
                    p[j] = v;
                }
                for (int beta = 0; beta < m; beta++) {
                    double e = 0;
                    for (int al = 0; al < m; al++) {
                        double delta = hb[beta * m + al];
                        for (int i = 0; i < hid; i++) {
                            delta += hidden.getDouble(r, i) * hw[i * m * m + beta * m + al];
                        }
                        e += (t0[beta * m + al] + 0.7 * delta) * a.getDouble(r, o, al);
                    }
                    for (int j = 0; j < k; j++) {
                        e += norm * p[j] * q[j * m + beta];
                    }
                    assertEquals(e, c.getDouble(r, o, beta), 1e-14, "c[" + r + "][" + o + "][" + beta + "]");
                }
            }
        }
    }

    /** Central differences over every entry of U, u, the transform head's W, b and the hidden input (L = Σ r ⊙ c). */
    @Test
    void layerGradientsMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(12);
        int n = 5;
        int hid = 3;
        int d = 2;
        int m = 4;
        int k = 3;
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        TransformHead th = new TransformHead(ps, hid, d, m, 0.7, uniform(rnd, m * m));
        TailHead head = new TailHead(ps, th, hid, d, m, k, uniform(rnd, k * m));
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.5);
        INDArray hidden = random(rnd, 1, n, hid);
        INDArray a = random(rnd, 1, n, d, m);
        INDArray r = random(rnd, 1, n, d, m);
        DoubleSupplier loss = () -> dot(head.forward(hidden, a), r);
        head.forward(hidden, a);
        INDArray dh = head.backward(r).dup();
        assertEquals(List.of("head_W", "head_b", TailHead.W, TailHead.B), ps.params().stream().map(Param::name).toList());
        for (Param p : ps.params()) {
            checkNonZero(p.name(), p.value(), p.grad().dup(), loss);
        }
        checkNonZero("hidden", hidden, dh, loss);
    }

    /** Small shapes (d=2, n=2, 3 steps, LSTM(4)) with several input modes and both losses. */
    static List<ModelConfig> configs() {
        ModelConfig.Head tail = ModelConfig.Head.TAIL;
        return List.of(
                new ModelConfig("chebyshev", 2, 2, 3, 4, tail, ModelConfig.Init.TFX,
                        ModelConfig.InputSpec.parse("normalised+growth"), ModelConfig.Loss.LOG_REL, 0.5, 16),
                new ModelConfig("chebyshev", 2, 2, 3, 4, tail, ModelConfig.Init.RANDOM,
                        ModelConfig.InputSpec.parse("next_order"), ModelConfig.Loss.REL, 1, 16),
                new ModelConfig("legendre", 2, 2, 3, 4, tail, ModelConfig.Init.TFX,
                        ModelConfig.InputSpec.parse("normalised+growth+structure"), ModelConfig.Loss.LOG_REL, 1e-3, 3));
    }

    /**
     * The whole network's loss (padded steps included) against central differences over every entry of every
     * parameter — the tail head's U and u among them — with random parameters.
     */
    @Test
    void wholeNetworkGradientsMatchCentralDifferences() {
        for (ModelConfig c : configs()) {
            EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 3, 21);
            Network net = fx.network(5, DataType.DOUBLE);
            EngineFixtures.randomise(net.parameterSet(), new SplittableRandom(8), 0.3);
            net.forwardBackward(fx.batch());
            Map<String, INDArray> grads = net.gradients();
            assertTrue(grads.containsKey(TailHead.W) && grads.containsKey(TailHead.B), grads.keySet().toString());
            for (Param p : net.parameterSet().params()) {
                checkNonZero(c.inputSpec() + " " + c.loss() + " " + p.name(), p.value(), grads.get(p.name()).dup(),
                        () -> net.loss(fx.batch()));
            }
        }
    }

    /**
     * Untrained, the tail network's coefficients are the transform network's of the same seed bit for bit (the tail
     * adds exact zeros); its state holds Q* (the NextOrderProjection at the fixture's sample points), and a network
     * restored from that state predicts the same after training-like changes of U and u.
     */
    @Test
    void startsAsTheTransformHeadAndKeepsQStarInItsState() {
        ModelConfig c = configs().get(0);
        ModelConfig transform = new ModelConfig(c.family(), c.dim(), c.order(), c.maxSteps(), c.hidden(),
                ModelConfig.Head.TRANSFORM, c.init(), c.inputSpec(), c.loss(), c.headScale(), c.structureWidth());
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 3, 21);
        Network tail = fx.network(5, DataType.DOUBLE);
        Network plain = Network.create(transform, fx.tfx(), fx.phi(), null, 5, DataType.DOUBLE);
        INDArray ct = tail.coefficients(fx.batch()).dup();
        INDArray cp = plain.coefficients(fx.batch()).dup();
        assertTrue(sameValues(cp.data().asDouble(), ct.data().asDouble()),
                "the untrained tail head is the transform head, bit for bit");
        assertEquals(plain.loss(fx.batch()), tail.loss(fx.batch()), 0);

        Map<String, INDArray> state = tail.state();
        double[] qStar = NextOrderProjection.fit(FunctionSet.of(FunctionFamily.byName(c.family()), 2, c.order()),
                fx.samplePoints()).matrix();
        assertEquals(2, state.get(InterpreterModel.TAIL_Q).rank());
        assertTrue(java.util.Arrays.equals(qStar, state.get(InterpreterModel.TAIL_Q).dup('c').data().asDouble()),
                "Q* in the state is the projection at the sample points");

        EngineFixtures.randomise(tail.parameterSet(), new SplittableRandom(3), 0.2);
        INDArray trained = tail.coefficients(fx.batch()).dup();
        assertTrue(trained.sub(tail.coefficients(fx.batch())).amaxNumber().doubleValue() == 0);
        Map<String, INDArray> saved = tail.state();
        Network loaded = Network.of(c, fx.phi(), saved, DataType.DOUBLE);
        assertTrue(sameValues(trained.data().asDouble(), loaded.coefficients(fx.batch()).dup().data().asDouble()),
                "a network restored from the state predicts the same");

        saved.remove(InterpreterModel.TAIL_Q);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded.restore(saved));
        assertEquals("array 'tail_Q' is missing", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Network.create(c, fx.tfx(), fx.phi(), null, 5, DataType.DOUBLE),
                "a tail network without Q*");
        IllegalArgumentException sd = assertThrows(IllegalArgumentException.class,
                () -> InterpreterModel.newGraph(c, fx.tfx(), fx.samplePoints(), 1));
        assertEquals("the SameDiff engine has no tail head; train --head tail with --engine layers", sd.getMessage());
    }

    /** The PyTorch comparison refuses the tail head in one line. */
    @Test
    void theTorchBridgeRefusesTheTailHead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ModelConfig c = configs().get(0);
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 1, 21);
        Network net = fx.network(5, DataType.DOUBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchBridge.write(dir, c,
                net.state(), fx.phi(), fx.samplePoints().length, fx.batch(), new TorchBridge.Training(1e-3, 1, 0, 0),
                DataType.DOUBLE));
        assertEquals("the PyTorch comparison has no tail head; compare --head transform or direct", e.getMessage());
    }
}
