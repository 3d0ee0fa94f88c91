package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.vtm.interpreter.engine.EngineFixtures.assertClose;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.ModelConfig;

/**
 * The engine against an independent implementation: PyTorch (Debian's python3-torch; CI installs it) runs the same
 * model, loss, clipping, warm-up and Adam from the same initial parameters on the same batch. Two steps each (the
 * second uses Adam's moments); losses and updated parameters must agree to 1e-10 in float64. Without PyTorch the
 * test fails and says how to install it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TorchParityTest {

    static List<ModelConfig> configs() {
        return List.of(
                new ModelConfig("chebyshev", 2, 4, 8, 32, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM,
                        ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3),
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.DIRECT, ModelConfig.Init.RANDOM,
                        ModelConfig.Inputs.ASINH, ModelConfig.Loss.REL, 1),
                new ModelConfig("chebyshev", 2, 2, 3, 4, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM,
                        ModelConfig.Inputs.NORMALISED, ModelConfig.Loss.REL, 0.5));
    }

    @Test
    void missingPyTorchIsOneLineSayingHowToInstallIt() {
        String before = System.getProperty("vtm.python");
        System.setProperty("vtm.python", "/nonexistent/python3");
        try {
            String msg = TorchBridge.unavailable().orElseThrow();
            assertTrue(msg.startsWith("/nonexistent/python3 cannot be run"), msg);
            assertTrue(msg.contains("apt-get install -y python3-torch") && !msg.contains("\n"), msg);
        } finally {
            if (before == null) {
                System.clearProperty("vtm.python");
            } else {
                System.setProperty("vtm.python", before);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void twoTrainingStepsEqualPyTorch(ModelConfig c, @TempDir Path dir) throws IOException {
        TorchBridge.unavailable().ifPresent(msg -> fail(msg));
        EngineFixtures.Fixture fx = EngineFixtures.fixture(c, 6, 51);
        Network net = fx.network(13, DataType.DOUBLE);
        // clip below the gradient norm (clipping active) for the LSTM model, off for the others; warm-up over 2 steps
        double clip = c.head() == ModelConfig.Head.TRANSFORM && c.hidden() > 4 ? 0.05 : 0;
        TorchBridge.Training training = new TorchBridge.Training(1e-2, clip, 2, 2);
        TorchBridge.write(dir, c, net.state(), fx.phi(), fx.samplePoints().length, fx.batch(), training, DataType.DOUBLE);
        TorchBridge.StepResult torch = TorchBridge.step(dir, 240);

        Adam adam = new Adam(net.parameterSet(), training.learningRate());
        for (int s = 0; s < training.steps(); s++) {
            double loss = TrainingStep.fit(net, adam, fx.batch(), clip, adam.warmupScale(training.warmupSteps()));
            assertEquals(torch.losses()[s], loss, 1e-10 * Math.max(1, Math.abs(loss)), "loss of step " + s);
        }
        Map<String, INDArray> mine = net.parameters();
        assertEquals(mine.keySet(), torch.parameters().keySet());
        for (String p : mine.keySet()) {
            assertClose(torch.parameters().get(p), mine.get(p), 1e-10, c.head() + "/" + c.inputs() + " " + p);
        }
    }
}
