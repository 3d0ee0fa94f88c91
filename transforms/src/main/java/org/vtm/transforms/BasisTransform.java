package org.vtm.transforms;

import java.util.Objects;

/**
 * The transformation between the monomial basis {@code X} (Taylor coefficients in the scaled
 * variable {@code u}) and a {@link FunctionSet} {@code F}: {@code T_XF} has, in column {@code β},
 * the Taylor coefficients at {@code u = 0} (truncated to order {@code n}, in X's canonical order)
 * of {@code Φ_β}; {@code T_FX} maps X-coordinates to F-coordinates, {@code P_F = T_FX · a'}.
 *
 * <p>Square sets: {@code T_FX = T_XF^{-1}}. For polynomial families ({@link
 * FunctionFamily#isPolynomial()}) the 1-D Taylor matrix {@code C} is upper triangular and
 * {@code T_XF} is the restriction of {@code C ⊗ … ⊗ C} to {@code |α|, |β| ≤ n}; because
 * {@code C ⊗ … ⊗ C} is triangular in the componentwise partial order, the restriction's inverse is
 * the restriction of {@code C^{-1} ⊗ … ⊗ C^{-1}}, so only the 1-D triangular inverse is computed
 * ({@link Solver#STRUCTURED}). Other families use LU with partial pivoting ({@link
 * Solver#GENERAL}). Non-square sets ({@code |F| > |X|}) use the minimum-norm least-squares solution
 * {@code T_FX = pinv(T_XF)} from a one-sided Jacobi SVD ({@link Kind#LEAST_SQUARES}).
 *
 * <p>Condition number: for square sets the 1-norm condition {@code κ_1 = ||T_XF||_1 ·
 * ||T_FX||_1}, exact for the computed inverse; for non-square sets the 2-norm condition
 * {@code σ_max / σ_min} of {@code T_XF} (see {@link #conditionNorm()}). A set whose condition
 * exceeds the limit (default {@value #DEFAULT_MAX_CONDITION}) or that meets an exact zero pivot is
 * refused with a {@link SingularBasisException}.
 *
 * <p>Immutable; matrices are flat row-major arrays and accessors return copies.
 */
public final class BasisTransform {

    /** Default limit on the condition number above which a set counts as numerically singular. */
    public static final double DEFAULT_MAX_CONDITION = 1e12;

    /** What {@code T_FX} is. */
    public enum Kind {
        /** {@code T_FX = T_XF^{-1}}: exact on polynomials of degree {@code ≤ n}. */
        EXACT_INVERSE,
        /** Minimum-norm least-squares solution {@code T_FX = pinv(T_XF)} (more functions than monomials). */
        LEAST_SQUARES
    }

    /** How {@code T_FX} is computed for a square set. */
    public enum Solver {
        /** {@link #STRUCTURED} for polynomial families, {@link #GENERAL} otherwise. */
        AUTO,
        /** 1-D triangular inverse and the Kronecker structure (polynomial families only). */
        STRUCTURED,
        /** LU with partial pivoting on the full {@code M × M} matrix. */
        GENERAL
    }

    /** A set whose {@code T_XF} is singular or numerically singular. */
    public static final class SingularBasisException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String family;
        private final int dim;
        private final int order;
        private final double condition;

        SingularBasisException(FunctionSet set, double condition, String norm, double limit, String detail) {
            super("function set '" + set.family().name() + "' with d=" + set.dim() + ", n=" + set.order()
                    + (set.isSquare() ? "" : " (" + set.size() + " functions)")
                    + " is " + (Double.isInfinite(condition) ? "singular" : "numerically singular")
                    + ": " + norm + " condition estimate " + formatCondition(condition)
                    + " exceeds the limit " + formatCondition(limit) + (detail == null ? "" : " (" + detail + ")"));
            this.family = set.family().name();
            this.dim = set.dim();
            this.order = set.order();
            this.condition = condition;
        }

        public String family() {
            return family;
        }

        public int dim() {
            return dim;
        }

        public int order() {
            return order;
        }

