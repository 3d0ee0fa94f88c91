package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramTest {

    private static final String EXAMPLE =
            "(x, y) -> (x * y, x + sin(y)) |> (u, v) -> (exp(u) / (1 + v^2), tanh(u - v))";

    private static List<String> sym(String text) {
        return SymbolicAlgebra.eval(Program.parse(text));
    }

    private static double eval1(String text, double... x) {
        double[] out = Program.parse(text).execute(x);
        assertEquals(1, out.length);
        return out[0];
    }

    // ---------------------------------------------------------------- structure and round trips

    @Test
    void exampleParsesWithDimensionsStepsAndCanonicalText() {
        Program p = Program.parse(EXAMPLE);
        assertEquals(2, p.inputDim());
        assertEquals(2, p.outputDim());
        assertEquals(2, p.steps().size());
        assertEquals("(x, y) -> (x * y, x + sin(y))", p.steps().get(0).text());
        assertEquals(EXAMPLE, p.text());
        assertEquals(EXAMPLE, p.toString());
    }

    @Test
    void exampleEvaluatesToHandComputedValues() {
        double x = 0.7;
        double y = -1.3;
        double u = x * y;
        double v = x + Math.sin(y);
        // Same operations in the same order, and Math.pow(v, 2) is v*v exactly for finite v
        // (correctly rounded squaring), so the comparison is exact.
        double[] expected = {Math.exp(u) / (1 + v * v), Math.tanh(u - v)};
        assertArrayEquals(expected, Program.parse(EXAMPLE).execute(new double[] {x, y}), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        EXAMPLE,
        "(x) -> (x)",
        "(x) -> (x + 1)",
        "(x, y) -> (x - (y - x), x - y - x)",
        "(x, y) -> (x / (y / x), x / y / x, x * (y * x))",
        "(x, y) -> ((x + y) * (x - y), x * y + x / y)",
        "(x) -> (-x^2, (-x)^2, -(x * x), --x, x - -x, x * -x)",
        "(x) -> (2^3^x, (2^3)^x, 2^-x, x^-0.5, x^(1 + x), pow(x, 2), pow(2, x))",
        "(x) -> (sin(cos(tan(exp(log(sqrt(tanh(sigmoid(sinh(cosh(atan(softplus(x)))))))))))))",
        "(a, b) -> (if(a < b, a, b), if(a <= b, 1, 2), if(a > b, a, b), if(a >= b + 1, a * b, -b))",
        "(x) -> (pi * x + e, 0.000001, 1e-7, 1.5e-10, 1e21, 100000000000000000000, 0.1, 123.456)",
        "(x_1, Y2, _z) -> (x_1 * Y2 * _z) |> (t) -> (t, t) |> (p, q) -> (p / q)",
        "(x) -> (5e-324, 1.7976931348623157e308, 9007199254740992, 0.30000000000000004)",
    })
    void canonicalTextIsReproducedExactly(String text) {
        Program p = Program.parse(text);
        assertEquals(text, p.text());
        assertEquals(text, Program.parse(p.text()).text());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "(x)->x+1 => (x) -> (x + 1)",
        "(x) -> (x+1)*2 => (x) -> ((x + 1) * 2)",
        "(x) -> (x+1) => (x) -> (x + 1)",
        "(x) -> ((x)) => (x) -> (x)",
        "(x) -> (x + 1) + 2 => (x) -> (x + 1 + 2)",
        "(x) -> ((x * 2) * 3) / 4 => (x) -> (x * 2 * 3 / 4)",
        "(x) -> x + (2 + 3) => (x) -> (x + (2 + 3))",
        "(x) -> -(x^2) => (x) -> (-x^2)",
        "(x) -> x^(-2) => (x) -> (x^-2)",
        "(x) -> (x)^(2) => (x) -> (x^2)",
        "(x) -> 1.50 + 1E3 + 2.5e+10 + 00.10 => (x) -> (1.5 + 1000 + 25000000000 + 0.1)",
        "(x) -> 123456789012345678901234.0 => (x) -> (1.2345678901234569e23)",
        "(x) -> 0.0 + 0e-400 * 000 => (x) -> (0 + 0 * 0)",
        "(x , y)->( x , y )|>( a , b )->a => (x, y) -> (x, y) |> (a, b) -> (a)",
        "(x)->if(x<0,-x,x) => (x) -> (if(x < 0, -x, x))",
    })
    void nonCanonicalTextIsNormalised(String input, String canonical) {
        Program p = Program.parse(input);
        assertEquals(canonical, p.text());
        assertEquals(canonical, Program.parse(canonical).text());
        // normalisation must not change what the program computes
        assertEquals(sym(input), sym(canonical));
    }

    @Test
    void newlinesAndTabsAreWhitespace() {
        Program p = Program.parse("(x,\n\ty) ->\r\n  (x * y,\n   y)\n|> (a, b) -> a\n");
        assertEquals("(x, y) -> (x * y, y) |> (a, b) -> (a)", p.text());
    }

    // ---------------------------------------------------------------- precedence and evaluation

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "(x, y) -> x - y - x => sub(sub(x0,x1),x0)",
        "(x, y) -> x / y / x => div(div(x0,x1),x0)",
        "(x, y) -> x - (y - x) => sub(x0,sub(x1,x0))",
        "(x, y) -> x + y * x => add(x0,mul(x1,x0))",
        "(x, y) -> (x + y) * x => mul(add(x0,x1),x0)",
        "(x, y) -> x * y ^ x => mul(x0,pow(x1,x0))",
        "(x, y) -> x ^ y ^ x => pow(x0,pow(x1,x0))",
        "(x) -> -x ^ 2 => neg(powd(x0,2.0))",
        "(x) -> (-x) ^ 2 => powd(neg(x0),2.0)",
        "(x) -> x ^ -2 => powd(x0,-2.0)",
        "(x) -> x ^ --2 => pow(x0,neg(neg(2.0)))",
        "(x) -> 2 ^ -x ^ 2 => pow(2.0,neg(powd(x0,2.0)))",
        "(x) -> x ^ pi => pow(x0,3.141592653589793)",
        "(x) -> pow(x, 3) => powd(x0,3.0)",
        "(x, y) -> pow(x, y) => pow(x0,x1)",
        "(x) -> -x * x => mul(neg(x0),x0)",
        "(x) -> - - x => neg(neg(x0))",
        "(x) -> 2 * -x + 1 => add(mul(2.0,neg(x0)),1.0)",
        "(x, y) -> if(x + 1 < y * 2, x, -y) => if(add(x0,1.0)<mul(x1,2.0),x0,neg(x1))",
        "(x) -> sigmoid(x) ^ 2 => powd(sigmoid(x0),2.0)",
        "(x) -> e ^ x => pow(2.718281828459045,x0)",
    })
    void precedenceAndAssociativity(String text, String expected) {
        assertEquals(List.of(expected), sym(text));
    }

    @Test
    void evaluatesAgainstHandComputedValues() {
        assertEquals(-9.0, eval1("(x) -> -x^2", 3), 0.0);
        assertEquals(9.0, eval1("(x) -> (-x)^2", 3), 0.0);
        assertEquals(512.0, eval1("(x) -> 2^3^x", 2), 0.0);
        assertEquals(64.0, eval1("(x) -> (2^3)^x", 2), 0.0);
        assertEquals(1.0, eval1("(x) -> 8 / x / 2", 4), 0.0);
        assertEquals(4.0, eval1("(x) -> 8 / (x / 2)", 4), 0.0);
        assertEquals(2.0, eval1("(x) -> 8 - x - 2", 4), 0.0);
        assertEquals(26.0, eval1("(x) -> 2 * 3 + x * 5", 4), 0.0);
        assertEquals(0.5, eval1("(x) -> x^-1", 2), 0.0);
        assertEquals(2.0, eval1("(x) -> 1 - -x", 1), 0.0);
        assertEquals(3.0, eval1("(x) -> if(x < 0, -x, x)", -3), 0.0);
        assertEquals(3.0, eval1("(x) -> if(x >= 0, x, -x)", 3), 0.0);
        assertEquals(1.0, eval1("(x) -> if(x <= 0, 1, 2)", 0), 0.0);
        assertEquals(2.0, eval1("(x) -> if(x > 0, 1, 2)", 0), 0.0);
        assertEquals(Math.PI * 2 + Math.E, eval1("(x) -> pi * x + e", 2), 0.0);
        assertEquals(1.5e-10 * 1e21, eval1("(x) -> x * 1e21", 1.5e-10), 0.0);
        // Math.pow(x, 0.5) and Math.sqrt agree to 1 ulp at most; 2 is an exact perfect square.
        assertEquals(Math.sqrt(2.0), eval1("(x) -> x^0.5", 2.0), Math.ulp(Math.sqrt(2.0)));
        assertEquals(-8.0, eval1("(x) -> pow(x, 3)", -2), 0.0);
        for (UnaryFunction f : UnaryFunction.values()) {
            double x = 0.37;
            assertEquals(f.apply(x), eval1("(x) -> " + f.symbol() + "(x)", x), 0.0, f.symbol());
        }
        // closed forms: sigmoid(0) = 1/2, softplus(0) = log 2, atan(1) = pi/4
        assertEquals(0.5, eval1("(x) -> sigmoid(x)", 0), 0.0);
        assertEquals(Math.log(2), eval1("(x) -> softplus(x)", 0), 1e-16);
        assertEquals(Math.PI / 4, eval1("(x) -> atan(x)", 1), 1e-16);
    }

    @Test
    void multiStepPipelineComposesLeftToRight() {
        Program p = Program.parse("(x) -> (x + 1, x * 2) |> (a, b) -> (a * b) |> (s) -> (s - 1, s)");
        assertEquals(1, p.inputDim());
        assertEquals(2, p.outputDim());
        assertArrayEquals(new double[] {(3 + 1) * (3 * 2) - 1, (3 + 1) * (3 * 2)},
                p.execute(new double[] {3}), 0.0);
    }

    // ---------------------------------------------------------------- errors with positions

    private static ProgramParseException fails(String text) {
        return assertThrows(ProgramParseException.class, () -> Program.parse(text), text);
    }

    private static void assertError(String text, int line, int column, String... fragments) {
        ProgramParseException e = fails(text);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ", column " + column + ": "), e.getMessage());
        assertEquals(e.getMessage(), "line " + line + ", column " + column + ": " + e.detail());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void errorMessageFormatMatchesTheDocumentedExample() {
        ProgramParseException e = fails("(x, y) -> (x, y |> (u) -> (u))");
        assertEquals("line 1, column 17: expected ')' or ',' but found '|>'", e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);
    }

    @Test
    void syntaxErrorsNameLineColumnAndExpectation() {
        assertError("", 1, 1, "empty program");
        assertError("  \n   ", 2, 4, "empty program");
        assertError("(x) -> (x, x) y", 1, 15, "expected '|>' or end of input after the output tuple",
                "found 'y'");
        assertError("(x) -> (x) y", 1, 12, "expected an operator, '|>' or end of input", "found 'y'");
        assertError("(x) -> x y", 1, 10, "expected an operator, '|>' or end of input", "found 'y'");
        assertError("(x) -> x)", 1, 9, "found ')'");
        assertError("x -> x", 1, 1, "expected '(' to start the parameter list of step 1", "found 'x'");
        assertError("(x) x", 1, 5, "expected '->'", "found 'x'");
        assertError("() -> 1", 1, 2, "expected a parameter name", "found ')'");
        assertError("(x y) -> 1", 1, 4, "expected ',' or ')'", "found 'y'");
        assertError("(x) -> ()", 1, 9, "expected an expression", "found ')'");
        assertError("(x) -> (x, )", 1, 12, "expected an expression", "found ')'");
        assertError("(x) -> (x + 1", 1, 14, "expected ')' or ','", "found end of input");
        assertError("(x) -> x + (x * 2", 1, 18, "expected an operator or ')'", "end of input");
        assertError("(x) -> x < 1", 1, 10, "found '<'");
        assertError("(x) -> x # 1", 1, 10, "unexpected character '#'");
        assertError("(x) -> x \u0007", 1, 10, "unexpected character U+0007");
        assertError("(x) -> x | 1", 1, 10, "'|>'");
        assertError("(x) -> 1. + x", 1, 8, "expected a digit after '.'", "'1.'");
        assertError("(x) -> 2e", 1, 9, "found 'e'");
        assertError("(x) -> x |> ", 1, 13, "expected '(' to start the parameter list of step 2",
                "end of input");
        assertError("(x) -> sin x", 1, 12, "expected '(' after function 'sin'", "found 'x'");
        assertError("(x) -> sin(x, x)", 1, 13, "function 'sin' takes 1 argument", "found ','");
        assertError("(x) -> pow(x)", 1, 13, "expected ',' between the two arguments of 'pow'");
        assertError("(x) -> pow(x, 1, 2)", 1, 16, "function 'pow' takes 2 arguments");
        assertError("(x) -> if(x, 1, 2)", 1, 12, "expected a comparison (<, <=, >, >=)", "found ','");
        assertError("(x) -> if(x < 1, 2)", 1, 19, "expected ',' after the 'then' value of 'if'");
        assertError("(x) -> if(x < 1 < 2, 1, 2)", 1, 17, "expected ',' after the condition", "'<'");
        assertError("(x) -> x(2)", 1, 8, "'x' is a parameter, not a function");
    }

    @Test
    void namesAreCheckedAgainstScope() {
        assertError("(x) ->\n  (x +\n   zz)", 3, 4,
                "unknown identifier 'zz'; in scope: parameters x; constants pi, e");
        assertError("(x, y) -> foo(x)", 1, 11, "unknown function 'foo'",
                "valid functions: sin, cos, tan, exp, log, sqrt, tanh, sigmoid, sinh, cosh, atan, "
                        + "softplus, pow, if");
        assertError("(x) -> (x) |> (u) -> x", 1, 22, "unknown identifier 'x'", "parameters u");
        assertError("(x, x) -> x", 1, 5, "duplicate parameter name 'x'");
        assertError("(sin) -> 1", 1, 2, "parameter name 'sin' is reserved (a function)");
        assertError("(x, pow) -> 1", 1, 5, "'pow' is reserved (a function)");
        assertError("(if) -> 1", 1, 2, "'if' is reserved (a function)");
        assertError("(pi) -> 1", 1, 2, "'pi' is reserved (a constant)");
        assertError("(x, e) -> 1", 1, 5, "'e' is reserved (a constant)");
        // Case matters: Sin is an ordinary name.
        assertEquals(2.0, eval1("(Sin) -> Sin + 1", 1), 0.0);
    }

    @Test
    void nonFiniteAndOutOfRangeLiteralsAreRejected() {
        assertError("(x) -> x + 1e999999", 1, 12, "'1e999999'", "too large");
        assertError("(x) -> 1.8e308", 1, 8, "'1.8e308'", "too large");
        assertError("(x) -> 1e-999999", 1, 8, "'1e-999999'", "too small");
        assertError("(x) -> NaN", 1, 8, "'NaN'", "finite");
        assertError("(x) -> x * Infinity", 1, 12, "'Infinity'", "finite");
        assertError("(x) -> inf", 1, 8, "'inf'", "finite");
        // zero written in any form is fine, and so is the smallest subnormal
        assertEquals("(x) -> (0 + 0 + 5e-324)", Program.parse("(x) -> 0e-999999 + 0.000 + 4.9e-324").text());
    }

    @Test
    void arityMismatchBetweenStepsNamesBothStepsAndCounts() {
        assertError("(x, y) -> (x, y, x) |> (u, v) -> u", 1, 24,
                "step 1 has 3 outputs but step 2 has 2 parameters (u, v)");
        assertError("(x) -> (x) |> (a) -> (a, a)\n |> (p, q, r) -> p", 2, 5,
                "step 2 has 2 outputs but step 3 has 3 parameters (p, q, r)");
        assertError("(x) -> (x, x) |> (a) -> a", 1, 18, "step 1 has 2 outputs but step 2 has 1 parameter (a)");
    }

    @Test
    void nullTextIsRejectedWithAClearMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Program.parse(null));
        assertEquals("program text must not be null", e.getMessage());
    }

    // ---------------------------------------------------------------- Program API

    @Test
    void programIsAnImmutableValueComparedByText() {
        Program a = Program.parse("(x)->x+1");
        Program b = Program.parse("(x) -> (x + 1)");
        Program c = Program.parse("(y) -> (y + 1)");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertThrows(UnsupportedOperationException.class, () -> a.steps().add(a.steps().get(0)));
        assertThrows(UnsupportedOperationException.class, () -> a.steps().set(0, c.steps().get(0)));
    }

    @Test
    void ofChecksChainingAndRebuildsTheText() {
        Program p = Program.parse(EXAMPLE);
        Program q = Program.of(p.steps());
        assertEquals(p, q);
        assertEquals(EXAMPLE, q.text());
        List<Step> steps = new ArrayList<>(p.steps());
        Program r = Program.of(steps);
        steps.clear(); // the program keeps its own copy
        assertEquals(2, r.steps().size());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Program.of(List.of(p.steps().get(0), Program.parse("(a) -> a").steps().get(0))));
        assertTrue(e.getMessage().contains("step 1 '(x, y) -> (x * y, x + sin(y))' has 2 outputs"
                + " but step 2 '(a) -> (a)' has 1 inputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Program.of(List.of()));
        List<Step> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> Program.of(withNull));
    }

    @Test
    void thenConcatenatesAndChecksArity() {
        Program first = Program.parse("(x, y) -> (x * y, x + sin(y))");
        Program second = Program.parse("(u, v) -> (exp(u) / (1 + v^2), tanh(u - v))");
        Program both = first.then(second);
        assertEquals(Program.parse(EXAMPLE), both);
        assertArrayEquals(Program.parse(EXAMPLE).execute(new double[] {0.3, 0.4}),
                both.execute(new double[] {0.3, 0.4}), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> both.then(Program.parse("(a) -> a")));
        assertTrue(e.getMessage().contains("(2 outputs) into '(a) -> (a)' (1 inputs)"), e.getMessage());
    }

    @Test
    void executeValidatesThePointAndDoesNotModifyIt() {
        Program p = Program.parse(EXAMPLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.execute(new double[] {1, 2, 3}));
        assertEquals("dimension mismatch: program expects 2 inputs, point has 3", e.getMessage());
        assertThrows(NullPointerException.class, () -> p.execute(null));
        double[] x = {0.5, 0.25};
        p.execute(x);
        assertArrayEquals(new double[] {0.5, 0.25}, x, 0.0);
    }

    @Test
    void parsedStepRejectsWrongInputCount() {
        Step s = Program.parse("(x, y) -> x").steps().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.apply(DoubleAlgebra.INSTANCE, List.of(1.0)));
        assertTrue(e.getMessage().contains("takes 2 inputs, got 1"), e.getMessage());
    }

    @Test
    void javaStepDelegatesToAlgebraCallAndDoesNotParse() {
        VarFunction square = v -> new Var[] {v[0].mul(v[0]), v[0]};
        Program p = Program.ofJava("square", 1, 2, square);
        assertEquals("<java:square 1->2>", p.text());
        assertEquals(1, p.inputDim());
        assertEquals(2, p.outputDim());
        ProgramParseException notText = assertThrows(ProgramParseException.class, () -> Program.parse(p.text()));
        assertTrue(notText.getMessage().contains("steps written in Java"), notText.getMessage());

        // The step must hand exactly this function, the output count and the inputs to call().
        List<String> out = p.steps().get(0).apply(new SymbolicAlgebra(), List.of("a"));
        String id = "call" + System.identityHashCode(square);
        assertEquals(List.of(id + "#0[a]", id + "#1[a]"), out);

        Program piped = Program.parse("(x) -> (x + 1)").then(p);
        assertEquals("(x) -> (x + 1) |> <java:square 1->2>", piped.text());
        assertEquals(List.of(id + "#0[add(x0,1.0)]", id + "#1[add(x0,1.0)]"), SymbolicAlgebra.eval(piped));

        // Same label, different code: not equal; the same program is equal to itself.
        Program other = Program.ofJava("square", 1, 2, v -> new Var[] {v[0], v[0]});
        assertNotEquals(p, other);
        assertEquals(p, Program.of(p.steps()));

        assertThrows(IllegalArgumentException.class, () -> Program.ofJava("a b", 1, 1, square));
        assertThrows(IllegalArgumentException.class, () -> Program.ofJava("", 1, 1, square));
        assertThrows(IllegalArgumentException.class, () -> Program.ofJava("sq", 0, 1, square));
        assertThrows(IllegalArgumentException.class,
                () -> p.steps().get(0).apply(new SymbolicAlgebra(), List.of("a", "b")));
    }

    @Test
    void stepsAreSharedNotCopiedIntoThen() {
        Program a = Program.parse("(x) -> x");
        Program b = a.then(a);
        assertSame(a.steps().get(0), b.steps().get(1));
        assertEquals("(x) -> (x) |> (x) -> (x)", b.text());
    }
}
