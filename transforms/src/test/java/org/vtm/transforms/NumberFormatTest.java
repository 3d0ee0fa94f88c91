package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberFormatTest {

    @ParameterizedTest
    @CsvSource({
        "0.0, 0", "1.0, 1", "2.5, 2.5", "0.1, 0.1", "100.0, 100", "123.456, 123.456",
        "0.000001, 0.000001", "1.0E-7, 1e-7", "1.5E-7, 1.5e-7", "1.0E20, 100000000000000000000",
        "1.0E21, 1e21", "9.007199254740992E15, 9007199254740992", "0.30000000000000004, 0.30000000000000004",
        "4.9E-324, 5e-324", "1.7976931348623157E308, 1.7976931348623157e308",
        "2.2250738585072014E-308, 2.2250738585072014e-308", "1.0E23, 1e23",
        // JDK 17's Double.toString prints 2.0E-3 style and sometimes a needless digit; we do not
        "2.0E-3, 0.002", "5.0E-324, 5e-324",
    })
    void knownValues(double value, String expected) {
        assertEquals(expected, NumberFormat.format(value));
    }

    @Test
    void randomDoublesRoundTripWithTheFewestDigits() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            double v = Double.longBitsToDouble(rng.nextLong() & Long.MAX_VALUE);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            String s = NumberFormat.format(v);
            assertEquals(v, Double.parseDouble(s), s);
            // and through the language lexer
            Lexer lex = new Lexer(s);
            lex.advance();
            assertEquals(Tok.NUMBER, lex.type, s);
            assertEquals(s.length(), lex.end, s);
            assertEquals(v, lex.number, s);
            // minimal: one significant digit fewer never round-trips
            int digits = new BigDecimal(s).stripTrailingZeros().precision();
            if (digits > 1) {
                BigDecimal shorter = new BigDecimal(v).round(new MathContext(digits - 1, RoundingMode.HALF_EVEN));
                assertNotEquals(v, shorter.doubleValue(), s);
            }
        }
    }

    @Test
    void rejectsNegativeAndNonFinite() {
        assertThrows(IllegalArgumentException.class, () -> NumberFormat.format(-1));
        assertThrows(IllegalArgumentException.class, () -> NumberFormat.format(-0.0));
        assertThrows(IllegalArgumentException.class, () -> NumberFormat.format(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> NumberFormat.format(Double.POSITIVE_INFINITY));
    }

    @Test
    void printedLiteralsAreCanonicalInPrograms() {
        assertEquals("(x) -> (x * 0.002 + 1e23)", Program.parse("(x) -> x * 2.0E-3 + 100000000000000000000000").text());
    }
}
