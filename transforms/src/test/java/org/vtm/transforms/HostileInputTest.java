package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Inputs built to break a naive parser: deep nesting, megabyte lines, huge literals. Each must end
 * quickly with a result or a {@link ProgramParseException} that says what is wrong, never a
 * {@link StackOverflowError} or a hang. Timeouts are generous (10 s) against a slow CI machine;
 * the work is linear and takes well under a second here.
 */
class HostileInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int HUGE = 100_000;

    private static ProgramParseException fails(String text) {
        return assertTimeoutPreemptively(TIMEOUT,
                () -> assertThrows(ProgramParseException.class, () -> Program.parse(text)));
    }

    private static void assertTooDeep(ProgramParseException e) {
        assertTooDeep(e, 1);
    }

    /** {@code width}: characters per nesting level in the input. */
    private static void assertTooDeep(ProgramParseException e, int width) {
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("nested too deeply (more than " + Program.MAX_NESTING_DEPTH),
                e.getMessage());
        // the error is raised where the limit is crossed, not at the end of the text
        assertTrue(e.column() > width * Program.MAX_NESTING_DEPTH / 2
                && e.column() < width * (Program.MAX_NESTING_DEPTH + 10), e.getMessage());
    }

    @Test
    void deepParenthesesAreRejected() {
        ProgramParseException e = fails("(x) -> " + "(".repeat(HUGE) + "x" + ")".repeat(HUGE));
        assertTooDeep(e);
        // tuple '(' at column 8 is level 1; its expression is level 2; each further '(' opens
        // one more level, so level 257 is reached at the '(' in column 8 + 256 = 264
        assertEquals(264, e.column());
    }

    @Test
    void deepUnaryMinusIsRejected() {
        assertTooDeep(fails("(x) -> " + "-".repeat(HUGE) + "x"));
    }

    @Test
    void deepFunctionNestingIsRejected() {
        assertTooDeep(fails("(x) -> " + "sin(".repeat(HUGE) + "x" + ")".repeat(HUGE)), 4);
        assertTooDeep(fails("(x) -> " + "if(".repeat(HUGE) + "x"), 3);
        assertTooDeep(fails("(x) -> " + "pow(".repeat(HUGE) + "x"), 4);
    }

    @Test
    void longPowerTowerIsRejected() {
        assertTooDeep(fails("(x) -> " + "x^".repeat(HUGE) + "x"), 2);
    }

    @Test
    void deepButAllowedNestingParsesAndEvaluates() {
        int n = 200;
        Program p = Program.parse("(x) -> " + "(".repeat(n) + "x + 1" + ")".repeat(n));
        assertEquals("(x) -> (x + 1)", p.text());

        Program sines = Program.parse("(x) -> " + "sin(".repeat(n) + "x" + ")".repeat(n));
        double expected = 0.9;
        for (int i = 0; i < n; i++) {
            expected = Math.sin(expected);
        }
        assertArrayEquals(new double[] {expected}, sines.execute(new double[] {0.9}), 0.0);
        assertEquals(sines.text(), Program.parse(sines.text()).text());

        // even count of minus signs: the value is x itself
        Program minus = Program.parse("(x) -> " + "-".repeat(n) + "x");
        assertArrayEquals(new double[] {1.25}, minus.execute(new double[] {1.25}), 0.0);

        // a tower 2^2^...^2 of (mostly) literal exponents, evaluated right to left
        Program tower = Program.parse("(x) -> " + "1^".repeat(n) + "x");
        assertArrayEquals(new double[] {1.0}, tower.execute(new double[] {3}), 0.0);
    }

    @Test
    void tenMegabyteLineIsRejectedByTheLengthLimit() {
        StringBuilder sb = new StringBuilder("(x) -> x");
        while (sb.length() < 10_000_000) {
            sb.append(" + x");
        }
        ProgramParseException e = fails(sb.toString());
        assertEquals(1, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().contains(sb.length() + " characters; the limit is "
                + Program.MAX_TEXT_LENGTH), e.getMessage());
    }

    @Test
    void lineAtTheLengthLimitParsesInLinearTime() {
        // ~260k terms: a flat sum, so neither parsing nor evaluation recurses per term
        StringBuilder sb = new StringBuilder("(x) -> x");
        int terms = 1;
        while (sb.length() + 4 <= Program.MAX_TEXT_LENGTH) {
            sb.append(" + x");
            terms++;
        }
        String text = sb.toString();
        int count = terms;
        assertTimeoutPreemptively(TIMEOUT, () -> {
            Program p = Program.parse(text);
            // 1 + 1 + ... is exact in double far beyond this count
            assertArrayEquals(new double[] {count}, p.execute(new double[] {1}), 0.0);
            assertEquals("(x) -> (" + text.substring(7) + ")", p.text());
        });

        StringBuilder product = new StringBuilder("(x) -> x");
        while (product.length() + 8 <= Program.MAX_TEXT_LENGTH) {
            product.append(" * x / x");
        }
        // multiplying and dividing by 2 is exact, so the value stays 2
        assertTimeoutPreemptively(TIMEOUT, () -> assertArrayEquals(new double[] {2},
                Program.parse(product.toString()).execute(new double[] {2}), 0.0));
    }

    @Test
    void manyStepsAndManyParametersAreLinear() {
        String step = "(x) -> (x + 1) |> ";
        int n = (Program.MAX_TEXT_LENGTH - 20) / step.length();
        String steps = step.repeat(n) + "(x) -> x";
        assertTimeoutPreemptively(TIMEOUT, () -> {
            Program p = Program.parse(steps);
            assertEquals(n + 1, p.steps().size());
            assertArrayEquals(new double[] {n}, p.execute(new double[] {0}), 0.0);
        });

        StringBuilder params = new StringBuilder("(p0");
        int k = 1;
        while (params.length() < Program.MAX_TEXT_LENGTH - 100) {
            params.append(", p").append(k++);
        }
        String wide = params + ") -> zz";
        ProgramParseException e = fails(wide);
        assertTrue(e.getMessage().contains("unknown identifier 'zz'; in scope: parameters p0, p1,"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(" + k + " in all)"), e.getMessage());
        assertTrue(e.getMessage().length() < 500, "message is shortened");
        ProgramParseException dup = fails(params + ", p0) -> p0");
        assertTrue(dup.getMessage().contains("duplicate parameter name 'p0'"), dup.getMessage());
    }

    @Test
    void hugeLiteralsAreRejectedAndQuotedShortly() {
        ProgramParseException e = fails("(x) -> x + 1e999999");
        assertTrue(e.getMessage().contains("number literal '1e999999' is too large"), e.getMessage());
        assertEquals(12, e.column());

        ProgramParseException many = fails("(x) -> " + "9".repeat(1_000_000));
        assertTrue(many.getMessage().contains("too large"), many.getMessage());
        assertTrue(many.getMessage().contains("(1000000 characters)"), many.getMessage());
        assertTrue(many.getMessage().length() < 200, "the literal is not echoed in full");

        ProgramParseException tiny = fails("(x) -> 0." + "0".repeat(1_000_000) + "1");
        assertTrue(tiny.getMessage().contains("too small"), tiny.getMessage());

        ProgramParseException exp = fails("(x) -> 1e" + "9".repeat(1_000_000));
        assertTrue(exp.getMessage().contains("too large"), exp.getMessage());

        ProgramParseException name = fails("(x) -> " + "a".repeat(1_000_000));
        assertTrue(name.getMessage().contains("unknown identifier 'aaaa"), name.getMessage());
        assertTrue(name.getMessage().length() < 200, "the name is not echoed in full");
    }

    @Test
    void manyLinesKeepLineNumbersRight() {
        String text = "(x) ->\n" + "\n".repeat(5000) + "   x +\n q";
        ProgramParseException e = fails(text);
        assertEquals(5003, e.line());
        assertEquals(2, e.column());
        assertTrue(e.getMessage().startsWith("line 5003, column 2: unknown identifier 'q'"), e.getMessage());
    }

    @Test
    void whitespaceOnlyAndGarbageInputs() {
        ProgramParseException blank = fails(" ".repeat(500_000));
        assertTrue(blank.getMessage().contains("empty program"));
        assertEquals(500_001, blank.column());
        ProgramParseException garbage = fails("(x) -> (x) |> (y) -> (y) ))))");
        assertEquals(26, garbage.column());
        ProgramParseException binary = fails("\u0000\u0001");
        assertTrue(binary.getMessage().contains("unexpected character U+0000"), binary.getMessage());
    }
}
