package org.vtm.transforms;

import java.util.Objects;

/**
 * Minimum-norm least-squares solutions of {@code A x ≈ b} for one fixed tall matrix {@code A}
 * ({@code rows × cols}, {@code rows ≥ cols}, row-major): {@code x = pinv(A) · b}. {@code A} is
 * decomposed once, by the one-sided Jacobi SVD the {@link Oracle} uses, and singular values below
 * {@code max(rows, cols) · ulp(1) · σ_max} are dropped; every right-hand side then costs one
 * matrix-vector product. Immutable.
 */
public final class LeastSquares {
    private final int rows;
    private final int cols;
    private final int rank;
    private final double[] pinv; // cols × rows

    private LeastSquares(int rows, int cols, int rank, double[] pinv) {
        this.rows = rows;
        this.cols = cols;
        this.rank = rank;
        this.pinv = pinv;
    }

    /**
     * Decomposes {@code a} ({@code rows × cols} row-major; not modified).
     *
     * @throws IllegalArgumentException if {@code rows < cols}, a size is not positive, the array
     *     length is not {@code rows·cols}, or an entry is not finite (naming its row and column)
     */
    public static LeastSquares of(double[] a, int rows, int cols) {
        Objects.requireNonNull(a, "a");
        if (rows < 1 || cols < 1 || rows < cols) {
            throw new IllegalArgumentException("least squares needs rows >= cols >= 1, got " + rows + " x " + cols);
        }
        if (a.length != (long) rows * cols) {
            throw new IllegalArgumentException("matrix has " + a.length + " entries, expected " + rows + " x " + cols);
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException("matrix entry (" + i / cols + ", " + i % cols + ") is not finite: " + a[i]);
            }
        }
        Dense.Svd svd = Dense.svd(a, rows, cols);
        double tol = svd.defaultTolerance();
        return new LeastSquares(rows, cols, svd.rank(tol), svd.pseudoInverse(tol));
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Numerical rank of {@code A} ({@code cols} unless {@code A} is rank-deficient). */
    public int rank() {
        return rank;
    }

    /** {@code x = pinv(A) · b}: {@code b} has {@code rows} values, the result {@code cols}. */
    public double[] solve(double[] b) {
        Objects.requireNonNull(b, "b");
        if (b.length != rows) {
            throw new IllegalArgumentException("right-hand side has " + b.length + " values, the matrix has " + rows + " rows");
        }
        double[] x = new double[cols];
        for (int i = 0; i < cols; i++) {
            double v = 0;
            int r = i * rows;
            for (int j = 0; j < rows; j++) {
                v += pinv[r + j] * b[j];
            }
            x[i] = v;
        }
        return x;
    }
}
