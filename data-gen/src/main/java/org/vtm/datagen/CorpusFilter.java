package org.vtm.datagen;

/**
 * Which records to read. {@code null} fields and the default step range accept everything.
 *
 * @param dim only corpora with this {@code d}, or null
 * @param order only corpora with this {@code n}, or null
 * @param family only corpora of this family, or null
 * @param minSteps only programs with at least this many steps
 * @param maxSteps only programs with at most this many steps
 */
public record CorpusFilter(Integer dim, Integer order, String family, int minSteps, int maxSteps) {
    public static final CorpusFilter ALL = new CorpusFilter(null, null, null, 1, Integer.MAX_VALUE);

    public CorpusFilter {
        if (minSteps < 1 || maxSteps < minSteps) {
            throw new IllegalArgumentException("step range " + minSteps + ".." + maxSteps + " is empty or below 1");
        }
    }

    /** Whether records of a corpus with this layout can pass at all. */
    public boolean accepts(CorpusLayout layout) {
        return (dim == null || dim == layout.dim()) && (order == null || order == layout.order())
                && (family == null || family.equals(layout.family()));
    }

    public boolean acceptsSteps(int steps) {
        return steps >= minSteps && steps <= maxSteps;
    }
}
