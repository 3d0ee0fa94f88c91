package org.vtm.interpreter.stm;

/**
 * The bars a character model must clear: a unigram and a bigram model fitted on the training text, both with
 * add-one (Laplace) smoothing over the alphabet of {@code V} characters, so that no character has probability 0:
 * <pre>
 *   unigram  p(b)     = (n(b) + 1) / (N + V)            n(b): occurrences of b in the training text, N its length
 *   bigram   p(b | a) = (n(a, b) + 1) / (n(a, ·) + V)   n(a, b): training pairs "ab", n(a, ·) = Σ_b n(a, b)
 * </pre>
 * Scored like {@link TailScorer}: on a text of {@code n} characters, characters 1..n−1 (the bigram conditions on
 * the character before, the unigram ignores it), in bits per character. Immutable.
 */
public final class NgramBars {
    private final int vocab;
    private final long trainChars;
    private final long[] unigram;
    private final long[][] bigram;
    private final long[] rows;

    private NgramBars(int vocab, long trainChars, long[] unigram, long[][] bigram, long[] rows) {
        this.vocab = vocab;
        this.trainChars = trainChars;
        this.unigram = unigram;
        this.bigram = bigram;
        this.rows = rows;
    }

    /** Counts on the training text {@code train} (character indices below {@code vocab}). */
    public static NgramBars fit(int[] train, int vocab) {
        if (vocab < 1) {
            throw new IllegalArgumentException("the alphabet must have at least one character, got " + vocab);
        }
        long[] u = new long[vocab];
        long[][] b = new long[vocab][vocab];
        long[] r = new long[vocab];
        for (int i = 0; i < train.length; i++) {
            if (train[i] < 0 || train[i] >= vocab) {
                throw new IllegalArgumentException("character index " + train[i] + " at " + i
                        + " is outside the alphabet of " + vocab);
            }
            u[train[i]]++;
            if (i + 1 < train.length) {
                b[train[i]][train[i + 1]]++;
                r[train[i]]++;
            }
        }
        return new NgramBars(vocab, train.length, u, b, r);
    }

    /** {@code −log₂ p(c)} under the unigram model. */
    public double unigramBits(int c) {
        return -Math.log((unigram[c] + 1.0) / (trainChars + vocab)) / Math.log(2);
    }

    /** {@code −log₂ p(c | previous)} under the bigram model. */
    public double bigramBits(int previous, int c) {
        return -Math.log((bigram[previous][c] + 1.0) / (rows[previous] + vocab)) / Math.log(2);
    }

    /** Mean unigram bits of characters 1..n−1 of {@code data}. */
    public double unigramBitsPerChar(int[] data) {
        double s = 0;
        for (int i = 1; i < data.length; i++) {
            s += unigramBits(data[i]);
        }
        return s / (data.length - 1);
    }

    /** Mean bigram bits of characters 1..n−1 of {@code data}. */
    public double bigramBitsPerChar(int[] data) {
        double s = 0;
        for (int i = 1; i < data.length; i++) {
            s += bigramBits(data[i - 1], data[i]);
        }
        return s / (data.length - 1);
    }
}
