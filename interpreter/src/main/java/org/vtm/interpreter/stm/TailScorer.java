package org.vtm.interpreter.stm;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores a {@link CharNetwork} on a text character by character, on the layer engine in double precision: the
 * network is copied to double ({@link CharNetwork#withDataType}) so that nothing is rounded to float between
 * segments. Character {@code i + 1} is predicted from characters {@code 0..i}; a text of {@code n} characters gives
 * {@code n − 1} scores, in bits ({@code −log₂ p(data[i+1] | data[0..i])}), computed here from the logits.
 *
 * <ul>
 *   <li>{@link #carried}: one stream over the whole text, the recurrent state (every LSTM h/c and, for the STM, the
 *       shared memory) carried from segment to segment, so the result is that of one step per character; the
 *       segment length only sets how many steps the engine runs per call.
 *   <li>{@link #resetEvery}: the state is reset to a fresh initial state every {@code window} characters (windows
 *       are independent and run as parallel streams), so the score of the character at position {@code j} of its
 *       window shows what a model does with {@code j + 1} characters of context.
 * </ul>
 *
 * <p>Initial states come from {@link CharNetwork#initialState} with a {@link SplittableRandom} of the given seed
 * (the STM's memory fill is random); the same seed gives the same scores.
 */
public final class TailScorer {
    /** Most parallel windows run at once by {@link #resetEvery} (bounds the engine's buffers). */
    static final int MAX_STREAMS = 64;

    private TailScorer() {
    }

    /** Called after each step of {@link #carried}; the engine's last pass ran the step as its step {@code t}. */
    @FunctionalInterface
    public interface StepVisitor {
        /**
         * @param position the input's index in the text (the step predicted {@code data[position + 1]})
         * @param engine the engine, whose per-step outputs of stream 0 ({@code theta}, {@code readMap},
         *     {@code writeMap}, {@code memory}, {@code logits}) hold this step at index {@code t}
         */
        void visit(int position, CharEngine engine, int t);
    }

    /**
     * Scores {@code data} with the state carried over the whole text.
     *
     * @param segment steps per engine call (≥ 1; does not change the result)
     * @param seed seed of the initial state
     * @param visitor called after every step (may be null)
     * @return bits of each predicted character, {@code data.length − 1} values
     */
    public static double[] carried(CharNetwork net, int[] data, int segment, long seed, StepVisitor visitor) {
        check(net, data, segment);
        CharNetwork d = net.dataType() == DataType.DOUBLE ? net : net.withDataType(DataType.DOUBLE);
        int n = data.length - 1;
        double[] bits = new double[n];
        Map<String, INDArray> state = d.initialState(1, new SplittableRandom(seed));
        Map<Integer, CharEngine> engines = new HashMap<>();
        for (int start = 0; start < n; start += segment) {
            int len = Math.min(segment, n - start);
            CharEngine eng = engines.computeIfAbsent(len, k -> new CharEngine(d, 1, k));
            int[][] in = new int[1][len];
            System.arraycopy(data, start, in[0], 0, len);
            eng.forward(oneHot(in, d.vocab()), null, state);
            state = eng.state();
            for (int t = 0; t < len; t++) {
                bits[start + t] = bits(eng.logits(t)[0], data[start + t + 1]);
                if (visitor != null) {
                    visitor.visit(start + t, eng, t);
                }
            }
        }
        return bits;
    }

    /**
     * Scores {@code data} with the state reset every {@code window} characters: input positions
     * {@code [kL, (k+1)L)} form window k, which starts from a fresh initial state (window k's from the k-th draw of
     * one random stream of {@code seed}).
     *
     * @return bits of each predicted character, {@code data.length − 1} values, aligned with {@link #carried}
     */
    public static double[] resetEvery(CharNetwork net, int[] data, int window, int segment, long seed) {
        check(net, data, segment);
        if (window < 1) {
            throw new IllegalArgumentException("the reset window must be at least 1 character, got " + window);
        }
        CharNetwork d = net.dataType() == DataType.DOUBLE ? net : net.withDataType(DataType.DOUBLE);
        int n = data.length - 1;
        double[] bits = new double[n];
        SplittableRandom rng = new SplittableRandom(seed);
        int windows = (n + window - 1) / window;
        Map<Long, CharEngine> engines = new HashMap<>();
        for (int first = 0; first < windows;) {
            int len = Math.min(window, n - first * window); // the last window may be shorter: it runs alone
            int group = 1;
            while (len == window && group < MAX_STREAMS && first + group < windows
                    && n - (first + group) * window >= window) {
                group++;
            }
            Map<String, INDArray> state = d.initialState(group, rng);
            for (int s = 0; s < len; s += segment) {
                int steps = Math.min(segment, len - s);
                long key = (long) group << 32 | steps;
                final int b = group;
                CharEngine eng = engines.computeIfAbsent(key, k -> new CharEngine(d, b, steps));
                int[][] in = new int[group][steps];
                for (int w = 0; w < group; w++) {
                    System.arraycopy(data, (first + w) * window + s, in[w], 0, steps);
                }
                eng.forward(oneHot(in, d.vocab()), null, state);
                state = eng.state();
                for (int t = 0; t < steps; t++) {
                    double[][] logits = eng.logits(t);
                    for (int w = 0; w < group; w++) {
                        int pos = (first + w) * window + s + t;
                        bits[pos] = bits(logits[w], data[pos + 1]);
                    }
                }
            }
            first += group;
        }
        return bits;
    }

    /** {@code −log₂ softmax(logits)[target]}, computed stably in double. */
    public static double bits(double[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return (max + Math.log(sum) - logits[target]) / Math.log(2);
    }

    /** The mean of {@code values} (NaN for none). */
    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }

    /** One-hot [B, T, V] in double for character indices {@code in[b][t]}. */
    static INDArray oneHot(int[][] in, int vocab) {
        int b = in.length;
        int t = in[0].length;
        double[] x = new double[b * t * vocab];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                x[(i * t + s) * vocab + in[i][s]] = 1.0;
            }
        }
        return Nd4j.create(x, new long[] {b, t, vocab}, DataType.DOUBLE);
    }

    private static void check(CharNetwork net, int[] data, int segment) {
        if (segment < 1) {
            throw new IllegalArgumentException("the segment length must be at least 1, got " + segment);
        }
        if (data.length < 2) {
            throw new IllegalArgumentException("scoring needs at least 2 characters, got " + data.length);
        }
        for (int i = 0; i < data.length; i++) {
            if (data[i] < 0 || data[i] >= net.vocab()) {
                throw new IllegalArgumentException("character index " + data[i] + " at " + i + " is outside the "
                        + "model's alphabet of " + net.vocab());
            }
        }
    }
}
