package org.vtm.evaluation.heldout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.ErrorColumn;
import org.vtm.interpreter.LearnedInterpreter;
import org.vtm.interpreter.ModelConfig;
import org.vtm.transforms.ErrorMetrics;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Program;

/**
 * The one held-out evaluator: the relative L2 error, pooled over outputs at a corpus' sample
 * points, of each compared method on each scored prefix of each program of a corpus. Every command,
 * report and stage that compares methods on a corpus uses it ({@code vtm evaluate},
 * {@code vtm evaluate-model}, {@code vtm baseline}, the pipeline's evaluate stage).
 *
 * <p>Methods are named; a method's error is either a column the corpus already holds
 * ({@link ErrorColumn}: Taylor, fixed {@code T_FX}, oracle), or computed from the F-coefficients it
 * gives for a prefix, {@code values = Φ·c} with {@code Φ} the corpus' {@link FunctionSet#designMatrix
 * design matrix}, or from a learned model (programs longer than its step encoding are not scored
 * for it and are counted).
 *
 * <pre>{@code
 * HeldOutEvaluator.Errors e = HeldOutEvaluator.open(corpus)
 *         .corpusColumn("fixed", ErrorColumn.FIXED_REL_L2)
 *         .learned("learned", model)
 *         .evaluate(HeldOutEvaluator.Scope.PROGRAMS, null);
 * double m = e.median("learned");
 * }</pre>
 */
public final class HeldOutEvaluator {
    /** Report names of the methods every evaluation uses. */
    public static final String TAYLOR = "taylor";
    public static final String FIXED = "fixed";
    public static final String BASELINE = "baseline";
    public static final String ORACLE = "oracle";

    /** Programs whose learned coefficients are computed in one batch (and between progress reports). */
    static final int CHUNK = 100;

    /** Which prefixes of each program are scored. */
    public enum Scope {
        /** The last prefix: the whole program. */
        PROGRAMS,
        /** Every prefix {@code t = 0 … steps−1}. */
        PREFIXES
    }

    /** F-coefficients ({@code d·M}, output-major) a method gives for prefix {@code step} of a record. */
    @FunctionalInterface
    public interface Coefficients {
        double[] of(CorpusRecord record, int step);
    }

    /** Progress: {@code done} of {@code total} programs evaluated. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    private sealed interface Method permits Column, Computed, Learned, Taylor {
        String name();
    }

    private record Column(String name, ErrorColumn column) implements Method {
    }

    private record Computed(String name, Coefficients coefficients) implements Method {
    }

    private record Learned(String name, LearnedInterpreter model) implements Method {
    }

    /** The scaled Taylor polynomial itself (monomial coefficients {@code a}), not a series in F. */
    private record Taylor(String name) implements Method {
    }

    private final Path directory;
    private final CorpusLayout layout;
    private final List<CorpusRecord> records;
    private final FunctionSet set;
    private final double[] phi;
    private final List<Method> methods = new ArrayList<>();
    private EvaluationPoints points;
    private double[] phiPoints;
    private double[] monoPoints;
    private double[] monoSamples;

    private HeldOutEvaluator(Path directory, CorpusLayout layout, List<CorpusRecord> records) {
        this.directory = directory;
        this.layout = layout;
        this.records = records;
        this.set = FunctionSet.of(FunctionFamily.byName(layout.family()), layout.dim(), layout.order());
        this.phi = set.designMatrix(layout.samplePoints());
    }

    /**
     * An evaluator over every record of the corpus in {@code dir}, with no methods yet.
     *
     * @throws IllegalArgumentException if the corpus has no records
     */
    public static HeldOutEvaluator open(Path dir) throws IOException {
        return of(CorpusReader.open(dir));
    }

