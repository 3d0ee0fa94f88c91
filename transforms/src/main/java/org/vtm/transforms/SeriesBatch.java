package org.vtm.transforms;

/**
 * The element of {@link BatchAlgebra}: one truncated series per point for a block of {@code P}
 * points, flat in coefficient-major layout {@code [M][P]} (points in the inner loop). A constant
 * (the same value at every point, no derivatives) is stored as a scalar until it has to be
 * materialized. Immutable to its users.
 */
public final class SeriesBatch {

    private final MultiIndexSet set;
    private final int points;
    private final double[] data;
    private final double constant;

    SeriesBatch(MultiIndexSet set, int points, double[] data) {
        this.set = set;
        this.points = points;
        this.data = data;
        this.constant = Double.NaN;
    }

    SeriesBatch(MultiIndexSet set, int points, double constant) {
        this.set = set;
        this.points = points;
        this.data = null;
        this.constant = constant;
    }

    /** The number of points {@code P}. */
    public int points() {
        return points;
    }

    public MultiIndexSet multiIndices() {
        return set;
    }

    /** Whether this is a constant function (same value at every point). */
    public boolean isConstant() {
        return data == null;
    }

    /** The normalized coefficient at canonical {@code index} of point {@code point}. */
    public double coefficient(int index, int point) {
        SeriesChecks.index("coefficient index", index, set.size());
        SeriesChecks.index("point", point, points);
        if (data == null) {
            return index == 0 ? constant : 0.0;
        }
        return data[index * points + point];
    }

    /** The value at point {@code point}. */
    public double value(int point) {
        return data == null ? constant : data[point];
    }

    /** The scalar of a constant batch. */
    double constantValue() {
        return constant;
    }

    /** The flat data, never modified by anyone; {@code null} for a constant. */
    double[] data() {
        return data;
    }

    /** The flat data, materializing a constant into a fresh array. */
    double[] dense() {
        if (data != null) {
            return data;
        }
        double[] d = new double[set.size() * points];
        for (int p = 0; p < points; p++) {
            d[p] = constant;
        }
        return d;
    }
}
