package org.vtm.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.datagen.CorpusFormatException;
import org.vtm.datagen.CorpusReader;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.datagen.baseline.LinearBaseline;
import org.vtm.datagen.baseline.LinearBaselineFile;
import org.vtm.spark.LinearBaselineJob;
import org.vtm.spark.SparkSessions;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm baseline}: fits the linear correction baseline on a corpus with Spark MLlib. */
@Command(name = "baseline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Fit the non-sequential learned baseline: per output coefficient, a regularised linear model "
                + "(Spark MLlib LinearRegression, regularisation chosen by CrossValidator) from each record prefix's "
                + "features (v0, v_t, r, a_t, t; with --next-order also the degree-(n+1) terms a+) to the correction "
                + "oracle - fixed T_FX coefficients.",
            "Writes DIR/linear-baseline.json (format vtm.linear-baseline/2, loadable without Spark)."},
        footer = {"", "Example:", "  vtm baseline --corpus corpus/ --out baseline/ --holdout heldout-corpus/"})
public final class BaselineCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Training corpus (vtm.corpus/1).")
    Path corpus;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--reg-params", paramLabel = "X,…", defaultValue = LinearBaselineJob.DEFAULT_REG_PARAMS,
            description = "MLlib regParam grid (default: ${DEFAULT-VALUE}).")
    String regParams;

    @Option(names = "--elastic-net-params", paramLabel = "A,…", defaultValue = LinearBaselineJob.DEFAULT_ELASTIC_NET_PARAMS,
            description = "MLlib elasticNetParam grid (default: ${DEFAULT-VALUE}).")
    String elasticNetParams;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "3", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--cv-outputs", paramLabel = "N", defaultValue = "3",
            description = "Outputs the grid is cross-validated on (evenly spaced; shared choice); >= d*M: every output "
                    + "its own; 0: no cross-validation (one grid value each) (default: ${DEFAULT-VALUE}).")
    int cvOutputs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Fold-assignment seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "100", description = "Iterations for elastic-net solves (default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--next-order",
            description = "Also feed each prefix's degree-(n+1) scaled terms a+ (the information of a learned model with "
                    + "next-order inputs); recorded in the model file as next_order.")
    boolean nextOrder;

    @Option(names = "--holdout", paramLabel = "DIR", description = "A separate corpus to report held-out errors on.")
    Path holdout;

    /** The kind of output directory {@code vtm baseline} writes. */
    public static final String KIND = "baseline";

    /**
     * Reports a fitted model's errors on a corpus ({@code what}: "training" or "held-out") in one
     * line. The {@code vtm} command line supplies the evaluation module's held-out evaluator; the
     * job alone (no evaluator on its class path) fits and writes the model without the report.
     */
    @FunctionalInterface
    public interface ErrorReport {
        void report(PrintWriter out, String what, LinearBaseline model, CorpusReader corpus) throws java.io.IOException;
    }

    private final ErrorReport errorReport;

    /** The command without an error report. */
    public BaselineCommand() {
        this(null);
    }

    /** The command reporting training and held-out errors through {@code errorReport} (null: none). */
    public BaselineCommand(ErrorReport errorReport) {
        this.errorReport = errorReport;
    }

    /**
     * The spark-submit entry point ({@code --class org.vtm.spark.cli.BaselineCommand}): the options
     * of {@code vtm baseline}; the master comes from spark-submit.
     */
    public static void main(String[] args) {
        System.exit(JobMain.execute(new BaselineCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        // everything is checked on the driver before a session or task exists
        LinearBaselineJob.Options options;
        try {
            options = new LinearBaselineJob.Options(doubles("--reg-params", regParams), doubles("--elastic-net-params", elasticNetParams),
                    folds, cvOutputs, seed, maxIter);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        OutputDirectory.checkUsable("--out", out);
        CorpusReader held = null;
        if (holdout != null) {
            try {
                held = CorpusReader.open(holdout);
            } catch (CorpusFormatException e) {
                throw new UsageException("--holdout: " + e.getMessage());
            }
        }
        LinearBaselineJob.TrainingData data;
        try {
            data = LinearBaselineJob.read(corpus, nextOrder);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        OutputDirectory.claim("--out", out, KIND, dir -> Files.isRegularFile(dir.resolve(LinearBaselineFile.FILE_NAME)));
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        LinearBaseline model;
        try (SparkSessions.Handle h = SparkSessions.open(master, "vtm baseline")) {
            model = LinearBaselineJob.run(h.session(), data, options, out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        o.printf(Locale.ROOT, "fitted %d outputs on %d prefixes (%d features%s) in %.1f s: regParam=%s elasticNet=%s -> %s%n",
                model.outputCount(), model.trainingRows(), model.featureCount(), model.nextOrder() ? ", with a+" : "", seconds,
                model.regParam(0), model.elasticNetParam(0), out.resolve(LinearBaselineFile.FILE_NAME));
        if (errorReport != null) {
            errorReport.report(o, "training", model, data.corpus());
            if (held != null) {
                errorReport.report(o, "held-out", model, held);
            }
        }
        return 0;
    }

    private static double[] doubles(String option, String list) {
        try {
            return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be comma-separated numbers, got '" + list + "'");
        }
    }
}
