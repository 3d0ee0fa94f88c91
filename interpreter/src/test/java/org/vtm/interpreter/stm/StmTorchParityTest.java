package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.engine.TorchExchange;

/**
 * The character model's training update against an independent implementation: PyTorch ({@code torch_stm.py},
 * Debian's python3-torch; CI installs it) runs the same STM or LSTM, loss, clipping and Adam from the same
 * parameters, segment and carried state. After one and after two updates (the second carries the state and uses
 * Adam's moments) the losses, every updated parameter and the output state agree to 1e-10 in float64. Skipped, with
 * the one-line install hint as the reason, only when PyTorch cannot be imported (that line is TorchParityTest's).
 *
 * <p>The VTM side is a {@link CharUpdate.Factory} ({@link #VTM}): point it at another engine to check that engine.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StmTorchParityTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** The update implementation under test. */
    static final CharUpdate.Factory VTM = CharUpdater.factory(CharUpdater.Engine.LAYERS);

    static final int BATCH = 3;
    static final int STEPS = 4;
    static final int VOCAB = 6;

    /** A named model and the clip norm to train it with (0.05 is below its gradient norm: clipping active). */
    record Case(String name, CharNetwork net, double clip) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Arguments> cases() {
        StmConfig bilinear = new StmConfig(VOCAB, 2, 5, 5, 4, 3, 2, StmConfig.ThetaForm.FULL,
                StmConfig.ThetaActivation.TANH, StmConfig.WriteMode.BILINEAR, 0.5, 0.4, 2.0,
                StmConfig.MemoryInit.UNIFORM, 1.0, 3L);
        // word cells about 0.75 memory cells apart: several land on one cell, so the clipped erase matters
        StmConfig nearest = new StmConfig(VOCAB, 2, 4, 6, 6, 3, 3, StmConfig.ThetaForm.SCALE_SHIFT,
                StmConfig.ThetaActivation.IDENTITY, StmConfig.WriteMode.NEAREST, 0.3, 0.3, 0.8,
                StmConfig.MemoryInit.UNIFORM, 1.0, 4L);
        // a 4x4 word at scale 0.4 on a 4x4 memory: 0.4 cells apart, access sums up to about 2 (erase clipped)
        StmConfig squareBilinear = nearest.withWord(4, 4).withMemory(4, 4).withWriteMode(StmConfig.WriteMode.BILINEAR)
                .withTheta(StmConfig.ThetaForm.FULL, StmConfig.ThetaActivation.IDENTITY, 0.4, 0.2, 0.5);
        List<Case> cases = List.of(
                new Case("stm bilinear, full tanh theta, 5x4 memory", CharNetwork.stm(bilinear, DataType.DOUBLE), 0.05),
                new Case("stm nearest, scale-shift identity theta, 6x6 memory", CharNetwork.stm(nearest, DataType.DOUBLE),
                        100),
                new Case("stm bilinear, full identity theta, dense 4x4 word on 4x4 memory",
                        CharNetwork.stm(squareBilinear, DataType.DOUBLE), 0.05),
                new Case("lstm", CharNetwork.lstm(VOCAB, 2, 7, 5L, DataType.DOUBLE), 0.05));
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases) {
            for (int updates = 1; updates <= 2; updates++) {
                out.add(Arguments.of(c, updates));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, {1} update(s)")
    @MethodSource("cases")
    void updatesEqualPyTorch(Case c, int updates, @TempDir Path dir) throws IOException {
        TorchExchange.unavailable().ifPresent(msg -> Assumptions.abort("PyTorch parity skipped: " + msg));
        CharNetwork net = c.net().withParams(c.net().params()); // a fresh copy: the update changes it in place
        SplittableRandom r = new SplittableRandom(29);
        int[] text = new int[BATCH * (STEPS + 1)];
        for (int i = 0; i < text.length; i++) {
            text[i] = r.nextInt(VOCAB);
        }
        INDArray[] xy = CharCorpus.segment(text, VOCAB, BATCH, STEPS, 0, DataType.DOUBLE);
        Map<String, INDArray> state = carriedState(net, r);
        CharUpdate.Settings settings = new CharUpdate.Settings(0.01, c.clip());
        StmTorchBridge.write(dir, net, xy[0], xy[1], state, settings, updates, DataType.DOUBLE);
        StmTorchBridge.Result torch = StmTorchBridge.step(dir, 240);

        CharUpdate vtm = VTM.create(net, BATCH, STEPS, settings);
        Map<String, INDArray> s = state;
        for (int k = 0; k < updates; k++) {
            CharUpdate.Step step = vtm.apply(xy[0], xy[1], s);
            assertEquals(torch.losses()[k], step.loss(), 1e-10 * Math.max(1, Math.abs(step.loss())),
                    c + ": loss of update " + k);
            s = step.state();
        }
        Map<String, INDArray> mine = vtm.parameters();
        assertEquals(mine.keySet(), torch.parameters().keySet(), c + ": parameter names");
        for (String p : mine.keySet()) {
            assertClose(torch.parameters().get(p), mine.get(p), c + ": parameter " + p);
            // the comparison means something only if the update moved the parameter
            assertTrue(torch.parameters().get(p).sub(c.net().params().get(p)).amaxNumber().doubleValue() > 1e-6,
                    c + ": parameter " + p + " did not change");
        }
        assertEquals(s.keySet(), torch.state().keySet(), c + ": state names");
        for (String n : s.keySet()) {
            assertClose(torch.state().get(n), s.get(n), c + ": state " + n);
        }
    }

    /** Random hidden/cell states (a stream in mid-text) and the configured memory fill. */
    static Map<String, INDArray> carriedState(CharNetwork net, SplittableRandom r) {
        Map<String, INDArray> s = new LinkedHashMap<>(net.initialState(BATCH, r));
        for (Map.Entry<String, INDArray> e : s.entrySet()) {
            if (!e.getKey().equals("mem")) {
                double[] v = new double[(int) e.getValue().length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble() - 0.5;
                }
                e.setValue(Nd4j.create(v, e.getValue().shape(), DataType.DOUBLE));
            }
        }
        return s;
    }

    /** Every entry within 1e-10 of the expected one, relative to the largest expected magnitude (at least 1). */
    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(-1);
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(-1);
        double tol = 1e-10 * Math.max(1, e.amaxNumber().doubleValue());
        for (long j = 0; j < e.length(); j++) {
            assertEquals(e.getDouble(j), a.getDouble(j), tol, what + "[" + j + "]");
        }
    }
}
