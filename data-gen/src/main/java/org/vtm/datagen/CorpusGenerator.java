package org.vtm.datagen;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.ErrorMetrics;
import org.vtm.transforms.Expander;
import org.vtm.transforms.ExpansionBudget;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.Program;
import org.vtm.transforms.Step;
import org.vtm.transforms.TensorSeries;

/**
 * Computes corpus records: record {@code i} is a pure function of {@code (seed, i)} and the
 * configuration, so any partitioning of the index range (threads, Spark tasks, shard sizes)
 * produces the same records.
 *
 * <p>For each drawn program and region it computes, per step prefix {@code t}: the point
 * {@code v_t}; the prefix expansion at {@code v0} by composing the step expansions
 * ({@code e(p_t)|_{v_t} ∘ e(prefix_{t-1})|_{v0}}, the seed's eq. 15); its scaled coordinates;
 * the fixed-{@code T_FX} and oracle coefficients; exact values at the oracle's sample points;
 * and the Taylor, fixed and oracle errors. Thread-safe: {@link #record} may run on many threads. Programs that are not finite over their region (values
 * at the sample points, or Taylor coefficients at those points) or exceed
 * {@link GeneratorConfig#maxAbs()} are rejected and re-drawn from the same stream.
 */
public final class CorpusGenerator {
    /** Samples per block of {@link #project}. */
    private static final int PROJECT_BLOCK = 256;

    /** Draws per record before giving up (the configuration is then hopeless). */
    public static final int MAX_ATTEMPTS = 1000;

    private final GeneratorConfig config;
    private final long seed;
    private final FunctionSet set;
    private final BasisTransform transform;
    private final Oracle oracle;
    private final MultiIndexSet alphas;
    private final CorpusLayout layout;
    private final double[] u;
    /** {@code Φ_β(u_s)}, stored M × S (basis function major): F-series values at the samples are {@code Φ · coefficients}. */
    private final double[] phi;
    /** {@code u_s^α}, stored M × S: Taylor values at the samples are {@code U · a'} with the scaled {@code a'}. */
    private final double[] monomials;

    /**
     * @throws ExpansionBudget.Exceeded (before anything is allocated) if one thread generating one
     *     record at a time would exceed the expansion budget; writers check their own threads and
     *     record batches with {@link GeneratorConfig#checkBudget(int, int)}
     */
    public CorpusGenerator(GeneratorConfig config, long seed) {
        config.checkBudget(1, 1);
        this.config = config;
        this.seed = seed;
        FunctionFamily family = FunctionFamily.byName(config.family());
        this.set = FunctionSet.of(family, config.dim(), config.order());
        this.transform = BasisTransform.of(set);
        this.oracle = Oracle.of(set);
        this.alphas = MultiIndexSet.of(config.dim(), config.order());
        this.u = oracle.points();
        int d = config.dim();
        int[][] a = new int[alphas.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = alphas.alpha(i);
        }
        double[][] samples = new double[oracle.pointCount()][d];
        for (int s = 0; s < samples.length; s++) {
            System.arraycopy(u, s * d, samples[s], 0, d);
        }
        this.layout = new CorpusLayout(d, config.order(), family.name(), a, samples);
        int m = alphas.size();
        this.phi = new double[samples.length * m];
        this.monomials = new double[samples.length * m];
        for (int s = 0; s < samples.length; s++) {
            for (int j = 0; j < m; j++) {
                phi[j * samples.length + s] = set.evaluate(j, samples[s]);
                double mono = 1;
                for (int l = 0; l < d; l++) {
                    mono *= Math.pow(samples[s][l], a[j][l]);
                }
                monomials[j * samples.length + s] = mono;
            }
        }
    }

    public CorpusLayout layout() {
        return layout;
    }

    public GeneratorConfig config() {
        return config;
    }

    public long seed() {
        return seed;
    }

