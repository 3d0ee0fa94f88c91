package org.vtm.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recursive-descent parser for the program language (grammar in {@code docs/program-language.md}
 * and the {@code Program} javadoc). Internal: use {@code Program.parse}.
 *
 * <p>Hostile input is bounded: the text length is limited, nesting (parentheses, calls, unary
 * minus, {@code ^}) is counted and limited, and long sums/products are built iteratively as flat
 * chains, so neither parsing nor evaluation can overflow the stack.
 */
public final class Parser {

    private static final List<String> EXTRA_FUNCTIONS = List.of("pow", "if");

    private final Lexer lex;
    private final int maxDepth;
    private int depth;

    /** Parameter names of the step being parsed and their shared nodes. */
    private List<String> names;
    private Map<String, Expr.Param> params;

    private Parser(String text, int maxDepth) {
        this.lex = new Lexer(text);
        this.maxDepth = maxDepth;
    }

    /**
     * Parses a whole program into its steps.
     *
     * @param maxLength the largest accepted text length, in characters
     * @param maxDepth the deepest accepted nesting
     * @throws ProgramParseException on any error in the text
     */
    public static List<ParsedStep> parse(String text, int maxLength, int maxDepth) {
        Objects.requireNonNull(text, "program text must not be null");
        if (text.length() > maxLength) {
            throw new ProgramParseException(1, 1, "program text has " + text.length()
                    + " characters; the limit is " + maxLength);
        }
        return new Parser(text, maxDepth).program();
    }

    private List<ParsedStep> program() {
        lex.advance();
        if (lex.type == Tok.EOF) {
            throw lex.error("empty program: expected a step such as '(x) -> (x)'");
        }
        List<ParsedStep> steps = new ArrayList<>();
        steps.add(step(null, 0));
        while (lex.type == Tok.PIPE) {
            lex.advance();
            steps.add(step(steps.get(steps.size() - 1), steps.size()));
        }
        if (lex.type != Tok.EOF) {
            throw lex.error("expected '|>' or end of input but found " + lex.found());
        }
        return steps;
    }

    /** Parses one step; {@code previous} (may be null) is checked to chain into it. */
    private ParsedStep step(ParsedStep previous, int index) {
        int line = lex.line;
        int column = lex.column;
        if (lex.type != Tok.LPAREN) {
            String hint = lex.type == Tok.LT ? " (steps written in Java, shown as '<java:...>', have no text form)" : "";
            throw lex.error("expected '(' to start the parameter list of step " + (index + 1)
                    + " but found " + lex.found() + hint);
        }
        lex.advance();
        names = new ArrayList<>();
        params = new HashMap<>();
        while (true) {
            if (lex.type != Tok.IDENT) {
                throw lex.error("expected a parameter name but found " + lex.found());
            }
            String name = lex.tokenText();
            String reserved = reservedKind(name);
            if (reserved != null) {
                throw lex.error("parameter name '" + name + "' is reserved (" + reserved + ")");
            }
            if (params.containsKey(name)) {
                throw lex.error("duplicate parameter name " + Lexer.quote(name));
            }
            params.put(name, new Expr.Param(names.size()));
            names.add(name);
            lex.advance();
            if (lex.type == Tok.RPAREN) {
                lex.advance();
                break;
            }
            if (lex.type != Tok.COMMA) {
                throw lex.error("expected ',' or ')' in the parameter list but found " + lex.found());
            }
            lex.advance();
        }
        if (previous != null && previous.outputDim() != names.size()) {
            throw new ProgramParseException(line, column, "step " + index + " has "
                    + previous.outputDim() + " output" + (previous.outputDim() == 1 ? "" : "s")
                    + " but step " + (index + 1) + " has " + names.size() + " parameter"
                    + (names.size() == 1 ? "" : "s") + " " + paramList());
        }
        if (lex.type != Tok.ARROW) {
            throw lex.error("expected '->' after the parameter list but found " + lex.found());
        }
        lex.advance();
        List<Expr> outputs = new ArrayList<>();
        if (lex.type == Tok.LPAREN) {
            // Either a tuple "(e1, e2, ...)" or a single expression starting with a group "(e) ...".
            enter();
            lex.advance();
            Expr first = expression(null);
            if (lex.type == Tok.COMMA) {
                outputs.add(first);
                while (lex.type == Tok.COMMA) {
                    lex.advance();
                    outputs.add(expression(null));
                }
                expect(Tok.RPAREN, "expected ')' or ',' but found ");
                leave();
                if (lex.type != Tok.PIPE && lex.type != Tok.EOF) {
                    throw lex.error("expected '|>' or end of input after the output tuple but found "
                            + lex.found());
                }
            } else {
                expect(Tok.RPAREN, "expected ')' or ',' but found ");
                leave();
                outputs.add(expression(first));
                endOfExpression();
            }
        } else {
            outputs.add(expression(null));
            endOfExpression();
        }
        return new ParsedStep(names.toArray(new String[0]), outputs.toArray(new Expr[0]));
    }

