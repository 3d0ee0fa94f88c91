package org.vtm.datagen;

import java.util.Arrays;
import java.util.Objects;

/**
 * One program of a corpus with everything the learned interpreter and the evaluation need about
 * it (field by field in docs/corpus-format.md). Per-step arrays are indexed by the prefix
 * {@code t = 0 … steps-1}: entry {@code t} describes the prefix program {@code p_t ∘ … ∘ p_0}.
 *
 * <p>Immutable: the constructor copies every array and the accessors return copies. The hot
 * training path does not use this class; it reads {@link CorpusBatch}es.
 *
 * @param index the record index {@code i}; the record depends only on (seed, i)
 * @param program the program text (design §5 language)
 * @param dim {@code d}, the input (and step output) dimension
 * @param order {@code n}, the expansion order
 * @param family the function family of {@code F}
 * @param rejectedBefore how many drawn programs were rejected before this one was accepted
 * @param point the expansion point {@code v0}, length d
 * @param radius the region radius {@code r}: the region is {@code v0 + r·[-1,1]^d}
 * @param stepPoints {@code [steps][d]}: {@code v_t}, the point step {@code t} is applied at
 * @param prefixExpansion {@code [steps][d*M]}: {@code a_t}, scaled Taylor coefficients
 *     {@code c[i][α]·r^|α|} of the prefix program at {@code v0}, output-major
 * @param fixedCoefficients {@code [steps][d*M]}: {@code T_FX · a_t}
 * @param oracleCoefficients {@code [steps][d*M]}: least-squares coefficients in F over the region
 * @param sampleValues {@code [steps][S*d]}: the prefix program's exact values at the S sample
 *     points (point-major)
 * @param errors {@code [steps][6]}: relative L2 and max-abs errors of Taylor, fixed T_FX and
 *     oracle over the sample points, in the order of {@link CorpusSchema#ERROR_NAMES}
 * @param programFamily the {@link ProgramFamily} label of the program ({@code random} for every
 *     record of a format-1 corpus)
 * @param poleDistance {@code ρ}: for a {@link ProgramFamily#RATIONAL} program the max-norm distance
 *     from {@code v0} to its nearest singularity (its pole hyperplane); NaN for other families
 * @param poleRatio {@code r/ρ} for a rational program (the geometric rate at which its Taylor tail
 *     decays over the region); NaN for other families
 */
public record CorpusRecord(
        long index,
        String program,
        int dim,
        int order,
        String family,
        int rejectedBefore,
        double[] point,
        double radius,
        double[][] stepPoints,
        double[][] prefixExpansion,
        double[][] fixedCoefficients,
        double[][] oracleCoefficients,
        double[][] sampleValues,
        double[][] errors,
        String programFamily,
        double poleDistance,
        double poleRatio) {

    /** A record of a {@link ProgramFamily#RANDOM} program (no pole recorded), as format 1 stores them. */
    public CorpusRecord(long index, String program, int dim, int order, String family, int rejectedBefore, double[] point,
            double radius, double[][] stepPoints, double[][] prefixExpansion, double[][] fixedCoefficients,
            double[][] oracleCoefficients, double[][] sampleValues, double[][] errors) {
        this(index, program, dim, order, family, rejectedBefore, point, radius, stepPoints, prefixExpansion,
                fixedCoefficients, oracleCoefficients, sampleValues, errors, ProgramFamily.RANDOM.label(), Double.NaN,
                Double.NaN);
    }

    public CorpusRecord {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(programFamily, "programFamily");
        Objects.requireNonNull(family, "family");
        point = point.clone();
        stepPoints = deepCopy(stepPoints);
        prefixExpansion = deepCopy(prefixExpansion);
        fixedCoefficients = deepCopy(fixedCoefficients);
        oracleCoefficients = deepCopy(oracleCoefficients);
        sampleValues = deepCopy(sampleValues);
        errors = deepCopy(errors);
        int steps = prefixExpansion.length;
        if (steps == 0) {
            throw new IllegalArgumentException("record " + index + ": a program has at least one step");
        }
        for (double[][] perStep : new double[][][] {stepPoints, fixedCoefficients, oracleCoefficients, sampleValues, errors}) {
            if (perStep.length != steps) {
                throw new IllegalArgumentException("record " + index + ": per-step arrays disagree on the step count ("
                        + steps + " prefix expansions, " + perStep.length + " entries elsewhere)");
            }
        }
        if (point.length != dim) {
            throw new IllegalArgumentException("record " + index + ": point has " + point.length + " coordinates, dim is " + dim);
        }
    }

    /** The number of steps of the program. */
    public int steps() {
        return prefixExpansion.length;
    }

    @Override
    public double[] point() {
        return point.clone();
    }

    @Override
    public double[][] stepPoints() {
        return deepCopy(stepPoints);
    }

    @Override
    public double[][] prefixExpansion() {
        return deepCopy(prefixExpansion);
    }

    @Override
    public double[][] fixedCoefficients() {
        return deepCopy(fixedCoefficients);
    }

    @Override
    public double[][] oracleCoefficients() {
        return deepCopy(oracleCoefficients);
    }

    @Override
    public double[][] sampleValues() {
        return deepCopy(sampleValues);
    }

    @Override
    public double[][] errors() {
        return deepCopy(errors);
    }

    /**
     * Per-step array {@code column} without copying, for writers and per-prefix hot loops (the
     * linear baseline's features). A read-only view: the caller must not modify it (the record is
     * otherwise immutable; the copying accessors such as {@link #prefixExpansion()} are the safe way).
     */
    public double[][] unsafeStepArray(String column) {
        switch (column) {
            case CorpusSchema.STEP_POINTS: return stepPoints;
            case CorpusSchema.PREFIX_EXPANSION: return prefixExpansion;
            case CorpusSchema.FIXED_COEFFICIENTS: return fixedCoefficients;
            case CorpusSchema.ORACLE_COEFFICIENTS: return oracleCoefficients;
            case CorpusSchema.SAMPLE_VALUES: return sampleValues;
            case CorpusSchema.ERRORS: return errors;
            default: throw new IllegalArgumentException("no per-step column " + column);
        }
    }

    /** {@link #point()} without copying; a read-only view, as {@link #unsafeStepArray}. */
    public double[] unsafePoint() {
        return point;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CorpusRecord r)) {
            return false;
        }
        return index == r.index && dim == r.dim && order == r.order && rejectedBefore == r.rejectedBefore
                && Double.compare(radius, r.radius) == 0 && program.equals(r.program) && family.equals(r.family)
                && Arrays.equals(point, r.point) && Arrays.deepEquals(stepPoints, r.stepPoints)
                && Arrays.deepEquals(prefixExpansion, r.prefixExpansion)
                && Arrays.deepEquals(fixedCoefficients, r.fixedCoefficients)
                && Arrays.deepEquals(oracleCoefficients, r.oracleCoefficients)
                && Arrays.deepEquals(sampleValues, r.sampleValues) && Arrays.deepEquals(errors, r.errors)
                && programFamily.equals(r.programFamily) && Double.compare(poleDistance, r.poleDistance) == 0
                && Double.compare(poleRatio, r.poleRatio) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, program, dim, order, family, Arrays.hashCode(point), radius);
    }

    @Override
    public String toString() {
        return "CorpusRecord[" + index + ": " + program + ", d=" + dim + ", n=" + order + ", " + family
                + ", v0=" + Arrays.toString(point) + ", r=" + radius + ", steps=" + steps() + ", " + programFamily
                + (Double.isNaN(poleDistance) ? "" : ", ρ=" + poleDistance + ", r/ρ=" + poleRatio) + "]";
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
