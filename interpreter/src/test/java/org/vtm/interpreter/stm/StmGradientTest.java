package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient checks of the STM stack (pure SameDiff) against central finite differences in double
 * precision, for both write modes and both Θ forms; and truncated-BPTT state carrying.
 */
class StmGradientTest {
    static {
        // SameDiff logs every differentiated op at INFO; keep test output readable
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    static StmConfig tiny(StmConfig.ThetaForm form, StmConfig.WriteMode mode) {
        return new StmConfig(4, 2, 3, 5, 6, 3, 3, form, StmConfig.ThetaActivation.TANH, mode, 0.5, 0.3, 0.5,
                StmConfig.MemoryInit.UNIFORM, 0.5, 5L);
    }

    static INDArray oneHot(int batch, int steps, int vocab, SplittableRandom r) {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, batch, steps, vocab);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                a.putScalar(new int[] {b, t, r.nextInt(vocab)}, 1.0);
            }
        }
        return a;
    }

    @ParameterizedTest
    @CsvSource({"FULL,BILINEAR", "FULL,NEAREST", "SCALE_SHIFT,BILINEAR", "SCALE_SHIFT,NEAREST"})
    void gradientsMatchCentralDifferences(StmConfig.ThetaForm form, StmConfig.WriteMode mode) {
        CharNetwork net = CharNetwork.stm(tiny(form, mode), DataType.DOUBLE);
        int batch = 2;
        int steps = 2;
        CharNetwork.Segment seg = net.segment(batch, steps);
        SplittableRandom r = new SplittableRandom(17);
        Map<String, INDArray> feed = seg.feed(oneHot(batch, steps, 4, r), oneHot(batch, steps, 4, r),
                randomState(net, batch, r));
        SameDiff sd = seg.sameDiff();
        List<String> names = new ArrayList<>(net.params().keySet());
        Map<String, INDArray> grads = sd.calculateGradients(feed, names);
        // eps 1e-6 in double: truncation error O(eps²·L''') ≈ 1e-12 and rounding ≈ 1e-16/eps = 1e-10,
        // far below the 1e-5 relative tolerance; the tent/rounding kinks are measure-zero at random points
        double eps = 1e-6;
        int checked = 0;
        double maxRel = 0;
        for (String name : names) {
            INDArray p = sd.getArrForVarName(name);
            INDArray g = grads.get(name);
            long n = p.length();
            for (int k = 0; k < Math.min(n, 2); k++) {
                long i = n <= 2 ? k : r.nextLong(n);
                double orig = p.getDouble(i);
                p.putScalar(i, orig + eps);
                double plus = sd.output(feed, "loss").get("loss").getDouble(0);
                p.putScalar(i, orig - eps);
                double minus = sd.output(feed, "loss").get("loss").getDouble(0);
                p.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = g.getDouble(i);
                double err = Math.abs(numeric - analytic);
                double rel = err / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic));
                maxRel = Math.max(maxRel, rel);
                assertTrue(err < 1e-8 || rel < 1e-5, name + "[" + i + "] analytic " + analytic + " numeric "
                        + numeric + " (" + form + ", " + mode + ")");
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked);
        // the Θ head gets a non-zero gradient in both modes (through the bilinear read)
        assertTrue(grads.get("l0_thW").norm2Number().doubleValue() > 1e-8);
    }

    static Map<String, INDArray> randomState(CharNetwork net, int batch, SplittableRandom r) {
        Map<String, INDArray> s = net.initialState(batch, r);
        for (Map.Entry<String, INDArray> e : s.entrySet()) {
            if (!e.getKey().equals("mem")) {
                INDArray a = e.getValue();
                for (long i = 0; i < a.length(); i++) {
                    a.putScalar(i, 0.4 * (r.nextDouble() - 0.5));
                }
            }
        }
        return s;
    }

    @Test
    void twoCarriedSegmentsEqualOneLongSegment() {
        CharNetwork net = CharNetwork.stm(tiny(StmConfig.ThetaForm.FULL, StmConfig.WriteMode.BILINEAR),
                DataType.DOUBLE);
        SplittableRandom r = new SplittableRandom(4);
        INDArray x = oneHot(2, 4, 4, r);
        INDArray y = oneHot(2, 4, 4, r);
        Map<String, INDArray> s0 = randomState(net, 2, r);
        CharNetwork.Segment whole = net.segment(2, 4);
        List<String> outs = new ArrayList<>(whole.stateOutputs());
        outs.add("loss");
        Map<String, INDArray> w = whole.sameDiff().output(whole.feed(x, y, s0), outs);
        CharNetwork.Segment half = net.segment(2, 2);
        List<String> halfOuts = new ArrayList<>(half.stateOutputs());
        halfOuts.add("loss");
        org.nd4j.linalg.indexing.INDArrayIndex all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        Map<String, INDArray> a = half.sameDiff().output(half.feed(
                x.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2), all).dup(),
                y.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2), all).dup(), s0), halfOuts);
        double la = a.get("loss").getDouble(0);
        Map<String, INDArray> b = half.sameDiff().output(half.feed(
                x.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4), all).dup(),
                y.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4), all).dup(), half.nextState(a)),
                halfOuts);
        double lb = b.get("loss").getDouble(0);
        assertEquals(w.get("loss").getDouble(0), (la + lb) / 2, 1e-12);
        assertArrayEquals(w.get("out_mem").reshape(-1).toDoubleVector(), b.get("out_mem").reshape(-1).toDoubleVector(),
                1e-12);
    }

    @Test
    void lstmBaselineGradientMatches() {
        CharNetwork net = CharNetwork.lstm(4, 2, 5, 3L, DataType.DOUBLE);
        CharNetwork.Segment seg = net.segment(2, 3);
        SplittableRandom r = new SplittableRandom(8);
        Map<String, INDArray> feed = seg.feed(oneHot(2, 3, 4, r), oneHot(2, 3, 4, r), randomState(net, 2, r));
        SameDiff sd = seg.sameDiff();
        Map<String, INDArray> grads = sd.calculateGradients(feed, new ArrayList<>(net.params().keySet()));
        for (String name : net.params().keySet()) {
            INDArray p = sd.getArrForVarName(name);
            double orig = p.getDouble(0);
            p.putScalar(0, orig + 1e-6);
            double plus = sd.output(feed, "loss").get("loss").getDouble(0);
            p.putScalar(0, orig - 1e-6);
            double minus = sd.output(feed, "loss").get("loss").getDouble(0);
            p.putScalar(0, orig);
            assertEquals((plus - minus) / 2e-6, grads.get(name).getDouble(0), 1e-7, name);
        }
        assertEquals(CharNetwork.lstmParameterCount(4, 2, 5), net.parameterCount());
    }
}