    private void endOfExpression() {
        if (lex.type != Tok.PIPE && lex.type != Tok.EOF) {
            throw lex.error("expected an operator, '|>' or end of input but found " + lex.found());
        }
    }

    private String paramList() {
        return "(" + nameList() + ")";
    }

    /** The parameter names, comma-separated, shortened if there are many. */
    private String nameList() {
        final int shown = 20;
        if (names.size() <= shown) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, shown)) + ", ... (" + names.size() + " in all)";
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw lex.error("expression nested too deeply (more than " + maxDepth
                    + " levels of parentheses, calls, unary minus or '^')");
        }
    }

    private void leave() {
        depth--;
    }

    private void expect(Tok type, String messagePrefix) {
        if (lex.type != type) {
            throw lex.error(messagePrefix + lex.found());
        }
        lex.advance();
    }

    /**
     * expression := term (('+' | '-') term)*. If {@code group} is not null it is an already
     * parsed parenthesised primary that starts the expression.
     */
    private Expr expression(Expr group) {
        enter();
        Expr first = term(group);
        if (lex.type != Tok.PLUS && lex.type != Tok.MINUS) {
            leave();
            return first;
        }
        ChainBuilder chain = new ChainBuilder(true, first);
        while (lex.type == Tok.PLUS || lex.type == Tok.MINUS) {
            boolean minus = lex.type == Tok.MINUS;
            lex.advance();
            chain.add(minus, term(null));
        }
        leave();
        return chain.build();
    }

    /** term := unary (('*' | '/') unary)*. */
    private Expr term(Expr group) {
        Expr first = unary(group);
        if (lex.type != Tok.STAR && lex.type != Tok.SLASH) {
            return first;
        }
        ChainBuilder chain = new ChainBuilder(false, first);
        while (lex.type == Tok.STAR || lex.type == Tok.SLASH) {
            boolean divide = lex.type == Tok.SLASH;
            lex.advance();
            chain.add(divide, unary(null));
        }
        return chain.build();
    }

    /** unary := '-' unary | power. */
    private Expr unary(Expr group) {
        if (group == null && lex.type == Tok.MINUS) {
            enter();
            lex.advance();
            Expr operand = unary(null);
            leave();
            return new Expr.Neg(operand);
        }
        return power(group);
    }

    /** power := primary ('^' unary)?  (so '^' is right-associative and -x^2 = -(x^2)). */
    private Expr power(Expr group) {
        Expr base = group != null ? group : primary();
        if (lex.type != Tok.CARET) {
            return base;
        }
        enter();
        lex.advance();
        Expr exponent = unary(null);
        leave();
        return new Expr.Pow(base, exponent);
    }

    private Expr primary() {
        switch (lex.type) {
            case NUMBER: {
                Expr e = new Expr.Num(lex.number);
                lex.advance();
                return e;
            }
            case LPAREN: {
                lex.advance();
                Expr e = expression(null);
                expect(Tok.RPAREN, "expected an operator or ')' but found ");
                return e;
            }
            case IDENT:
                return identifier();
            default:
                throw lex.error("expected an expression (a number, a name, '-' or '(') but found "
                        + lex.found());
        }
    }

    private Expr identifier() {
        String name = lex.tokenText();
        int line = lex.line;
        int column = lex.column;
        lex.advance();
        Expr.Param param = params.get(name);
        if (lex.type == Tok.LPAREN) {
            if (param != null) {
                throw new ProgramParseException(line, column,
                        Lexer.quote(name) + " is a parameter, not a function");
            }
            UnaryFunction f = UnaryFunction.bySymbol(name);
            if (f != null) {
                lex.advance();
                Expr argument = expression(null);
                closeCall(name, 1);
                return new Expr.Call(f, argument);
            }
            if (name.equals("pow")) {
                lex.advance();
                Expr base = expression(null);
                expect(Tok.COMMA, "expected ',' between the two arguments of 'pow' but found ");
                Expr exponent = expression(null);
                closeCall(name, 2);
                return new Expr.PowCall(base, exponent);
            }
            if (name.equals("if")) {
                lex.advance();
                return conditional();
            }
            throw new ProgramParseException(line, column, "unknown function "
                    + Lexer.quote(name) + "; valid functions: " + validFunctions());
        }
        if (param != null) {
            return param;
        }
        if (name.equals("pi") || name.equals("e")) {
            return Expr.Const.named(name);
        }
        if (UnaryFunction.bySymbol(name) != null || EXTRA_FUNCTIONS.contains(name)) {
            throw lex.error("expected '(' after function '" + name + "' but found " + lex.found());
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("nan") || lower.equals("inf") || lower.equals("infinity")) {
            throw new ProgramParseException(line, column, "'" + name
                    + "' is not allowed: number literals must be finite decimal numbers");
        }
        throw new ProgramParseException(line, column, "unknown identifier " + Lexer.quote(name)
                + "; in scope: parameters " + nameList() + "; constants pi, e");
    }

    private void closeCall(String name, int arity) {
        if (lex.type == Tok.RPAREN) {
            lex.advance();
            return;
        }
        if (lex.type == Tok.COMMA) {
            throw lex.error("function '" + name + "' takes " + arity + " argument"
                    + (arity == 1 ? "" : "s") + "; expected ')' but found ','");
        }
        throw lex.error("expected an operator or ')' but found " + lex.found());
    }

    /** After "if(": left cmp right ',' then ',' otherwise ')'. */
    private Expr conditional() {
        Expr left = expression(null);
        Comparison cmp;
        switch (lex.type) {
            case LT: cmp = Comparison.LT; break;
            case LE: cmp = Comparison.LE; break;
            case GT: cmp = Comparison.GT; break;
            case GE: cmp = Comparison.GE; break;
            default:
                throw lex.error("expected a comparison (<, <=, >, >=) in the condition of 'if' but found "
                        + lex.found());
        }
        lex.advance();
        Expr right = expression(null);
        expect(Tok.COMMA, "expected ',' after the condition of 'if' but found ");
        Expr then = expression(null);
        expect(Tok.COMMA, "expected ',' after the 'then' value of 'if' but found ");
        Expr otherwise = expression(null);
        closeCall("if", 3);
        return new Expr.If(cmp, left, right, then, otherwise);
    }

    /** Why {@code name} cannot be a parameter, or null if it can. */
    static String reservedKind(String name) {
        if (UnaryFunction.bySymbol(name) != null || EXTRA_FUNCTIONS.contains(name)) {
            return "a function";
        }
        if (name.equals("pi") || name.equals("e")) {
            return "a constant";
        }
        return null;
    }

    static String validFunctions() {
        StringBuilder sb = new StringBuilder();
        for (UnaryFunction f : UnaryFunction.values()) {
            sb.append(f.symbol()).append(", ");
        }
        return sb.append(String.join(", ", EXTRA_FUNCTIONS)).toString();
    }

    /** Collects a flat chain, splicing a same-kind chain that came from parentheses in front. */
    private static final class ChainBuilder {
        private final boolean additive;
        private final List<Expr> terms = new ArrayList<>();
        private final List<Boolean> inverse = new ArrayList<>();

        ChainBuilder(boolean additive, Expr first) {
            this.additive = additive;
            if (first instanceof Expr.Chain && ((Expr.Chain) first).additive == additive) {
                Expr.Chain c = (Expr.Chain) first;
                for (int i = 0; i < c.terms.length; i++) {
                    add(c.inverse[i], c.terms[i]);
                }
            } else {
                add(false, first);
            }
        }

        void add(boolean inv, Expr term) {
            terms.add(term);
            inverse.add(inv);
        }

        Expr.Chain build() {
            boolean[] inv = new boolean[inverse.size()];
            for (int i = 0; i < inv.length; i++) {
                inv[i] = inverse.get(i);
            }
            return new Expr.Chain(additive, terms.toArray(new Expr[0]), inv);
        }
    }
}
