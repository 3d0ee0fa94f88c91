package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.ModelConfig;

/**
 * float32 against float64 on the same parameters and batch (the bench configuration's shapes: d=2, n=4, LSTM(32),
 * 8 steps, default tuning, random head so every parameter has a gradient).
 *
 * <p>Tolerance: every value is rounded to float32 (u = 6e-8) on entry, and each gemm/sum accumulates at most a few
 * hundred terms (F+H = 88 per gate pre-activation, N·d·S = 16·2·64 rows in the head and Q gradients); with
 * round-off growing like √k·u per sum and through 8 recurrent steps, the expected relative error of a gradient
 * tensor is at most ~1e-5 of its largest entry (measured on this batch: 3e-8 to 3.2e-7, printed by the test). The
 * test allows 1e-4: well above that bound, far below what a real defect does (a wrong or missing term changes a
 * gradient by O(1) of its scale).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Float32Test {
    static final ModelConfig CONFIG = new ModelConfig("chebyshev", 2, 4, 8, 32, ModelConfig.Head.TRANSFORM,
            ModelConfig.Init.RANDOM, ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3);

    @Test
    void float32GradientsAgreeWithFloat64() {
        EngineFixtures.Fixture fx = EngineFixtures.fixture(CONFIG, 16, 41);
        Network n64 = fx.network(3, DataType.DOUBLE);
        Network n32 = Network.of(CONFIG, fx.phi(), n64.state(), DataType.FLOAT);
        assertEquals(DataType.FLOAT, n32.parameters().get("lstm_W").dataType());
        double l64 = n64.forwardBackward(fx.batch());
        double l32 = n32.forwardBackward(fx.batch());
        assertEquals(l64, l32, 1e-5 * Math.abs(l64), "loss");
        assertTrue(n32.parameterSet().flatGradients().dataType() == DataType.FLOAT);
        Map<String, INDArray> g64 = n64.gradients();
        Map<String, INDArray> g32 = n32.gradients();
        StringBuilder report = new StringBuilder();
        for (String p : g64.keySet()) {
            INDArray a = g64.get(p);
            INDArray b = g32.get(p).castTo(DataType.DOUBLE);
            double scale = a.amaxNumber().doubleValue();
            double err = a.sub(b).amaxNumber().doubleValue() / scale;
            report.append(String.format(java.util.Locale.ROOT, " %s %.2e", p, err));
            assertTrue(scale > 0, p + ": zero gradient");
            assertTrue(err < 1e-4, "float32 gradient of " + p + " differs by " + err + " of its largest entry;" + report);
        }
        System.out.println("float32 vs float64 relative gradient error:" + report + "; loss " + l64 + " vs " + l32);
    }

    /** A float32 training step moves the parameters like the float64 one (Adam included). */
    @Test
    void float32TrainingStepTracksFloat64() {
        EngineFixtures.Fixture fx = EngineFixtures.fixture(CONFIG, 16, 41);
        Network n64 = fx.network(3, DataType.DOUBLE);
        Network n32 = Network.of(CONFIG, fx.phi(), n64.state(), DataType.FLOAT);
        Adam a64 = new Adam(n64.parameterSet(), 1e-3);
        Adam a32 = new Adam(n32.parameterSet(), 1e-3);
        INDArray before = n64.parameterSet().flatValues().dup();
        for (int i = 0; i < 3; i++) {
            TrainingStep.fit(n64, a64, fx.batch(), 1, 1);
            TrainingStep.fit(n32, a32, fx.batch(), 1, 1);
        }
        INDArray move = n64.parameterSet().flatValues().sub(before);
        INDArray diff = n64.parameterSet().flatValues().sub(n32.parameterSet().flatValues().castTo(DataType.DOUBLE));
        // Adam steps are ~lr per entry; float32 changes each by a small fraction of that (measured 6e-8 against
        // moves of 3e-3; Adam's m/√v normalisation can amplify the relative error of near-zero gradient entries)
        double moved = move.amaxNumber().doubleValue();
        double off = diff.amaxNumber().doubleValue();
        System.out.println("3 steps: largest move " + moved + ", largest float32 difference " + off);
        assertTrue(moved > 1e-3, "parameters did not move: " + moved);
        assertTrue(off < 0.01 * moved, "float32 parameters differ by " + off + " after steps of " + moved);
    }
}
