package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded property test: random expression trees (built directly, not from text) are printed,
 * parsed and printed again. The text must be a fixed point, and the parsed step must perform
 * exactly the same algebra operations as the original tree (checked with {@link SymbolicAlgebra},
 * which records every operation and constant) and compute bit-identical doubles.
 */
class RandomProgramTest {

    private static final String[] NAMES = {"x", "y", "z_1"};

    private final SplittableRandom rng = new SplittableRandom(20_261_127L);

    @Test
    void randomTreesRoundTripThroughText() {
        for (int trial = 0; trial < 1000; trial++) {
            int outputs = 1 + rng.nextInt(3);
            Expr[] exprs = new Expr[outputs];
            for (int i = 0; i < outputs; i++) {
                exprs[i] = randomExpr(1 + rng.nextInt(6));
            }
            ParsedStep original = new ParsedStep(NAMES, exprs);
            String text = original.text();

            Program parsed = Program.parse(text);
            assertEquals(text, parsed.text(), "print(parse(print(tree))) == print(tree)");
            assertEquals(text, Program.parse(parsed.text()).text());
            Step step = parsed.steps().get(0);

            List<String> in = SymbolicAlgebra.inputs(NAMES.length);
            assertEquals(original.apply(new SymbolicAlgebra(), in), step.apply(new SymbolicAlgebra(), in),
                    text);

            List<Double> point = List.of(rng.nextDouble(-3, 3), rng.nextDouble(-3, 3), rng.nextDouble(0, 3));
            List<Double> a = original.apply(DoubleAlgebra.INSTANCE, point);
            List<Double> b = step.apply(DoubleAlgebra.INSTANCE, point);
            for (int i = 0; i < outputs; i++) {
                // bit-identical (NaN == NaN here): same operations in the same order
                assertEquals(Double.doubleToLongBits(a.get(i)), Double.doubleToLongBits(b.get(i)), text);
            }
        }
    }

    @Test
    void randomPipelinesRoundTrip() {
        for (int trial = 0; trial < 200; trial++) {
            int stepsCount = 1 + rng.nextInt(4);
            List<ParsedStep> steps = new ArrayList<>();
            for (int s = 0; s < stepsCount; s++) {
                Expr[] exprs = new Expr[NAMES.length];
                for (int i = 0; i < exprs.length; i++) {
                    exprs[i] = randomExpr(1 + rng.nextInt(4));
                }
                steps.add(new ParsedStep(NAMES, exprs));
            }
            Program original = Program.of(steps);
            Program parsed = Program.parse(original.text());
            assertEquals(original, parsed);
            assertEquals(SymbolicAlgebra.eval(original), SymbolicAlgebra.eval(parsed));
        }
    }

    private Expr randomExpr(int depth) {
        if (depth <= 0) {
            return randomLeaf();
        }
        switch (rng.nextInt(8)) {
            case 0:
                return randomLeaf();
            case 1:
            case 2: {
                // include same-kind sub-chains in any position to exercise the parenthesisation
                int n = 2 + rng.nextInt(3);
                Expr[] terms = new Expr[n];
                boolean[] inv = new boolean[n];
                for (int i = 0; i < n; i++) {
                    terms[i] = randomExpr(depth - 1);
                    inv[i] = i > 0 && rng.nextBoolean();
                }
                return new Expr.Chain(rng.nextBoolean(), terms, inv);
            }
            case 3:
                return new Expr.Neg(randomExpr(depth - 1));
            case 4:
                return rng.nextBoolean()
                        ? new Expr.Pow(randomExpr(depth - 1), randomExpr(depth - 1))
                        : new Expr.PowCall(randomExpr(depth - 1), randomExpr(depth - 1));
            case 5:
            case 6: {
                UnaryFunction[] fs = UnaryFunction.values();
                return new Expr.Call(fs[rng.nextInt(fs.length)], randomExpr(depth - 1));
            }
            default: {
                Comparison[] cs = Comparison.values();
                return new Expr.If(cs[rng.nextInt(cs.length)], randomExpr(depth - 1),
                        randomExpr(depth - 1), randomExpr(depth - 1), randomExpr(depth - 1));
            }
        }
    }

    private Expr randomLeaf() {
        switch (rng.nextInt(5)) {
            case 0:
                return Expr.Const.named(rng.nextBoolean() ? "pi" : "e");
            case 1:
                return new Expr.Num(rng.nextInt(10));
            case 2:
                return new Expr.Num(randomFiniteNonNegative());
            default:
                return new Expr.Param(rng.nextInt(NAMES.length));
        }
    }

    /** Any finite non-negative double, from subnormals to MAX_VALUE, via random bits. */
    private double randomFiniteNonNegative() {
        while (true) {
            double v = Double.longBitsToDouble(rng.nextLong() & Long.MAX_VALUE);
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                return v;
            }
        }
    }
}
