package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer engine ({@link CharEngine}) against the SameDiff graph ({@link CharNetwork.Segment}) in double
 * precision: loss, every parameter gradient, the carried state out, logits, Θ and the access maps agree to 1e-10,
 * for the STM with both write modes, both Θ forms and both head activations, and for the plain LSTM; and the
 * engine's gradient of a whole segment matches central finite differences of its own loss for every entry.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CharEngineParityTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    static StmConfig config(StmConfig.ThetaForm form, StmConfig.WriteMode mode, StmConfig.ThetaActivation act) {
        return new StmConfig(5, 2, 4, 5, 6, 3, 3, form, act, mode, 0.5, 0.3, 0.7, StmConfig.MemoryInit.UNIFORM, 0.5,
                5L);
    }

    /** All parameters perturbed (biases too), so no gradient is trivially zero. */
    static void perturb(CharNetwork net, SplittableRandom r) {
        for (INDArray a : net.params().values()) {
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, a.getDouble(i) + 0.3 * (r.nextDouble() - 0.5));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FULL,BILINEAR,TANH", "FULL,NEAREST,TANH", "SCALE_SHIFT,BILINEAR,TANH", "SCALE_SHIFT,NEAREST,TANH",
        "FULL,BILINEAR,IDENTITY", "FULL,NEAREST,IDENTITY", "SCALE_SHIFT,BILINEAR,IDENTITY",
        "SCALE_SHIFT,NEAREST,IDENTITY"})
    void stmMatchesTheGraph(StmConfig.ThetaForm form, StmConfig.WriteMode mode, StmConfig.ThetaActivation act) {
        CharNetwork net = CharNetwork.stm(config(form, mode, act), DataType.DOUBLE);
        perturb(net, new SplittableRandom(3));
        compare(net, 3, 4, new SplittableRandom(11));
    }

    @Test
    void lstmMatchesTheGraph() {
        CharNetwork net = CharNetwork.lstm(5, 3, 6, 2L, DataType.DOUBLE);
        perturb(net, new SplittableRandom(4));
        compare(net, 3, 4, new SplittableRandom(12));
    }

    @Test
    void defaultShapeMatchesTheGraph() {
        // the benchmark's shapes (20x20 memory, 10x10 word, 3 layers) at a small batch and segment
        CharNetwork net = CharNetwork.stm(StmConfig.defaults(12, 3), DataType.DOUBLE);
        compare(net, 2, 3, new SplittableRandom(13));
    }

    static void compare(CharNetwork net, int batch, int steps, SplittableRandom r) {
        INDArray x = StmGradientTest.oneHot(batch, steps, net.vocab(), r);
        INDArray y = StmGradientTest.oneHot(batch, steps, net.vocab(), r);
        Map<String, INDArray> state = StmGradientTest.randomState(net, batch, r);
        CharNetwork.Segment seg = net.segment(batch, steps);
        seg.syncParams();
        List<String> outs = new ArrayList<>(seg.stateOutputs());
        outs.add("loss");
        boolean stm = net.kind() == CharNetwork.Kind.STM;
        for (int t = 0; t < steps; t++) {
            outs.add("logits_" + t);
            for (int l = 0; stm && l < net.layers(); l++) {
                outs.add("read_l" + l + "_t" + t);
                outs.add("write_l" + l + "_t" + t);
                outs.add("theta_l" + l + "_t" + t);
            }
        }
        OutAndGrad og = seg.sameDiff().calculateGradientsAndOutputs(seg.feed(x, y, state), outs,
                new ArrayList<>(net.params().keySet()));
        CharEngine engine = new CharEngine(net, batch, steps);
        double loss = engine.forwardBackward(x, y, state);
        Map<String, INDArray> o = og.getOutputs();
        assertEquals(o.get("loss").getDouble(0), loss, 1e-10, "loss");
        for (String name : net.params().keySet()) {
            close(og.getGradients().get(name), engine.gradient(name), "gradient of " + name);
        }
        Map<String, INDArray> next = engine.state();
        for (String name : net.stateNames()) {
            close(o.get("out_" + name), next.get(name).reshape(-1).toDoubleVector(), "state " + name);
        }
        for (int t = 0; t < steps; t++) {
            close(o.get("logits_" + t), flat(engine.logits(t)), "logits " + t);
            for (int l = 0; stm && l < net.layers(); l++) {
                close(o.get("read_l" + l + "_t" + t), flat(engine.readMap(l, t)), "read map " + l + "," + t);
                close(o.get("write_l" + l + "_t" + t), flat(engine.writeMap(l, t)), "write map " + l + "," + t);
                close(o.get("theta_l" + l + "_t" + t), flat(engine.theta(l, t)), "theta " + l + "," + t);
            }
        }
        // the forward-only path gives the same loss and state
        CharEngine eval = new CharEngine(net, batch, steps);
        assertEquals(loss, eval.forward(x, y, state), 0.0);
        close(next.get(net.stateNames().get(0)), eval.state().get(net.stateNames().get(0)).reshape(-1).toDoubleVector(),
                "forward-only state");
    }

    static double[] flat(double[][] rows) {
        int n = 0;
        for (double[] r : rows) {
            n += r.length;
        }
        double[] f = new double[n];
        int k = 0;
        for (double[] r : rows) {
            System.arraycopy(r, 0, f, k, r.length);
            k += r.length;
        }
        return f;
    }

    static void close(INDArray expected, double[] actual, String what) {
        double[] e = expected.reshape(-1).castTo(DataType.DOUBLE).toDoubleVector();
        assertEquals(e.length, actual.length, what + ": length");
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - actual[i]) <= 1e-10)) {
                fail(what + "[" + i + "]: graph " + e[i] + ", engine " + actual[i]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FULL,BILINEAR,TANH", "SCALE_SHIFT,NEAREST,IDENTITY"})
    void segmentGradientMatchesCentralDifferences(StmConfig.ThetaForm form, StmConfig.WriteMode mode,
            StmConfig.ThetaActivation act) {
        CharNetwork net = CharNetwork.stm(new StmConfig(4, 2, 3, 4, 5, 2, 3, form, act, mode, 0.5, 0.3, 0.7,
                StmConfig.MemoryInit.UNIFORM, 0.5, 9L), DataType.DOUBLE);
        perturb(net, new SplittableRandom(5));
        finiteDifferences(net, 2, 3, new SplittableRandom(14));
    }

    @Test
    void lstmSegmentGradientMatchesCentralDifferences() {
        CharNetwork net = CharNetwork.lstm(4, 2, 3, 6L, DataType.DOUBLE);
        perturb(net, new SplittableRandom(6));
        finiteDifferences(net, 2, 3, new SplittableRandom(15));
    }

    static void finiteDifferences(CharNetwork net, int batch, int steps, SplittableRandom r) {
        INDArray x = StmGradientTest.oneHot(batch, steps, net.vocab(), r);
        INDArray y = StmGradientTest.oneHot(batch, steps, net.vocab(), r);
        Map<String, INDArray> state = StmGradientTest.randomState(net, batch, r);
        CharEngine engine = new CharEngine(net, batch, steps);
        engine.forwardBackward(x, y, state);
        Map<String, double[]> grads = new java.util.LinkedHashMap<>();
        for (String name : net.params().keySet()) {
            grads.put(name, engine.gradient(name).clone());
        }
        double eps = 1e-6;
        int checked = 0;
        int nonzero = 0;
        for (String name : net.params().keySet()) {
            INDArray p = net.params().get(name);
            double[] g = grads.get(name);
            for (int i = 0; i < p.length(); i++) {
                double orig = p.getDouble(i);
                p.putScalar(i, orig + eps);
                double plus = engine.forward(x, y, state);
                p.putScalar(i, orig - eps);
                double minus = engine.forward(x, y, state);
                p.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                assertTrue(Math.abs(numeric - g[i]) < 1e-7 + 1e-5 * Math.abs(numeric), name + "[" + i + "]: analytic "
                        + g[i] + ", numeric " + numeric);
                checked++;
                nonzero += Math.abs(g[i]) > 1e-9 ? 1 : 0;
            }
        }
        assertEquals(net.parameterCount(), checked);
        assertTrue(nonzero > checked / 2, nonzero + " of " + checked + " gradient entries are non-zero");
    }
}
