package org.vtm.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
        double maxAbs) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

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

    public GeneratorConfig {
        Objects.requireNonNull(family, "family");
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
            if (!ProgramGenerator.OPERATORS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown operator '" + e.getKey() + "' in the operator mix; valid: "
                        + ProgramGenerator.OPERATORS);
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

    /** The configuration as JSON with a fixed key order (hashed for resumption). */
    public JsonNode toJson() {
        var node = Manifest.JSON.createObjectNode();
        node.put("dim", dim).put("order", order).put("family", family).put("min_steps", minSteps)
                .put("max_steps", maxSteps).put("depth", depth);
        var ops = node.putObject("operators");
        ProgramGenerator.OPERATORS.stream().filter(operators::containsKey).forEach(k -> ops.put(k, operators.get(k)));
        node.put("constant_min", constantMin).put("constant_max", constantMax).put("point_min", pointMin)
                .put("point_max", pointMax).put("radius_min", radiusMin).put("radius_max", radiusMax)
                .put("max_abs", maxAbs);
        return node;
    }
}