    /** As {@link #open} for a corpus already opened. */
    public static HeldOutEvaluator of(CorpusReader corpus) throws IOException {
        List<CorpusRecord> records = corpus.records(CorpusFilter.ALL);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("corpus " + corpus.directory() + " has no records");
        }
        return new HeldOutEvaluator(corpus.directory(), corpus.layout(), records);
    }

    public CorpusLayout layout() {
        return layout;
    }

    /** The corpus' records, in corpus order. */
    public List<CorpusRecord> records() {
        return records;
    }

    /** The corpus' function set (the set its coefficients are in). */
    public FunctionSet functionSet() {
        return set;
    }

    /**
     * Measures every error at {@code p}, points independent of the corpus' sample points, against the
     * program executed there (weighted relative L2 and max-abs error). Corpus error columns then
     * become the coefficients they were computed from (fixed, oracle, Taylor), re-scored at the points;
     * a program whose exact values are not finite at some point is not scored (and is counted).
     */
    public HeldOutEvaluator at(EvaluationPoints p) {
        this.points = Objects.requireNonNull(p, "points");
        this.phiPoints = set.designMatrix(p.unsafePoints());
        this.monoPoints = monomials(p.unsafePoints());
        return this;
    }

    /** The points errors are measured at, or null for the corpus' sample points. */
    public EvaluationPoints points() {
        return points;
    }

    /** Adds the Taylor polynomial (the corpus' scaled monomial coefficients), scored as itself. */
    public HeldOutEvaluator taylor(String name) {
        return add(new Taylor(name));
    }

    /** Adds a method whose error the corpus already holds. */
    public HeldOutEvaluator corpusColumn(String name, ErrorColumn column) {
        return add(new Column(name, Objects.requireNonNull(column, "column")));
    }

    /** Adds a method given by its F-coefficients for each prefix. */
    public HeldOutEvaluator coefficients(String name, Coefficients coefficients) {
        return add(new Computed(name, Objects.requireNonNull(coefficients, "coefficients")));
    }

    /**
     * Adds a learned interpreter.
     *
     * @throws IllegalArgumentException if the model is for another family, dimension or order than the corpus
     */
    public HeldOutEvaluator learned(String name, LearnedInterpreter model) {
        ModelConfig c = model.config();
        requireCompatible("model " + name, c.family(), c.dim(), c.order());
        return add(new Learned(name, model));
    }

    /** Refuses a method fitted on another family, dimension or order than this corpus; {@code what} names it. */
    public void requireCompatible(String what, String family, int dim, int order) {
        if (!family.equals(layout.family()) || dim != layout.dim() || order != layout.order()) {
            throw new IllegalArgumentException(what + " is for " + family + " d=" + dim + " n=" + order + "; corpus "
                    + directory + " has " + layout.family() + " d=" + layout.dim() + " n=" + layout.order());
        }
    }

    private HeldOutEvaluator add(Method m) {
        Objects.requireNonNull(m.name(), "name");
        for (Method other : methods) {
            if (other.name().equals(m.name())) {
                throw new IllegalArgumentException("method '" + m.name() + "' is already being evaluated");
            }
        }
        methods.add(m);
        return this;
    }

    /** Scores every method on the prefixes {@code scope} selects; {@code progress} may be null. */
    public Errors evaluate(Scope scope, Progress progress) {
        List<String> names = methods.stream().map(Method::name).toList();
        List<Method> methods = this.methods.stream().map(this::resolved).toList();
        List<Row> rows = new ArrayList<>();
        int[] beyond = new int[methods.size()];
        int nonFinite = 0;
        int d = layout.dim();
        for (int from = 0; from < records.size(); from += CHUNK) {
            List<CorpusRecord> chunk = records.subList(from, Math.min(records.size(), from + CHUNK));
            double[][][][] truths = new double[chunk.size()][][][];
            for (int i = 0; i < chunk.size(); i++) {
                truths[i] = truth(chunk.get(i), scope);
            }
            double[][][][] learned = new double[methods.size()][][][];
            for (int j = 0; j < methods.size(); j++) {
                if (methods.get(j) instanceof Learned l) {
                    learned[j] = learnedErrors(l.model(), chunk, scope, truths);
                }
            }
            for (int i = 0; i < chunk.size(); i++) {
                CorpusRecord r = chunk.get(i);
                int first = scope == Scope.PROGRAMS ? r.steps() - 1 : 0;
                if (truths[i] == null) {
                    nonFinite++;
                    continue;
                }
                for (int t = first; t < r.steps(); t++) {
                    double[] e = new double[methods.size()];
                    double[] linf = new double[methods.size()];
                    boolean[] scored = new boolean[methods.size()];
                    double[] truth = truths[i][t - first][0];
                    for (int j = 0; j < methods.size(); j++) {
                        Method m = methods.get(j);
                        double[] em;
                        if (m instanceof Column c) {
                            em = new double[] {c.column().of(r, t), Double.NaN};
                        } else if (m instanceof Computed c) {
                            em = error(c.coefficients().of(r, t), truth, d);
                        } else if (m instanceof Taylor) {
                            em = taylorError(r.prefixExpansion()[t], truth, d);
                        } else {
                            double[][] le = learned[j][i];
                            em = le == null ? null : le[t - first];
                        }
                        scored[j] = em != null;
                        e[j] = em == null ? Double.NaN : em[0];
                        linf[j] = em == null ? Double.NaN : em[1];
                        if (!scored[j] && t == first) {
                            beyond[j]++;
                        }
                    }
                    rows.add(new Row(r, t, e, scored, linf));
                }
            }
            if (progress != null) {
                progress.update(from + chunk.size(), records.size());
            }
        }
        Map<String, Integer> unscored = new LinkedHashMap<>();
        for (int j = 0; j < methods.size(); j++) {
            unscored.put(names.get(j), beyond[j]);
        }
        return new Errors(names, rows, unscored, nonFinite);
    }

    /** A corpus column as the coefficients it was computed from, when errors are measured at independent points. */
    private Method resolved(Method m) {
        if (points == null || !(m instanceof Column c)) {
            return m;
        }
        return switch (c.column()) {
            case FIXED_REL_L2 -> new Computed(c.name(), (r, t) -> r.fixedCoefficients()[t]);
            case ORACLE_REL_L2 -> new Computed(c.name(), (r, t) -> r.oracleCoefficients()[t]);
            case TAYLOR_REL_L2 -> new Taylor(c.name());
            default -> throw new IllegalArgumentException("corpus column " + c.column() + " (method '" + c.name()
                    + "') holds an error at the sample points only; at independent points use a relative-L2 column");
        };
    }

    /**
     * The exact values of each scored prefix {@code [t − first][0]} ({@code [point·d + out]}) at the
     * evaluation points: the corpus' sample values, or the prefix program executed at the
     * independent points; null when a value there is not finite.
     */
    private double[][][] truth(CorpusRecord r, Scope scope) {
        int first = scope == Scope.PROGRAMS ? r.steps() - 1 : 0;
        double[][][] out = new double[r.steps() - first][][];
        if (points == null) {
            for (int t = first; t < r.steps(); t++) {
                out[t - first] = new double[][] {r.sampleValues()[t]};
            }
            return out;
        }
        Program program = Program.parse(r.program());
        int d = layout.dim();
        double[][] u = points.unsafePoints();
        double[] centre = r.point();
        double radius = r.radius();
        for (int t = first; t < r.steps(); t++) {
            Program prefix = t == r.steps() - 1 ? program : Program.of(program.steps().subList(0, t + 1));
            double[] v = new double[u.length * d];
            double[] x = new double[d];
            for (int p = 0; p < u.length; p++) {
                for (int l = 0; l < d; l++) {
                    x[l] = centre[l] + radius * u[p][l];
                }
                double[] y = prefix.execute(x);
                for (int o = 0; o < d; o++) {
                    if (!Double.isFinite(y[o])) {
                        return null;
                    }
                    v[p * d + o] = y[o];
                }
            }
            out[t - first] = new double[][] {v};
        }
        return out;
    }

    /** Monomials of degree ≤ n at {@code pts}, {@code [point·M + j]}. */
    private double[] monomials(double[][] pts) {
        int[][] alphas = layout.alphas();
        int m = alphas.length;
        double[] out = new double[pts.length * m];
        for (int p = 0; p < pts.length; p++) {
            for (int j = 0; j < m; j++) {
                double v = 1;
                for (int l = 0; l < alphas[j].length; l++) {
                    v *= Math.pow(pts[p][l], alphas[j][l]);
                }
                out[p * m + j] = v;
            }
        }
        return out;
    }

    private double[] taylorError(double[] prefix, double[] truth, int d) {
        if (points == null && monoSamples == null) {
            monoSamples = monomials(layout.samplePoints());
        }
        return error(prefix, truth, d, points == null ? monoSamples : monoPoints);
    }

    /** Per record of {@code chunk}, the model's errors on the scored prefixes, or null beyond its step encoding. */
    private double[][][] learnedErrors(LearnedInterpreter model, List<CorpusRecord> chunk, Scope scope,
            double[][][][] truths) {
        int d = layout.dim();
        double[][][] out = new double[chunk.size()][][];
        List<Integer> which = new ArrayList<>();
        List<Program> programs = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            CorpusRecord r = chunk.get(i);
            if (r.steps() <= model.config().maxSteps() && truths[i] != null) {
                which.add(i);
                programs.add(Program.parse(r.program()));
            }
        }
        if (which.isEmpty()) {
            return out;
        }
        if (scope == Scope.PROGRAMS) {
            double[][] points = new double[which.size()][];
            double[] radii = new double[which.size()];
            for (int q = 0; q < which.size(); q++) {
                CorpusRecord r = chunk.get(which.get(q));
                points[q] = r.point();
                radii[q] = r.radius();
            }
            FunctionSeries[] fs = model.transform(programs, points, radii);
            for (int q = 0; q < which.size(); q++) {
                CorpusRecord r = chunk.get(which.get(q));
                out[which.get(q)] = new double[][] {error(fs[q].coefficients(), truths[which.get(q)][0][0], d)};
            }
        } else {
            for (int q = 0; q < which.size(); q++) {
                CorpusRecord r = chunk.get(which.get(q));
                FunctionSeries[] fs = model.transformPrefixes(programs.get(q), r.point(), r.radius());
                double[][] e = new double[r.steps()][];
                for (int t = 0; t < e.length; t++) {
                    e[t] = error(fs[t].coefficients(), truths[which.get(q)][t][0], d);
                }
                out[which.get(q)] = e;
            }
        }
        return out;
    }

    /**
     * {@code [relative L2, max-abs]} error of {@code Φ·c} ({@code values[s·d + out]}) against
     * {@code truth} at the evaluation points (weighted there; at the sample points unweighted).
     */
    private double[] error(double[] coefficients, double[] truth, int d) {
        return error(coefficients, truth, d, points == null ? phi : phiPoints);
    }

    private double[] error(double[] coefficients, double[] truth, int d, double[] phi) {
        int m = set.size();
        if (coefficients.length != d * m) {
            throw new IllegalArgumentException("a method gave " + coefficients.length + " coefficients, expected d·M = " + d * m);
        }
        int samples = phi.length / m;
        double[] v = new double[samples * d];
        for (int s = 0; s < samples; s++) {
            for (int out = 0; out < d; out++) {
                double acc = 0;
                for (int j = 0; j < m; j++) {
                    acc += phi[s * m + j] * coefficients[out * m + j];
                }
                v[s * d + out] = acc;
            }
        }
        if (points != null) {
            return points.errors(v, truth, d);
        }
        ErrorMetrics em = ErrorMetrics.of(v, truth);
        return new double[] {em.relL2(), em.maxAbs()};
    }

    /**
     * One scored prefix.
     *
     * @param record the program's record
     * @param step the prefix ({@code record.steps() − 1} for the whole program)
     * @param errors relative L2 error per method, in {@link Errors#methods()} order (NaN where not scored)
     * @param scored whether each method scored this prefix (false: beyond a model's step encoding)
     * @param linf max-abs error per method at the evaluation points (NaN for a corpus column)
     */
    public record Row(CorpusRecord record, int step, double[] errors, boolean[] scored, double[] linf) {
    }

    /**
     * The evaluation: its methods in order, one row per scored prefix (corpus order), and per method
     * the number of programs it could not score; {@code nonFiniteTruth} programs were not scored at all
     * (their exact values are not finite at an independent point).
     */
    public record Errors(List<String> methods, List<Row> rows, Map<String, Integer> unscored, int nonFiniteTruth) {
        public Errors {
            methods = List.copyOf(methods);
            rows = List.copyOf(rows);
            unscored = Map.copyOf(unscored);
        }

        /** Position of {@code method} in every row. */
        public int indexOf(String method) {
            int i = methods.indexOf(method);
            if (i < 0) {
                throw new IllegalArgumentException("no method '" + method + "' in this evaluation; it has " + methods);
            }
            return i;
        }

        /** The rows every one of {@code methods} scored. */
        public List<Row> scoredBy(String... methods) {
            int[] at = Arrays.stream(methods).mapToInt(this::indexOf).toArray();
            return rows.stream().filter(r -> Arrays.stream(at).allMatch(i -> r.scored()[i])).toList();
        }

        /** Median of {@code method}'s errors over {@code rows} (NaN for none). */
        public double median(String method, List<Row> rows) {
            int i = indexOf(method);
            double[] v = rows.stream().mapToDouble(r -> r.errors()[i]).toArray();
            return HeldOutEvaluator.median(v);
        }

        /** How many of {@code rows} have a smaller error under {@code method} than under {@code than}. */
        public long better(String method, String than, List<Row> rows) {
            int a = indexOf(method);
            int b = indexOf(than);
            return rows.stream().filter(r -> r.errors()[a] < r.errors()[b]).count();
        }
    }

    /** The median of {@code v} (NaN sorts last, as {@link Arrays#sort(double[])} puts it); NaN if empty. */
    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }
}
