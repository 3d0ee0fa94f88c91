package org.vtm.datagen;

import java.util.Arrays;
import java.util.Objects;

/**
 * What every record of one corpus shares: {@code d}, {@code n}, the family, the multi-indices
 * (in the order the coefficient columns use) and the sample points in scaled coordinates
 * {@code u ∈ [-1,1]^d}. Written into each shard's schema metadata, so a reader needs no
 * convention to interpret the tensors.
 */
public final class CorpusLayout {
    private final int dim;
    private final int order;
    private final String family;
    private final int[][] alphas;
    private final double[][] samplePoints;

    public CorpusLayout(int dim, int order, String family, int[][] alphas, double[][] samplePoints) {
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be at least 1, got " + dim);
        }
        if (order < 0) {
            throw new IllegalArgumentException("order must be non-negative, got " + order);
        }
        this.dim = dim;
        this.order = order;
        this.family = Objects.requireNonNull(family, "family");
        this.alphas = copy(alphas);
        this.samplePoints = copy(samplePoints);
        for (int[] a : this.alphas) {
            if (a.length != dim) {
                throw new IllegalArgumentException("multi-index " + Arrays.toString(a) + " does not have " + dim + " entries");
            }
        }
        for (double[] p : this.samplePoints) {
            if (p.length != dim) {
                throw new IllegalArgumentException("sample point " + Arrays.toString(p) + " does not have " + dim + " coordinates");
            }
        }
    }

    public int dim() {
        return dim;
    }

    public int order() {
        return order;
    }

    public String family() {
        return family;
    }

    /** {@code M}, the number of multi-indices {@code |α| ≤ n}. */
    public int terms() {
        return alphas.length;
    }

    /** {@code S}, the number of sample points. */
    public int samples() {
        return samplePoints.length;
    }

    public int[][] alphas() {
        return copy(alphas);
    }

    public double[][] samplePoints() {
        return copy(samplePoints);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorpusLayout l && dim == l.dim && order == l.order && family.equals(l.family)
                && Arrays.deepEquals(alphas, l.alphas) && Arrays.deepEquals(samplePoints, l.samplePoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dim, order, family, Arrays.deepHashCode(alphas));
    }

    @Override
    public String toString() {
        return "CorpusLayout[d=" + dim + ", n=" + order + ", family=" + family + ", M=" + terms() + ", S=" + samples() + "]";
    }

    private static int[][] copy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
