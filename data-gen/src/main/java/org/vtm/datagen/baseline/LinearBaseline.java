package org.vtm.datagen.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.CorpusSchema;
import org.vtm.datagen.PrefixExpansions;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;

/**
 * The non-sequential learned baseline: a regularised linear model from the features of a record
 * prefix to the correction {@code oracle − fixed-T_FX} of its {@code d·M} coefficients, one
 * independent linear model per output coefficient. Fitted by the Spark MLlib job
 * {@code org.vtm.spark.LinearBaselineJob}; applied here without Spark. Its file format,
 * {@value LinearBaselineFile#FORMAT}, is {@link LinearBaselineFile}'s (one JSON file, written
 * atomically; see docs/linear-baseline-format.md).
 *
 * <p><b>Normalisation.</b> Corrections scale with the size of the function, and the error that
 * matters is relative, so each prefix is normalised by {@code s_t = sqrt(mean_k a_t[k]²)} (the RMS
 * of its scaled prefix expansion; 1 if that is 0): the model predicts {@code (oracle − fixed)/s_t}
 * and the correction is {@code s_t} times the prediction. Without it the squared loss is
 * dominated by the few largest programs and the fit made the typical prefix worse.
 *
 * <p><b>Features</b> of prefix {@code t} of a record (raw, before standardisation), in this order,
 * {@code p = 2d + 3 + d·M} values:
 * <ol>
 *   <li>{@code v0[0 … d-1]}: the expansion point;</li>
 *   <li>{@code v_t[0 … d-1]}: the point step {@code t} is applied at ({@code v_0 = v0});</li>
 *   <li>{@code r}: the region radius;</li>
 *   <li>{@code a_t[out][α] / s_t}, {@code out = 0 … d-1}, {@code α} in canonical order: the
 *       normalised scaled prefix expansion, output-major (the corpus' {@code prefix_expansion});</li>
 *   <li>only with next-order terms ({@link #nextOrder()}): {@code a⁺_t[out][β] / s_t}, the
 *       degree-{@code (n+1)} scaled terms of the same prefix expansion ({@code K} per output,
 *       {@code β} in canonical order, output-major; {@link #nextOrderTerms}), the information a
 *       learned model with {@code NEXT_ORDER} inputs gets — then {@code p = 2d + 3 + d·M + d·K};</li>
 *   <li>{@code t}: the step index, 0-based;</li>
 *   <li>{@code ln s_t}.</li>
 * </ol>
 * The model standardises them, {@code z_j = (x_j − mean_j) / scale_j}, and predicts output
 * {@code k} as {@code s_t · (intercept_k + Σ_j weight[k][j] · z_j)}. Outputs are indexed like the
 * coefficient columns, {@code k = out·M + α}. Corrected coefficients are
 * {@code fixed + predicted correction}.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class LinearBaseline {
    private final int dim;
    private final int order;
    private final String family;
    private final int[][] alphas;
    private final int nextTerms;
    private final double[] mean;
    private final double[] scale;
    private final double[][] weights;
    private final double[] intercepts;
    private final double[] regParams;
    private final double[] elasticNetParams;
    private final long trainingRows;
    private final JsonNode selection;
    private final JsonNode provenance;

    /**
     * @param alphas the corpus' multi-indices ({@code M} of them, each of length {@code d})
     * @param mean per-feature mean, length {@code p}
     * @param scale per-feature divisor (standard deviation, 1 for constant features), length {@code p}
     * @param weights {@code [d·M][p]} weights on standardised features
     * @param intercepts {@code [d·M]}
     * @param regParams MLlib {@code regParam} used for each output
     * @param elasticNetParams MLlib {@code elasticNetParam} used for each output
     * @param trainingRows how many prefixes the model was fitted on
     * @param selection how the hyper-parameters were chosen (grid, cross-validation metrics), free JSON
     * @param provenance seed, corpus hash, versions, free JSON
     */
    public LinearBaseline(int dim, int order, String family, int[][] alphas, double[] mean, double[] scale,
            double[][] weights, double[] intercepts, double[] regParams, double[] elasticNetParams, long trainingRows,
            JsonNode selection, JsonNode provenance) {
        this(dim, order, family, alphas, false, mean, scale, weights, intercepts, regParams, elasticNetParams, trainingRows,
                selection, provenance);
    }

    /**
     * As above; {@code nextOrder}: the features include the degree-(n+1) terms {@code a⁺}
     * ({@code mean}, {@code scale} and each weight row then have {@code 2d+3+d·M+d·K} values).
     */
    public LinearBaseline(int dim, int order, String family, int[][] alphas, boolean nextOrder, double[] mean,
            double[] scale, double[][] weights, double[] intercepts, double[] regParams, double[] elasticNetParams,
            long trainingRows, JsonNode selection, JsonNode provenance) {
        if (dim < 1 || order < 0) {
            throw new IllegalArgumentException("dim must be >= 1 and order >= 0, got d=" + dim + ", n=" + order);
        }
        this.dim = dim;
        this.order = order;
        this.family = family;
        this.alphas = new int[alphas.length][];
        for (int i = 0; i < alphas.length; i++) {
            if (alphas[i].length != dim) {
                throw new IllegalArgumentException("multi-index " + Arrays.toString(alphas[i]) + " does not have " + dim + " entries");
            }
            this.alphas[i] = alphas[i].clone();
        }
        this.nextTerms = nextOrder ? nextTerms(dim, order) : 0;
        int p = featureCount(dim, alphas.length, this.nextTerms);
        int outputs = dim * alphas.length;
        this.mean = checked("mean", mean, p);
        this.scale = checked("scale", scale, p);
        for (int j = 0; j < p; j++) {
            if (!(scale[j] > 0)) {
                throw new IllegalArgumentException("scale[" + j + "] must be positive, got " + scale[j]);
            }
        }
        if (weights.length != outputs) {
            throw new IllegalArgumentException("weights has " + weights.length + " rows, expected d·M = " + outputs);
        }
        this.weights = new double[outputs][];
        for (int k = 0; k < outputs; k++) {
            this.weights[k] = checked("weights[" + k + "]", weights[k], p);
        }
        this.intercepts = checked("intercepts", intercepts, outputs);
        this.regParams = checked("reg_param", regParams, outputs);
        this.elasticNetParams = checked("elastic_net_param", elasticNetParams, outputs);
        this.trainingRows = trainingRows;
        this.selection = selection == null ? JsonNodeFactory.instance.objectNode() : selection.deepCopy();
        this.provenance = provenance == null ? JsonNodeFactory.instance.objectNode() : provenance.deepCopy();
    }

    private static double[] checked(String name, double[] a, int length) {
        if (a.length != length) {
            throw new IllegalArgumentException(name + " has " + a.length + " values, expected " + length);
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + a[i]);
            }
        }
        return a.clone();
    }

    // ---------------------------------------------------------------- features and targets

    /** {@code p = 2d + 3 + d·M}, the number of features without next-order terms. */
    public static int featureCount(int dim, int terms) {
        return featureCount(dim, terms, 0);
    }

    /** {@code p = 2d + 3 + d·M + d·K}, the number of features ({@code K = 0}: no next-order terms). */
    public static int featureCount(int dim, int terms, int nextTerms) {
        return 2 * dim + 3 + dim * terms + dim * nextTerms;
    }

    /** {@code K}: how many multi-indices have degree exactly {@code order+1} in {@code dim} variables. */
    public static int nextTerms(int dim, int order) {
        return MultiIndexSet.of(dim, order + 1).size() - MultiIndexSet.of(dim, order).size();
    }

    /**
     * {@code a⁺} of every prefix of {@code r}: {@code [t][out·K + j]}, the scaled terms of degree
     * exactly {@code n+1} of the prefix expansion, recomputed from the record's program, point and
     * radius by the corpus generator's {@link PrefixExpansions} (the interpreter's
     * {@code StepInputs.nextOrderTerms} computes the same values, laid out flat).
     */
    public static double[][] nextOrderTerms(CorpusRecord r) {
        int d = r.dim();
        int m = MultiIndexSet.of(d, r.order()).size();
        int up = MultiIndexSet.of(d, r.order() + 1).size();
        int k = up - m;
        PrefixExpansions walk = new PrefixExpansions(Program.parse(r.program()), r.point(), r.radius(), r.order() + 1);
        double[][] out = new double[r.steps()][d * k];
        for (int t = 0; t < out.length; t++) {
            walk.next();
            double[] a = walk.scaled();
            for (int o = 0; o < d; o++) {
                System.arraycopy(a, o * up + m, out[t], o * k, k);
            }
        }
        return out;
    }

    /** Feature names in order: {@code v0[i]}, {@code vt[i]}, {@code r}, {@code a[out][α…]} (normalised), {@code t}, {@code ln_s}. */
    public static List<String> featureNames(int dim, int[][] alphas) {
        return featureNames(dim, alphas, new int[0][]);
    }

    /** As above, with {@code a+[out][β…]} (normalised) after the {@code a} block for each of {@code nextAlphas}. */
    public static List<String> featureNames(int dim, int[][] alphas, int[][] nextAlphas) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dim; i++) {
            names.add("v0[" + i + "]");
        }
        for (int i = 0; i < dim; i++) {
            names.add("vt[" + i + "]");
        }
        names.add("r");
        for (int out = 0; out < dim; out++) {
            for (int[] alpha : alphas) {
                names.add("a[" + out + "]" + Arrays.toString(alpha).replace(" ", ""));
            }
        }
        for (int out = 0; out < dim; out++) {
            for (int[] beta : nextAlphas) {
                names.add("a+[" + out + "]" + Arrays.toString(beta).replace(" ", ""));
            }
        }
        names.add("t");
        names.add("ln_s");
        return names;
    }

    /** {@code s_t}: the RMS of a prefix expansion, or 1 if it is 0 (or not finite). */
    public static double normaliser(double[] prefixExpansion) {
        double sum = 0;
        for (double a : prefixExpansion) {
            sum += a * a;
        }
        double s = Math.sqrt(sum / prefixExpansion.length);
        return s > 0 && Double.isFinite(s) ? s : 1.0;
    }

    /**
     * Raw features of one prefix (order in the class comment).
     *
     * @param point {@code v0}, length d
     * @param stepPoint {@code v_t}, length d
     * @param radius {@code r}
     * @param prefixExpansion {@code a_t}, length d·M (not yet normalised)
     * @param step {@code t}
     */
    public static double[] features(double[] point, double[] stepPoint, double radius, double[] prefixExpansion, int step) {
        return features(point, stepPoint, radius, prefixExpansion, null, step);
    }

    /** As above; {@code next}: {@code a⁺_t} (length d·K, not yet normalised), or null without next-order terms. */
    public static double[] features(double[] point, double[] stepPoint, double radius, double[] prefixExpansion,
            double[] next, int step) {
        int d = point.length;
        if (stepPoint.length != d || prefixExpansion.length % d != 0) {
            throw new IllegalArgumentException("v0 has " + d + " coordinates, v_t " + stepPoint.length
                    + ", a_t " + prefixExpansion.length + " values (expected a multiple of d)");
        }
        if (next != null && next.length % d != 0) {
            throw new IllegalArgumentException("a+ has " + next.length + " values, expected a multiple of d=" + d);
        }
        int nk = next == null ? 0 : next.length;
        double s = normaliser(prefixExpansion);
        double[] x = new double[2 * d + 3 + prefixExpansion.length + nk];
        System.arraycopy(point, 0, x, 0, d);
        System.arraycopy(stepPoint, 0, x, d, d);
        x[2 * d] = radius;
        for (int k = 0; k < prefixExpansion.length; k++) {
            x[2 * d + 1 + k] = prefixExpansion[k] / s;
        }
        for (int k = 0; k < nk; k++) {
            x[2 * d + 1 + prefixExpansion.length + k] = next[k] / s;
        }
        x[x.length - 2] = step;
        x[x.length - 1] = Math.log(s);
        return x;
    }

    /** Raw features of prefix {@code t} of {@code r}, without next-order terms. */
    public static double[] features(CorpusRecord r, int t) {
        return features(r, t, null);
    }

    /** Raw features of prefix {@code t} of {@code r}; {@code next}: {@link #nextOrderTerms}{@code (r)}, or null without. */
    public static double[] features(CorpusRecord r, int t, double[][] next) {
        return features(r.unsafePoint(), r.unsafeStepArray(CorpusSchema.STEP_POINTS)[t], r.radius(),
                r.unsafeStepArray(CorpusSchema.PREFIX_EXPANSION)[t], next == null ? null : next[t], t);
    }

    /** The training target of prefix {@code t}: {@code (oracle − fixed) / s_t}, length d·M. */
    public static double[] target(CorpusRecord r, int t) {
        double[] oracle = r.unsafeStepArray(CorpusSchema.ORACLE_COEFFICIENTS)[t];
        double[] fixed = r.unsafeStepArray(CorpusSchema.FIXED_COEFFICIENTS)[t];
        double s = normaliser(r.unsafeStepArray(CorpusSchema.PREFIX_EXPANSION)[t]);
        double[] y = new double[oracle.length];
        for (int k = 0; k < y.length; k++) {
            y[k] = (oracle[k] - fixed[k]) / s;
        }
        return y;
    }

    // ---------------------------------------------------------------- prediction

    /** The model's output for raw features {@code x} (length p): the correction divided by {@code s_t}. */
    public double[] predictNormalised(double[] x) {
        int p = mean.length;
        if (x.length != p) {
            throw new IllegalArgumentException("features have " + x.length + " values, this model expects " + p
                    + " (d=" + dim + ", M=" + alphas.length + ", K=" + nextTerms + ")");
        }
        double[] z = new double[p];
        for (int j = 0; j < p; j++) {
            z[j] = (x[j] - mean[j]) / scale[j];
        }
        double[] y = new double[weights.length];
        for (int k = 0; k < y.length; k++) {
            double s = intercepts[k];
            double[] w = weights[k];
            for (int j = 0; j < p; j++) {
                s += w[j] * z[j];
            }
            y[k] = s;
        }
        return y;
    }

    /**
     * Corrected coefficients {@code fixed + predicted correction} for prefix {@code t} of {@code r}.
     * A model with next-order terms recomputes {@code a⁺} of the whole program on every call;
     * callers that go through every prefix compute {@link #nextOrderTerms} once and use the
     * three-argument form.
     */
    public double[] correctedCoefficients(CorpusRecord r, int t) {
        return correctedCoefficients(r, t, nextOrder() ? nextOrderTerms(r) : null);
    }

    /** As above with {@code next = }{@link #nextOrderTerms}{@code (r)} (ignored, may be null, without next-order terms). */
    public double[] correctedCoefficients(CorpusRecord r, int t, double[][] next) {
        requireCompatible(r);
        if (nextOrder() && next == null) {
            throw new IllegalArgumentException("this baseline was fitted with next-order terms a+; they are required");
        }
        double[] fixed = r.unsafeStepArray(CorpusSchema.FIXED_COEFFICIENTS)[t];
        double[] c = predictCorrection(r.unsafePoint(), r.unsafeStepArray(CorpusSchema.STEP_POINTS)[t], r.radius(),
                r.unsafeStepArray(CorpusSchema.PREFIX_EXPANSION)[t], nextOrder() ? next[t] : null, t);
        for (int k = 0; k < c.length; k++) {
            c[k] += fixed[k];
        }
        return c;
    }

    /** The predicted correction (length d·M) of one prefix: {@code s_t · predictNormalised(features)}. */
    public double[] predictCorrection(double[] point, double[] stepPoint, double radius, double[] prefixExpansion, int step) {
        return predictCorrection(point, stepPoint, radius, prefixExpansion, null, step);
    }

    /** As above; {@code next}: {@code a⁺_t} (length d·K) for a model with next-order terms, else null. */
    public double[] predictCorrection(double[] point, double[] stepPoint, double radius, double[] prefixExpansion,
            double[] next, int step) {
        double s = normaliser(prefixExpansion);
        double[] y = predictNormalised(features(point, stepPoint, radius, prefixExpansion, next, step));
        for (int k = 0; k < y.length; k++) {
            y[k] *= s;
        }
        return y;
    }

    private void requireCompatible(CorpusRecord r) {
        if (r.dim() != dim || r.order() != order || !r.family().equals(family)) {
            throw new IllegalArgumentException("record " + r.index() + " has d=" + r.dim() + ", n=" + r.order() + ", "
                    + r.family() + "; this model was fitted on d=" + dim + ", n=" + order + ", " + family);
        }
    }

    // ---------------------------------------------------------------- accessors

    public int dim() {
        return dim;
    }

    public int order() {
        return order;
    }

    public String family() {
        return family;
    }

    /** Whether the features include the degree-(n+1) terms {@code a⁺} (fitted with {@code --next-order}). */
    public boolean nextOrder() {
        return nextTerms > 0;
    }

    /** {@code K}, the next-order terms per output in the features (0 without them). */
    public int nextTerms() {
        return nextTerms;
    }

    /** {@code M}. */
    public int terms() {
        return alphas.length;
    }

    /** The corpus' multi-indices, {@code M} of them in canonical order, each of length {@code d} (copies). */
    public int[][] alphas() {
        int[][] a = new int[alphas.length][];
        for (int i = 0; i < a.length; i++) {
            a[i] = alphas[i].clone();
        }
        return a;
    }

    /** {@code p}. */
    public int featureCount() {
        return mean.length;
    }

    /** {@code d·M}. */
    public int outputCount() {
        return weights.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] scale() {
        return scale.clone();
    }

    /** Weights of output {@code k} on standardised features. */
    public double[] weights(int k) {
        return weights[k].clone();
    }

    public double intercept(int k) {
        return intercepts[k];
    }

    public double regParam(int k) {
        return regParams[k];
    }

    public double elasticNetParam(int k) {
        return elasticNetParams[k];
    }

    public long trainingRows() {
        return trainingRows;
    }

    public JsonNode selection() {
        return selection.deepCopy();
    }

    public JsonNode provenance() {
        return provenance.deepCopy();
    }
}
