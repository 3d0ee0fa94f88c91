package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The long-range measures on hand-made inputs. */
class LongRangeTest {
    @Test
    void lossByWindowPositionAveragesTheRightCharacters() {
        // window 4, buckets from 0, 1 and 3: positions 0 | 1, 2 | 3; two windows and two characters of a third
        double[] reset = {8, 6, 4, 2, 10, 6, 2, 0, 1, 5};
        double[] carried = {1, 1, 1, 1, 3, 3, 3, 3, 5, 7};
        List<LongRange.Bucket> b = LongRange.byPosition(reset, carried, 4, new int[] {0, 1, 3, 50});
        assertEquals(3, b.size(), "a bucket starting at or beyond the window is left out");
        assertEquals(new LongRange.Bucket(0, 1, 3, (8 + 10 + 1) / 3.0, (1 + 3 + 5) / 3.0), b.get(0));
        assertEquals(new LongRange.Bucket(1, 3, 5, (6 + 4 + 6 + 2 + 5) / 5.0, (1 + 1 + 3 + 3 + 7) / 5.0), b.get(1));
        assertEquals(new LongRange.Bucket(3, 4, 2, 1.0, 2.0), b.get(2));
        assertThrows(IllegalArgumentException.class, () -> LongRange.byPosition(reset, carried, 4, new int[] {1, 3}));
    }

    private static LongRange.Brackets kind(List<LongRange.Brackets> all, String k) {
        return all.stream().filter(b -> b.kind().equals(k)).findFirst().orElseThrow();
    }

    @Test
    void bracketsAndQuotesOpenedAndClosed() {
        // "(a [b] c" : ( never closed, [ closed after 2; "x" closed after 2; ')' stray in the second text;
        // {(} : '}' does not match the innermost '(' -> stray, both stay open
        List<LongRange.Brackets> s = LongRange.brackets(List.of("(a [b] c \"x\"", ") {(}", "(" + "y".repeat(60) + ")"));
        LongRange.Brackets round = kind(s, "()");
        assertEquals(3, round.opened());
        assertEquals(1, round.closed());
        assertEquals(1, round.stray());
        assertArrayEquals(new long[] {0, 0, 1, 0}, round.spans()); // span 61: in 51-200
        assertEquals(61, round.medianSpan());
        LongRange.Brackets square = kind(s, "[]");
        assertEquals(1, square.opened());
        assertEquals(1, square.closed());
        assertEquals(2.0, square.meanSpan(), 0);
        assertArrayEquals(new long[] {1, 0, 0, 0}, square.spans());
        LongRange.Brackets curly = kind(s, "{}");
        assertEquals(1, curly.opened());
        assertEquals(0, curly.closed());
        assertEquals(1, curly.stray());
        assertEquals(-1, curly.medianSpan());
        LongRange.Brackets quote = kind(s, "\"\"");
        assertEquals(1, quote.opened());
        assertEquals(1, quote.closed());
        LongRange.Brackets all = kind(s, "all");
        assertEquals(6, all.opened());
        assertEquals(3, all.closed());
        assertEquals(0.5, all.closedFraction(), 0);
        assertEquals(2, all.medianSpan()); // spans 2, 2, 61
    }

    @Test
    void piecesCutTheTextIntoEqualLengths() {
        assertEquals(List.of("abc", "def"), LongRange.pieces("abcdefgh", 3));
    }
}
