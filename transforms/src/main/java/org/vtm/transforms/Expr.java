package org.vtm.transforms;

import java.util.List;

/**
 * An expression tree node. Trees built by the parser have height bounded by a small multiple of
 * the nesting limit, so {@link #eval} and {@link #print} recurse safely; sums and products of many
 * terms are flat {@link Chain}s evaluated in a loop.
 */
abstract class Expr {
    static final int PREC_ADD = 1;
    static final int PREC_MUL = 2;
    static final int PREC_NEG = 3;
    static final int PREC_POW = 4;
    static final int PREC_ATOM = 5;

    /** Evaluates over {@code algebra}; {@code params.get(i)} is the value of parameter {@code i}. */
    abstract <T> T eval(Algebra<T> algebra, List<T> params);

    /** Binding strength, used to print the fewest parentheses. */
    abstract int precedence();

    /** The read-only syntax view of this subtree ({@link SyntaxNode}). */
    abstract SyntaxNode syntax();

    /** Appends the canonical text; {@code names[i]} is the name of parameter {@code i}. */
    abstract void print(StringBuilder out, String[] names);

    final void printWrapped(StringBuilder out, String[] names, boolean parens) {
        if (parens) {
            out.append('(');
            print(out, names);
            out.append(')');
        } else {
            print(out, names);
        }
    }

    /**
     * The real exponent used with {@code Algebra.pow(T, double)} if {@code e} is a numeric
     * literal or a negated numeric literal, else {@code null}.
     */
    static Double literalExponent(Expr e) {
        if (e instanceof Num) {
            return ((Num) e).value;
        }
        if (e instanceof Neg && ((Neg) e).operand instanceof Num) {
            return -((Num) ((Neg) e).operand).value;
        }
        return null;
    }

    static <T> T power(Algebra<T> algebra, List<T> params, Expr base, Expr exponent) {
        T b = base.eval(algebra, params);
        Double p = literalExponent(exponent);
        return p != null ? algebra.pow(b, p.doubleValue()) : algebra.pow(b, exponent.eval(algebra, params));
    }

    /** A finite, non-negative number literal. */
    static final class Num extends Expr {
        final double value;

        Num(double value) {
            if (Double.isNaN(value) || Double.isInfinite(value) || Double.doubleToRawLongBits(value) < 0) {
                throw new IllegalArgumentException("literal must be finite and >= 0: " + value);
            }
            this.value = value;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return algebra.constant(value);
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.constant(value);
        }

        @Override
        int precedence() {
            return PREC_ATOM;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append(NumberFormat.format(value));
        }
    }

    /** The constants {@code pi} and {@code e}. */
    static final class Const extends Expr {
        final String name;
        final double value;

        private Const(String name, double value) {
            this.name = name;
            this.value = value;
        }

        /** {@code pi} or {@code e}. */
        static Const named(String name) {
            switch (name) {
                case "pi": return new Const(name, Math.PI);
                case "e": return new Const(name, Math.E);
                default: throw new IllegalArgumentException("no constant named '" + name + "'");
            }
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return algebra.constant(value);
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.constant(value);
        }

        @Override
        int precedence() {
            return PREC_ATOM;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append(name);
        }
    }

    /** A reference to a step parameter. */
    static final class Param extends Expr {
        final int index;

        Param(int index) {
            this.index = index;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return params.get(index);
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.variable(index);
        }

        @Override
        int precedence() {
            return PREC_ATOM;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append(names[index]);
        }
    }

    /**
     * A left-associative chain {@code t0 op1 t1 op2 t2 ...} of additions/subtractions or of
     * multiplications/divisions, evaluated left to right.
     */
    static final class Chain extends Expr {
        final boolean additive;
        final Expr[] terms;
        /** {@code inverse[i]} is true for '-' (or '/') before {@code terms[i]}; index 0 unused. */
        final boolean[] inverse;

        Chain(boolean additive, Expr[] terms, boolean[] inverse) {
            if (terms.length < 2 || inverse.length != terms.length) {
                throw new IllegalArgumentException("a chain needs at least two terms");
            }
            this.additive = additive;
            this.terms = terms;
            this.inverse = inverse;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            T acc = terms[0].eval(algebra, params);
            for (int i = 1; i < terms.length; i++) {
                T t = terms[i].eval(algebra, params);
                if (additive) {
                    acc = inverse[i] ? algebra.sub(acc, t) : algebra.add(acc, t);
                } else {
                    acc = inverse[i] ? algebra.div(acc, t) : algebra.mul(acc, t);
                }
            }
            return acc;
        }

