package org.vtm.datagen;

/**
 * A batch of corpus records as flat arrays, ready for training: no per-record objects. Per-step
 * arrays are padded to {@link #maxSteps()} with zeros; {@link #steps(int)} says how many entries
 * of record {@code b} are real. Layout ({@code B} records, {@code T = maxSteps}, {@code d}, {@code M},
 * {@code S}): {@code prefixExpansion[((b*T + t)*d + out)*M + α]}, {@code sampleValues[((b*T + t)*S + s)*d + out]},
 * {@code errors[(b*T + t)*6 + e]}, {@code stepPoints[(b*T + t)*d + i]}, {@code point[b*d + i]}.
 *
 * <p>The arrays are exposed without copying for speed: treat them as read-only. A batch is owned
 * by the code that received it.
 */
public final class CorpusBatch {
    private final CorpusLayout layout;
    private final int size;
    private final int maxSteps;
    final long[] index;
    final int[] steps;
    final double[] point;
    final double[] radius;
    final double[] stepPoints;
    final double[] prefixExpansion;
    final double[] fixedCoefficients;
    final double[] oracleCoefficients;
    final double[] sampleValues;
    final double[] errors;

    CorpusBatch(CorpusLayout layout, int size, int maxSteps) {
        this.layout = layout;
        this.size = size;
        this.maxSteps = maxSteps;
        int d = layout.dim();
        int dm = d * layout.terms();
        int bt = size * maxSteps;
        index = new long[size];
        steps = new int[size];
        point = new double[size * d];
        radius = new double[size];
        stepPoints = new double[bt * d];
        prefixExpansion = new double[bt * dm];
        fixedCoefficients = new double[bt * dm];
        oracleCoefficients = new double[bt * dm];
        sampleValues = new double[bt * layout.samples() * d];
        errors = new double[bt * CorpusSchema.ERROR_NAMES.size()];
    }

    public CorpusLayout layout() {
        return layout;
    }

    /** {@code B}, the number of records. */
    public int size() {
        return size;
    }

    /** {@code T}, the largest step count in the batch (the padding length). */
    public int maxSteps() {
        return maxSteps;
    }

    public long index(int b) {
        return index[b];
    }

    public int steps(int b) {
        return steps[b];
    }

    public double radius(int b) {
        return radius[b];
    }

    /** {@code [B][d]} expansion points, flat. Read-only. */
    public double[] points() {
        return point;
    }

    /** {@code [B][T][d]} step points, flat. Read-only. */
    public double[] stepPoints() {
        return stepPoints;
    }

    /** {@code [B][T][d][M]} scaled prefix expansions, flat. Read-only. */
    public double[] prefixExpansion() {
        return prefixExpansion;
    }

    /** {@code [B][T][d][M]} fixed-T_FX coefficients, flat. Read-only. */
    public double[] fixedCoefficients() {
        return fixedCoefficients;
    }

    /** {@code [B][T][d][M]} oracle coefficients, flat. Read-only. */
    public double[] oracleCoefficients() {
        return oracleCoefficients;
    }

    /** {@code [B][T][S][d]} exact values at the sample points, flat. Read-only. */
    public double[] sampleValues() {
        return sampleValues;
    }

    /** {@code [B][T][6]} errors in the order of {@link CorpusSchema#ERROR_NAMES}, flat. Read-only. */
    public double[] errors() {
        return errors;
    }
}
