package org.vtm.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vtm.transforms.BasisBudget;
import org.vtm.transforms.ExpansionBudget;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.Oracle;

/**
 * Everything that decides a corpus, besides the seed. Recorded in the manifest, and hashed to
 * decide whether an interrupted run's shards can be reused.
 *
 * @param dim {@code d}: every step maps {@code R^d -> R^d}
 * @param order {@code n}, the expansion order
 * @param family the function family of {@code F}
 * @param minSteps fewest steps of a program
 * @param maxSteps most steps of a program
 * @param depth the largest expression depth of one output of a step (a variable or constant is depth 0)
 * @param operators relative weights of the operators drawn for inner expression nodes; keys are
 *     {@code + - * / ^} and the function names of the program language, plus {@code if}
 * @param constantMin smallest constant drawn
 * @param constantMax largest constant drawn
 * @param pointMin smallest coordinate of an expansion point {@code v0}
 * @param pointMax largest coordinate of an expansion point
 * @param radiusMin smallest region radius
 * @param radiusMax largest region radius
 * @param maxAbs programs whose values or Taylor coefficients exceed this anywhere on the sample
 *     points are rejected (as are non-finite ones)
 * @param programFamily the family of the programs drawn ({@link ProgramFamily}); {@code depth},
 *     {@code operators} and the constant range shape {@link ProgramFamily#RANDOM} programs only
 * @param poleRatioMin smallest {@code r/ρ} (region radius over pole distance) of
 *     {@link ProgramFamily#RATIONAL} programs; {@code 0 < poleRatioMin <= poleRatioMax < 1}
 * @param poleRatioMax largest {@code r/ρ} of {@link ProgramFamily#RATIONAL} programs
 */