        /** The condition estimate; infinite for an exact zero pivot. */
        public double condition() {
            return condition;
        }
    }

    private static String formatCondition(double c) {
        return Double.isInfinite(c) ? "infinity" : String.format(java.util.Locale.ROOT, "%.3e", c);
    }

    private final FunctionSet set;
    private final Kind kind;
    private final Solver solver;
    private final int m; // monomials (rows of T_XF)
    private final int k; // functions (columns of T_XF)
    private final double[] txf; // m × k
    private final double[] tfx; // k × m
    private final double[] tfxT; // m × k, for the batch kernel
    private final double condition;
    private final int conditionNorm;
    private final int rank;

    private BasisTransform(FunctionSet set, Kind kind, Solver solver, double[] txf, double[] tfx,
            double condition, int conditionNorm, int rank) {
        this.set = set;
        this.kind = kind;
        this.solver = solver;
        this.m = set.monomialCount();
        this.k = set.size();
        this.txf = txf;
        this.tfx = tfx;
        this.tfxT = Dense.transpose(tfx, k, m);
        this.condition = condition;
        this.conditionNorm = conditionNorm;
        this.rank = rank;
    }

    /** {@code T_FX} for {@code set} with {@link Solver#AUTO} and the default condition limit. */
    public static BasisTransform of(FunctionSet set) {
        return of(set, Solver.AUTO, DEFAULT_MAX_CONDITION);
    }

    /**
     * {@code T_FX} for {@code set}.
     *
     * @param solver for square sets; ignored (SVD) for non-square sets
     * @param maxCondition sets with a larger condition estimate are refused; {@code
     *     Double.POSITIVE_INFINITY} accepts everything that can be computed (for non-square sets
     *     the pseudo-inverse then drops singular values below {@code max(M,K)·ulp(1)·σ_max})
     * @throws SingularBasisException if the set is (numerically) singular
     * @throws IllegalArgumentException for {@link Solver#STRUCTURED} with a non-polynomial family
     */
    public static BasisTransform of(FunctionSet set, Solver solver, double maxCondition) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(solver, "solver");
        if (!(maxCondition >= 1.0)) {
            throw new IllegalArgumentException("maxCondition must be >= 1, got " + maxCondition);
        }
        int m = set.monomialCount();
        int k = set.size();
        boolean polynomial = set.family().isPolynomial();
        checkBudget(set, set.isSquare() && polynomial && solver != Solver.GENERAL);
        double[] txf = buildTxf(set);
        if (set.isSquare()) {
            if (solver == Solver.STRUCTURED && !polynomial) {
                throw new IllegalArgumentException("the structured solver needs a polynomial family; '"
                        + set.family().name() + "' is not (use GENERAL or AUTO)");
            }
            Solver used = (solver == Solver.GENERAL || !polynomial) ? Solver.GENERAL : Solver.STRUCTURED;
            double[] tfx;
            try {
                tfx = used == Solver.STRUCTURED ? structuredInverse(set) : Dense.invert(txf, m);
            } catch (Dense.SingularMatrixException e) {
                throw new SingularBasisException(set, Double.POSITIVE_INFINITY, "1-norm", maxCondition,
                        "exact zero pivot at column " + e.column);
            }
            double cond = Dense.norm1(txf, m, m) * Dense.norm1(tfx, m, m);
            if (!(cond <= maxCondition)) {
                throw new SingularBasisException(set, Double.isNaN(cond) ? Double.POSITIVE_INFINITY : cond,
                        "1-norm", maxCondition, null);
            }
            return new BasisTransform(set, Kind.EXACT_INVERSE, used, txf, tfx, cond, 1, m);
        }
        // non-square: SVD of T_XFᵀ (k × m, k > m) gives T_XF = V Σ Uᵀ and pinv(T_XF) = U Σ⁻¹ Vᵀ
        Dense.Svd svd = Dense.svd(Dense.transpose(txf, m, k), k, m);
        double cond = svd.condition();
        if (!(cond <= maxCondition)) {
            throw new SingularBasisException(set, cond, "2-norm", maxCondition, null);
        }
        double tol = svd.defaultTolerance();
        double[] pinvOfTranspose = svd.pseudoInverse(tol); // m × k
        double[] tfx = Dense.transpose(pinvOfTranspose, m, k); // k × m
        return new BasisTransform(set, Kind.LEAST_SQUARES, Solver.GENERAL, txf, tfx, cond, 2, svd.rank(tol));
    }

    /**
     * Bytes of the dense matrices {@link #of} holds for {@code m} monomials and {@code k}
     * functions: square sets keep {@code T_XF}, {@code T_FX} and its transpose ({@code 3·M²}
     * doubles) plus, for the general solver, the LU working copy; non-square sets also hold the
     * SVD's factors and the pseudo-inverse ({@code 7·M·K + 2·M²}). Saturating long arithmetic.
     *
     * @param structured the square structured solver (no LU copy)
     */
    static long bytesNeeded(long m, long k, boolean structured) {
        long mk = ExpansionBudget.doubles(m, k);
        long mm = ExpansionBudget.doubles(m, m);
        if (m == k) {
            return ExpansionBudget.times(mm, structured ? 3 : 4);
        }
        return ExpansionBudget.plus(ExpansionBudget.times(mk, 7), ExpansionBudget.times(mm, 2));
    }

    /** Refuses, before any matrix exists, a set whose matrices exceed the budget or a Java array. */
    private static void checkBudget(FunctionSet set, boolean structured) {
        long m = set.monomialCount();
        long k = set.size();
        String what = "T_XF and T_FX for " + set + " (" + m + " × " + k + " doubles each)";
        ExpansionBudget.check(bytesNeeded(m, k, structured), ExpansionBudget.times(m, Math.max(m, k)),
                ExpansionBudget.defaultBytes(), what);
    }

    /** T_XF[α][β] = Π_l C[α_l][β_l], the truncated Kronecker product of the 1-D Taylor matrix. */
    private static double[] buildTxf(FunctionSet set) {
        int d = set.dim();
        int n = set.order();
        int kmax = set.maxIndex1d();
        int c1 = kmax + 1;
        double[] c = set.family().taylorMatrix(kmax, n);
        MultiIndexSet xs = set.monomials();
        int m = xs.size();
        int k = set.size();
        int[][] alphas = new int[m][];
        for (int i = 0; i < m; i++) {
            alphas[i] = xs.alpha(i);
        }
        double[] txf = new double[m * k];
        for (int j = 0; j < k; j++) {
            int[] b = set.beta(j);
            for (int i = 0; i < m; i++) {
                int[] a = alphas[i];
                double p = 1.0;
                for (int l = 0; l < d && p != 0.0; l++) {
                    p *= c[a[l] * c1 + b[l]];
                }
                txf[i * k + j] = p;
            }
        }
        return txf;
    }

    /** T_FX[β][α] = Π_l C^{-1}[β_l][α_l] (see the class comment for why the restriction is exact). */
    private static double[] structuredInverse(FunctionSet set) {
        int d = set.dim();
        int n = set.order();
        int n1 = n + 1;
        double[] cinv = Dense.invertUpperTriangular(set.family().taylorMatrix(n, n), n1);
        MultiIndexSet xs = set.monomials();
        int m = xs.size();
        int[][] alphas = new int[m][];
        for (int i = 0; i < m; i++) {
            alphas[i] = xs.alpha(i);
        }
        double[] tfx = new double[m * m];
        for (int j = 0; j < m; j++) {
            int[] b = set.beta(j);
            for (int i = 0; i < m; i++) {
                int[] a = alphas[i];
                double p = 1.0;
                for (int l = 0; l < d && p != 0.0; l++) {
                    p *= cinv[b[l] * n1 + a[l]];
                }
                tfx[j * m + i] = p;
            }
        }
        return tfx;
    }

    public FunctionSet set() {
        return set;
    }

    public FunctionFamily family() {
        return set.family();
    }

    public int dim() {
        return set.dim();
    }

    public int order() {
        return set.order();
    }

    public Kind kind() {
        return kind;
    }

    /** True for {@link Kind#EXACT_INVERSE}; false for a least-squares transform. */
    public boolean isExact() {
        return kind == Kind.EXACT_INVERSE;
    }

    /** The solver that computed {@code T_FX} ({@link Solver#GENERAL} for least squares). */
    public Solver solver() {
        return solver;
    }

    /** The condition estimate; see {@link #conditionNorm()} for which norm. */
    public double condition() {
        return condition;
    }

    /** 1 (square: {@code ||T_XF||_1·||T_FX||_1}) or 2 (non-square: {@code σ_max/σ_min}). */
    public int conditionNorm() {
        return conditionNorm;
    }

    /** Numerical rank of {@code T_XF} ({@code M} for an accepted square set). */
    public int rank() {
        return rank;
    }

    /** {@code M = |X|}: rows of {@code T_XF}, columns of {@code T_FX}. */
    public int monomialCount() {
        return m;
    }

    /** {@code |F|}: columns of {@code T_XF}, rows of {@code T_FX}. */
    public int functionCount() {
        return k;
    }

    /** {@code T_XF}, {@code M × |F|} row-major (a copy). */
    public double[] txf() {
        return txf.clone();
    }

    /** {@code T_FX}, {@code |F| × M} row-major (a copy). */
    public double[] tfx() {
        return tfx.clone();
    }

    public double txf(int row, int col) {
        checkIndex(row, m, "row");
        checkIndex(col, k, "column");
        return txf[row * k + col];
    }

    public double tfx(int row, int col) {
        checkIndex(row, k, "row");
        checkIndex(col, m, "column");
        return tfx[row * m + col];
    }

    private static void checkIndex(int i, int n, String what) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(what + " " + i + " not in [0, " + n + ")");
        }
    }

    /**
     * {@code P_F = T_FX · a'} with {@code a'[α] = c[α] r^{|α|}}: the expansion re-expressed in F
     * over {@code v0 + r·[-1,1]^d}. An expansion of order above {@code n} is truncated to order
     * {@code n}.
     */
    public FunctionSeries apply(TensorSeries expansion, double radius) {
        return apply(new TensorSeries[] {expansion}, radius)[0];
    }

    /** {@link #apply(TensorSeries, double)} for many expansions, as one matrix product. */
    public FunctionSeries[] apply(TensorSeries[] expansions, double radius) {
        Objects.requireNonNull(expansions, "expansions");
        checkRadius(radius);
        int rows = 0;
        for (int e = 0; e < expansions.length; e++) {
            TensorSeries s = Objects.requireNonNull(expansions[e], "expansion " + e);
            if (s.inputDim() != set.dim()) {
                throw new IllegalArgumentException("dimension mismatch: transform is for d=" + set.dim()
                        + ", expansion " + e + " has input dimension " + s.inputDim());
            }
            if (s.order() < set.order()) {
                throw new IllegalArgumentException("order mismatch: transform needs order >= " + set.order()
                        + ", expansion " + e + " has order " + s.order());
            }
            rows += s.outputDim();
        }
        double[] scale = radiusPowers(radius);
        double[] x = new double[rows * m];
        int row = 0;
        for (TensorSeries s : expansions) {
            double[] c = s.coefficients();
            int ms = s.multiIndices().size(); // canonical order: the first m are |α| ≤ n
            for (int o = 0; o < s.outputDim(); o++, row++) {
                for (int i = 0; i < m; i++) {
                    x[row * m + i] = c[o * ms + i] * scale[i];
                }
            }
        }
        double[] f = new double[rows * k];
        applyBatch(x, rows, f);
        FunctionSeries[] out = new FunctionSeries[expansions.length];
        row = 0;
        for (int e = 0; e < expansions.length; e++) {
            int od = expansions[e].outputDim();
            double[] coef = java.util.Arrays.copyOfRange(f, row * k, (row + od) * k);
            out[e] = new FunctionSeries(set, originOf(kind), expansions[e].point(), radius, od, coef);
            row += od;
        }
        return out;
    }

    static FunctionSeries.Origin originOf(Kind kind) {
        return kind == Kind.EXACT_INVERSE ? FunctionSeries.Origin.EXACT_TRANSFORM : FunctionSeries.Origin.LEAST_SQUARES_TRANSFORM;
    }

    /** {@code r^{|α|}} for every monomial, in canonical order. */
    double[] radiusPowers(double radius) {
        MultiIndexSet xs = set.monomials();
        double[] s = new double[m];
        for (int i = 0; i < m; i++) {
            s[i] = Math.pow(radius, xs.degree(i));
        }
        return s;
    }

    static void checkRadius(double radius) {
        if (!(radius > 0.0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be positive and finite, got " + radius);
        }
    }

    /**
     * The batch kernel: {@code out[r][·] = T_FX · x[r][·]} for {@code rows} rows of scaled
     * X-coordinates, i.e. {@code out = x · T_FXᵀ}. {@code x} is {@code rows × M} row-major,
     * {@code out} ({@code rows × |F|}, modified) must not alias it. Large batches go to
     * {@link MatrixMultiply#best()} (a BLAS where one is registered), small ones to the Java kernel.
     */
    public void applyBatch(double[] x, int rows, double[] out) {
        if (rows < 0 || x.length < (long) rows * m || out.length < (long) rows * k) {
            throw new IllegalArgumentException("batch arrays too short: rows=" + rows + " needs x.length >= "
                    + (long) rows * m + " (got " + x.length + ") and out.length >= " + (long) rows * k
                    + " (got " + out.length + ")");
        }
        if ((long) rows * m * k >= BLAS_THRESHOLD_FLOPS) {
            MatrixMultiply.best().multiply(x, rows, m, tfxT, k, out);
        } else {
            Dense.multiply(x, rows, m, tfxT, k, out);
        }
    }

    /** Products smaller than this many multiply-adds stay in Java (a BLAS call's copies cost more). */
    static final long BLAS_THRESHOLD_FLOPS = 1L << 20;

    @Override
    public String toString() {
        return "BasisTransform[" + set + ", " + kind + ", " + solver + ", condition(" + conditionNorm + "-norm)="
                + formatCondition(condition) + "]";
    }
}
