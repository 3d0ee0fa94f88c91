package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No look-ahead: the distribution a model predicts for character {@code i+1} depends on characters {@code 0..i}
 * only. Changing character {@code k} leaves every earlier prediction bit-for-bit unchanged — including the steps
 * of the same engine segment before {@code k}, where a memory written or read out of order would leak — and
 * changes the prediction made at {@code k} itself. Checked for a briefly trained STM (memory shared by the layers
 * and carried across segments) and LSTM: the STM's lead over the LSTM in docs/results.md rests on this.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CausalityTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** The logits of every step of {@link TailScorer#carried}, segment by segment as the engine ran them. */
    static double[][] logits(CharNetwork net, int[] data, int segment) {
        double[][] out = new double[data.length - 1][];
        TailScorer.carried(net, data, segment, 3L, (position, engine, t) -> out[position] = engine.logits(t)[0].clone());
        return out;
    }

    @ParameterizedTest
    @EnumSource(CharNetwork.Kind.class)
    void changingOneCharacterChangesNoEarlierPrediction(CharNetwork.Kind kind) {
        CharCorpus corpus = new CharCorpus(TailScorerTest.TEXT, 0.2);
        CharNetwork net = TailScorerTest.trained(kind, corpus);
        int[] data = Arrays.copyOf(corpus.heldOut(), 60);
        int segment = 10;
        for (int k : new int[] {25, 40, 59}) { // inside a segment (steps 20..29), at a segment start, the last input
            int[] changed = data.clone();
            changed[k] = (data[k] + 1) % corpus.vocab();
            double[][] a = logits(net, data, segment);
            double[][] b = logits(net, changed, segment);
            for (int i = 0; i < Math.min(k, a.length); i++) {
                assertArrayEquals(a[i], b[i], 0.0, kind + ": the prediction after character " + i
                        + " moved when character " + k + " changed");
            }
            if (k < a.length) {
                assertFalse(Arrays.equals(a[k], b[k]), kind + ": the prediction after character " + k
                        + " ignores that character");
            }
        }
    }
}
