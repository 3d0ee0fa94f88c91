package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.ProgramSyntax;
import org.vtm.interpreter.engine.ParameterSet.Param;
import org.vtm.transforms.Program;
import org.vtm.transforms.SyntaxNode;

/** The structure encoder: a hand-computed tree, gradient checks of the encoder alone and through the whole network. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StructureEncoderTest {

    static final List<String> PROGRAMS = List.of(
            "(x, y) -> (x - 2*y + sin(x)^3, if(x < y, -y, exp(x)))",
            "(x, y) -> (x * y, 0.5) |> (a, b) -> (tanh(a) + b, a / (1 + b*b))",
            "(x, y) -> (sqrt(1 + x*x), cos(y) * pi)");

    /** One tree by hand: h(+(var0, const2)) with H = 2 and known parameters. */
    @Test
    void encodesATinyTreeAsDocumented() {
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        StructureEncoder enc = new StructureEncoder(ps, 2);
        ps.allocate();
        SplittableRandom rnd = new SplittableRandom(3);
        EngineFixtures.randomise(ps, rnd, 0.7);
        double[] e = ps.get(StructureEncoder.E).value().data().asDouble();
        double[] w = ps.get(StructureEncoder.W).value().data().asDouble();
        double[] u = ps.get(StructureEncoder.U).value().data().asDouble();
        double[] v = ps.get(StructureEncoder.V).value().data().asDouble();
        double[] b = ps.get(StructureEncoder.B).value().data().asDouble();
        INDArray table = ProgramSyntax.batch(List.of(ProgramSyntax.table(Program.parse("(x) -> (x + 2)"))), 2);
        double[] s = enc.forward(table, 2);
        int plus = SyntaxNode.VOCABULARY.indexOf("+");
        double[] hx = new double[2];
        double[] hc = new double[2];
        for (int a = 0; a < 2; a++) {
            hx[a] = Math.tanh(e[a] + v[a] + b[a]);
            hc[a] = Math.tanh(e[2 + a] + u[a] * StructureEncoder.asinh(2) + b[a]);
        }
        for (int a = 0; a < 2; a++) {
            double mean0 = (hx[0] + hc[0]) / 2;
            double mean1 = (hx[1] + hc[1]) / 2;
            double expected = Math.tanh(e[plus * 2 + a] + w[a * 2] * mean0 + w[a * 2 + 1] * mean1 + b[a]);
            assertEquals(expected, s[a], 1e-15, "root " + a);
            assertEquals(0, s[2 + a], 0, "padded step 1");
        }
    }

    /** Central differences over every entry of every encoder parameter, for L = Σ r ⊙ s (batch of 3 programs). */
    @Test
    void encoderGradientsMatchCentralDifferences() {
        ParameterSet ps = new ParameterSet(DataType.DOUBLE);
        StructureEncoder enc = new StructureEncoder(ps, 4);
        ps.allocate();
        SplittableRandom rnd = new SplittableRandom(9);
        EngineFixtures.randomise(ps, rnd, 0.6);
        int steps = 3;
        List<double[]> tables = new ArrayList<>();
        for (String p : PROGRAMS) {
            tables.add(ProgramSyntax.table(Program.parse(p)));
        }
        INDArray table = ProgramSyntax.batch(tables, steps);
        int rows = PROGRAMS.size() * steps;
        double[] r = new double[rows * 4];
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextDouble(-1, 1);
        }
        enc.forward(table, rows);
        enc.backward(r);
        for (Param p : ps.params()) {
            EngineFixtures.checkNonZero(p.name(), p.value(), p.grad().dup(), () -> {
                double[] s = enc.forward(table, rows);
                double l = 0;
                for (int i = 0; i < s.length; i++) {
                    l += r[i] * s[i];
                }
                return l;
            });
        }
    }

    /**
     * The whole network's loss with respect to every encoder parameter (and the LSTM's, whose input now carries the
     * encoding and the growth columns): gradients flow from the LSTM input back into the encoder.
     */
    @Test
    void wholeNetworkGradientsReachTheEncoder() {
        for (ModelConfig c : List.of(
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM,
                        ModelConfig.InputSpec.parse("normalised+growth+structure"), ModelConfig.Loss.LOG_REL, 0.5, 3),
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, ModelConfig.Init.RANDOM,
                        ModelConfig.InputSpec.parse("next_order+structure"), ModelConfig.Loss.REL, 1, 3))) {
            EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 3, 21);
            assertTrue(fx.batch().containsKey(InterpreterModel.STRUCTURE), "the packed batch carries the trees");
            Network net = fx.network(5, DataType.DOUBLE);
            EngineFixtures.randomise(net.parameterSet(), new SplittableRandom(8), 0.3);
            net.forwardBackward(fx.batch());
            Map<String, INDArray> grads = net.gradients();
            int encoderParams = 0;
            for (Param p : net.parameterSet().params()) {
                EngineFixtures.checkNonZero(c.inputSpec() + " " + p.name(), p.value(), grads.get(p.name()).dup(),
                        () -> net.loss(fx.batch()));
                encoderParams += p.name().startsWith("struct_") ? 1 : 0;
            }
            assertEquals(5, encoderParams);
        }
    }

    /** The encoding changes the prediction (it is not a dead input), and a network refuses a batch without trees. */
    @Test
    void theEncodingReachesThePredictionAndIsRequired() {
        ModelConfig c = new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, ModelConfig.Init.RANDOM,
                ModelConfig.InputSpec.parse("asinh+structure"), ModelConfig.Loss.REL, 1, 4);
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 2, 21);
        Network net = fx.network(5, DataType.DOUBLE);
        INDArray before = net.coefficients(fx.batch()).dup();
        net.parameterSet().get(StructureEncoder.B).value().addi(0.5);
        INDArray after = net.coefficients(fx.batch()).dup();
        assertTrue(before.sub(after).amaxNumber().doubleValue() > 1e-6, "the encoder does not reach the coefficients");
        Map<String, INDArray> without = new java.util.HashMap<>(fx.batch());
        without.remove(InterpreterModel.STRUCTURE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.coefficients(without));
        assertEquals("the batch has no 'structure'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InterpreterModel.newGraph(c, fx.tfx(), fx.samplePoints(), 1));
    }

    /** Float32 networks train with structure: the encoder computes in double and its gradients are rounded. */
    @Test
    void float32NetworkMatchesFloat64() {
        ModelConfig c = new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM,
                ModelConfig.InputSpec.parse("normalised+growth+structure"), ModelConfig.Loss.REL, 0.5, 4);
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 3, 21);
        Network n64 = fx.network(5, DataType.DOUBLE);
        Network n32 = Network.of(c, fx.phi(), n64.state(), DataType.FLOAT);
        double l64 = n64.forwardBackward(fx.batch());
        double l32 = n32.forwardBackward(fx.batch());
        assertEquals(l64, l32, 1e-4 * Math.abs(l64));
        INDArray g64 = n64.gradients().get(StructureEncoder.E);
        INDArray g32 = n32.gradients().get(StructureEncoder.E).castTo(DataType.DOUBLE);
        assertEquals(DataType.FLOAT, n32.gradients().get(StructureEncoder.E).dataType());
        double scale = g64.amaxNumber().doubleValue();
        assertTrue(scale > 0);
        assertTrue(g64.sub(g32).amaxNumber().doubleValue() < 1e-3 * scale, "float32 encoder gradient differs");
        assertTrue(Nd4j.zeros(1).length() == 1);
    }
}
