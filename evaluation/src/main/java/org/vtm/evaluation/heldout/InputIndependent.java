package org.vtm.evaluation.heldout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusRecord;
import org.vtm.interpreter.StepInputs;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.LeastSquares;
import org.vtm.transforms.Program;

/**
 * {@code input_independent}: the learned interpreter's head without the LSTM — one constant
 * correction {@code ΔT} ({@code M×M}), and a constant {@code Q} ({@code M×K}) when the model sees
 * the degree-(n+1) terms {@code a⁺}, so that {@code c_o = (T_FX + ΔT)·a_o + Q·a⁺_o} for every
 * prefix and output — fitted on a training corpus with the learned model's own loss, the mean over
 * (program, step) of {@code log(ε + ‖Φc − y‖² / ‖y‖²)} at the sample points ({@code ε = 1e-10},
 * outputs pooled), optimised to convergence.
 *
 * <p>Optimiser: majorise–minimise. {@code log} is concave, so at the current parameters the loss is
 * bounded above by a weighted least-squares objective with row weights {@code 1/(‖y‖²(ε + e))};
 * since {@code ‖Φc − y‖² = (c − c_ls)ᵀG(c − c_ls) + ‖r⊥‖²} with {@code c_ls} the least-squares
 * (oracle) coefficients and {@code G = ΦᵀΦ} invertible, its minimiser is {@code [ΔT Q] = −B·A⁺},
 * {@code A = Σ w z zᵀ}, {@code B = Σ w (c_fixed − c_ls) zᵀ}, {@code z = [a; a⁺]} — {@code G} drops
 * out. Every step lowers the loss (in exact arithmetic); the fit stops when the loss changed by
 * less than {@value #TOLERANCE} relative over the last {@value #WINDOW} steps, or earlier when a step
 * no longer lowers it (the optimum to rounding: typically after 10–30 steps), both reported as
 * converged; after {@value #MAX_STEPS} steps it is reported as not converged. Immutable once fitted.
 */
public final class InputIndependent {
    public static final double LOG_EPS = 1e-10;
    public static final double TOLERANCE = 1e-6;
    public static final int WINDOW = 200;
    public static final int MAX_STEPS = 3000;

    private final int terms;
    private final int nextTerms;
    private final double[] delta; // M × (M + K)
    private final double startLoss;
    private final double loss;
    private final int steps;
    private final boolean converged;

    private InputIndependent(int terms, int nextTerms, double[] delta, double startLoss, double loss, int steps,
            boolean converged) {
        this.terms = terms;
        this.nextTerms = nextTerms;
        this.delta = delta;
        this.startLoss = startLoss;
        this.loss = loss;
        this.steps = steps;
        this.converged = converged;
    }

    /** One training row: per output {@code z = [a; a⁺]} and {@code D = c_fixed − c_ls}; {@code scale = ‖y‖²}. */
    private record Row(double[][] z, double[][] d, double residual2, double scale) {
    }

    /**
     * Fits on every prefix of every record of a training corpus.
     *
     * @param nextOrder whether the learned model has {@code a⁺} (then {@code Q} is fitted too)
     */
    public static InputIndependent fit(CorpusLayout layout, List<CorpusRecord> training, boolean nextOrder) {
        return fit(layout, training, nextOrder, LOG_EPS);
    }

    /**
     * As above with the floor {@code eps} of the log loss, {@code log(eps + e)}: the learned model's
     * ({@code --loss-eps}), so that both fit the same objective.
     */
    public static InputIndependent fit(CorpusLayout layout, List<CorpusRecord> training, boolean nextOrder, double eps) {
        Problem pr = problem(layout, training, nextOrder).withEps(eps);
        return fit(pr);
    }

    /** The training rows and {@code G}, built once; {@code eps} the floor of the log loss. */
    record Problem(List<Row> rows, double[] g, int m, int k, int dim, double eps) {
        Problem(List<Row> rows, double[] g, int m, int k, int dim) {
            this(rows, g, m, k, dim, LOG_EPS);
        }

        Problem {
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("input_independent: the log loss's ε must be positive and finite, got " + eps);
            }
        }

        Problem withEps(double value) {
            return new Problem(rows, g, m, k, dim, value);
        }

        int width() {
            return m + k;
        }

