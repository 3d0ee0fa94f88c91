package org.vtm.datagen;

import java.util.Locale;
import java.util.SplittableRandom;
import org.vtm.transforms.Program;

/**
 * Draws programs of the structured {@link ProgramFamily families} (every family but
 * {@link ProgramFamily#RANDOM}, which {@link ProgramGenerator} draws) for a given region
 * {@code v0 + r·[-1,1]^d}: the rational family places its pole relative to the region, the
 * branching family its boundary through it. Weights and biases are rounded to two decimals so the
 * text stays readable; the numbers that pin the pole or the boundary to the region are printed
 * exactly (a decimal that parses back to the same double), so the recorded pole distance is that of the text.
 *
 * <p>Scales (fixed, part of the family's definition): layer weights uniform in
 * {@code ±}{@value #LAYER_GAIN}{@code /√d}, other affine weights in {@code ±1/√d}, biases in
 * {@code ±0.5} (a {@code log} argument's bias in {@code [2, 3]}), sine amplitudes of entire steps
 * in {@code ±0.5}, pole residues {@code ±[0.5, 1.5]} times {@code ρ·‖w‖₁} (so the pole term is
 * {@code c' / (1 - w·h / (ρ‖w‖₁))}, equal to {@code c'} at {@code v0}). Stateless and thread-safe:
 * the caller owns the random stream.
 */
public final class FamilyPrograms {
    /** Layer weight scale of the mlp family: weights in ±LAYER_GAIN/√d. */
    public static final double LAYER_GAIN = 1.5;
    /** Activations of the mlp family, one per step. */
    public static final String[] ACTIVATIONS = {"tanh", "sigmoid", "softplus"};
    /** Functions of the exp-affine family, one per output. */
    public static final String[] EXP_AFFINE_FUNCTIONS = {"exp", "log", "sin", "cos", "tan"};

    /** A drawn program and, for the rational family, the max-norm distance ρ of its pole from v0 (else NaN). */
    public record Drawn(Program program, double poleDistance) {
    }

    private final GeneratorConfig config;
    private final String[] names;

    public FamilyPrograms(GeneratorConfig config) {
        if (config.programFamily() == ProgramFamily.RANDOM) {
            throw new IllegalArgumentException("the random family is drawn by ProgramGenerator");
        }
        this.config = config;
        this.names = ProgramGenerator.parameterNames(config.dim());
    }

