package org.vtm.transforms;

/**
 * The space of truncated Taylor series in {@code d} variables to order {@code n}: the arena of
 * {@link Var}s. Immutable; {@code Space.of(2, 3).equals(Space.of(2, 3))}.
 */
public final class Space {

    private final MultiIndexSet set;

    private Space(MultiIndexSet set) {
        this.set = set;
    }

    /** The space of {@code dim} variables, order {@code order}, within the default memory budget. */
    public static Space of(int dim, int order) {
        return new Space(MultiIndexSet.of(dim, order));
    }

    /** As {@link #of(int, int)}, refusing tables larger than {@code budgetBytes}. */
    public static Space of(int dim, int order, long budgetBytes) {
        return new Space(MultiIndexSet.of(dim, order, budgetBytes));
    }

    public int dim() {
        return set.dim();
    }

    public int order() {
        return set.order();
    }

    /** The multi-indices of this space, which fix the coefficient order of its {@code Var}s. */
    public MultiIndexSet multiIndices() {
        return set;
    }

    /** The independent variable {@code x_index} at {@code value}. */
    public Var variable(int index, double value) {
        SeriesChecks.index("variable", index, set.dim());
        double[] c = new double[set.size()];
        c[0] = value;
        if (set.order() >= 1) {
            c[set.unitIndex(index)] = 1.0;
        }
        return new Var(this, c, ExpansionPoint.ofVariable(set.dim(), index, value));
    }

    /** The constant function {@code c}. */
    public Var constant(double c) {
        double[] a = new double[set.size()];
        a[0] = c;
        return new Var(this, a, null);
    }

    MultiIndexSet set() {
        return set;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Space && ((Space) o).set == set;
    }

    @Override
    public int hashCode() {
        return 31 * set.dim() + set.order();
    }

    @Override
    public String toString() {
        return "Space(d=" + set.dim() + ", n=" + set.order() + ")";
    }
}
