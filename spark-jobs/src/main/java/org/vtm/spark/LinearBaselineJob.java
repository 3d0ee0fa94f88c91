package org.vtm.spark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusFormatException;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.artifacts.Provenance;
import org.vtm.datagen.baseline.LinearBaseline;
import org.vtm.datagen.baseline.LinearBaselineFile;
import org.vtm.transforms.ExpansionBudget;

/**
 * Fits the linear baseline ({@link LinearBaseline}, format {@value LinearBaselineFile#FORMAT}) on a
 * corpus with Spark MLlib: one {@link LinearRegression} per output coefficient ({@code d·M} of
 * them) from the standardised features of every record prefix to {@code oracle − fixed}.
 *
 * <p>How: the driver reads the corpus with {@link CorpusReader} (verified checksums), computes the
 * raw features and targets of every prefix and standardises the features once (mean and population
 * standard deviation; constant features get scale 1). It writes the standardised rows once to a
 * temporary text file of its own (under the output directory, which must be on a file system the
 * executors share; removed afterwards, and a killed fit's is removed by the next) that Spark reads
 * into one DataFrame
 * {@code (features, y_0 … y_{d·M-1})}, cached, that every fit reuses: the training data never
 * travels inside the tasks (which would make every stage's tasks as large as the data). Each fit
 * uses the {@code normal} solver (one pass over the data to form the Gram matrix; elastic net is
 * then solved on that matrix) with {@code standardization=false} (already standardised).
 *
 * <p>Regularisation: an MLlib {@link CrossValidator} (RMSE, {@code folds} folds, fixed seed) over
 * the grid {@code regParam × elasticNetParam} ({@link #grid}, regParam-major, the order the
 * selection record lists; by default ridge with {@code regParam ∈ {0, 1e-4, …, 10}}, plain least
 * squares included) is run on {@code cvOutputs} representative outputs,
 * evenly spaced over {@code k = 0 … d·M-1} (so both outputs and low and high degrees are
 * represented); each output's RMSEs are divided by its target's standard deviation and averaged,
 * and the grid point with the smallest average is used for every output. {@code cvOutputs ≥ d·M}
 * cross-validates every output and keeps each output's own best point; {@code cvOutputs = 0} fits
 * with the single given grid point and no cross-validation.
 *
 * <p>Determinism: the same rows, options and seed give the same model bit for bit, whatever the
 * machine: the grid's order is fixed ({@link #paramMaps}), and the rows are read into a number of
 * partitions that depends on the data only ({@link #slices}).
 *
 * <p>The job takes parsed {@link Options}; its spark-submit entry point is
 * {@code org.vtm.spark.cli.BaselineCommand} (the options of {@code vtm baseline}; the master comes
 * from spark-submit).
 */
public final class LinearBaselineJob {
    /**
     * The temporary directory {@link #fit} writes its training rows to is named like VTM's other
     * temporary files ({@link AtomicFiles#temporaryFor}): {@code .linear-baseline-rows.partial-PID-TID}.
     */
    static final String ROWS_NAME = "linear-baseline-rows";
    private static final Pattern ROWS_DIRECTORY = Pattern.compile("\\." + Pattern.quote(ROWS_NAME) + "\\.partial-(\\d+)-\\d+");
    /** The rows file inside that directory (Hadoop's text input skips names starting with a dot). */
    static final String ROWS_FILE = "rows.csv";

    private LinearBaselineJob() {
    }

    /** The default regParam grid (also {@code vtm baseline --reg-params}' default). */
    public static final String DEFAULT_REG_PARAMS = "0,1e-4,1e-3,1e-2,0.1,1,10";
    /**
     * The default elasticNetParam grid: ridge only, so every fit is one Cholesky solve of the
     * normal equations (an L1 part needs MLlib's iterative OWL-QN, bounded by {@code --max-iter});
     * elastic net stays available through {@code --elastic-net-params}.
     */
    public static final String DEFAULT_ELASTIC_NET_PARAMS = "0";

