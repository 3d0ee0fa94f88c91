package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.baseline.LinearBaseline;
import org.vtm.datagen.baseline.LinearBaselineFile;
import org.vtm.spark.cli.BaselineCommand;
import org.vtm.spark.cli.JobMain;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

/**
 * The MLlib linear baseline against an independent least-squares solution, its effect on the
 * training error, and driver-side argument checks. One local[2] session for the class; two tiny
 * corpora (d=2, n=2, chebyshev, 1–3 steps): one to train on, one held out.
 */
// each test waits on local Spark jobs; the session start in @BeforeAll has the build default (5 min)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LinearBaselineJobTest {
    static final GeneratorConfig CONFIG = GeneratorConfig.defaults(2, 2, "chebyshev", 1, 3);
    static final long RECORDS = 80;
    /** Records of the corpus for the task-size check (about 3 prefixes each). */
    static final long BIG_RECORDS = 1500;

    private static SparkSession spark;
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static Path train;
    private static Path heldOut;

    @BeforeAll
    static void start(@TempDir Path tmp) throws IOException {
        spark = SparkSession.builder().appName("vtm-baseline-test").master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                STARTED.incrementAndGet();
            }
        });
        train = tmp.resolve("train");
        heldOut = tmp.resolve("held-out");
        write(train, 3);
        write(heldOut, 4);
    }

    private static void write(Path dir, long seed) throws IOException {
        CorpusGenerator g = new CorpusGenerator(CONFIG, seed);
        new CorpusWriter(g.layout(), 40, 2).write(dir, RECORDS, seed, CONFIG.toJson(), g::record, null);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /**
     * With regParam = 0 and no cross-validation each output's model is ordinary least squares;
     * the fitted values at the training rows are unique even if the design were rank-deficient,
     * so compare them with an SVD least-squares solve (Hipparchus) of the design matrix built here
     * from the record fields in the documented feature order.
     */
    @Test
    void unregularisedFitEqualsAnIndependentLeastSquaresSolution(@TempDir Path tmp) throws Exception {
        LinearBaselineJob.TrainingData data = LinearBaselineJob.read(train);
        LinearBaselineJob.run(spark, data, LinearBaselineJob.Options.fixed(0, 0), tmp);
        LinearBaseline model = LinearBaselineFile.read(tmp.resolve(LinearBaselineFile.FILE_NAME));

        List<CorpusRecord> records = CorpusReader.open(train).records(CorpusFilter.ALL);
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<double[]> predicted = new ArrayList<>();
        for (CorpusRecord r : records) {
            for (int t = 0; t < r.steps(); t++) {
                List<Double> x = new ArrayList<>();
                x.add(1.0); // intercept
                for (double v : r.point()) {
                    x.add(v);
                }
                for (double v : r.stepPoints()[t]) {
                    x.add(v);
                }
                x.add(r.radius());
                double[] a = r.prefixExpansion()[t];
                double s = Math.sqrt(Arrays.stream(a).map(v -> v * v).sum() / a.length); // documented normaliser
                for (double v : a) {
                    x.add(v / s);
                }
                x.add((double) t);
                x.add(Math.log(s));
                xs.add(x.stream().mapToDouble(Double::doubleValue).toArray());
                double[] y = new double[r.fixedCoefficients()[t].length];
                assertTrue(s > 0, "record " + r.index() + " has a zero expansion");
                double[] c = model.correctedCoefficients(r, t);
                double[] pred = new double[y.length];
                for (int k = 0; k < y.length; k++) {
                    y[k] = (r.oracleCoefficients()[t][k] - r.fixedCoefficients()[t][k]) / s;
                    pred[k] = (c[k] - r.fixedCoefficients()[t][k]) / s;
                }
                ys.add(y);
                predicted.add(pred);
            }
        }
        assertEquals(xs.size(), model.trainingRows());
        RealMatrix x = new Array2DRowRealMatrix(xs.toArray(double[][]::new));
        RealMatrix y = new Array2DRowRealMatrix(ys.toArray(double[][]::new));
        // columns standardised as the job does (scaling does not change least-squares fitted values;
        // it only makes the condition number below the one MLlib's normal equations see)
        RealMatrix z = x.copy();
        for (int j = 1; j < z.getColumnDimension(); j++) {
            double[] col = z.getColumn(j);
            double mean = Arrays.stream(col).average().orElse(0);
            double sd = Math.sqrt(Arrays.stream(col).map(v -> (v - mean) * (v - mean)).sum() / col.length);
            for (int i = 0; i < col.length; i++) {
                col[i] = (col[i] - mean) / (sd > 0 ? sd : 1);
            }
            z.setColumn(j, col);
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(z);
        double condition = svd.getConditionNumber();
        RealMatrix fitted = z.multiply(svd.getSolver().solve(y));
        // MLlib solves the normal equations Z'Z w = Z'y by Cholesky: relative error of order
        // κ(Z)²·ε in the weights, which bounds the fitted values' error by ~κ²·ε·‖y‖. Allow 100× that
        // (and at least 1e-9) relative to each output's RMS target.
        assertTrue(condition < 1e5, "design too ill-conditioned for a meaningful comparison: κ = " + condition);
        double rel = Math.max(1e-9, 100 * condition * condition * Math.ulp(1.0));
        double worst = 0;
        for (int k = 0; k < y.getColumnDimension(); k++) {
            double[] col = y.getColumn(k);
            double rms = Math.sqrt(Arrays.stream(col).map(v -> v * v).sum() / col.length);
            for (int i = 0; i < col.length; i++) {
                double diff = Math.abs(predicted.get(i)[k] - fitted.getEntry(i, k));
                worst = Math.max(worst, diff / Math.max(rms, 1e-300));
                assertTrue(diff <= rel * rms + 1e-300, "output " + k + ", row " + i + ": MLlib " + predicted.get(i)[k]
                        + ", SVD " + fitted.getEntry(i, k) + ", tolerance " + rel * rms + " (κ = " + condition + ")");
            }
        }
        System.out.printf("closed-form check: %d rows, %d features, κ(Z)=%.3g, worst |Δ|/rms=%.3g, tolerance %.3g%n",
                xs.size(), x.getColumnDimension() - 1, condition, worst, rel);
        assertEquals(0.0, model.regParam(0));
        assertEquals(train.toAbsolutePath().toString(), model.provenance().path("corpus").asText());
        assertEquals(CorpusReader.open(train).manifest().configHash(), model.provenance().path("corpus_config_hash").asText());
        assertEquals(spark.version(), model.provenance().path("spark_version").asText());
    }

    /**
     * Two fits of the same rows with the same options and seed give the same model bit for bit:
     * weights, intercepts, the chosen regularisation and the selection record (grid order and
     * cross-validation metrics). On the old code the grid order came from MLlib's
     * {@code ParamGridBuilder}, which iterates a hash map keyed by the estimator's randomly named
     * params: each fit listed the grid in another order and averaged one output's RMSEs with
     * another's in a different order (the smoke pipeline's baseline median moved from 3.92e-3 to
     * 1.54e-3 between two runs; a probe of four fits of the same rows recorded a different grid
     * order or RMSE order in every fit). Three fits, with a⁺ (the pipeline's case), on a grid with
     * two values of both parameters (with a single elasticNetParam value, as in today's default,
     * every order MLlib could pick is the same, which would hide the bug).
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // three cross-validated fits, 57 MLlib fits each
    void theSameRowsAndSeedGiveTheSameModelBitForBit(@TempDir Path tmp) throws Exception {
        LinearBaselineJob.TrainingData data = LinearBaselineJob.read(train, true);
        LinearBaselineJob.Options options = new LinearBaselineJob.Options(new double[] {1e-4, 1e-2, 1}, new double[] {0, 0.5}, 3, 3, 1, 100);
        LinearBaseline first = LinearBaselineJob.fit(spark, data, options, tmp);
        for (int run = 1; run < 3; run++) {
            LinearBaseline again = LinearBaselineJob.fit(spark, data, options, tmp);
            assertEquals(first.selection(), again.selection(), "fit " + run + ": the selection record differs");
            for (int k = 0; k < first.outputCount(); k++) {
                assertEquals(Double.doubleToLongBits(first.regParam(k)), Double.doubleToLongBits(again.regParam(k)), "fit " + run + ", regParam " + k);
                assertEquals(Double.doubleToLongBits(first.intercept(k)), Double.doubleToLongBits(again.intercept(k)), "fit " + run + ", intercept " + k);
                double[] a = first.weights(k);
                double[] b = again.weights(k);
                for (int j = 0; j < a.length; j++) {
                    assertEquals(Double.doubleToLongBits(a[j]), Double.doubleToLongBits(b[j]),
                            "fit " + run + ", output " + k + ", weight " + j + ": " + a[j] + " vs " + b[j]);
                }
            }
        }
        // the record lists the grid in the documented order, regParam-major
        double[][] grid = LinearBaselineJob.grid(options);
        JsonNode recorded = first.selection().path("grid");
        assertEquals(grid.length, recorded.size());
        for (int g = 0; g < grid.length; g++) {
            assertEquals(grid[g][0], recorded.get(g).get(0).asDouble(), "grid point " + g);
            assertEquals(grid[g][1], recorded.get(g).get(1).asDouble(), "grid point " + g);
        }
    }

    /** The ParamMaps follow the grid's order for every fresh estimator (MLlib's ParamGridBuilder did not). */
    @Test
    @Timeout(30)
    void paramMapsFollowTheGridForEveryEstimator() {
        LinearBaselineJob.Options options = new LinearBaselineJob.Options(new double[] {0, 1e-3, 1}, new double[] {0, 0.5}, 3, 3, 1, 100);
        double[][] grid = LinearBaselineJob.grid(options);
        for (int i = 0; i < 20; i++) {
            org.apache.spark.ml.regression.LinearRegression lr = new org.apache.spark.ml.regression.LinearRegression();
            org.apache.spark.ml.param.ParamMap[] maps = LinearBaselineJob.paramMaps(lr, grid);
            for (int g = 0; g < grid.length; g++) {
                assertEquals(grid[g][0], (Double) maps[g].apply(lr.regParam()), "estimator " + i + ", grid point " + g);
                assertEquals(grid[g][1], (Double) maps[g].apply(lr.elasticNetParam()), "estimator " + i + ", grid point " + g);
            }
        }
        assertEquals(1, LinearBaselineJob.slices(127));
        assertEquals(2, LinearBaselineJob.slices(128));
        assertEquals(2, LinearBaselineJob.slices(10_000_000), "the partition count must not grow with the machine or the data");
    }

    /**
     * An independent oracle for the fit with the default cross-validated ridge: rows whose targets
     * are a known affine map of the features plus Gaussian noise of known size σ, with feature
     * scales spread over six decades (what standardisation is for). Each recovered weight (on the
     * standardised features) must be within 5 standard errors of the truth plus the ridge bias at
     * the chosen regParam, both computed here with Hipparchus. MLlib's normal solver minimises
     * {@code (1/2n)‖y − Zw − b‖² + (λ/δ)(1/2)‖w‖²} (Spark's WeightedLeastSquares documentation;
     * LinearRegression standardises the label, δ = its population standard deviation; our features
     * are already standardised, so no σ_j), whose minimiser has mean {@code w − μ(G+μI)⁻¹w} with
     * {@code μ = λ/δ}, {@code G = ZᵀZ/n} of the centred standardised features, and covariance at most
     * {@code σ²G⁻¹/n} (the least-squares one). 5 standard errors leave a per-weight miss probability
     * of 6e-7, 2e-4 over the 324 weights. The intercept (not penalised; Z is centred) gets 5σ/√n.
     */
    @Test
    void crossValidatedRidgeRecoversAKnownLinearMapWithinItsStandardErrors(@TempDir Path tmp) throws Exception {
        LinearBaselineJob.TrainingData layout = LinearBaselineJob.read(train, true);
        int p = layout.features()[0].length;
        int outputs = layout.targets()[0].length;
        int n = 1000;
        double sigma = 0.05;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(20261130L);
        double[] colScale = new double[p];
        double[] colOffset = new double[p];
        for (int j = 0; j < p; j++) {
            colScale[j] = Math.pow(10, j % 7 - 3);
            colOffset[j] = gaussian(rng) * 3 * colScale[j];
        }
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = colOffset[j] + colScale[j] * gaussian(rng);
            }
        }
        double[][] wRaw = new double[outputs][p];
        double[] c = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            c[k] = gaussian(rng);
            for (int j = 0; j < p; j++) {
                wRaw[k][j] = gaussian(rng) / colScale[j];
            }
        }
        double[][] y = new double[n][outputs];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < outputs; k++) {
                double v = c[k];
                for (int j = 0; j < p; j++) {
                    v += wRaw[k][j] * x[i][j];
                }
                y[i][k] = v + sigma * gaussian(rng);
            }
        }
        LinearBaselineJob.TrainingData data = new LinearBaselineJob.TrainingData(layout.corpus(), x, y, n, true);
        LinearBaseline model = LinearBaselineJob.fit(spark, data, LinearBaselineJob.Options.defaults(), tmp);

        // the standardisation, computed here: population mean and standard deviation per column
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int j = 0; j < p; j++) {
            final int col = j;
            mean[j] = Arrays.stream(x).mapToDouble(r -> r[col]).average().orElseThrow();
            sd[j] = Math.sqrt(Arrays.stream(x).mapToDouble(r -> (r[col] - mean[col]) * (r[col] - mean[col])).sum() / n);
        }
        RealMatrix gram = new Array2DRowRealMatrix(p, p);
        for (double[] r : x) {
            for (int a = 0; a < p; a++) {
                double za = (r[a] - mean[a]) / sd[a];
                for (int b = 0; b < p; b++) {
                    gram.addToEntry(a, b, za * (r[b] - mean[b]) / sd[b] / n);
                }
            }
        }
        RealMatrix gramInverse = new org.hipparchus.linear.LUDecomposition(gram).getSolver().getInverse();
        double lambda = model.regParam(0);
        assertTrue(lambda <= 1e-2, "at σ = " + sigma + " against an O(1) signal the cross-validation must not shrink hard: regParam "
                + lambda + ", selection " + model.selection());
        double worst = 0;
        for (int k = 0; k < outputs; k++) {
            assertEquals(lambda, model.regParam(k), "one shared choice");
            final int out = k;
            double yMean = Arrays.stream(y).mapToDouble(r -> r[out]).average().orElseThrow();
            double delta = Math.sqrt(Arrays.stream(y).mapToDouble(r -> (r[out] - yMean) * (r[out] - yMean)).sum() / n);
            double mu = lambda / delta;
            RealMatrix shrink = new org.hipparchus.linear.LUDecomposition(
                    gram.add(org.hipparchus.linear.MatrixUtils.createRealIdentityMatrix(p).scalarMultiply(mu))).getSolver().getInverse()
                    .scalarMultiply(mu);
            double[] truth = new double[p];
            double interceptTruth = c[k];
            for (int j = 0; j < p; j++) {
                truth[j] = wRaw[k][j] * sd[j];
                interceptTruth += wRaw[k][j] * mean[j];
            }
            double[] bias = shrink.operate(truth);
            double[] w = model.weights(k);
            for (int j = 0; j < p; j++) {
                assertEquals(sd[j], model.scale()[j], 1e-12 * sd[j], "scale of feature " + j);
                double se = sigma * Math.sqrt(gramInverse.getEntry(j, j) / n);
                double miss = Math.abs(w[j] - truth[j]);
                worst = Math.max(worst, (miss - Math.abs(bias[j])) / se);
                assertTrue(miss <= Math.abs(bias[j]) + 5 * se, "output " + k + ", weight " + j + ": fitted " + w[j] + ", truth " + truth[j]
                        + ", ridge bias " + bias[j] + ", standard error " + se + " (regParam " + lambda + ")");
            }
            assertEquals(interceptTruth, model.intercept(k), 5 * sigma / Math.sqrt(n), "intercept " + k);
        }
        System.out.printf("known-map recovery: regParam %.3g, worst (|miss| - |bias|)/se = %.2f%n", lambda, worst);
    }

    private static double gaussian(java.util.SplittableRandom rng) {
        // Box–Muller; enough for test data
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /**
     * The command with cross-validation. What the fit must achieve on its training corpus is its
     * own objective: the RMS over prefixes and outputs of {@code (corrected − oracle)/s_t} is below
     * that of the fixed coefficients (predicting zero correction is inside the model class, so a
     * fit that does worse is broken). The median relative L2 error at the sample points, computed
     * here from the sample values and the function set's basis, is printed and recorded, not
     * asserted: on these corpora the fixed T_FX is already within ~2× of the oracle for the median
     * prefix, the correction depends on derivatives above order n that the features do not see,
     * and the linear baseline does NOT lower the median error — it lowers the squared error,
     * which the heavy tail of the corpus dominates (docs/benchmarks.md, "linear baseline").
     */
    /**
     * {@code --next-order}: on the training corpus' own prefixes, with a target that is exactly
     * linear in the normalised {@code [a; a⁺]} (a fixed random {@code ΔT·a + Q·a⁺}, shared by the
     * outputs like the learned model's maps), the baseline fitted with {@code a⁺} recovers it to
     * rounding, and the one fitted without cannot (its residual is orders of magnitude larger).
     * The flag is written to the model file.
     */
    @Test
    void withNextOrderTermsATargetLinearInAAndAPlusIsRecovered(@TempDir Path tmp) throws Exception {
        LinearBaselineJob.TrainingData with = LinearBaselineJob.read(train, true);
        LinearBaselineJob.TrainingData without = LinearBaselineJob.read(train, false);
        List<CorpusRecord> records = CorpusReader.open(train).records(CorpusFilter.ALL);
        int d = records.get(0).dim();
        int m = records.get(0).prefixExpansion()[0].length / d;
        int k = LinearBaseline.nextTerms(d, records.get(0).order());
        assertEquals(without.features()[0].length + d * k, with.features()[0].length);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        double[][] dt = new double[m][];
        double[][] q = new double[m][];
        for (int i = 0; i < m; i++) {
            dt[i] = rnd.doubles(m, -1, 1).toArray();
            q[i] = rnd.doubles(k, -1, 1).toArray();
        }
        List<double[]> ys = new ArrayList<>();
        for (CorpusRecord r : records) {
            double[][] next = LinearBaseline.nextOrderTerms(r);
            for (int t = 0; t < r.steps(); t++) {
                double[] a = r.prefixExpansion()[t];
                double s = LinearBaseline.normaliser(a);
                double[] y = new double[d * m];
                for (int o = 0; o < d; o++) {
                    for (int i = 0; i < m; i++) {
                        double v = 0;
                        for (int j = 0; j < m; j++) {
                            v += dt[i][j] * a[o * m + j];
                        }
                        for (int j = 0; j < k; j++) {
                            v += q[i][j] * next[t][o * k + j];
                        }
                        y[o * m + i] = v / s;
                    }
                }
                ys.add(y);
            }
        }
        double[][] y = ys.toArray(double[][]::new);
        assertEquals(with.features().length, y.length);
        LinearBaseline fitWith = LinearBaselineJob.run(spark, new LinearBaselineJob.TrainingData(with.corpus(), with.features(), y,
                with.records(), true), LinearBaselineJob.Options.fixed(0, 0), tmp.resolve("with"));
        LinearBaseline fitWithout = LinearBaselineJob.run(spark, new LinearBaselineJob.TrainingData(without.corpus(),
                without.features(), y, without.records(), false), LinearBaselineJob.Options.fixed(0, 0), tmp.resolve("without"));
        assertTrue(LinearBaselineFile.read(tmp.resolve("with")).nextOrder());
        assertFalse(LinearBaselineFile.read(tmp.resolve("without")).nextOrder());
        double residualWith = relativeResidual(fitWith, with.features(), y);
        double residualWithout = relativeResidual(fitWithout, without.features(), y);
        assertTrue(residualWith < 1e-6, "with a+: relative residual " + residualWith);
        assertTrue(residualWithout > 1e-3 && residualWithout > 1e4 * residualWith,
                "without a+: relative residual " + residualWithout + " vs " + residualWith + " with");
    }

    /** {@code sqrt(Σ (prediction − y)² / Σ y²)} over every row and output. */
    private static double relativeResidual(LinearBaseline model, double[][] x, double[][] y) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            double[] p = model.predictNormalised(x[i]);
            for (int j = 0; j < p.length; j++) {
                err += (p[j] - y[i][j]) * (p[j] - y[i][j]);
                norm += y[i][j] * y[i][j];
            }
        }
        return Math.sqrt(err / norm);
    }

    @Test
    void crossValidatedModelReducesItsTrainingObjective(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("model");
        StringWriter text = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new BaselineCommand());
        cl.setOut(new PrintWriter(text, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--corpus", train.toString(), "--out", out.toString(), "--holdout", heldOut.toString(),
                "--reg-params", "1e-4,1e-2", "--elastic-net-params", "0", "--cv-outputs", "2");
        assertEquals(0, code, err.toString());
        System.out.print(text);
        // the training and held-out error lines come from the evaluation module's held-out evaluator, which
        // 'vtm baseline' plugs in: evaluation/…/cli/BaselineErrorsCliTest checks them
        LinearBaseline model = LinearBaselineFile.read(out);
        assertEquals(2, model.selection().path("outputs").size(), model.selection().toString());
        assertEquals(2, model.selection().path("grid").size());
        assertTrue(!spark.sparkContext().isStopped(), "the command must not stop a session it did not start");

        double fixed2 = 0;
        double base2 = 0;
        for (CorpusRecord r : CorpusReader.open(train).records(CorpusFilter.ALL)) {
            for (int t = 0; t < r.steps(); t++) {
                double[] a = r.prefixExpansion()[t];
                double s = Math.sqrt(Arrays.stream(a).map(v -> v * v).sum() / a.length);
                double[] c = model.correctedCoefficients(r, t);
                for (int k = 0; k < c.length; k++) {
                    double o = r.oracleCoefficients()[t][k];
                    fixed2 += Math.pow((r.fixedCoefficients()[t][k] - o) / s, 2);
                    base2 += Math.pow((c[k] - o) / s, 2);
                }
            }
        }
        System.out.printf("training objective (sum of squares of (coefficients - oracle)/s): fixed=%.4g baseline=%.4g%n", fixed2, base2);
        assertTrue(base2 < fixed2, "baseline " + base2 + " does not lower the training objective below fixed " + fixed2);

        double[] medians = medianErrors(model, train);
        System.out.printf("training median rel L2 (test's own computation): fixed=%.4g baseline=%.4g oracle=%.4g%n",
                medians[0], medians[1], medians[2]);
        assertTrue(medians[2] <= medians[0], "oracle " + medians[2] + " should beat fixed " + medians[0]);
        double[] held = medianErrors(model, heldOut);
        System.out.printf("held-out median rel L2: fixed=%.4g baseline=%.4g oracle=%.4g%n", held[0], held[1], held[2]);
    }

    /** Median relative L2 of fixed, baseline and oracle coefficients at the sample points. */
    private static double[] medianErrors(LinearBaseline model, Path corpus) throws IOException {
        CorpusReader reader = CorpusReader.open(corpus);
        CorpusLayout layout = reader.layout();
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(layout.family()), layout.dim(), layout.order());
        double[][] u = layout.samplePoints();
        int d = layout.dim();
        int m = layout.terms();
        List<double[]> errors = new ArrayList<>();
        for (CorpusRecord r : reader.records(CorpusFilter.ALL)) {
            for (int t = 0; t < r.steps(); t++) {
                double[] truth = r.sampleValues()[t];
                double[][] coefs = {r.fixedCoefficients()[t], model.correctedCoefficients(r, t), r.oracleCoefficients()[t]};
                double[] e = new double[3];
                for (int c = 0; c < 3; c++) {
                    double err2 = 0;
                    double true2 = 0;
                    for (int s = 0; s < u.length; s++) {
                        for (int out = 0; out < d; out++) {
                            double v = 0;
                            for (int j = 0; j < m; j++) {
                                v += coefs[c][out * m + j] * set.evaluate(j, u[s]);
                            }
                            double tv = truth[s * d + out];
                            err2 += (v - tv) * (v - tv);
                            true2 += tv * tv;
                        }
                    }
                    e[c] = Math.sqrt(err2 / true2);
                }
                errors.add(e);
            }
        }
        double[] medians = new double[3];
        for (int c = 0; c < 3; c++) {
            final int col = c;
            double[] v = errors.stream().mapToDouble(e -> e[col]).sorted().toArray();
            medians[c] = v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
        }
        return medians;
    }

    /**
     * The training data reaches the executors through a Spark data source, not inside the tasks:
     * no stage of the fit may carry a task above Spark's recommended size (TaskSetManager warns
     * "task of very large size" above 1000 KiB). The corpus is big enough that shipping its
     * prefixes inside the tasks, as parallelising them from the driver does, exceeds that size.
     */
    @Test
    @Timeout(300)
    void theFitReadsItsDataThroughSparkWithoutOversizedTasks(@TempDir Path tmp) throws Exception {
        Path big = tmp.resolve("big");
        GeneratorConfig config = GeneratorConfig.defaults(3, 2, "chebyshev", 2, 4); // 69 doubles per prefix
        CorpusGenerator g = new CorpusGenerator(config, 11);
        new CorpusWriter(g.layout(), 500, 2).write(big, BIG_RECORDS, 11, config.toJson(), g::record, null);
        LinearBaselineJob.TrainingData data = LinearBaselineJob.read(big);
        long rowBytes = 8L * (data.features()[0].length + data.targets()[0].length);
        assertTrue(data.features().length * rowBytes > 2 * 1000 * 1024L, "the corpus must be big enough that each of 2 tasks "
                + "holding its prefixes (local[2]) exceeds 1000 KiB: " + data.features().length + " prefixes");
        Path out = tmp.resolve("model");
        // what a killed fit left behind (its process is gone: 999999999 is above any Linux pid_max)
        Path stale = Files.createDirectories(out.resolve("." + LinearBaselineJob.ROWS_NAME + ".partial-999999999-7"));
        Files.writeString(stale.resolve(LinearBaselineJob.ROWS_FILE), "1,2\n");
        List<String> warnings;
        try (TaskSizeWarnings capture = TaskSizeWarnings.open()) {
            LinearBaselineJob.run(spark, data, LinearBaselineJob.Options.fixed(1e-6, 0), out);
            warnings = capture.messages();
        }
        assertTrue(warnings.isEmpty(), warnings.size() + " oversized-task warning(s), the first: "
                + warnings.stream().findFirst().orElse(""));
        assertEquals(data.features().length, LinearBaselineFile.read(out).trainingRows());
        try (var files = Files.list(out)) {
            assertEquals(List.of(LinearBaselineFile.FILE_NAME), files.map(f -> f.getFileName().toString()).toList(),
                    "the job removes its temporary data (and a killed fit's) and leaves only the model");
        }
    }

    /** Stale rows directories are removed only when their writer is gone, and only the rows file the job writes. */
    @Test
    @Timeout(30)
    void onlyTheRowsOfDeadWritersAreRemoved(@TempDir Path tmp) throws Exception {
        String prefix = "." + LinearBaselineJob.ROWS_NAME + ".partial-";
        Path dead = Files.createDirectory(tmp.resolve(prefix + "999999999-1"));
        Files.writeString(dead.resolve(LinearBaselineJob.ROWS_FILE), "x");
        Path alive = Files.createDirectory(tmp.resolve(prefix + ProcessHandle.current().pid() + "-" + (Thread.currentThread().getId() + 1)));
        Files.writeString(alive.resolve(LinearBaselineJob.ROWS_FILE), "x");
        Path shared = Files.createDirectory(tmp.resolve(prefix + "999999998-1"));
        Files.writeString(shared.resolve(LinearBaselineJob.ROWS_FILE), "x");
        Files.writeString(shared.resolve("notes.txt"), "not the job's");
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve(LinearBaselineJob.ROWS_FILE), "x");

        assertEquals(1, LinearBaselineJob.removeStaleRows(tmp));
        assertTrue(!Files.exists(dead), "a dead writer's rows directory is removed");
        assertTrue(Files.exists(alive.resolve(LinearBaselineJob.ROWS_FILE)), "a live writer's rows are kept");
        assertTrue(!Files.exists(shared.resolve(LinearBaselineJob.ROWS_FILE)) && Files.exists(shared.resolve("notes.txt")),
                "only the rows file is removed from a directory holding something else");
        assertTrue(Files.exists(other.resolve(LinearBaselineJob.ROWS_FILE)), "other directories are not touched");
    }

    /** The rows file the fit reads through Spark gives back every double bit for bit. */
    @Test
    @Timeout(30)
    void trainingRowsRoundTripThroughTheirTextFileExactly(@TempDir Path tmp) throws Exception {
        double[] awkward = {0.1, 1.0 / 3, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(1.0), 1e308, -2.5e-300,
            Math.PI, 123456789.0123456789};
        double[][] x = {awkward.clone(), new double[awkward.length]};
        double[][] y = {{Math.E, -1e-17}, {Math.nextUp(0.0), 7}};
        double[] mean = new double[awkward.length];
        double[] scale = new double[awkward.length];
        Arrays.fill(scale, 1.0);
        Path file = tmp.resolve("rows.csv");
        LinearBaselineJob.writeRows(file, x, y, mean, scale);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        for (int i = 0; i < 2; i++) {
            org.apache.spark.sql.Row row = LinearBaselineJob.parseRow(lines.get(i), awkward.length, 2);
            double[] z = ((org.apache.spark.ml.linalg.Vector) row.get(0)).toArray();
            for (int j = 0; j < z.length; j++) {
                assertEquals(Double.doubleToRawLongBits((x[i][j] - mean[j]) / scale[j]), Double.doubleToRawLongBits(z[j]),
                        "row " + i + ", feature " + j + ": " + z[j]);
            }
            for (int k = 0; k < 2; k++) {
                assertEquals(Double.doubleToRawLongBits(y[i][k]), Double.doubleToRawLongBits(row.getDouble(k + 1)), "row " + i + ", y_" + k);
            }
        }
    }

    /** Captures the warnings Spark's TaskSetManager logs (log4j2, Spark's logging backend) while open. */
    static final class TaskSizeWarnings extends org.apache.logging.log4j.core.appender.AbstractAppender implements AutoCloseable {
        static final String LOGGER = org.apache.spark.scheduler.TaskSetManager.class.getName();
        private final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final org.apache.logging.log4j.core.LoggerContext context;

        private TaskSizeWarnings(org.apache.logging.log4j.core.LoggerContext context) {
            super("vtm-task-size-warnings", null, null, true, org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY);
            this.context = context;
        }

        static TaskSizeWarnings open() {
            var context = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
            TaskSizeWarnings capture = new TaskSizeWarnings(context);
            capture.start();
            var config = context.getConfiguration();
            var logger = new org.apache.logging.log4j.core.config.LoggerConfig(LOGGER, org.apache.logging.log4j.Level.WARN, true);
            logger.addAppender(capture, org.apache.logging.log4j.Level.WARN, null);
            config.addLogger(LOGGER, logger);
            context.updateLoggers();
            return capture;
        }

        @Override
        public void append(org.apache.logging.log4j.core.LogEvent event) {
            String m = event.getMessage().getFormattedMessage();
            if (m.contains("very large size")) {
                messages.add(m);
            }
        }

        List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void close() {
            context.getConfiguration().removeLogger(LOGGER);
            context.updateLoggers();
            stop();
        }
    }

    @Test
    void invalidArgumentsFailOnTheDriverBeforeAnyTaskNamingTheArgument(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String c = train.toString();
        String o = tmp.resolve("out").toString();
        String[][] cases = {
            {"--folds", "1", "--folds"},
            {"--reg-params", "1e-4,-1", "--reg-params"},
            {"--reg-params", "abc", "--reg-params"},
            {"--elastic-net-params", "1.5", "--elastic-net-params"},
            {"--cv-outputs", "-1", "--cv-outputs"},
            {"--cv-outputs", "0", "--cv-outputs"}, // no CV but the default 7-point grid
            {"--max-iter", "0", "--max-iter"},
            {"--corpus", tmp.resolve("missing").toString(), "--corpus"},
            {"--corpus", tmp.toString(), "--corpus"}, // a directory without manifest
            {"--holdout", tmp.resolve("missing").toString(), "--holdout"},
            {"--out", file.toString(), "--out"},
        };
        int before = STARTED.get();
        for (String[] k : cases) {
            List<String> args = new ArrayList<>(List.of("--corpus", c, "--out", o));
            int at = args.indexOf(k[0]);
            if (at >= 0) {
                args.set(at + 1, k[1]);
            } else {
                args.add(k[0]);
                args.add(k[1]);
            }
            StringWriter err = new StringWriter();
            int code = JobMain.execute(new BaselineCommand(), new PrintWriter(err, true), args.toArray(String[]::new));
            assertEquals(2, code, args + " -> " + err);
            assertTrue(err.toString().contains(k[2]), args + " -> " + err);
        }
        assertEquals(before, STARTED.get(), "no Spark task may start for invalid arguments");
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing written for invalid arguments");
    }

    @Test
    void modelsOverTheExpansionBudgetAreRefusedBeforeReadingRecords() {
        org.vtm.transforms.MultiIndexSet set = org.vtm.transforms.MultiIndexSet.of(6, 6);
        int[][] alphas = new int[set.size()][];
        for (int i = 0; i < alphas.length; i++) {
            alphas[i] = set.alpha(i);
        }
        org.vtm.datagen.CorpusLayout big = new org.vtm.datagen.CorpusLayout(6, 6, "chebyshev", alphas, new double[][] {new double[6]});
        org.vtm.transforms.ExpansionBudget.Exceeded e = assertThrows(org.vtm.transforms.ExpansionBudget.Exceeded.class,
                () -> LinearBaselineJob.checkBudget(big));
        assertTrue(e.getMessage().contains("d=6, n=6") && e.getMessage().contains("5544 outputs × 5559 features"), e.getMessage());
        LinearBaselineJob.checkBudget(new org.vtm.datagen.CorpusLayout(2, 2, "chebyshev",
                new int[][] {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}}, new double[][] {{0, 0}}));
    }
}
