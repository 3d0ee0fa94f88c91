package org.vtm.interpreter;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.transforms.Program;
import org.vtm.transforms.SyntaxNode;

/**
 * A program's syntax trees as a flat node table, the input of the structure encoder
 * ({@code org.vtm.interpreter.engine.StructureEncoder}): computed once per program (it depends on the text only)
 * and joined per batch into the {@link InterpreterModel#STRUCTURE} array.
 *
 * <p>One row of {@link #COLUMNS} numbers per node, children before their parent (post-order), so that a pass in
 * row order sees every node's children first and a pass in reverse order every node's parent first:
 * <pre>
 *   [OP]       the operator's index in SyntaxNode.VOCABULARY
 *   [VARIABLE] the step parameter's index (variable leaves), else -1
 *   [CONSTANT] the constant's value (constant leaves), else 0
 *   [PARENT]   the parent's row, -1 for a root (an output expression)
 *   [STEP]     a root's step: t in the program's table, the batch row b·T + t in a batch; -1 for other nodes
 * </pre>
 */
public final class ProgramSyntax {
    public static final int OP = 0;
    public static final int VARIABLE = 1;
    public static final int CONSTANT = 2;
    public static final int PARENT = 3;
    public static final int STEP = 4;
    public static final int COLUMNS = 5;

    private ProgramSyntax() {
    }

    /**
     * The node table of {@code program} (every step, every output).
     *
     * @throws IllegalArgumentException if a step has no syntax (not parsed from text)
     */
    public static double[] table(Program program) {
        List<List<SyntaxNode>> steps;
        try {
            steps = program.stepSyntax();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("structure inputs need program text: " + e.getMessage(), e);
        }
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < steps.size(); t++) {
            for (SyntaxNode root : steps.get(t)) {
                add(root, t, rows);
            }
        }
        double[] out = new double[rows.size() * COLUMNS];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * COLUMNS, COLUMNS);
        }
        return out;
    }

    /** Appends the subtree of {@code node} in post-order (children first) and sets its children's parent rows. */
    private static void add(SyntaxNode node, int step, List<double[]> rows) {
        List<Integer> childRows = new ArrayList<>();
        for (SyntaxNode c : node.children()) {
            add(c, -1, rows);
            childRows.add(rows.size() - 1);
        }
        int self = rows.size();
        rows.add(new double[] {node.opIndex(), node.variable(), node.constant(), -1, step});
        for (int r : childRows) {
            rows.get(r)[PARENT] = self;
        }
    }

    /**
     * The {@link InterpreterModel#STRUCTURE} array [nodes, {@link #COLUMNS}] of a batch: program {@code i}'s table
     * ({@code tables.get(i)}) with its parent rows shifted to the batch and its roots' steps mapped to rows
     * {@code i·maxSteps + t}.
     */
    public static INDArray batch(List<double[]> tables, int maxSteps) {
        int nodes = 0;
        for (double[] t : tables) {
            if (t == null) {
                throw new IllegalArgumentException("a program of the batch has no syntax table (structure inputs need "
                        + "the program text)");
            }
            nodes += t.length / COLUMNS;
        }
        double[] out = new double[nodes * COLUMNS];
        int base = 0;
        for (int i = 0; i < tables.size(); i++) {
            double[] t = tables.get(i);
            int n = t.length / COLUMNS;
            System.arraycopy(t, 0, out, base * COLUMNS, t.length);
            for (int r = 0; r < n; r++) {
                int at = (base + r) * COLUMNS;
                if (out[at + PARENT] >= 0) {
                    out[at + PARENT] += base;
                }
                if (out[at + STEP] >= 0) {
                    if (out[at + STEP] >= maxSteps) {
                        throw new IllegalArgumentException("program " + i + " of the batch has a step " + (int) out[at + STEP]
                                + " beyond the " + maxSteps + " padded steps");
                    }
                    out[at + STEP] += (double) i * maxSteps;
                }
            }
            base += n;
        }
        return Nd4j.createFromArray(out).reshape(Math.max(nodes, 0), COLUMNS).castTo(DataType.DOUBLE);
    }
}