    /** Fitting options, validated on the driver by the constructor (messages name the CLI option). */
    public record Options(double[] regParams, double[] elasticNetParams, int folds, int cvOutputs, long seed, int maxIter) {
        public Options {
            if (regParams.length == 0) {
                throw new IllegalArgumentException("--reg-params must list at least one value");
            }
            for (double r : regParams) {
                if (!(r >= 0) || !Double.isFinite(r)) {
                    throw new IllegalArgumentException("--reg-params must be finite and >= 0, got " + r);
                }
            }
            if (elasticNetParams.length == 0) {
                throw new IllegalArgumentException("--elastic-net-params must list at least one value");
            }
            for (double a : elasticNetParams) {
                if (!(a >= 0 && a <= 1)) {
                    throw new IllegalArgumentException("--elastic-net-params must be within [0, 1], got " + a);
                }
            }
            if (cvOutputs < 0) {
                throw new IllegalArgumentException("--cv-outputs must be >= 0 (0: no cross-validation), got " + cvOutputs);
            }
            if (cvOutputs == 0 && regParams.length * elasticNetParams.length != 1) {
                throw new IllegalArgumentException("--cv-outputs 0 (no cross-validation) needs exactly one --reg-params and one "
                        + "--elastic-net-params value, got " + regParams.length + " and " + elasticNetParams.length);
            }
            if (cvOutputs > 0 && (folds < 2 || folds > 20)) {
                throw new IllegalArgumentException("--folds must be within 2..20, got " + folds);
            }
            if (maxIter < 1) {
                throw new IllegalArgumentException("--max-iter must be >= 1, got " + maxIter);
            }
            regParams = regParams.clone();
            elasticNetParams = elasticNetParams.clone();
        }

        /**
         * The defaults of {@code vtm baseline} ({@link #DEFAULT_REG_PARAMS}, {@link #DEFAULT_ELASTIC_NET_PARAMS}, 3
         * folds on 3 outputs, seed 1): ridge on the standardised features, with plain least squares
         * ({@code regParam = 0}) in the grid so the choice is never worse than it in the
         * cross-validated error, and up to {@code regParam = 10}, far enough that the largest value
         * shrinks the model to (almost) its intercept and the choice is not stuck at the grid's edge.
         */
        public static Options defaults() {
            return new Options(parse(DEFAULT_REG_PARAMS), parse(DEFAULT_ELASTIC_NET_PARAMS), 3, 3, 1, 100);
        }

        private static double[] parse(String list) {
            return Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
        }

        /** No cross-validation: one fixed regularisation. */
        public static Options fixed(double regParam, double elasticNetParam) {
            return new Options(new double[] {regParam}, new double[] {elasticNetParam}, 3, 0, 1, 100);
        }
    }

    /**
     * Training data of a corpus: raw features and targets of every prefix, on the driver.
     *
     * @param nextOrder whether the features include the degree-(n+1) terms {@code a⁺} ({@code --next-order})
     */
    public record TrainingData(CorpusReader corpus, double[][] features, double[][] targets, long records, boolean nextOrder) {
    }

    /** As {@link #read(Path, boolean)} without next-order terms. */
    public static TrainingData read(Path corpusDir) throws IOException {
        return read(corpusDir, false);
    }