        @Override
        SyntaxNode syntax() {
            SyntaxNode acc = terms[0].syntax();
            for (int i = 1; i < terms.length; i++) {
                String op = additive ? (inverse[i] ? "-" : "+") : (inverse[i] ? "/" : "*");
                acc = SyntaxNode.operator(op, acc, terms[i].syntax());
            }
            return acc;
        }

        @Override
        int precedence() {
            return additive ? PREC_ADD : PREC_MUL;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            int p = precedence();
            terms[0].printWrapped(out, names, terms[0].precedence() < p);
            for (int i = 1; i < terms.length; i++) {
                if (additive) {
                    out.append(inverse[i] ? " - " : " + ");
                } else {
                    out.append(inverse[i] ? " / " : " * ");
                }
                terms[i].printWrapped(out, names, terms[i].precedence() <= p);
            }
        }
    }

    /** Unary minus. */
    static final class Neg extends Expr {
        final Expr operand;

        Neg(Expr operand) {
            this.operand = operand;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return algebra.neg(operand.eval(algebra, params));
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.operator("neg", operand.syntax());
        }

        @Override
        int precedence() {
            return PREC_NEG;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append('-');
            operand.printWrapped(out, names, operand.precedence() < PREC_NEG);
        }
    }

    /** {@code base ^ exponent} (right-associative). */
    static final class Pow extends Expr {
        final Expr base;
        final Expr exponent;

        Pow(Expr base, Expr exponent) {
            this.base = base;
            this.exponent = exponent;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return power(algebra, params, base, exponent);
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.operator("^", base.syntax(), exponent.syntax());
        }

        @Override
        int precedence() {
            return PREC_POW;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            base.printWrapped(out, names, base.precedence() < PREC_ATOM);
            out.append('^');
            exponent.printWrapped(out, names, exponent.precedence() < PREC_NEG);
        }
    }

    /** The function form {@code pow(a, b)}; same evaluation rule as {@code a^b}. */
    static final class PowCall extends Expr {
        final Expr base;
        final Expr exponent;

        PowCall(Expr base, Expr exponent) {
            this.base = base;
            this.exponent = exponent;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return power(algebra, params, base, exponent);
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.operator("^", base.syntax(), exponent.syntax());
        }

        @Override
        int precedence() {
            return PREC_ATOM;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append("pow(");
            base.print(out, names);
            out.append(", ");
            exponent.print(out, names);
            out.append(')');
        }
    }

    /** One of the built-in elementary functions. */
    static final class Call extends Expr {
        final UnaryFunction function;
        final Expr argument;

        Call(UnaryFunction function, Expr argument) {
            this.function = function;
            this.argument = argument;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            return algebra.apply(function, argument.eval(algebra, params));
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.operator(function.symbol(), argument.syntax());
        }

        @Override
        int precedence() {
            return PREC_ATOM;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append(function.symbol()).append('(');
            argument.print(out, names);
            out.append(')');
        }
    }

    /** {@code if(left cmp right, then, otherwise)}; both branches are evaluated. */
    static final class If extends Expr {
        final Comparison comparison;
        final Expr left;
        final Expr right;
        final Expr then;
        final Expr otherwise;

        If(Comparison comparison, Expr left, Expr right, Expr then, Expr otherwise) {
            this.comparison = comparison;
            this.left = left;
            this.right = right;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        <T> T eval(Algebra<T> algebra, List<T> params) {
            T a = left.eval(algebra, params);
            T b = right.eval(algebra, params);
            T t = then.eval(algebra, params);
            T o = otherwise.eval(algebra, params);
            return algebra.select(comparison, a, b, t, o);
        }

        @Override
        SyntaxNode syntax() {
            return SyntaxNode.operator("if" + comparison.symbol(), left.syntax(), right.syntax(), then.syntax(),
                    otherwise.syntax());
        }

        @Override
        int precedence() {
            return PREC_ATOM;
        }

        @Override
        void print(StringBuilder out, String[] names) {
            out.append("if(");
            left.print(out, names);
            out.append(' ').append(comparison.symbol()).append(' ');
            right.print(out, names);
            out.append(", ");
            then.print(out, names);
            out.append(", ");
            otherwise.print(out, names);
            out.append(')');
        }
    }
}
