package org.vtm.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A read-only view of one node of a parsed step's expression tree, for encoders that read what a
 * program computes (the learned interpreter's structure inputs). A node is an operator of the fixed
 * {@link #VOCABULARY} with its operands as children, a variable ({@link #VARIABLE}, the index of the
 * step parameter) or a constant ({@link #CONSTANT}, its value; {@code pi} and {@code e} included).
 *
 * <p>Sums and products are binary and left-associative, as the language evaluates them
 * ({@code a - b + c} is {@code +(-(a, b), c)}); {@code pow(a, b)} is {@code ^}; a branch
 * {@code if(l cmp r, t, o)} is the operator {@code if<} (…{@code if>=}) with the children
 * {@code l, r, t, o}. The vocabulary is versioned ({@link #VOCABULARY_VERSION}): an operator's index
 * never changes within a version, so a model that stores embeddings by index can refuse a vocabulary
 * it was not trained with.
 *
 * <p>Immutable: the children list is unmodifiable.
 */
public final class SyntaxNode {
    /** Version of {@link #VOCABULARY}; a change of the list (order or content) increments it. */
    public static final int VOCABULARY_VERSION = 1;
    /** The operator of a variable leaf. */
    public static final String VARIABLE = "var";
    /** The operator of a constant leaf. */
    public static final String CONSTANT = "const";
    /**
     * The operators, by index: the two leaf kinds, the arithmetic operators, every {@link UnaryFunction}
     * (by symbol, in declaration order) and the four branch comparisons.
     */
    public static final List<String> VOCABULARY;

    static {
        List<String> v = new ArrayList<>(List.of(VARIABLE, CONSTANT, "+", "-", "*", "/", "^", "neg"));
        for (UnaryFunction f : UnaryFunction.values()) {
            v.add(f.symbol());
        }
        for (Comparison c : Comparison.values()) {
            v.add("if" + c.symbol());
        }
        VOCABULARY = Collections.unmodifiableList(v);
    }

    private final int op;
    private final int variable;
    private final double constant;
    private final List<SyntaxNode> children;

    private SyntaxNode(int op, int variable, double constant, List<SyntaxNode> children) {
        this.op = op;
        this.variable = variable;
        this.constant = constant;
        this.children = Collections.unmodifiableList(new ArrayList<>(children));
    }

    static SyntaxNode variable(int index) {
        return new SyntaxNode(0, index, 0, List.of());
    }

    static SyntaxNode constant(double value) {
        return new SyntaxNode(1, -1, value, List.of());
    }

    static SyntaxNode operator(String name, SyntaxNode... children) {
        int index = VOCABULARY.indexOf(name);
        if (index < 2) {
            throw new IllegalArgumentException("'" + name + "' is not an operator of syntax vocabulary "
                    + VOCABULARY_VERSION + ": " + VOCABULARY.subList(2, VOCABULARY.size()));
        }
        return new SyntaxNode(index, -1, 0, List.of(children));
    }

    /** The operator's index in {@link #VOCABULARY}. */
    public int opIndex() {
        return op;
    }

    /** The operator's name ({@link #VOCABULARY}{@code .get(opIndex())}). */
    public String op() {
        return VOCABULARY.get(op);
    }

    /** The step parameter's index for a {@link #VARIABLE} leaf, else -1. */
    public int variable() {
        return variable;
    }

    /** The value of a {@link #CONSTANT} leaf, else 0. */
    public double constant() {
        return constant;
    }

    /** The operands, in evaluation order (empty for a leaf). */
    public List<SyntaxNode> children() {
        return children;
    }

    /** Nodes in this subtree, this one included. */
    public int size() {
        int n = 1;
        for (SyntaxNode c : children) {
            n += c.size();
        }
        return n;
    }

    /** Prefix notation, e.g. {@code +(var0, *(const2, sin(var1)))} (for tests and messages). */
    @Override
    public String toString() {
        if (op == 0) {
            return VARIABLE + variable;
        }
        if (op == 1) {
            return CONSTANT + NumberFormat.format(constant);
        }
        StringBuilder sb = new StringBuilder(op()).append('(');
        for (int i = 0; i < children.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(children.get(i));
        }
        return sb.append(')').toString();
    }
}
