package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.interpreter.engine.EngineFixtures.assertClose;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;

/** The composed network against the SameDiff graph of InterpreterModel, and its own gradient check. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NetworkTest {

    /** Every input mode, both heads, both losses (small shapes: d=2, n=2, 3 steps, LSTM(4)). */
    static List<ModelConfig> configs() {
        ModelConfig.Head tr = ModelConfig.Head.TRANSFORM;
        ModelConfig.Init rnd = ModelConfig.Init.RANDOM;
        return List.of(
                new ModelConfig("chebyshev", 2, 2, 3, 4, tr, rnd, ModelConfig.Inputs.ASINH, ModelConfig.Loss.REL, 1),
                new ModelConfig("chebyshev", 2, 2, 3, 4, tr, rnd, ModelConfig.Inputs.NORMALISED, ModelConfig.Loss.LOG_REL, 0.5),
                new ModelConfig("chebyshev", 2, 2, 3, 4, tr, rnd, ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 0.5),
                new ModelConfig("chebyshev", 2, 2, 3, 4, tr, rnd, ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.REL, 1e-3),
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, rnd, ModelConfig.Inputs.ASINH,
                        ModelConfig.Loss.REL, 1),
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, rnd, ModelConfig.Inputs.NEXT_ORDER,
                        ModelConfig.Loss.LOG_REL, 1),
                // the growth flag: extra LSTM input columns, the same in the graph and the engine
                new ModelConfig("chebyshev", 2, 2, 3, 4, tr, rnd, ModelConfig.InputSpec.parse("asinh+growth"),
                        ModelConfig.Loss.REL, 1, 16),
                new ModelConfig("chebyshev", 2, 2, 3, 4, tr, rnd, ModelConfig.InputSpec.parse("normalised+growth"),
                        ModelConfig.Loss.LOG_REL, 0.5, 16),
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, rnd,
                        ModelConfig.InputSpec.parse("next_order+growth"), ModelConfig.Loss.LOG_REL, 1, 16));
    }

    /**
     * ∂L/∂x of the LSTM over every entry of a real packed input with growth columns (L = Σ r ⊙ h): the columns the
     * growth flag adds are back-propagated like the others.
     */
    @Test
    void lstmInputGradientWithGrowthColumnsMatchesCentralDifferences() {
        ModelConfig c = configs().get(7);
        assertTrue(c.growth());
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 2, 21);
        INDArray x = fx.batch().get(InterpreterModel.X).castTo(DataType.DOUBLE).dup();
        assertEquals(c.features(), x.size(2));
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        LstmLayer lstm = new LstmLayer(ps, "lstm_", c.features(), 3);
        ps.allocate();
        SplittableRandom rnd = new SplittableRandom(4);
        EngineFixtures.randomise(ps, rnd, 0.5);
        INDArray r = EngineFixtures.random(rnd, 1, x.size(0), x.size(1), 3);
        lstm.forward(x);
        INDArray dx = lstm.backward(r, true).dup();
        EngineFixtures.checkNonZero("dx", x, dx, () -> EngineFixtures.dot(lstm.forward(x), r));
        // the growth block's own entries carry gradient (the check above covers them with the rest)
        int from = c.dim() + c.dim() * c.terms() + c.dim();
        double g = 0;
        for (int j = from; j < from + c.growthColumns(); j++) {
            g = Math.max(g, Math.abs(dx.getDouble(0, 0, j)));
        }
        assertTrue(g > 0, "no gradient on the growth columns");
    }

    /**
     * The LSTM layout: the engine's layer and ND4J's lstmLayer (NTS, the configuration of InterpreterModel) on the
     * same W [F,4H], R [H,4H], b [4H] and input give the same hidden states.
     */
    @Test
    void lstmLayerMatchesNd4jLstmLayerOnTheSameParameters() {
        SplittableRandom rnd = new SplittableRandom(11);
        int b = 3;
        int t = 5;
        int f = 4;
        int h = 6;
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        LstmLayer lstm = new LstmLayer(ps, "lstm_", f, h);
        ps.allocate();
        EngineFixtures.randomise(ps, rnd, 0.9);
        INDArray x = EngineFixtures.random(rnd, 1.5, b, t, f);

        SameDiff sd = SameDiff.create();
        SDVariable xs = sd.constant("x", x.dup());
        SDVariable w = sd.constant("W", ps.get("lstm_W").value().dup());
        SDVariable r = sd.constant("R", ps.get("lstm_R").value().dup());
        SDVariable bias = sd.constant("b", ps.get("lstm_b").value().dup());
        LSTMLayerConfig cfg = LSTMLayerConfig.builder().lstmdataformat(LSTMDataFormat.NTS)
                .directionMode(LSTMDirectionMode.FWD).gateAct(LSTMActivations.SIGMOID).cellAct(LSTMActivations.TANH)
                .outAct(LSTMActivations.TANH).retFullSequence(true).retLastC(false).retLastH(false).build();
        SDVariable out = sd.rnn().lstmLayer(xs, LSTMLayerWeights.builder().weights(w).rWeights(r).bias(bias).build(), cfg)[0];
        INDArray expected = out.eval();
        INDArray actual = lstm.forward(x);
        assertEquals(List.of(b, t, h).toString(), List.of(actual.size(0), actual.size(1), actual.size(2)).toString());
        assertClose(expected, actual, 1e-13, "h");
        // the check is not vacuous: swapping two gate blocks of W changes the output
        INDArray wv = ps.get("lstm_W").value();
        INDArray block = wv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, h)).dup();
        wv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, h))
                .assign(wv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * h, 3 * h)));
        wv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * h, 3 * h))
                .assign(block);
        double diff = lstm.forward(x).sub(expected).amaxNumber().doubleValue();
        assertTrue(diff > 1e-3, "gate blocks i and g are interchangeable? max diff " + diff);
    }

    /** Same seed ⇒ the same initial parameters and T_0 as InterpreterModel.build, for both inits and both heads. */
    @Test
    void initialisationEqualsInterpreterModel() {
        for (ModelConfig c : List.of(configs().get(2), configs().get(4), new ModelConfig("chebyshev", 2, 2, 3, 4,
                ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX, ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3))) {
            EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 1, 3);
            SameDiff sd = fx.graph(17);
            Network net = fx.network(17, DataType.DOUBLE);
            Map<String, INDArray> expected = InterpreterModel.state(sd);
            Map<String, INDArray> actual = net.state();
            assertEquals(expected.keySet(), actual.keySet(), c.toString());
            for (String k : expected.keySet()) {
                assertEquals(expected.get(k), actual.get(k), c + ": " + k);
            }
        }
    }

    /** Loss, coefficients and every gradient equal the SameDiff graph's on the same parameters and batch. */
    @ParameterizedTest
    @MethodSource("configs")
    void lossCoefficientsAndGradientsEqualSameDiff(ModelConfig c) {
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 3, 21);
        SameDiff sd = fx.graph(5);
        Network net = Network.of(c, fx.phi(), InterpreterModel.state(sd), DataType.DOUBLE);
        List<String> names = InterpreterModel.parameterNames(sd);
        assertEquals(names, net.parameterNames());
        var r = sd.calculateGradientsAndOutputs(fx.batch(), List.of(InterpreterModel.LOSS, InterpreterModel.COEFFICIENTS),
                names);
        double expectedLoss = r.getOutputs().get(InterpreterModel.LOSS).getDouble(0);
        double loss = net.forwardBackward(fx.batch());
        assertEquals(expectedLoss, loss, 1e-12 * Math.max(1, Math.abs(expectedLoss)), "loss");
        for (String p : names) {
            assertClose(r.getGradients().get(p), net.gradients().get(p), 1e-11, c + ": gradient of " + p);
        }
        assertClose(r.getOutputs().get(InterpreterModel.COEFFICIENTS), net.coefficients(fx.batch()), 1e-12,
                "coefficients");
        assertEquals(expectedLoss, net.loss(fx.batch()), 1e-12 * Math.max(1, Math.abs(expectedLoss)), "forward-only loss");
    }

    /**
     * forward+backward of the whole model against central differences over every entry of every parameter, with
     * padded steps in the batch (programs of 1–3 steps padded to 3).
     */
    @ParameterizedTest
    @MethodSource("configs")
    void wholeModelGradientsMatchCentralDifferences(ModelConfig c) {
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 3, 21);
        Network net = fx.network(5, DataType.DOUBLE);
        if (c.inputs() == ModelConfig.Inputs.NEXT_ORDER) {
            EngineFixtures.randomise(net.parameterSet(), new SplittableRandom(8), 0.3); // Q ≠ 0 etc.
        }
        net.forwardBackward(fx.batch());
        Map<String, INDArray> grads = net.gradients();
        for (Param p : net.parameterSet().params()) {
            EngineFixtures.checkNonZero(c.head() + "/" + c.inputs() + "/" + c.loss() + " " + p.name(), p.value(),
                    grads.get(p.name()).dup(), () -> net.loss(fx.batch()));
        }
    }

    @Test
    void restoreNamesTheMissingOrMisShapedArray() {
        ModelConfig c = configs().get(2);
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 1, 3);
        Network net = fx.network(1, DataType.DOUBLE);
        Map<String, INDArray> state = net.state();
        state.remove("next_W");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.restore(state));
        assertEquals("array 'next_W' is missing", e.getMessage());
        Map<String, INDArray> bad = net.state();
        bad.put("lstm_R", bad.get("lstm_R").reshape(-1));
        e = assertThrows(IllegalArgumentException.class, () -> net.restore(bad));
        assertTrue(e.getMessage().startsWith("array 'lstm_R' has shape ["), e.getMessage());
    }
}
