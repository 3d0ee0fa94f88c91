package org.vtm.interpreter.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.ProgramSyntax;
import org.vtm.interpreter.engine.ParameterSet.Param;
import org.vtm.transforms.SyntaxNode;

/**
 * The structure encoder: a small recursive tree encoder over each step's syntax trees, trained jointly with the
 * LSTM (NPI's embedding of what is being executed). For a node with operator {@code op}, children {@code c_1..c_k},
 * variable index {@code j} (variable leaves) and constant value {@code κ} (constant leaves):
 * <pre>
 *   h(node) = tanh(E[op] + W·mean_i h(c_i) + u·asinh(κ) + V[min(j, J−1)] + b)      (width H_s)
 *   s_t     = mean over the step's outputs o of h(root_o)                          (0 for padded steps)
 * </pre>
 * with the terms absent when they do not apply (no children: no {@code W} term; not a variable: no {@code V} row;
 * {@code κ = 0} for other nodes). {@code J} = {@value #VARIABLES}: a step parameter of index ≥ J−1 shares the last row.
 * {@code s_t} becomes the last {@code H_s} columns of the LSTM input {@code x_t} ({@code ModelConfig#features});
 * {@link #backward} takes ∂L/∂s_t from the LSTM's input gradient and sets the gradients of
 * {@code struct_E} [V, H_s], {@code struct_W} [H_s, H_s] ({@code (W·m)_a = Σ_b W[a][b] m_b}), {@code struct_u} [H_s],
 * {@code struct_V} [J, H_s] and {@code struct_b} [H_s].
 *
 * <p>The trees come per batch as the node table of {@link ProgramSyntax} (children before parents). The encoder
 * computes in double precision whatever the network's data type (the trees are small: a few thousand nodes per
 * batch of width 16), reading its parameters from and writing its gradients to the network's {@link ParameterSet}
 * (rounded to its data type). Not thread-safe.
 */
public final class StructureEncoder {
    /** Rows of the variable embedding {@code V}. */
    public static final int VARIABLES = 16;
    public static final String E = "struct_E";
    public static final String W = "struct_W";
    public static final String U = "struct_u";
    public static final String V = "struct_V";
    public static final String B = "struct_b";

    private final int width;
    private final int vocabulary;
    private final Param e;
    private final Param w;
    private final Param u;
    private final Param v;
    private final Param b;

    // the last forward pass
    private int nodes;
    private int rows;
    private int[] op = new int[0];
    private int[] variable = new int[0];
    private int[] parent = new int[0];
    private int[] row = new int[0];
    private double[] constant = new double[0];
    private int[] children = new int[0];
    private int[] rootsPerRow = new int[0];
    private double[] h = new double[0];
    private double[] mean = new double[0];
    private double[] pe;
    private double[] pw;
    private double[] pu;
    private double[] pv;
    private double[] pb;