    /** The random stream of record {@code i}: a pure function of (seed, i). */
    static SplittableRandom stream(long seed, long i) {
        // SplittableRandom's own mixing of a seed derived from both; split() decorrelates neighbours
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i).split();
    }

    /**
     * Record {@code i}. A {@link ProgramFamily#RANDOM} program is drawn before its region (the
     * order of format 1, so its records are unchanged); the other families draw the region first,
     * since their programs are placed relative to it (a pole at a distance, a boundary through it).
     */
    public CorpusRecord record(long i) {
        SplittableRandom random = stream(seed, i);
        boolean randomFamily = config.programFamily() == ProgramFamily.RANDOM;
        // per call: generators are not thread-safe
        ProgramGenerator programs = randomFamily ? new ProgramGenerator(config) : null;
        FamilyPrograms families = randomFamily ? null : new FamilyPrograms(config);
        for (int rejected = 0; rejected < MAX_ATTEMPTS; rejected++) {
            CorpusRecord r;
            if (randomFamily) {
                Program program = programs.draw(random);
                double[] v0 = drawPoint(random);
                double radius = drawRadius(random);
                r = tryRecord(i, rejected, program, v0, radius, Double.NaN);
            } else {
                double[] v0 = drawPoint(random);
                double radius = drawRadius(random);
                FamilyPrograms.Drawn drawn = families.draw(random, v0, radius);
                r = tryRecord(i, rejected, drawn.program(), v0, radius, drawn.poleDistance());
            }
            if (r != null) {
                return r;
            }
        }
        throw new IllegalStateException("record " + i + ": no acceptable program in " + MAX_ATTEMPTS
                + " draws; the configuration produces non-finite programs (" + (randomFamily
                        ? "lower --depth, narrow the ranges or drop operators such as / log sqrt)"
                        : "program family " + config.programFamily().label() + ": narrow --points or --radius, or raise --max-abs)"));
    }

    private double[] drawPoint(SplittableRandom random) {
        double[] v0 = new double[config.dim()];
        for (int l = 0; l < v0.length; l++) {
            v0[l] = random.nextDouble(config.pointMin(), Math.nextUp(config.pointMax()));
        }
        return v0;
    }

    private double drawRadius(SplittableRandom random) {
        return random.nextDouble(config.radiusMin(), Math.nextUp(config.radiusMax()));
    }

    /**
     * The record for a given program and region, or null if the program is rejected.
     *
     * @param poleDistance ρ of a rational program (recorded with r/ρ), NaN otherwise
     */
    CorpusRecord tryRecord(long index, int rejectedBefore, Program program, double[] v0, double radius,
            double poleDistance) {
        int d = config.dim();
        int n = config.order();
        int m = alphas.size();
        int samples = oracle.pointCount();
        List<Step> steps = program.steps();
        int k = steps.size();
        double[][] stepPoints = new double[k][];
        double[][] prefix = new double[k][];
        double[][] fixed = new double[k][];
        double[][] oracleCoef = new double[k][];
        double[][] values = new double[k][];
        double[][] errors = new double[k][];

        double[] regionPoints = oracle.points(v0, radius); // S × d
        // derivatives must be finite over the region, not only at v0: expand the whole program at the
        // samples first, so a rejected program costs no per-prefix work (and stops at the first chunk of
        // samples with an offending coefficient)
        if (!Expander.allCoefficientsWithin(program, toRows(regionPoints, d), n, config.maxAbs())) {
            return null;
        }
        double[] sampleX = regionPoints;
        PrefixExpansions walk = new PrefixExpansions(program, v0, radius, n);
        for (int t = 0; t < k; t++) {
            TensorSeries expansion = walk.next();
            Program step = walk.step();
            stepPoints[t] = walk.point();
            if (!withinBounds(expansion.coefficients())) {
                return null;
            }
            double[] scaled = walk.scaled();
            prefix[t] = scaled;
            // exact values of the prefix program at the sample points
            double[] next = new double[samples * d];
            for (int s = 0; s < samples; s++) {
                double[] y = step.execute(Arrays.copyOfRange(sampleX, s * d, (s + 1) * d));
                System.arraycopy(y, 0, next, s * d, d);
            }
            if (!withinBounds(next)) {
                return null;
            }
            sampleX = next;
            values[t] = next;
            FunctionSeries fixedSeries = transform.apply(expansion, radius);
            FunctionSeries best = oracle.fit(next, d, v0, radius);
            fixed[t] = fixedSeries.coefficients();
            oracleCoef[t] = best.coefficients();
        }
        // the error columns of all prefixes at once: one pass over each basis instead of one per prefix and set
        double[][] errorsOfPrefixes = errors(prefix, fixed, oracleCoef, values);
        System.arraycopy(errorsOfPrefixes, 0, errors, 0, k);
        return new CorpusRecord(index, program.text(), d, n, layout.family(), rejectedBefore, v0, radius, stepPoints,
                prefix, fixed, oracleCoef, values, errors, config.programFamily().label(), poleDistance,
                radius / poleDistance);
    }

    /**
     * Errors of the three coefficient sets of every prefix {@code t} (all in scaled coordinates) against
     * the exact sample values {@code truth[t]}.
     */
    private double[][] errors(double[][] taylorScaled, double[][] fixedCoef, double[][] oracleCoef, double[][] truth) {
        int d = config.dim();
        int samples = oracle.pointCount();
        int k = truth.length;
        double[][] taylor = project(monomials, samples, taylorScaled, d);
        double[][] series = new double[2 * k][];
        System.arraycopy(fixedCoef, 0, series, 0, k);
        System.arraycopy(oracleCoef, 0, series, k, k);
        double[][] fixAndOracle = project(phi, samples, series, d);
        double[][] out = new double[k][];
        for (int t = 0; t < k; t++) {
            ErrorMetrics et = ErrorMetrics.of(taylor[t], truth[t]);
            ErrorMetrics ef = ErrorMetrics.of(fixAndOracle[t], truth[t]);
            ErrorMetrics eo = ErrorMetrics.of(fixAndOracle[k + t], truth[t]);
            out[t] = new double[] {et.relL2(), et.maxAbs(), ef.relL2(), ef.maxAbs(), eo.relL2(), eo.maxAbs()};
        }
        return out;
    }

    /**
     * {@code values[s*d + out] = Σ_j basis[s][j] · coef[out*M + j]} with the basis stored transposed,
     * {@code basisT[j*samples + s] = basis[s][j]}. Every sum starts at 0 and adds its terms in the order
     * of {@code j}, as one sum at a time would, so the values are bit-identical to that; the loop over the
     * samples is innermost (one multiply-add per sample and term, vectorised), instead of one sum's chain
     * of dependent additions.
     */
    static double[] project(double[] basisT, int samples, double[] coef, int d) {
        return project(basisT, samples, new double[][] {coef}, d)[0];
    }

    /**
     * {@link #project(double[], int, double[], int)} for several coefficient sets over the same basis in one
     * pass over it; every sum still starts at 0 and adds its terms in the order of {@code j}.
     */
    static double[][] project(double[] basisT, int samples, double[][] coefs, int d) {
        int sets = coefs.length;
        int m = coefs[0].length / d;
        double[][] sums = new double[sets][d * samples]; // per set [out][s]
        // blocks of samples, so a block's sums and the basis rows it reads stay in cache while every set,
        // output and basis function passes over it (the basis is read once, whatever the number of sets)
        for (int s0 = 0; s0 < samples; s0 += PROJECT_BLOCK) {
            int s1 = Math.min(samples, s0 + PROJECT_BLOCK);
            for (int j = 0; j < m; j++) {
                int col = j * samples;
                for (int set = 0; set < sets; set++) {
                    double[] coef = coefs[set];
                    double[] sum = sums[set];
                    for (int out = 0; out < d; out++) {
                        double c = coef[out * m + j];
                        int row = out * samples;
                        for (int s = s0; s < s1; s++) {
                            sum[row + s] += basisT[col + s] * c;
                        }
                    }
                }
            }
        }
        double[][] values = new double[sets][samples * d];
        for (int set = 0; set < sets; set++) {
            for (int out = 0; out < d; out++) {
                for (int s = 0; s < samples; s++) {
                    values[set][s * d + out] = sums[set][out * samples + s];
                }
            }
        }
        return values;
    }

    private boolean withinBounds(double[] a) {
        double limit = config.maxAbs();
        for (double x : a) {
            if (!(Math.abs(x) <= limit)) { // also false for NaN
                return false;
            }
        }
        return true;
    }

    private static double[][] toRows(double[] flat, int d) {
        double[][] rows = new double[flat.length / d][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * d, (r + 1) * d);
        }
        return rows;
    }
}