    /**
     * Opens and verifies the corpus and computes its features (driver only; names {@code --corpus}
     * on failure); {@code nextOrder}: the features include each prefix's degree-(n+1) terms
     * {@code a⁺} ({@link LinearBaseline#nextOrderTerms}), the information of a learned model with
     * next-order inputs.
     */
    public static TrainingData read(Path corpusDir, boolean nextOrder) throws IOException {
        CorpusReader reader;
        try {
            reader = CorpusReader.open(corpusDir);
        } catch (CorpusFormatException e) {
            throw new IllegalArgumentException("--corpus: " + e.getMessage(), e);
        }
        checkBudget(reader.layout(), nextOrder);
        List<double[]> x = new ArrayList<>();
        List<double[]> y = new ArrayList<>();
        List<CorpusRecord> records = reader.records(CorpusFilter.ALL);
        for (CorpusRecord r : records) {
            double[][] next = nextOrder ? LinearBaseline.nextOrderTerms(r) : null;
            for (int t = 0; t < r.steps(); t++) {
                x.add(LinearBaseline.features(r, t, next));
                y.add(LinearBaseline.target(r, t));
            }
        }
        if (x.size() < 2) {
            throw new IllegalArgumentException("--corpus: " + corpusDir + " has " + x.size()
                    + " record prefixes; a linear model needs at least 2");
        }
        return new TrainingData(reader, x.toArray(double[][]::new), y.toArray(double[][]::new), records.size(), nextOrder);
    }

    /**
     * Refuses, before any record is read, a corpus whose model would exceed the expansion budget:
     * {@code d·M} outputs over {@code 2d+3+d·M} features ({@code +d·K} with next-order terms; the
     * weights, twice: fitted and in the model) and a features × features normal matrix with its factor.
     *
     * @throws ExpansionBudget.Exceeded naming d, n, M and the model's shape
     */
    public static void checkBudget(CorpusLayout layout) {
        checkBudget(layout, false);
    }

    /** As above; {@code nextOrder}: the features include the {@code d·K} next-order terms. */
    public static void checkBudget(CorpusLayout layout, boolean nextOrder) {
        long m = layout.terms();
        long outputs = ExpansionBudget.times(layout.dim(), m);
        long p = ExpansionBudget.plus(2L * layout.dim() + 3, outputs);
        if (nextOrder) {
            // K = (number of multi-indices of degree n+1) - M, counted without building the set
            long up = (long) Math.min(Long.MAX_VALUE / 4, org.vtm.transforms.MultiIndexSet.sizeOf(layout.dim(), layout.order() + 1));
            p = ExpansionBudget.plus(p, ExpansionBudget.times(layout.dim(), Math.max(0, up - m)));
        }
        long bytes = ExpansionBudget.plus(ExpansionBudget.times(ExpansionBudget.doubles(outputs, p), 2),
                ExpansionBudget.times(ExpansionBudget.doubles(p, p), 2));
        ExpansionBudget.check(bytes, ExpansionBudget.times(p, p), ExpansionBudget.defaultBytes(), String.format(Locale.ROOT,
                "the linear baseline for d=%d, n=%d, family %s (M=%d: %d outputs × %d features)",
                layout.dim(), layout.order(), layout.family(), m, outputs, p));
    }