    /** Declares the encoder's parameters in {@code params} (allocate the set before use). */
    public StructureEncoder(ParameterSet params, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("structure width must be ≥ 1, got " + width);
        }
        this.width = width;
        this.vocabulary = SyntaxNode.VOCABULARY.size();
        this.e = params.declare(E, vocabulary, width);
        this.w = params.declare(W, width, width);
        this.u = params.declare(U, width);
        this.v = params.declare(V, VARIABLES, width);
        this.b = params.declare(B, width);
    }

    public int width() {
        return width;
    }

    /** Operators of the vocabulary (rows of {@code E}). */
    public int vocabulary() {
        return vocabulary;
    }

    /**
     * Encodes the trees of a batch.
     *
     * @param structure the node table [nodes, {@link ProgramSyntax#COLUMNS}] ({@link ProgramSyntax#batch})
     * @param batchRows {@code N = B·T}: the roots' rows are in {@code [0, N)}
     * @return {@code s} [N·H_s] row-major (row {@code b·T + t}); an array of the encoder, valid until the next call
     * @throws IllegalArgumentException naming a malformed node
     */
    public double[] forward(INDArray structure, int batchRows) {
        read(structure, batchRows);
        pe = values(e);
        pw = values(w);
        pu = values(u);
        pv = values(v);
        pb = values(b);
        int hs = width;
        double[] out = new double[batchRows * hs];
        double[] sum = new double[nodes * hs];
        double[] z = new double[hs];
        for (int i = 0; i < nodes; i++) {
            int at = i * hs;
            double asinhC = asinh(constant[i]);
            int vr = variable[i] < 0 ? -1 : Math.min(variable[i], VARIABLES - 1);
            for (int a = 0; a < hs; a++) {
                double s = pe[op[i] * hs + a] + pb[a] + pu[a] * asinhC;
                if (vr >= 0) {
                    s += pv[vr * hs + a];
                }
                z[a] = s;
            }
            if (children[i] > 0) {
                double inv = 1.0 / children[i];
                for (int q = 0; q < hs; q++) {
                    mean[at + q] = sum[at + q] * inv;
                }
                for (int a = 0; a < hs; a++) {
                    double s = 0;
                    for (int q = 0; q < hs; q++) {
                        s += pw[a * hs + q] * mean[at + q];
                    }
                    z[a] += s;
                }
            } else {
                Arrays.fill(mean, at, at + hs, 0);
            }
            for (int a = 0; a < hs; a++) {
                h[at + a] = Math.tanh(z[a]);
            }
            if (parent[i] >= 0) {
                int pa = parent[i] * hs;
                for (int a = 0; a < hs; a++) {
                    sum[pa + a] += h[at + a];
                }
            } else {
                int ro = row[i] * hs;
                double inv = 1.0 / rootsPerRow[row[i]];
                for (int a = 0; a < hs; a++) {
                    out[ro + a] += h[at + a] * inv;
                }
            }
        }
        return out;
    }

    /**
     * Back-propagates {@code ds} [N·H_s] (∂L/∂s of the last {@link #forward}) and sets (overwrites) the encoder's
     * gradients in the parameter set.
     */
    public void backward(double[] ds) {
        int hs = width;
        if (pe == null || ds.length != rows * hs) {
            throw new IllegalArgumentException("structure gradient must have " + rows * hs + " values after a forward "
                    + "pass, got " + ds.length);
        }
        double[] ge = new double[pe.length];
        double[] gw = new double[pw.length];
        double[] gu = new double[hs];
        double[] gv = new double[pv.length];
        double[] gb = new double[hs];
        double[] dh = new double[nodes * hs];
        double[] dMean = new double[nodes * hs]; // ∂L/∂(mean of the children) / children: what each child receives
        double[] dz = new double[hs];
        for (int i = nodes - 1; i >= 0; i--) {
            int at = i * hs;
            if (parent[i] >= 0) {
                int pa = parent[i] * hs;
                for (int a = 0; a < hs; a++) {
                    dh[at + a] += dMean[pa + a];
                }
            } else {
                int ro = row[i] * hs;
                double inv = 1.0 / rootsPerRow[row[i]];
                for (int a = 0; a < hs; a++) {
                    dh[at + a] += ds[ro + a] * inv;
                }
            }
            double asinhC = asinh(constant[i]);
            int vr = variable[i] < 0 ? -1 : Math.min(variable[i], VARIABLES - 1);
            for (int a = 0; a < hs; a++) {
                double hv = h[at + a];
                double d = dh[at + a] * (1 - hv * hv);
                dz[a] = d;
                ge[op[i] * hs + a] += d;
                gb[a] += d;
                gu[a] += d * asinhC;
                if (vr >= 0) {
                    gv[vr * hs + a] += d;
                }
            }
            if (children[i] > 0) {
                double inv = 1.0 / children[i];
                for (int a = 0; a < hs; a++) {
                    double d = dz[a];
                    if (d != 0) {
                        for (int q = 0; q < hs; q++) {
                            gw[a * hs + q] += d * mean[at + q];
                        }
                    }
                }
                for (int q = 0; q < hs; q++) {
                    double s = 0;
                    for (int a = 0; a < hs; a++) {
                        s += pw[a * hs + q] * dz[a];
                    }
                    dMean[at + q] = s * inv;
                }
            }
        }
        store(e, ge);
        store(w, gw);
        store(u, gu);
        store(v, gv);
        store(b, gb);
    }

    private void read(INDArray structure, int batchRows) {
        if (structure.rank() != 2 || structure.size(1) != ProgramSyntax.COLUMNS) {
            throw new IllegalArgumentException("'structure' must be [nodes, " + ProgramSyntax.COLUMNS + "], got "
                    + Arrays.toString(structure.shape()));
        }
        double[] t = structure.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = (int) structure.size(0);
        if (op.length < n) {
            op = new int[n];
            variable = new int[n];
            parent = new int[n];
            row = new int[n];
            constant = new double[n];
            children = new int[n];
        }
        if (h.length < n * width) {
            h = new double[n * width];
            mean = new double[n * width];
        }
        if (rootsPerRow.length < batchRows) {
            rootsPerRow = new int[batchRows];
        }
        Arrays.fill(children, 0, n, 0);
        Arrays.fill(rootsPerRow, 0, batchRows, 0);
        for (int i = 0; i < n; i++) {
            int at = i * ProgramSyntax.COLUMNS;
            op[i] = (int) t[at + ProgramSyntax.OP];
            variable[i] = (int) t[at + ProgramSyntax.VARIABLE];
            constant[i] = t[at + ProgramSyntax.CONSTANT];
            parent[i] = (int) t[at + ProgramSyntax.PARENT];
            row[i] = (int) t[at + ProgramSyntax.STEP];
            if (op[i] < 0 || op[i] >= vocabulary || !Double.isFinite(constant[i])) {
                throw new IllegalArgumentException("structure node " + i + " has operator " + op[i] + " (vocabulary 0.."
                        + (vocabulary - 1) + ") or constant " + constant[i]);
            }
            if (parent[i] >= 0) {
                if (parent[i] <= i || parent[i] >= n) {
                    throw new IllegalArgumentException("structure node " + i + " has parent " + parent[i]
                            + " (parents follow their children, within " + n + " nodes)");
                }
                children[parent[i]]++;
            } else {
                if (row[i] < 0 || row[i] >= batchRows) {
                    throw new IllegalArgumentException("structure root " + i + " is at row " + row[i] + ", the batch has "
                            + batchRows);
                }
                rootsPerRow[row[i]]++;
            }
        }
        nodes = n;
        rows = batchRows;
    }

    private static double[] values(Param p) {
        return p.value().castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void store(Param p, double[] g) {
        p.grad().assign(Nd4j.createFromArray(g).reshape(p.shape()).castTo(p.grad().dataType()));
    }

    static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log(a + Math.sqrt(a * a + 1));
        return Math.copySign(r, x);
    }
}
