package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Program#stepSyntax()}: the read-only syntax view of parsed steps. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SyntaxNodeTest {

    @Test
    void treesFollowTheLanguagesEvaluationOrder() {
        Program p = Program.parse("(x, y) -> (x - 2*y + sin(x)^3, if(x < y, -y, pow(e, x)))"
                + " |> (a, b) -> (a / b * pi, tanh(b))");
        List<List<SyntaxNode>> s = p.stepSyntax();
        assertEquals(2, s.size());
        assertEquals(2, s.get(0).size());
        assertEquals("+(-(var0, *(const2, var1)), ^(sin(var0), const3))", s.get(0).get(0).toString());
        assertEquals("if<(var0, var1, neg(var1), ^(const" + NumberFormat.format(Math.E) + ", var0))",
                s.get(0).get(1).toString());
        assertEquals("*(/(var0, var1), const" + NumberFormat.format(Math.PI) + ")", s.get(1).get(0).toString());
        assertEquals("tanh(var1)", s.get(1).get(1).toString());
        SyntaxNode root = s.get(0).get(0);
        assertEquals(SyntaxNode.VOCABULARY.indexOf("+"), root.opIndex());
        assertEquals(10, root.size());
        SyntaxNode two = root.children().get(0).children().get(1).children().get(0);
        assertEquals(SyntaxNode.CONSTANT, two.op());
        assertEquals(2.0, two.constant());
        assertEquals(-1, two.variable());
        assertEquals(1, root.children().get(0).children().get(1).children().get(1).variable());
        assertThrows(UnsupportedOperationException.class, () -> root.children().add(root));
    }

    @Test
    void vocabularyIsFixedAndCoversEveryFunctionAndComparison() {
        assertEquals(1, SyntaxNode.VOCABULARY_VERSION);
        assertEquals(List.of("var", "const", "+", "-", "*", "/", "^", "neg", "sin", "cos", "tan", "exp", "log", "sqrt",
                "tanh", "sigmoid", "sinh", "cosh", "atan", "softplus", "if<", "if<=", "if>", "if>="), SyntaxNode.VOCABULARY);
        for (UnaryFunction f : UnaryFunction.values()) {
            Program p = Program.parse("(x) -> (" + f.symbol() + "(x))");
            assertEquals(f.symbol(), p.stepSyntax().get(0).get(0).op());
        }
    }

    @Test
    void javaStepsHaveNoSyntax() {
        Program p = Program.ofJava("f", 1, 1, in -> in);
        IllegalStateException e = assertThrows(IllegalStateException.class, p::stepSyntax);
        assertEquals(true, e.getMessage().contains("not parsed from text"));
    }
}