    /** One program of the configured family for the region {@code v0 + radius·[-1,1]^d}. */
    public Drawn draw(SplittableRandom random, double[] v0, double radius) {
        int steps = config.minSteps() + random.nextInt(config.maxSteps() - config.minSteps() + 1);
        StringBuilder text = new StringBuilder();
        double rho = Double.NaN;
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                text.append(" |> ");
            }
            text.append('(').append(String.join(", ", names)).append(") -> (");
            switch (config.programFamily()) {
                case MLP -> layer(random, text);
                case EXP_AFFINE -> expAffine(random, text);
                case RATIONAL -> {
                    if (t == 0) {
                        rho = rational(random, v0, radius, text);
                    } else {
                        entire(random, text);
                    }
                }
                case BRANCHING -> {
                    if (t == 0) {
                        branching(random, v0, radius, text);
                    } else {
                        entire(random, text);
                    }
                }
                default -> throw new AssertionError(config.programFamily());
            }
            text.append(')');
        }
        Program parsed = Program.parse(text.toString());
        return new Drawn(Program.parse(parsed.text()), rho);
    }

    /** {@code act(W x + b)}, one activation for the whole step. */
    private void layer(SplittableRandom random, StringBuilder out) {
        String act = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
        double scale = LAYER_GAIN / Math.sqrt(config.dim());
        for (int j = 0; j < config.dim(); j++) {
            separator(out, j);
            out.append(act).append('(');
            affine(random, scale, -0.5, 0.5, out);
            out.append(')');
        }
    }

    /** {@code f(w·x + b)} per output, {@code f} drawn per output. */
    private void expAffine(SplittableRandom random, StringBuilder out) {
        double scale = 1 / Math.sqrt(config.dim());
        for (int j = 0; j < config.dim(); j++) {
            separator(out, j);
            String f = EXP_AFFINE_FUNCTIONS[random.nextInt(EXP_AFFINE_FUNCTIONS.length)];
            out.append(f).append('(');
            if (f.equals("log")) {
                affine(random, scale, 2, 3, out);
            } else {
                affine(random, scale, -0.5, 0.5, out);
            }
            out.append(')');
        }
    }

    /** An entire map: {@code w·x + b + a·sin(v·x + c)} per output (no singularity anywhere in C^d). */
    private void entire(SplittableRandom random, StringBuilder out) {
        for (int j = 0; j < config.dim(); j++) {
            separator(out, j);
            entireOutput(random, out);
        }
    }

    private void entireOutput(SplittableRandom random, StringBuilder out) {
        double scale = 1 / Math.sqrt(config.dim());
        affine(random, scale, -0.5, 0.5, out);
        double a = round2(random.nextDouble(-0.5, 0.5));
        if (a != 0) {
            out.append(" + ").append(number(a)).append(" * sin(");
            affine(random, scale, -0.5, 0.5, out);
            out.append(')');
        }
    }

    /**
     * Step 0 of a rational program: {@code w_j·x + b_j + c_j / (A - w·x)} with one pole hyperplane
     * {@code w·x = A} for all outputs at max-norm distance {@code ρ = r/q} from {@code v0}.
     *
     * @return ρ computed from the numbers in the text: {@code (A - w·v0) / ‖w‖₁}
     */
    private double rational(SplittableRandom random, double[] v0, double radius, StringBuilder out) {
        int d = config.dim();
        double q = random.nextDouble(config.poleRatioMin(), Math.nextUp(config.poleRatioMax()));
        double target = radius / q;
        double[] w = nonZeroWeights(random, 1.0);
        double norm1 = 0;
        double wv = 0;
        for (int l = 0; l < d; l++) {
            norm1 += Math.abs(w[l]);
            wv += w[l] * v0[l];
        }
        double a = target * norm1 + wv;
        double scale = 1 / Math.sqrt(d);
        for (int j = 0; j < d; j++) {
            separator(out, j);
            affine(random, scale, -0.5, 0.5, out);
            double residue = round2((random.nextBoolean() ? 1 : -1) * random.nextDouble(0.5, 1.5)) * target * norm1;
            out.append(" + ").append(exact(residue)).append(" / (").append(exact(a)).append(" - (");
            linear(w, out);
            out.append("))");
        }
        return (a - wv) / norm1;
    }

    /**
     * Step 0 of a branching program: {@code if(w·x < β, e1_j, e2_j)} with one boundary
     * {@code w·x = β} for all outputs, through the point {@code v0 + r·u*}, {@code u*} uniform in
     * {@code [-1/2, 1/2]^d}: the boundary crosses the region's inner half.
     */
    private void branching(SplittableRandom random, double[] v0, double radius, StringBuilder out) {
        int d = config.dim();
        double[] w = nonZeroWeights(random, 1.0);
        double beta = 0;
        for (int l = 0; l < d; l++) {
            beta += w[l] * (v0[l] + radius * random.nextDouble(-0.5, 0.5));
        }
        for (int j = 0; j < d; j++) {
            separator(out, j);
            out.append("if(");
            linear(w, out);
            out.append(" < ").append(exact(beta)).append(", ");
            entireOutput(random, out);
            out.append(", ");
            entireOutput(random, out);
            out.append(')');
        }
    }

    /** {@code w·x + b}: weights uniform in ±scale, not all zero after rounding; bias in [biasMin, biasMax]. */
    private void affine(SplittableRandom random, double scale, double biasMin, double biasMax, StringBuilder out) {
        linear(nonZeroWeights(random, scale), out);
        double b = round2(random.nextDouble(biasMin, biasMax));
        if (b != 0) {
            out.append(" + ").append(number(b));
        }
    }

    private double[] nonZeroWeights(SplittableRandom random, double scale) {
        double[] w = new double[config.dim()];
        boolean any = false;
        while (!any) {
            for (int l = 0; l < w.length; l++) {
                w[l] = round2(random.nextDouble(-scale, scale));
                any |= w[l] != 0;
            }
        }
        return w;
    }

    /** {@code w_0 * x + w_1 * y + …}, zero weights left out (at least one is not zero). */
    private void linear(double[] w, StringBuilder out) {
        boolean first = true;
        for (int l = 0; l < w.length; l++) {
            if (w[l] != 0) {
                if (!first) {
                    out.append(" + ");
                }
                out.append(number(w[l])).append(" * ").append(names[l]);
                first = false;
            }
        }
    }

    private static void separator(StringBuilder out, int j) {
        if (j > 0) {
            out.append(", ");
        }
    }

    private static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    /** A two-decimal constant as program text, negatives in parentheses. */
    private static String number(double c) {
        String s = String.format(Locale.ROOT, "%.2f", Math.abs(c));
        return c < 0 ? "(-" + s + ")" : s;
    }

    /** A constant printed exactly (a decimal that parses back to the same double), negatives in parentheses. */
    static String exact(double c) {
        String s = Double.toString(Math.abs(c));
        return c < 0 ? "(-" + s + ")" : s;
    }
}
