package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * Whole-tail scoring with the carried state ({@link TailScorer#carried}) against an independent loop: the SameDiff
 * graph of one step, fed one character at a time with its own state output, and the log-softmax computed here from
 * its logits; for a briefly trained STM (memory carried) and LSTM.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TailScorerTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    static final String TEXT = "the cat sat on the mat; (the dog) \"sat\" too. ".repeat(12);

    /** A tiny model trained for 30 updates (float, as {@code vtm stm train} trains). */
    static CharNetwork trained(CharNetwork.Kind kind, CharCorpus corpus) {
        CharNetwork net = kind == CharNetwork.Kind.STM ? CharNetwork.stm(CharTrainerTest.tiny(corpus.vocab()),
                DataType.FLOAT) : CharNetwork.lstm(corpus.vocab(), 2, 6, 4L, DataType.FLOAT);
        CharUpdater u = new CharUpdater(net, 2, 5, 0.02, 5.0, CharUpdater.Engine.LAYERS);
        int[] train = corpus.train();
        Map<String, INDArray> st = net.initialState(2, new SplittableRandom(1));
        int per = CharCorpus.segmentsPerPass(train.length, 2, 5);
        for (int k = 0; k < 30; k++) {
            INDArray[] xy = CharCorpus.segment(train, corpus.vocab(), 2, 5, k % per, DataType.FLOAT);
            st = u.update(xy[0], xy[1], st).state();
        }
        return net;
    }

    /** −log₂ p(target) one character per step on the SameDiff graph of a double copy. */
    static double[] oneCharacterAtATime(CharNetwork floatNet, int[] data, long seed) {
        CharNetwork net = floatNet.withDataType(DataType.DOUBLE);
        CharNetwork.Segment seg = net.segment(1, 1);
        seg.syncParams();
        List<String> outs = new ArrayList<>(seg.stateOutputs());
        outs.add("logits_0");
        Map<String, INDArray> st = net.initialState(1, new SplittableRandom(seed));
        double[] bits = new double[data.length - 1];
        for (int i = 0; i + 1 < data.length; i++) {
            Map<String, INDArray> o = seg.sameDiff().output(seg.feed(CharCorpus.oneHot(net.vocab(), data[i],
                    DataType.DOUBLE), null, st), outs);
            st = seg.nextState(o);
            double[] logits = o.get("logits_0").toDoubleVector();
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logits) {
                max = Math.max(max, l);
            }
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - max);
            }
            bits[i] = -(logits[data[i + 1]] - max - Math.log(z)) / Math.log(2);
        }
        return bits;
    }

    private static void carriedMatches(CharNetwork.Kind kind) {
        CharCorpus corpus = new CharCorpus(TEXT, 0.25);
        CharNetwork net = trained(kind, corpus);
        int[] tail = corpus.heldOut();
        double[] reference = oneCharacterAtATime(net, tail, 9L);
        double[] carried = TailScorer.carried(net, tail, 7, 9L, null); // 7 does not divide the length: a short last segment
        assertEquals(reference.length, carried.length);
        double sumRef = 0;
        double sum = 0;
        for (int i = 0; i < carried.length; i++) {
            assertEquals(reference[i], carried[i], 1e-9, kind + " character " + i);
            sumRef += reference[i];
            sum += carried[i];
        }
        assertEquals(sumRef / reference.length, TailScorer.mean(carried), 1e-9);
        // the state matters: resetting it every 7 characters scores differently
        double reset = TailScorer.mean(TailScorer.resetEvery(net, tail, 7, 7, 9L));
        assertTrue(Math.abs(reset - sum / carried.length) > 1e-3, kind + " reset " + reset + " carried " + sum / carried.length);
    }

    @Test
    void stmCarriedStateEqualsOneCharacterPerStep() {
        carriedMatches(CharNetwork.Kind.STM);
    }

    @Test
    void lstmCarriedStateEqualsOneCharacterPerStep() {
        carriedMatches(CharNetwork.Kind.LSTM);
    }

    /** With a zero initial state (LSTM), window k of the reset scoring is the carried score of that window alone. */
    @Test
    void resetWindowsAreIndependentCarriedRuns() {
        CharCorpus corpus = new CharCorpus(TEXT, 0.25);
        CharNetwork net = trained(CharNetwork.Kind.LSTM, corpus);
        int[] tail = corpus.heldOut(); // 138 characters: 137 scored, windows of 20 (6 full and a short last one)
        int window = 20;
        double[] reset = TailScorer.resetEvery(net, tail, window, 6, 3L);
        for (int start = 0; start < tail.length - 1; start += window) {
            int end = Math.min(start + window, tail.length - 1);
            int[] piece = java.util.Arrays.copyOfRange(tail, start, end + 1);
            double[] alone = TailScorer.carried(net, piece, 6, 3L, null);
            for (int j = 0; j < alone.length; j++) {
                assertEquals(alone[j], reset[start + j], 1e-9, "window at " + start + ", position " + j);
            }
        }
    }
}
