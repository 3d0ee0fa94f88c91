package org.vtm.transforms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.Program;
import org.vtm.transforms.ProgramParseException;
import org.vtm.transforms.Step;
import org.vtm.transforms.ParsedStep;

/** Input checks and output helpers shared by the expansion and basis commands. */
final class CliSupport {
    private CliSupport() {
    }

    /** Output formats; lower-case constants so {@code --format json} works in any picocli setup. */
    enum Format {
        table, json
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /** Parses the program text of {@code --program}; parse errors keep their line and column. */
    static Program program(String text) {
        try {
            return Program.parse(text);
        } catch (ProgramParseException e) {
            throw new UsageException("--program: " + e.getMessage(), e);
        }
    }

    /** The input names of a program, e.g. {@code "x, y"}, or {@code "x0, x1"} for a Java step. */
    static String inputNames(Program p) {
        Step first = p.steps().get(0);
        if (first instanceof ParsedStep ps) {
            return String.join(", ", ps.parameterNames());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.inputDim(); i++) {
            names.add("x" + i);
        }
        return String.join(", ", names);
    }

    /**
     * Parses comma-separated finite decimal coordinates for {@code option}, checking that there are
     * exactly {@code expected} of them ({@code names} lists what they are).
     */
    static double[] coordinates(String option, String text, int expected, String names) {
        String[] parts = text.split(",", -1);
        if (parts.length != expected) {
            throw new UsageException(option + " '" + text + "' has " + parts.length + " coordinate"
                    + (parts.length == 1 ? "" : "s") + " but the program has " + expected + " input"
                    + (expected == 1 ? "" : "s") + " (" + names + ")");
        }
        double[] v = new double[expected];
        for (int i = 0; i < expected; i++) {
            String s = parts[i].trim();
            if (!DECIMAL.matcher(s).matches()) {
                throw new UsageException(option + " coordinate " + (i + 1) + " is '" + s
                        + "'; expected a decimal number such as 0.3, -2 or 1e-3");
            }
            v[i] = Double.parseDouble(s);
            if (!Double.isFinite(v[i])) {
                throw new UsageException(option + " coordinate " + (i + 1) + " '" + s + "' overflows to infinity");
            }
        }
        return v;
    }

    static void order(int order) {
        if (order < 0) {
            throw new UsageException("--order must be >= 0, got " + order);
        }
    }

    static void radius(double radius) {
        if (!(radius > 0.0) || Double.isInfinite(radius)) {
            throw new UsageException("--radius must be positive and finite, got " + radius);
        }
    }

    static FunctionFamily family(String name) {
        try {
            return FunctionFamily.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--family: " + e.getMessage(), e);
        }
    }

    /** {@code "1"}, {@code "x0"}, {@code "x0^2*x1"}. */
    static String monomial(int[] alpha) {
        return monomial(alpha, 'x');
    }

    /** The monomial with variables named {@code letter0, letter1, …}. */
    static String monomial(int[] alpha, char letter) {
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < alpha.length; l++) {
            if (alpha[l] == 0) {
                continue;
            }
            if (b.length() > 0) {
                b.append('*');
            }
            b.append(letter).append(l);
            if (alpha[l] > 1) {
                b.append('^').append(alpha[l]);
            }
        }
        return b.length() == 0 ? "1" : b.toString();
    }

    /** {@code "[1,0]"}. */
    static String indices(int[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ",").append(a[i]);
        }
        return b.append(']').toString();
    }

    /** {@code "(0.3, 0.1)"}, numbers in round-trip form. */
    static String tuple(double[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return b.append(')').toString();
    }

    /** A number for tables: the round-trip decimal, or {@code NaN}/{@code Infinity}. */
    static String num(double v) {
        return Double.toString(v);
    }

    /** A short number for summaries: 3 significant digits. */
    static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3e", v) : Double.toString(v);
    }

    /**
     * Prints rows as an aligned table: the first row is the header, followed by a rule. Columns
     * listed in {@code rightAligned} are right-aligned (numbers), the others left-aligned.
     */
    static void table(PrintWriter out, List<String[]> rows, boolean... rightAligned) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean right = c < rightAligned.length && rightAligned[c];
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(c == 0 ? "" : "  ").append(right ? pad + r[c] : r[c] + (c == cols - 1 ? "" : pad));
            }
            out.println(line.toString().stripTrailing());
            if (i == 0) {
                StringBuilder rule = new StringBuilder();
                for (int c = 0; c < cols; c++) {
                    rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
                }
                out.println(rule);
            }
        }
    }
}
