package org.vtm.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A program {@code P = p_k ∘ … ∘ p_0}: a pipeline of {@link Step}s whose arities chain. An
 * immutable value.
 *
 * <h2>Language</h2>
 * One step maps named parameters to a tuple of expressions; {@code |>} feeds a step's outputs to
 * the next step's parameters (left runs first):
 * <pre>{@code
 * (x, y) -> (x * y, x + sin(y)) |> (u, v) -> (exp(u) / (1 + v^2), tanh(u - v))
 * }</pre>
 * <pre>
 * program    = step { "|>" step }
 * step       = "(" name { "," name } ")" "->" outputs
 * outputs    = "(" expression { "," expression } ")" | expression
 * expression = term { ("+" | "-") term }
 * term       = unary { ("*" | "/") unary }
 * unary      = "-" unary | power
 * power      = primary [ "^" unary ]
 * primary    = number | name | "pi" | "e" | "(" expression ")"
 *            | function "(" expression ")" | "pow" "(" expression "," expression ")"
 *            | "if" "(" expression ("&lt;" | "&lt;=" | "&gt;" | "&gt;=") expression ","
 *                       expression "," expression ")"
 * number     = digit { digit } [ "." digit { digit } ] [ ("e" | "E") [ "+" | "-" ] digit { digit } ]
 * </pre>
 * {@code function} is a {@link UnaryFunction#symbol()}. {@code ^} is right-associative and binds
 * tighter than a unary minus on its left ({@code -x^2 = -(x^2)}, {@code 2^-x} is allowed). With a
 * literal exponent ({@code x^3}, {@code x^-0.5}, also in {@code pow}) the step uses
 * {@link Algebra#pow(Object, double)}, otherwise {@link Algebra#pow(Object, Object)}. Both branches
 * of {@code if} are evaluated; the comparison only selects. Whitespace (including newlines) is free
 * between tokens. Parameter names are identifiers {@code [A-Za-z_][A-Za-z0-9_]*} other than
 * function names, {@code pow}, {@code if}, {@code pi} and {@code e}; they must be distinct. A
 * one-output step may omit the parentheses around its output.
 *
 * <h2>Canonical text</h2>
 * {@link #text()} of a parsed program is printed canonically, so
 * {@code parse(p.text()).text().equals(p.text())} always holds and canonical text is reproduced
 * exactly: steps joined by {@code " |> "}; parameters as {@code "(x, y)"}; {@code " -> "}; outputs
 * always parenthesised and separated by {@code ", "}; binary {@code + - * /} with one space on each
 * side, {@code ^} and unary {@code -} without spaces; calls as {@code "sin(x)"},
 * {@code "pow(a, b)"}, {@code "if(a < b, t, f)"}; the fewest parentheses that preserve the tree
 * (a left-nested sum or product is written flat, {@code a - (b - c)} keeps its parentheses);
 * numbers with the fewest significant digits that parse back to the same double, in plain notation
 * for decimal exponents in [-6, 21) ({@code 2}, {@code 0.1}) and otherwise as {@code 1.5e-9}.
 *
 * <h2>Limits and errors</h2>
 * Text longer than {@link #MAX_TEXT_LENGTH} characters and nesting deeper than
 * {@link #MAX_NESTING_DEPTH} (parentheses, calls, unary minus and {@code ^} each count) are
 * rejected. Every error is a {@link ProgramParseException} with a 1-based line and column.
 *
 * <h2>Programs from Java</h2>
 * {@link #ofJava} wraps a {@link VarFunction}; such a step's text is a label like
 * {@code "<java:name 2->2>"} that does not parse. {@link #of} accepts any steps.
 */
public final class Program {

    /** The deepest nesting {@link #parse} accepts. */
    public static final int MAX_NESTING_DEPTH = 256;

    /** The longest text, in characters, that {@link #parse} accepts (1 MiB). */
    public static final int MAX_TEXT_LENGTH = 1 << 20;

    private final List<Step> steps;
    private final String text;

    private Program(List<Step> steps) {
        this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
        StringBuilder sb = new StringBuilder();
        for (Step s : this.steps) {
            if (sb.length() > 0) {
                sb.append(" |> ");
            }
            sb.append(s.text());
        }
        this.text = sb.toString();
    }

    /**
     * Parses program text.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws ProgramParseException on a syntax error, an unknown name, steps whose arities do not
     *     chain, or text beyond the limits
     */
    public static Program parse(String text) {
        Objects.requireNonNull(text, "program text must not be null");
        List<ParsedStep> parsed = Parser.parse(text, MAX_TEXT_LENGTH, MAX_NESTING_DEPTH);
        return new Program(new ArrayList<>(parsed));
    }

    /**
     * The pipeline of the given steps, first step first.
     *
     * @throws IllegalArgumentException if the list is empty, holds null, a step has fewer than one
     *     input or output, or a step's output count differs from the next step's input count
     */
    public static Program of(List<? extends Step> steps) {
        Objects.requireNonNull(steps, "steps");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a program needs at least one step, got none");
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s == null) {
                throw new IllegalArgumentException("step " + (i + 1) + " is null");
            }
            if (s.inputDim() < 1 || s.outputDim() < 1) {
                throw new IllegalArgumentException("step " + (i + 1) + " " + label(s) + " has "
                        + s.inputDim() + " inputs and " + s.outputDim() + " outputs; both must be >= 1");
            }
            if (i > 0 && steps.get(i - 1).outputDim() != s.inputDim()) {
                Step p = steps.get(i - 1);
                throw new IllegalArgumentException("step " + i + " " + label(p) + " has "
                        + p.outputDim() + " outputs but step " + (i + 1) + " " + label(s) + " has "
                        + s.inputDim() + " inputs");
            }
        }
        return new Program(new ArrayList<>(steps));
    }

    /**
     * A one-step program running Java code: its step calls
     * {@link Algebra#call(VarFunction, int, List) algebra.call(f, outputDim, inputs)}. Its text is
     * {@code "<java:name inputDim->outputDim>"}, which does not parse.
     *
     * @param name a label for messages and {@link #text()}: non-empty, no whitespace, '&lt;' or '&gt;'
     */
    public static Program ofJava(String name, int inputDim, int outputDim, VarFunction f) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(f, "f");
        if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c) || c == '<' || c == '>')) {
            throw new IllegalArgumentException("Java step name must be non-empty without whitespace, "
                    + "'<' or '>', got \"" + name + "\"");
        }
        if (inputDim < 1 || outputDim < 1) {
            throw new IllegalArgumentException("Java step '" + name + "' needs inputDim >= 1 and "
                    + "outputDim >= 1, got " + inputDim + " and " + outputDim);
        }
        return new Program(List.of(new JavaStep(name, inputDim, outputDim, f)));
    }

    /**
     * This program followed by {@code next} ({@code next ∘ this}).
     *
     * @throws IllegalArgumentException if {@code outputDim() != next.inputDim()}
     */
    public Program then(Program next) {
        Objects.requireNonNull(next, "next");
        if (outputDim() != next.inputDim()) {
            throw new IllegalArgumentException("cannot pipe " + label(text) + " (" + outputDim()
                    + " outputs) into " + label(next.text) + " (" + next.inputDim() + " inputs)");
        }
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new Program(all);
    }

    /** The steps, first step first (unmodifiable). */
    public List<Step> steps() {
        return steps;
    }

    /** The number of inputs of the first step. */
    public int inputDim() {
        return steps.get(0).inputDim();
    }

    /** The number of outputs of the last step. */
    public int outputDim() {
        return steps.get(steps.size() - 1).outputDim();
    }

    /**
     * The syntax trees of every step's outputs: {@code stepSyntax().get(t).get(o)} is output {@code o} of step
     * {@code t} ({@link SyntaxNode}, vocabulary version {@link SyntaxNode#VOCABULARY_VERSION}).
     *
     * @throws IllegalStateException if a step was not parsed from text (a Java or custom step has no syntax)
     */
    public List<List<SyntaxNode>> stepSyntax() {
        List<List<SyntaxNode>> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof ParsedStep p)) {
                throw new IllegalStateException("step " + i + " (" + label(steps.get(i)) + ") was not parsed from text "
                        + "and has no syntax tree");
            }
            out.add(p.syntax());
        }
        return Collections.unmodifiableList(out);
    }

    /** The program text: canonical for parsed steps, {@code " |> "}-joined step texts. */
    public String text() {
        return text;
    }

    /**
     * Plain execution at a point over {@link DoubleAlgebra}.
     *
     * @param x the input, of length {@link #inputDim()} (not modified)
     * @return a new array of length {@link #outputDim()}
     */
    public double[] execute(double[] x) {
        Objects.requireNonNull(x, "point");
        if (x.length != inputDim()) {
            throw new IllegalArgumentException("dimension mismatch: program expects " + inputDim()
                    + " inputs, point has " + x.length);
        }
        List<Double> values = new ArrayList<>(x.length);
        for (double v : x) {
            values.add(v);
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            values = s.apply(DoubleAlgebra.INSTANCE, values);
            if (values == null || values.size() != s.outputDim()) {
                throw new IllegalStateException("step " + (i + 1) + " " + label(s) + " returned "
                        + (values == null ? "null" : values.size() + " values") + "; expected "
                        + s.outputDim());
            }
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * Programs are equal when their texts are equal and every step that was not parsed from text
     * (a Java step or a custom {@link Step}) is the same object, so two Java steps that happen to
     * share a label are not confused.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Program)) {
            return false;
        }
        Program other = (Program) o;
        if (!text.equals(other.text) || steps.size() != other.steps.size()) {
            return false;
        }
        for (int i = 0; i < steps.size(); i++) {
            Step a = steps.get(i);
            Step b = other.steps.get(i);
            if (!(a instanceof ParsedStep && b instanceof ParsedStep) && a != b) {
                return false;
            }
        }
        return true;
    }

    /** The hash of {@link #text()}. */
    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static String label(Step s) {
        return label(s.text());
    }

    private static String label(String text) {
        final int limit = 60;
        return "'" + (text.length() <= limit ? text : text.substring(0, limit) + "...") + "'";
    }

    /** A step written in Java over {@link Var}s. */
    private static final class JavaStep implements Step {
        private final String name;
        private final int inputDim;
        private final int outputDim;
        private final VarFunction f;
        private final String text;

        JavaStep(String name, int inputDim, int outputDim, VarFunction f) {
            this.name = name;
            this.inputDim = inputDim;
            this.outputDim = outputDim;
            this.f = f;
            this.text = "<java:" + name + " " + inputDim + "->" + outputDim + ">";
        }

        @Override
        public int inputDim() {
            return inputDim;
        }

        @Override
        public int outputDim() {
            return outputDim;
        }

        @Override
        public <T> List<T> apply(Algebra<T> algebra, List<T> inputs) {
            Objects.requireNonNull(algebra, "algebra");
            Objects.requireNonNull(inputs, "inputs");
            if (inputs.size() != inputDim) {
                throw new IllegalArgumentException("dimension mismatch: Java step '" + name
                        + "' takes " + inputDim + " inputs, got " + inputs.size());
            }
            List<T> out = algebra.call(f, outputDim, inputs);
            if (out == null || out.size() != outputDim) {
                throw new IllegalStateException("Java step '" + name + "' produced "
                        + (out == null ? "null" : out.size() + " outputs") + "; expected " + outputDim);
            }
            return out;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