    /**
     * Fits the model on {@code data} (see the class comment).
     *
     * @param scratch a directory on a file system the driver and the executors share, in which the
     *     job writes its training rows to a temporary directory of its own and removes it afterwards
     */
    public static LinearBaseline fit(SparkSession spark, TrainingData data, Options options, Path scratch) throws IOException {
        CorpusLayout layout = data.corpus().layout();
        int n = data.features().length;
        int p = data.features()[0].length;
        int outputs = data.targets()[0].length;
        if (options.cvOutputs() > 0 && n < options.folds()) {
            throw new IllegalArgumentException("--folds " + options.folds() + " is more than the " + n + " training prefixes");
        }
        // standardise once, on the driver
        double[] mean = new double[p];
        double[] scale = new double[p];
        for (double[] row : data.features()) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        for (double[] row : data.features()) {
            for (int j = 0; j < p; j++) {
                double c = row[j] - mean[j];
                scale[j] += c * c;
            }
        }
        for (int j = 0; j < p; j++) {
            double sd = Math.sqrt(scale[j] / n);
            // constant (or numerically constant) features: leave unscaled, they carry no information
            scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1.0;
        }
        double[] targetSd = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            double s = 0;
            double s2 = 0;
            for (double[] y : data.targets()) {
                s += y[k];
                s2 += y[k] * y[k];
            }
            targetSd[k] = Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n)));
        }

        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("features", SQLDataTypes.VectorType(), false));
        for (int k = 0; k < outputs; k++) {
            fields.add(DataTypes.createStructField(label(k), DataTypes.DoubleType, false));
        }
        StructType schema = DataTypes.createStructType(fields);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("vtm baseline: " + n + " prefixes, " + p + " features, " + outputs + " outputs");
        int slices = slices(n);
        // the rows reach the executors through a Spark data source, not inside the tasks
        removeStaleRows(scratch);
        Path dir = Files.createDirectory(AtomicFiles.temporaryFor(scratch.resolve(ROWS_NAME)));
        Path rows = dir.resolve(ROWS_FILE);
        Dataset<Row> df = null;
        try {
            writeRows(rows, data.features(), data.targets(), mean, scale);
            df = spark.createDataFrame(jsc.textFile(rows.toUri().toString(), slices).coalesce(slices).map(line -> parseRow(line, p, outputs)),
                    schema).persist(StorageLevel.MEMORY_ONLY());
            df.count();
            double[] regs = new double[outputs];
            double[] nets = new double[outputs];
            ObjectNode selection = select(df, options, outputs, targetSd, regs, nets);
            double[][] weights = new double[outputs][];
            double[] intercepts = new double[outputs];
            for (int k = 0; k < outputs; k++) {
                LinearRegressionModel m = regression(options, k).setRegParam(regs[k]).setElasticNetParam(nets[k]).fit(df);
                weights[k] = m.coefficients().toArray();
                intercepts[k] = m.intercept();
            }
            ObjectNode provenance = JsonNodeFactory.instance.objectNode();
            provenance.put("corpus", data.corpus().directory().toAbsolutePath().toString());
            provenance.put("corpus_seed", data.corpus().manifest().seed());
            provenance.put("corpus_config_hash", data.corpus().manifest().configHash());
            provenance.put("corpus_records", data.records());
            provenance.put("cv_seed", options.seed());
            provenance.put("vtm_version", Provenance.vtmVersion());
            provenance.put("spark_version", spark.version());
            for (Map.Entry<String, String> e : Provenance.facts().entrySet()) {
                provenance.put(e.getKey(), e.getValue());
            }
            provenance.put("next_order", data.nextOrder());
            return new LinearBaseline(layout.dim(), layout.order(), layout.family(), layout.alphas(), data.nextOrder(), mean, scale, weights,
                    intercepts, regs, nets, n, selection, provenance);
        } finally {
            if (df != null) {
                df.unpersist(true);
            }
            // only what this job wrote: the rows file, then its directory if nothing else is in it
            Files.deleteIfExists(rows);
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                // not ours to delete
            }
        }
    }

    /**
     * Removes what fits killed before their clean-up left in {@code scratch}: the rows file of each
     * rows directory whose writer process is no longer alive (or is this thread, which is not
     * fitting now), then that directory if nothing else is in it. Nothing else is touched.
     *
     * @return how many rows directories were removed
     */
    static int removeStaleRows(Path scratch) throws IOException {
        Path mine = AtomicFiles.temporaryFor(scratch.resolve(ROWS_NAME));
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(scratch)) {
            for (Path d : entries) {
                Matcher m = ROWS_DIRECTORY.matcher(d.getFileName().toString());
                if (m.matches() && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && (d.equals(mine) || !isAlive(m.group(1)))) {
                    stale.add(d);
                }
            }
        }
        int removed = 0;
        for (Path d : stale) {
            Files.deleteIfExists(d.resolve(ROWS_FILE));
            try {
                Files.deleteIfExists(d);
                removed++;
            } catch (DirectoryNotEmptyException e) {
                // something else is in it: not ours to delete
            }
        }
        return removed;
    }

    private static boolean isAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false; // more digits than a pid
        }
    }

    /**
     * Writes the standardised features and the targets of every prefix to {@code file}, one line
     * per prefix: {@code z_0,…,z_{p-1},y_0,…,y_{d·M-1}}, each value as {@link Double#toString}
     * (the shortest decimal that parses back to the same double, so the rows Spark reads are
     * bit-identical to the ones computed here).
     */
    static void writeRows(Path file, double[][] features, double[][] targets, double[] mean, double[] scale) throws IOException {
        int p = mean.length;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < features.length; i++) {
                line.setLength(0);
                double[] x = features[i];
                for (int j = 0; j < p; j++) {
                    line.append((x[j] - mean[j]) / scale[j]).append(',');
                }
                double[] y = targets[i];
                for (int k = 0; k < y.length; k++) {
                    line.append(y[k]).append(k + 1 < y.length ? ',' : '\n');
                }
                w.append(line);
            }
        }
    }

    /** One row {@code (features, y_0 … y_{outputs-1})} from a line of {@link #writeRows}. */
    static Row parseRow(String line, int p, int outputs) {
        String[] v = line.split(",", -1);
        if (v.length != p + outputs) {
            throw new IllegalStateException("baseline rows: a line has " + v.length + " values, expected " + (p + outputs));
        }
        double[] z = new double[p];
        for (int j = 0; j < p; j++) {
            z[j] = Double.parseDouble(v[j]);
        }
        Object[] values = new Object[outputs + 1];
        values[0] = Vectors.dense(z);
        for (int k = 0; k < outputs; k++) {
            values[k + 1] = Double.parseDouble(v[p + k]);
        }
        return RowFactory.create(values);
    }

    /** Chooses regParam/elasticNetParam per output (fills {@code regs}, {@code nets}); returns the record of it. */
    private static ObjectNode select(Dataset<Row> df, Options options, int outputs, double[] targetSd, double[] regs, double[] nets) {
        ObjectNode sel = JsonNodeFactory.instance.objectNode();
        if (options.cvOutputs() == 0) {
            Arrays.fill(regs, options.regParams()[0]);
            Arrays.fill(nets, options.elasticNetParams()[0]);
            sel.put("method", "fixed (no cross-validation)");
            return sel;
        }
        boolean perOutput = options.cvOutputs() >= outputs;
        int[] cvOutputs = representative(outputs, Math.min(options.cvOutputs(), outputs));
        sel.put("method", perOutput ? "CrossValidator per output" : "CrossValidator on representative outputs, shared choice");
        sel.put("metric", "rmse");
        sel.put("folds", options.folds());
        sel.put("seed", options.seed());
        double[][] grid = grid(options);
        ArrayNode gridNode = sel.putArray("grid");
        for (double[] g : grid) {
            gridNode.addArray().add(g[0]).add(g[1]);
        }
        ArrayNode cvOut = sel.putArray("outputs");
        double[] normalisedSum = new double[grid.length];
        int counted = 0;
        for (int k : cvOutputs) {
            LinearRegression lr = regression(options, k);
            ParamMap[] maps = paramMaps(lr, grid);
            CrossValidator cv = new CrossValidator().setEstimator(lr).setEstimatorParamMaps(maps)
                    .setEvaluator(new RegressionEvaluator().setLabelCol(label(k)).setMetricName("rmse"))
                    .setNumFolds(options.folds()).setSeed(options.seed()).setParallelism(2);
            CrossValidatorModel model = cv.fit(df);
            // avgMetrics()[g] belongs to maps[g], which is grid[g] (built in that order above)
            double[] rmse = model.avgMetrics();
            int best = argmin(rmse);
            ObjectNode o = cvOut.addObject();
            o.put("output", k);
            o.put("target_sd", targetSd[k]);
            ArrayNode r = o.putArray("rmse");
            Arrays.stream(rmse).forEach(r::add);
            o.put("best", best);
            if (perOutput) {
                regs[k] = grid[best][0];
                nets[k] = grid[best][1];
            }
            if (targetSd[k] > 0) {
                for (int g = 0; g < rmse.length; g++) {
                    normalisedSum[g] += rmse[g] / targetSd[k];
                }
                counted++;
            }
        }
        if (!perOutput) {
            int best = 0;
            if (counted > 0) {
                best = argmin(normalisedSum);
                ArrayNode avg = sel.putArray("mean_normalised_rmse");
                for (double s : normalisedSum) {
                    avg.add(s / counted);
                }
            }
            Arrays.fill(regs, grid[best][0]);
            Arrays.fill(nets, grid[best][1]);
            sel.put("chosen_reg_param", grid[best][0]);
            sel.put("chosen_elastic_net_param", grid[best][1]);
        }
        return sel;
    }

    /**
     * The grid {@code (regParam, elasticNetParam)} in a fixed order: regParam-major, each list in
     * the order given. The selection record, the CV metrics and the choice all index this array.
     */
    static double[][] grid(Options options) {
        double[][] grid = new double[options.regParams().length * options.elasticNetParams().length][];
        int g = 0;
        for (double reg : options.regParams()) {
            for (double net : options.elasticNetParams()) {
                grid[g++] = new double[] {reg, net};
            }
        }
        return grid;
    }

    /**
     * One MLlib {@link ParamMap} per grid point of {@code lr}, {@code maps[g]} for {@code grid[g]}.
     * Built here, not by MLlib's {@code ParamGridBuilder}: its {@code build()} orders the maps by iterating a
     * hash map keyed by the {@code Param}s, whose hash codes come from the estimator's random uid
     * ({@code linReg_…}), so the order changed from estimator to estimator — within one fit the CV
     * metrics of one output were summed with another output's in a different grid order, and two
     * fits of the same data chose different regularisation (measured: the recorded grid order and
     * the averaged RMSEs differed in each of four fits of the same rows).
     */
    static ParamMap[] paramMaps(LinearRegression lr, double[][] grid) {
        ParamMap[] maps = new ParamMap[grid.length];
        for (int g = 0; g < grid.length; g++) {
            maps[g] = new ParamMap().put(lr.regParam(), grid[g][0]).put(lr.elasticNetParam(), grid[g][1]);
        }
        return maps;
    }

    /**
     * How many partitions the rows are read into: 1 below 128 prefixes, else 2 — a function of the
     * data only, never of the machine's parallelism, so the folds (MLlib draws them per partition)
     * and the sums are the same on a laptop, in CI and on the cluster. MLlib merges the partitions'
     * partial sums (Gram matrix, residual sums of squares) on the driver in the order the tasks
     * finish; with at most two partitions that order cannot change a bit ({@code 0 + a + b} and
     * {@code 0 + b + a} are the same double), with three or more it could. The fit is one pass over
     * data that fits in memory, so two partitions cost nothing that matters.
     */
    static int slices(long prefixes) {
        return prefixes < 128 ? 1 : 2;
    }

    /** {@code count} output indices evenly spaced over {@code 0 … outputs-1}. */
    static int[] representative(int outputs, int count) {
        if (count == 1) {
            return new int[] {outputs / 2};
        }
        return java.util.stream.IntStream.range(0, count)
                .map(i -> (int) Math.round(i * (outputs - 1) / (double) (count - 1))).distinct().toArray();
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static LinearRegression regression(Options options, int k) {
        return new LinearRegression().setFeaturesCol("features").setLabelCol(label(k)).setStandardization(false)
                .setFitIntercept(true).setSolver("normal").setMaxIter(options.maxIter()).setTol(1e-9);
    }

    private static String label(int k) {
        return "y_" + k;
    }

    /** Fits and writes {@code out/}{@value LinearBaselineFile#FILE_NAME} atomically; returns the model. */
    public static LinearBaseline run(SparkSession spark, TrainingData data, Options options, Path out) throws IOException {
        Files.createDirectories(out);
        LinearBaseline model = fit(spark, data, options, out);
        LinearBaselineFile.write(model, out.resolve(LinearBaselineFile.FILE_NAME));
        return model;
    }
}
