package org.vtm.datagen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.vtm.transforms.Program;

/**
 * Draws random programs {@code p_k ∘ … ∘ p_0} over {@code R^d} as program-language text: every
 * step maps {@code R^d -> R^d}, each output a random expression of bounded depth over the step's
 * parameters, with operators drawn by the configured weights and constants rounded to two decimals
 * (so the text stays readable). The caller owns the random stream. Not thread-safe: use one
 * generator per thread.
 */
public final class ProgramGenerator {
    /** Every operator a mix may name ({@link GeneratorConfig#OPERATORS}). */
    public static final List<String> OPERATORS = GeneratorConfig.OPERATORS;

    private static final double LEAF_PROBABILITY = 0.25;
    private static final double VARIABLE_PROBABILITY = 0.7;

    private final GeneratorConfig config;
    private final String[] names;
    private final String[] ops;
    private final double[] cumulative;

    public ProgramGenerator(GeneratorConfig config) {
        this.config = config;
        this.names = parameterNames(config.dim());
        List<String> o = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (String op : OPERATORS) {
            Double weight = config.operators().get(op);
            if (weight != null && weight > 0) {
                o.add(op);
                w.add(weight);
            }
        }
        ops = o.toArray(new String[0]);
        cumulative = new double[ops.length];
        double sum = 0;
        for (int i = 0; i < ops.length; i++) {
            sum += w.get(i);
            cumulative[i] = sum;
        }
    }

    /** Parameter names: {@code x, y, z, w} for {@code d <= 4}, else {@code x0 … x(d-1)}. */
    public static String[] parameterNames(int dim) {
        String[] short4 = {"x", "y", "z", "w"};
        String[] n = new String[dim];
        for (int i = 0; i < dim; i++) {
            n[i] = dim <= 4 ? short4[i] : "x" + i;
        }
        return n;
    }

    /** Draws one program from {@code random}. */
    public Program draw(SplittableRandom random) {
        int steps = config.minSteps() + random.nextInt(config.maxSteps() - config.minSteps() + 1);
        String params = "(" + String.join(", ", names) + ")";
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                text.append(" |> ");
            }
            text.append(params).append(" -> (");
            for (int out = 0; out < config.dim(); out++) {
                if (out > 0) {
                    text.append(", ");
                }
                text.append(output(random));
            }
            text.append(')');
        }
        Program parsed = Program.parse(text.toString());
        return Program.parse(parsed.text()); // canonical text
    }

    /**
     * One output expression that depends on at least one parameter (constant outputs make
     * uninformative records); re-drawn from the same stream until it does.
     */
    private String output(SplittableRandom random) {
        while (true) {
            StringBuilder out = new StringBuilder();
            usesVariable = false;
            expression(random, config.depth(), out, true);
            if (usesVariable) {
                return out.toString();
            }
        }
    }

    private boolean usesVariable;

    private void expression(SplittableRandom random, int depth, StringBuilder out) {
        expression(random, depth, out, false);
    }

    private void expression(SplittableRandom random, int depth, StringBuilder out, boolean top) {
        if (depth == 0 || (!top && random.nextDouble() < LEAF_PROBABILITY)) {
            leaf(random, out);
            return;
        }
        String op = pick(random);
        switch (op) {
            case "+", "-", "*", "/" -> {
                out.append('(');
                expression(random, depth - 1, out);
                out.append(' ').append(op).append(' ');
                expression(random, depth - 1, out);
                out.append(')');
            }
            case "^" -> {
                out.append('(');
                expression(random, depth - 1, out);
                out.append(")^").append(2 + random.nextInt(2));
            }
            case "if" -> {
                out.append("if(");
                leaf(random, out);
                out.append(random.nextBoolean() ? " < " : " >= ");
                leaf(random, out);
                out.append(", ");
                expression(random, depth - 1, out);
                out.append(", ");
                expression(random, depth - 1, out);
                out.append(')');
            }
            default -> {
                out.append(op).append('(');
                expression(random, depth - 1, out);
                out.append(')');
            }
        }
    }

    private void leaf(SplittableRandom random, StringBuilder out) {
        if (random.nextDouble() < VARIABLE_PROBABILITY) {
            usesVariable = true;
            out.append(names[random.nextInt(names.length)]);
        } else {
            double c = Math.round(random.nextDouble(config.constantMin(), Math.nextUp(config.constantMax())) * 100) / 100.0;
            String s = String.format(Locale.ROOT, "%.2f", Math.abs(c));
            out.append(c < 0 ? "(-" + s + ")" : s);
        }
    }

    private String pick(SplittableRandom random) {
        double x = random.nextDouble(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return ops[i];
            }
        }
        return ops[ops.length - 1];
    }

    /** The configured operator weights (for documentation and tests). */
    public Map<String, Double> operators() {
        return config.operators();
    }
}
