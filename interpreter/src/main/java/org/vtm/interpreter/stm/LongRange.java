package org.vtm.interpreter.stm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two long-range measures of a character model ("connected" text):
 * <ul>
 *   <li>{@link #byPosition}: the loss by position within a reset window. With the state reset every {@code L}
 *       characters ({@link TailScorer#resetEvery}), the character at window position {@code j} is predicted from
 *       {@code j + 1} characters of context; next to it, the loss of the same characters with the state carried
 *       over the whole text ({@link TailScorer#carried}). The reset loss falls with {@code j} as far as the model
 *       uses context; where reset and carried agree, the state no longer reaches back further.
 *   <li>{@link #brackets}: of the brackets {@code ( [ {} and double quotes opened in a text, how many are closed
 *       (in the text, by the matching character) and over what span (closing index − opening index). Brackets nest
 *       on one stack; a closer that does not match the innermost open bracket is counted as stray and ignored; a
 *       double quote closes the open quote if there is one (quotes are tracked apart from the bracket stack).
 *       Measured on generated text and, for comparison, on the held-out text cut into pieces of the same length
 *       (so that brackets opened near the end of a piece are cut off alike).
 * </ul>
 */
public final class LongRange {
    /** Default bucket bounds of window positions: 0–10, 10–50, 50–200, 200+. */
    public static final int[] DEFAULT_BOUNDS = {0, 10, 50, 200};
    /** Span buckets: 1–10, 11–50, 51–200, 201+ characters (lower bounds). */
    public static final int[] SPAN_BOUNDS = {1, 11, 51, 201};
    /** The bracket kinds, as opener-closer pairs; {@code ""} is the double quote. */
    public static final String[] KINDS = {"()", "[]", "{}", "\"\""};

    private LongRange() {
    }

    /**
     * Mean loss of the characters whose window position {@code j = i mod window} lies in {@code [from, to)}.
     *
     * @param count scored characters in the bucket
     * @param resetBits their mean bits with the state reset every window
     * @param carriedBits the same characters' mean bits with the state carried
     */
    public record Bucket(int from, int to, long count, double resetBits, double carriedBits) {
    }

    /**
     * The loss by window position: {@code reset} and {@code carried} are aligned per-character bits (index i =
     * input position i), {@code bounds} ascending lower bounds starting at 0; the last bucket ends at the window.
     * Buckets at or beyond the window are left out.
     */
    public static List<Bucket> byPosition(double[] reset, double[] carried, int window, int[] bounds) {
        if (reset.length != carried.length) {
            throw new IllegalArgumentException("reset and carried scores differ in length: " + reset.length + " vs "
                    + carried.length);
        }
        if (bounds.length == 0 || bounds[0] != 0) {
            throw new IllegalArgumentException("position buckets must start at 0, got " + Arrays.toString(bounds));
        }
        for (int k = 1; k < bounds.length; k++) {
            if (bounds[k] <= bounds[k - 1]) {
                throw new IllegalArgumentException("position buckets must ascend, got " + Arrays.toString(bounds));
            }
        }
        int used = 0;
        while (used < bounds.length && bounds[used] < window) {
            used++;
        }
        long[] n = new long[used];
        double[] r = new double[used];
        double[] c = new double[used];
        for (int i = 0; i < reset.length; i++) {
            int j = i % window;
            int k = used - 1;
            while (bounds[k] > j) {
                k--;
            }
            n[k]++;
            r[k] += reset[i];
            c[k] += carried[i];
        }
        List<Bucket> out = new ArrayList<>();
        for (int k = 0; k < used; k++) {
            int to = k + 1 < used ? bounds[k + 1] : window;
            out.add(new Bucket(bounds[k], to, n[k], n[k] == 0 ? Double.NaN : r[k] / n[k],
                    n[k] == 0 ? Double.NaN : c[k] / n[k]));
        }
        return out;
    }

    /**
     * Bracket statistics of one kind, summed over texts.
     *
     * @param kind the opener and closer, e.g. {@code "()"}
     * @param opened openers seen
     * @param closed of them, closed by the matching closer in the same text
     * @param stray closers that closed nothing (no matching open bracket innermost)
     * @param spans closed spans per {@link #SPAN_BOUNDS} bucket
     * @param meanSpan the mean closed span (NaN if none closed)
     * @param medianSpan the median closed span (−1 if none closed)
     */
    public record Brackets(String kind, long opened, long closed, long stray, long[] spans, double meanSpan,
            int medianSpan) {
        public Brackets {
            spans = spans.clone();
        }

        @Override
        public long[] spans() {
            return spans.clone();
        }

        /** closed / opened, NaN if nothing was opened. */
        public double closedFraction() {
            return opened == 0 ? Double.NaN : (double) closed / opened;
        }
    }

    /** The statistics of every kind in {@link #KINDS} (then all kinds together, kind {@code "all"}) over {@code texts}. */
    public static List<Brackets> brackets(List<String> texts) {
        int kinds = KINDS.length;
        long[] opened = new long[kinds];
        long[] stray = new long[kinds];
        List<List<Integer>> spans = new ArrayList<>();
        for (int k = 0; k < kinds; k++) {
            spans.add(new ArrayList<>());
        }
        for (String text : texts) {
            int[] stackKind = new int[text.length()];
            int[] stackAt = new int[text.length()];
            int depth = 0;
            int quoteAt = -1;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '"') {
                    if (quoteAt >= 0) {
                        spans.get(kinds - 1).add(i - quoteAt);
                        quoteAt = -1;
                    } else {
                        opened[kinds - 1]++;
                        quoteAt = i;
                    }
                    continue;
                }
                for (int k = 0; k < kinds - 1; k++) {
                    if (ch == KINDS[k].charAt(0)) {
                        opened[k]++;
                        stackKind[depth] = k;
                        stackAt[depth++] = i;
                    } else if (ch == KINDS[k].charAt(1)) {
                        if (depth > 0 && stackKind[depth - 1] == k) {
                            depth--;
                            spans.get(k).add(i - stackAt[depth]);
                        } else {
                            stray[k]++;
                        }
                    }
                }
            }
        }
        List<Brackets> out = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        long allOpened = 0;
        long allStray = 0;
        for (int k = 0; k < kinds; k++) {
            out.add(summary(KINDS[k], opened[k], stray[k], spans.get(k)));
            all.addAll(spans.get(k));
            allOpened += opened[k];
            allStray += stray[k];
        }
        out.add(summary("all", allOpened, allStray, all));
        return out;
    }

    /** {@code text} cut into consecutive pieces of {@code length} characters (the last, shorter one dropped). */
    public static List<String> pieces(String text, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("piece length must be at least 1, got " + length);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i + length <= text.length(); i += length) {
            out.add(text.substring(i, i + length));
        }
        return out;
    }

    private static Brackets summary(String kind, long opened, long stray, List<Integer> closedSpans) {
        long[] hist = new long[SPAN_BOUNDS.length];
        int[] sorted = closedSpans.stream().mapToInt(Integer::intValue).sorted().toArray();
        double sum = 0;
        for (int s : sorted) {
            int k = SPAN_BOUNDS.length - 1;
            while (SPAN_BOUNDS[k] > s) {
                k--;
            }
            hist[k]++;
            sum += s;
        }
        int n = sorted.length;
        return new Brackets(kind, opened, n, stray, hist, n == 0 ? Double.NaN : sum / n,
                n == 0 ? -1 : sorted[(n - 1) / 2]);
    }
}
