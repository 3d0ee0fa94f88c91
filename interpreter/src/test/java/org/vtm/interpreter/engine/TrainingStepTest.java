package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.interpreter.engine.EngineFixtures.assertClose;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.Trainer;
import org.vtm.interpreter.train.AdamState;

/** Engine training steps (gradients, clipping, warm-up, Adam) against today's Trainer.fit on the SameDiff graph. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainingStepTest {
    static final ModelConfig CONFIG = new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.TRANSFORM,
            ModelConfig.Init.RANDOM, ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 0.5);

    /**
     * Four steps with warm-up over 3 steps and a clip norm the gradients exceed: losses, parameters and Adam moments
     * equal the SameDiff run's to 1e-10 (float64; the two differ only in summation order, ~1e-15).
     */
    @Test
    void stepsWithClippingAndWarmupEqualTrainerFit() {
        run(CONFIG, 0.05, 3, true);
    }

    @Test
    void stepsWithoutClippingEqualTrainerFitForTheDirectHeadAndSquaredError() {
        run(new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, ModelConfig.Init.RANDOM,
                ModelConfig.Inputs.ASINH, ModelConfig.Loss.REL, 1), 0, 0, false);
    }

    private static void run(ModelConfig c, double clip, int warmup, boolean expectClipping) {
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 4, 31);
        SameDiff sd = fx.graph(9);
        Network net = Network.of(c, fx.phi(), InterpreterModel.state(sd), DataType.DOUBLE);
        AdamState reference = new AdamState(1e-2);
        Adam adam = new Adam(net.parameterSet(), 1e-2);
        if (expectClipping) {
            net.forwardBackward(fx.batch());
            double norm = net.parameterSet().flatGradients().norm2Number().doubleValue();
            assertTrue(norm > 2 * clip, "gradient norm " + norm + " does not exceed the clip norm; clipping untested");
        }
        for (int step = 0; step < 4; step++) {
            double warmRef = warmup > 0 ? Math.min(1.0, (reference.step() + 1.0) / warmup) : 1;
            double warm = adam.warmupScale(warmup);
            assertEquals(warmRef, warm, 0, "warm-up scale at step " + step);
            double expected = Trainer.fit(sd, reference, fx.batch(), clip, warmRef);
            double actual = TrainingStep.fit(net, adam, fx.batch(), clip, warm);
            assertEquals(expected, actual, 1e-10 * Math.max(1, Math.abs(expected)), "loss at step " + step);
            for (Map.Entry<String, INDArray> e : InterpreterModel.parameters(sd).entrySet()) {
                assertClose(e.getValue(), net.parameters().get(e.getKey()), 1e-10, "step " + step + ": " + e.getKey());
            }
        }
        Map<String, INDArray> ref = reference.export();
        Map<String, INDArray> mine = adam.export();
        assertEquals(ref.keySet(), mine.keySet());
        for (String k : ref.keySet()) {
            assertClose(ref.get(k), mine.get(k), 1e-10, k);
        }
    }

    /** Adam state exported by AdamState restores into the engine's Adam and the next steps stay equal. */
    @Test
    void adamStateFromACheckpointRestoresIntoTheEngine() {
        EngineFixtures.Fixture fx = EngineFixtures.fixture(CONFIG, 4, 31);
        SameDiff sd = fx.graph(9);
        AdamState reference = new AdamState(1e-2);
        Trainer.fit(sd, reference, fx.batch(), 1, 1);
        Trainer.fit(sd, reference, fx.batch(), 1, 1);
        Network net = Network.of(CONFIG, fx.phi(), InterpreterModel.state(sd), DataType.DOUBLE);
        Adam adam = new Adam(net.parameterSet(), 1e-2);
        adam.restore(reference.export());
        assertEquals(2, adam.step());
        double expected = Trainer.fit(sd, reference, fx.batch(), 1, 1);
        double actual = TrainingStep.fit(net, adam, fx.batch(), 1, 1);
        assertEquals(expected, actual, 1e-10 * Math.abs(expected));
        for (String p : List.of("lstm_W", "head_W", "next_W")) {
            assertClose(InterpreterModel.parameters(sd).get(p), net.parameters().get(p), 1e-10, p);
        }
    }
}