public record GeneratorConfig(
        int dim,
        int order,
        String family,
        int minSteps,
        int maxSteps,
        int depth,
        Map<String, Double> operators,
        double constantMin,
        double constantMax,
        double pointMin,
        double pointMax,
        double radiusMin,
        double radiusMax,
        double maxAbs,
        ProgramFamily programFamily,
        double poleRatioMin,
        double poleRatioMax) implements java.io.Serializable {
    private static final long serialVersionUID = 2L; // 2: program families

    /** Every operator a mix may name, in the order the configuration's JSON lists them. */
    public static final List<String> OPERATORS = List.of("+", "-", "*", "/", "^", "sin", "cos", "tan", "exp", "log",
            "sqrt", "tanh", "sigmoid", "sinh", "cosh", "atan", "softplus", "if");

    /** The default operator mix: arithmetic-heavy, every elementary function present. */
    public static Map<String, Double> defaultOperators() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("+", 3.0);
        m.put("-", 2.0);
        m.put("*", 3.0);
        m.put("/", 1.0);
        m.put("^", 0.5);
        for (String f : new String[] {"sin", "cos", "tanh", "exp", "sigmoid", "atan", "softplus"}) {
            m.put(f, 0.6);
        }
        for (String f : new String[] {"tan", "log", "sqrt", "sinh", "cosh"}) {
            m.put(f, 0.15);
        }
        m.put("if", 0.2);
        return m;
    }

    /** Defaults for everything but the corpus shape. */
    public static GeneratorConfig defaults(int dim, int order, String family, int minSteps, int maxSteps) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, 3, defaultOperators(),
                -2.0, 2.0, -1.0, 1.0, 0.1, 0.5, 1e6);
    }

    /** A configuration of {@link ProgramFamily#RANDOM} programs (the generator of corpus format 1). */
    public GeneratorConfig(int dim, int order, String family, int minSteps, int maxSteps, int depth,
            Map<String, Double> operators, double constantMin, double constantMax, double pointMin, double pointMax,
            double radiusMin, double radiusMax, double maxAbs) {
        this(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax, pointMin, pointMax,
                radiusMin, radiusMax, maxAbs, ProgramFamily.RANDOM, ProgramFamily.DEFAULT_POLE_RATIO_MIN,
                ProgramFamily.DEFAULT_POLE_RATIO_MAX);
    }

    public GeneratorConfig {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(programFamily, "programFamily");
        checkPoleRatio(poleRatioMin, poleRatioMax);
        operators = Map.copyOf(new LinkedHashMap<>(operators));
        if (dim < 1) {
            throw new IllegalArgumentException("--dim must be at least 1, got " + dim);
        }
        if (order < 0) {
            throw new IllegalArgumentException("--order must be non-negative, got " + order);
        }
        if (minSteps < 1 || maxSteps < minSteps) {
            throw new IllegalArgumentException("--steps must be a range a..b with 1 <= a <= b, got " + minSteps + ".." + maxSteps);
        }
        if (depth < 1 || depth > 12) {
            throw new IllegalArgumentException("--depth must be in 1..12, got " + depth);
        }
        if (!(constantMin <= constantMax) || !(pointMin <= pointMax)) {
            throw new IllegalArgumentException("constant and point ranges need min <= max");
        }
        if (!(radiusMin > 0) || !(radiusMin <= radiusMax) || !Double.isFinite(radiusMax)) {
            throw new IllegalArgumentException("--radius must be a range a..b with 0 < a <= b, got " + radiusMin + ".." + radiusMax);
        }
        if (!(maxAbs > 0)) {
            throw new IllegalArgumentException("maxAbs must be positive, got " + maxAbs);
        }
        double total = 0;
        for (Map.Entry<String, Double> e : operators.entrySet()) {
            if (!OPERATORS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown operator '" + e.getKey() + "' in the operator mix; valid: "
                        + OPERATORS);
            }
            if (!(e.getValue() >= 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("operator weight for '" + e.getKey() + "' must be finite and >= 0, got " + e.getValue());
            }
            total += e.getValue();
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the operator mix has no positive weight");
        }
    }

    // ---------------------------------------------------------------- one field changed
    // Each returns a copy with one field replaced, validated like any configuration.

    /** This configuration with {@code dim} replaced. */
    public GeneratorConfig withDim(int dim) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code order} replaced. */
    public GeneratorConfig withOrder(int order) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code family} replaced. */
    public GeneratorConfig withFamily(String family) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code minSteps} replaced. */
    public GeneratorConfig withMinSteps(int minSteps) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code maxSteps} replaced. */
    public GeneratorConfig withMaxSteps(int maxSteps) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code depth} replaced. */
    public GeneratorConfig withDepth(int depth) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code operators} replaced. */
    public GeneratorConfig withOperators(Map<String, Double> operators) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code constantMin} replaced. */
    public GeneratorConfig withConstantMin(double constantMin) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code constantMax} replaced. */
    public GeneratorConfig withConstantMax(double constantMax) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code pointMin} replaced. */
    public GeneratorConfig withPointMin(double pointMin) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code pointMax} replaced. */
    public GeneratorConfig withPointMax(double pointMax) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code radiusMin} replaced. */
    public GeneratorConfig withRadiusMin(double radiusMin) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code radiusMax} replaced. */
    public GeneratorConfig withRadiusMax(double radiusMax) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code maxAbs} replaced. */
    public GeneratorConfig withMaxAbs(double maxAbs) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with the program family replaced (the r/ρ range is kept). */
    public GeneratorConfig withProgramFamily(ProgramFamily programFamily) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code poleRatioMin} replaced. */
    public GeneratorConfig withPoleRatioMin(double poleRatioMin) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with {@code poleRatioMax} replaced. */
    public GeneratorConfig withPoleRatioMax(double poleRatioMax) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /** This configuration with the r/ρ range of {@link ProgramFamily#RATIONAL} programs replaced (both ends at once). */
    public GeneratorConfig withPoleRatio(double poleRatioMin, double poleRatioMax) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /**
     * Refuses an r/ρ range that is not {@code 0 < min <= max < 1}: at {@code r/ρ >= 1} the pole
     * would lie in the region (the program is not finite there), at 0 there is no pole.
     *
     * @throws IllegalArgumentException naming the option and what is expected
     */
    public static void checkPoleRatio(double min, double max) {
        if (!(min > 0) || !(min <= max) || !(max < 1)) {
            throw new IllegalArgumentException("--pole-ratio must be a range a..b with 0 < a <= b < 1 (r/ρ: region radius "
                    + "over the distance of the pole from the expansion point), got " + min + ".." + max);
        }
    }

    /** This configuration with the step range {@code minSteps..maxSteps} replaced (both ends at once). */
    public GeneratorConfig withSteps(int minSteps, int maxSteps) {
        return new GeneratorConfig(dim, order, family, minSteps, maxSteps, depth, operators, constantMin, constantMax,
                pointMin, pointMax, radiusMin, radiusMax, maxAbs, programFamily, poleRatioMin, poleRatioMax);
    }

    /**
     * The bytes generating records with this configuration holds, in saturating long arithmetic:
     * <ul>
     *   <li>once: the index tables, {@code T_XF}/{@code T_FX} and the oracle
     *       ({@link ExpansionBudget#basisBytes}) and the basis and monomial values at the
     *       {@code S} oracle points ({@code 2·S·M} doubles);</li>
     *   <li>per thread computing records: the program's expansions at the {@code S} points
     *       ({@code S·d·M} doubles) and a composition's monomial table ({@code M²} doubles);</li>
     *   <li>per record in flight (computed but not yet written, counted three times: the record,
     *       the Arrow vectors of its batch and their growth): {@code maxSteps · (d + 3·d·M + S·d + 6)}
     *       doubles.</li>
     * </ul>
     *
     * @param threads threads computing records
     * @param recordsInFlight records held before they are written (a record batch)
     */
    public long bytesNeeded(int threads, int recordsInFlight) {
        checkCounts(threads, recordsInFlight);
        long m = BasisBudget.monomialCount(dim, order);
        long s = Oracle.defaultPointCount(m);
        long fixed = ExpansionBudget.plus(BasisBudget.basisBytes(functionFamily(), dim, order, true),
                ExpansionBudget.times(ExpansionBudget.doubles(s, m), 2));
        long perThread = ExpansionBudget.plus(ExpansionBudget.doubles(ExpansionBudget.times(s, dim), m),
                ExpansionBudget.doubles(m, m));
        long perRecord = recordBytes(m, s);
        return ExpansionBudget.plus(fixed, ExpansionBudget.plus(ExpansionBudget.times(perThread, threads),
                ExpansionBudget.times(perRecord, 3L * recordsInFlight)));
    }

    /**
     * Refuses, before anything is allocated, a configuration whose generation would exceed the
     * expansion budget ({@link ExpansionBudget#defaultBytes()}) or a Java array; see
     * {@link #bytesNeeded} for what is counted. Cheap: nothing is built.
     *
     * @throws ExpansionBudget.Exceeded naming d, n, the family, the sizes, the budget and how to raise it
     */
    public void checkBudget(int threads, int recordsInFlight) {
        long bytes = bytesNeeded(threads, recordsInFlight);
        long m = BasisBudget.monomialCount(dim, order);
        long s = Oracle.defaultPointCount(m);
        long largest = Math.max(ExpansionBudget.times(m, m), ExpansionBudget.times(s, m));
        ExpansionBudget.check(bytes, largest, ExpansionBudget.defaultBytes(), String.format(java.util.Locale.ROOT,
                "corpus generation for d=%d, n=%d, family %s (M=%d coefficients per output; T_XF, T_FX: %d × %d doubles; "
                        + "oracle: %d × %d; per record up to %d steps of %d doubles; %d thread(s), %d records in flight)",
                dim, order, family, m, m, m, s, m, maxSteps, perStepDoubles(m, s), threads, recordsInFlight));
    }

    /** {@link #checkBudget(int, int)} for one thread and the default record batch. */
    public void checkBudget() {
        checkBudget(1, ShardWriter.DEFAULT_BATCH_RECORDS);
    }

    private long perStepDoubles(long m, long s) {
        long dm = ExpansionBudget.times(dim, m);
        return ExpansionBudget.plus(ExpansionBudget.plus(dim + 6L, ExpansionBudget.times(dm, 3)), ExpansionBudget.times(s, dim));
    }

    private long recordBytes(long m, long s) {
        return ExpansionBudget.times(ExpansionBudget.times(perStepDoubles(m, s), maxSteps), Double.BYTES);
    }

    private static void checkCounts(int threads, int recordsInFlight) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (recordsInFlight < 1) {
            throw new IllegalArgumentException("records in flight must be at least 1, got " + recordsInFlight);
        }
    }

    private FunctionFamily functionFamily() {
        return FunctionFamily.byName(family);
    }

    /** The configuration as JSON with a fixed key order (hashed for resumption). */
    public JsonNode toJson() {
        var node = Manifest.JSON.createObjectNode();
        node.put("dim", dim).put("order", order).put("family", family).put("min_steps", minSteps)
                .put("max_steps", maxSteps).put("depth", depth);
        var ops = node.putObject("operators");
        OPERATORS.stream().filter(operators::containsKey).forEach(k -> ops.put(k, operators.get(k)));
        node.put("constant_min", constantMin).put("constant_max", constantMax).put("point_min", pointMin)
                .put("point_max", pointMax).put("radius_min", radiusMin).put("radius_max", radiusMax)
                .put("max_abs", maxAbs);
        node.put("program_family", programFamily.label());
        if (programFamily.hasPole()) {
            node.put("pole_ratio_min", poleRatioMin).put("pole_ratio_max", poleRatioMax);
        }
        return node;
    }
}
