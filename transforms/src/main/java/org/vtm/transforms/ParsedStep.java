package org.vtm.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A step parsed from program text: named parameters and one expression per output. Immutable;
 * {@link #text()} is the canonical text (see {@code Program}).
 */
public final class ParsedStep implements Step {
    private final String[] names;
    private final Expr[] outputs;
    private final String text;

    ParsedStep(String[] names, Expr[] outputs) {
        this.names = names.clone();
        this.outputs = outputs.clone();
        StringBuilder sb = new StringBuilder();
        sb.append('(');
        for (int i = 0; i < this.names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(this.names[i]);
        }
        sb.append(") -> (");
        for (int i = 0; i < this.outputs.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            this.outputs[i].print(sb, this.names);
        }
        this.text = sb.append(')').toString();
    }

    @Override
    public int inputDim() {
        return names.length;
    }

    @Override
    public int outputDim() {
        return outputs.length;
    }

    /** The parameter names in order (a copy). */
    public List<String> parameterNames() {
        return List.of(names);
    }

    @Override
    public <T> List<T> apply(Algebra<T> algebra, List<T> inputs) {
        Objects.requireNonNull(algebra, "algebra");
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.size() != names.length) {
            throw new IllegalArgumentException("dimension mismatch: step " + Lexer.quote(text)
                    + " takes " + names.length + " inputs, got " + inputs.size());
        }
        List<T> result = new ArrayList<>(outputs.length);
        for (Expr e : outputs) {
            result.add(e.eval(algebra, inputs));
        }
        return Collections.unmodifiableList(result);
    }

    /** Each output's expression tree as a read-only {@link SyntaxNode} view, output 0 first. */
    public List<SyntaxNode> syntax() {
        List<SyntaxNode> out = new ArrayList<>(outputs.length);
        for (Expr e : outputs) {
            out.add(e.syntax());
        }
        return Collections.unmodifiableList(out);
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
