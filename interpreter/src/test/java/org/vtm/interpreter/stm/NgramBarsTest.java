package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The unigram and add-one bigram bars against values computed by hand. */
class NgramBarsTest {
    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void barsOnATinyTextMatchHandComputedValues() {
        // alphabet {a=0, b=1, c=2}; training text "aabab": unigram counts a 3, b 2, c 0 (N 5);
        // pairs aa 1, ab 2, ba 1: rows a 3, b 1, c 0
        int[] train = {0, 0, 1, 0, 1};
        NgramBars bars = NgramBars.fit(train, 3);
        int[] tail = {1, 0, 2, 2}; // scored: a after b, c after a, c after c
        double bigram = -(log2((1 + 1.0) / (1 + 3)) + log2((0 + 1.0) / (3 + 3)) + log2((0 + 1.0) / (0 + 3))) / 3;
        double unigram = -(log2((3 + 1.0) / (5 + 3)) + 2 * log2((0 + 1.0) / (5 + 3))) / 3;
        assertEquals(bigram, bars.bigramBitsPerChar(tail), 1e-12);
        assertEquals(unigram, bars.unigramBitsPerChar(tail), 1e-12);
        assertEquals(1.0, bars.bigramBits(1, 0), 1e-12); // (1+1)/(1+3) = 1/2
    }
}