        /** The mean log loss at parameters {@code [ΔT Q]} ({@code M × (M + K)}). */
        double loss(double[] params) {
            return InputIndependent.loss(rows, params, g, m, width(), new double[rows.size()], eps);
        }
    }

    static Problem problem(CorpusLayout layout, List<CorpusRecord> training, boolean nextOrder) {
        Objects.requireNonNull(layout, "layout");
        if (training.isEmpty()) {
            throw new IllegalArgumentException("input_independent needs a non-empty training corpus");
        }
        int dim = layout.dim();
        int order = layout.order();
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(layout.family()), dim, order);
        int m = set.size();
        double[][] pts = layout.samplePoints();
        double[] phi = set.designMatrix(pts);
        int s = pts.length;
        int k = nextOrder ? org.vtm.transforms.MultiIndexSet.of(dim, order + 1).size() - m : 0;
        int w = m + k;
        double[] g = new double[m * m];
        for (int p = 0; p < s; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    g[i * m + j] += phi[p * m + i] * phi[p * m + j];
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (CorpusRecord r : training) {
            double[] next = nextOrder ? StepInputs.nextOrderTerms(Program.parse(r.program()), r.point(), r.radius(), order)
                    : null;
            for (int t = 0; t < r.steps(); t++) {
                double[] y = r.sampleValues()[t];
                double[] a = r.prefixExpansion()[t];
                double[] fixed = r.fixedCoefficients()[t];
                double[] ls = r.oracleCoefficients()[t];
                double yy = 0;
                double res = 0;
                for (int p = 0; p < s; p++) {
                    for (int o = 0; o < dim; o++) {
                        double v = 0;
                        for (int j = 0; j < m; j++) {
                            v += phi[p * m + j] * ls[o * m + j];
                        }
                        double yv = y[p * dim + o];
                        yy += yv * yv;
                        res += (v - yv) * (v - yv);
                    }
                }
                if (!(yy > 0) || !Double.isFinite(yy)) {
                    continue;
                }
                double[][] z = new double[dim][w];
                double[][] dd = new double[dim][m];
                for (int o = 0; o < dim; o++) {
                    System.arraycopy(a, o * m, z[o], 0, m);
                    if (nextOrder) {
                        System.arraycopy(next, (t * dim + o) * k, z[o], m, k);
                    }
                    for (int j = 0; j < m; j++) {
                        dd[o][j] = fixed[o * m + j] - ls[o * m + j];
                    }
                }
                rows.add(new Row(z, dd, res, yy));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("input_independent: no training row has non-zero values");
        }
        return new Problem(rows, g, m, k, dim);
    }

    private static InputIndependent fit(Problem pr) {
        List<Row> rows = pr.rows();
        double[] g = pr.g();
        int m = pr.m();
        int k = pr.k();
        int w = pr.width();
        int dim = pr.dim();
        double[] delta = new double[m * w];
        double[] weights = new double[rows.size()];
        double eps = pr.eps();
        double start = loss(rows, delta, g, m, w, weights, eps);
        double current = start;
        List<Double> history = new ArrayList<>();
        history.add(start);
        boolean converged = false;
        int step = 0;
        while (step < MAX_STEPS) {
            double[] a = new double[w * w];
            double[] b = new double[m * w];
            for (int n = 0; n < rows.size(); n++) {
                Row row = rows.get(n);
                double wn = weights[n];
                for (int o = 0; o < dim; o++) {
                    double[] z = row.z()[o];
                    double[] dd = row.d()[o];
                    for (int i = 0; i < w; i++) {
                        double wz = wn * z[i];
                        for (int j = 0; j <= i; j++) {
                            a[i * w + j] += wz * z[j];
                        }
                    }
                    for (int i = 0; i < m; i++) {
                        double wd = wn * dd[i];
                        for (int j = 0; j < w; j++) {
                            b[i * w + j] += wd * z[j];
                        }
                    }
                }
            }
            for (int i = 0; i < w; i++) {
                for (int j = 0; j < i; j++) {
                    a[j * w + i] = a[i * w + j];
                }
            }
            double[] next = solve(a, b, m, w);
            double[] nextWeights = new double[rows.size()];
            double l = loss(rows, next, g, m, w, nextWeights, eps);
            if (!(l <= current)) { // an MM step cannot raise the loss but by rounding: at the optimum
                converged = l - current <= 1e-9 * Math.abs(current);
                break;
            }
            delta = next;
            weights = nextWeights;
            current = l;
            history.add(l);
            step++;
            if (history.size() > WINDOW) {
                double old = history.get(history.size() - 1 - WINDOW);
                if (Math.abs(old - l) <= TOLERANCE * Math.abs(l)) {
                    converged = true;
                    break;
                }
            }
        }
        return new InputIndependent(m, k, delta, start, current, step, converged);
    }

    /** {@code −B·A⁺} ({@code M × w}) with {@code A} symmetric ({@code w × w}). */
    private static double[] solve(double[] a, double[] b, int m, int w) {
        LeastSquares ls = LeastSquares.of(a, w, w);
        double[] out = new double[m * w];
        for (int i = 0; i < m; i++) {
            double[] x = ls.solve(Arrays.copyOfRange(b, i * w, (i + 1) * w)); // A symmetric: row i of B·A⁺ = A⁺·bᵢ
            for (int j = 0; j < w; j++) {
                out[i * w + j] = -x[j];
            }
        }
        return out;
    }

    /** Mean log loss of {@code delta}; fills each row's majoriser weight {@code 1/(‖y‖²(ε + e))}. */
    private static double loss(List<Row> rows, double[] delta, double[] g, int m, int w, double[] weights, double eps) {
        double total = 0;
        double[] c = new double[m];
        for (int n = 0; n < rows.size(); n++) {
            Row row = rows.get(n);
            double q = row.residual2();
            for (int o = 0; o < row.z().length; o++) {
                double[] z = row.z()[o];
                double[] dd = row.d()[o];
                for (int i = 0; i < m; i++) {
                    double v = dd[i];
                    for (int j = 0; j < w; j++) {
                        v += delta[i * w + j] * z[j];
                    }
                    c[i] = v;
                }
                for (int i = 0; i < m; i++) {
                    double gi = 0;
                    for (int j = 0; j < m; j++) {
                        gi += g[i * m + j] * c[j];
                    }
                    q += c[i] * gi;
                }
            }
            double e = q / row.scale();
            weights[n] = 1 / (row.scale() * (eps + e));
            total += Math.log(eps + e);
        }
        return total / rows.size();
    }

    /**
     * F-coefficients ({@code d·M}) of prefix {@code t}: {@code fixed + ΔT·a + Q·a⁺}.
     *
     * @param next {@code a⁺} of every prefix ({@link StepInputs#nextOrderTerms}), or null without {@code Q}
     */
    public double[] coefficients(double[] fixed, double[] prefix, double[] next, int t) {
        int m = terms;
        int w = m + nextTerms;
        int d = prefix.length / m;
        double[] c = new double[d * m];
        for (int o = 0; o < d; o++) {
            for (int i = 0; i < m; i++) {
                double v = fixed[o * m + i];
                for (int j = 0; j < m; j++) {
                    v += delta[i * w + j] * prefix[o * m + j];
                }
                for (int j = 0; j < nextTerms; j++) {
                    v += delta[i * w + m + j] * next[(t * d + o) * nextTerms + j];
                }
                c[o * m + i] = v;
            }
        }
        return c;
    }

    /** As a {@link HeldOutEvaluator.Coefficients} method ({@code a⁺} computed once per program). */
    public HeldOutEvaluator.Coefficients method(int order) {
        return new HeldOutEvaluator.Coefficients() {
            private CorpusRecord last;
            private double[] next;

            @Override
            public synchronized double[] of(CorpusRecord r, int t) {
                if (r != last) {
                    next = nextTerms == 0 ? null
                            : StepInputs.nextOrderTerms(Program.parse(r.program()), r.point(), r.radius(), order);
                    last = r;
                }
                return coefficients(r.fixedCoefficients()[t], r.prefixExpansion()[t], next, t);
            }
        };
    }

    /** Whether {@code Q} was fitted (the model has {@code a⁺}). */
    public boolean hasNextOrder() {
        return nextTerms > 0;
    }

    /** {@code [ΔT Q]}, {@code M × (M + K)} row-major (a copy). */
    public double[] parameters() {
        return delta.clone();
    }

    /** The loss at {@code ΔT = 0, Q = 0} (fixed {@code T_FX}). */
    public double startLoss() {
        return startLoss;
    }

    /** The final training loss. */
    public double loss() {
        return loss;
    }

    public int steps() {
        return steps;
    }

    public boolean converged() {
        return converged;
    }
}
