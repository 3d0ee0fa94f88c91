package org.vtm.evaluation.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.artifacts.Provenance;
import org.vtm.evaluation.report.ReportWriter;
import org.vtm.spark.SparkSessions;
import org.vtm.transforms.ProgressListener;

/**
 * The end-to-end experiment behind {@code vtm pipeline}: the stages of one {@link Cell} whose
 * directory is the run directory — generate a training corpus and a held-out test corpus (other
 * seed, longer programs), precompute the T_FX bank and fit the MLlib baseline when this build has
 * them, train the learned interpreter (T_FX init) and its two ablations (random init, direct head),
 * evaluate all of them on the test corpus and write the report; with {@code training.seeds} = S
 * the training corpus, baseline and models exist once per seed ({@link Cell#trainings()}), and a
 * tuning run ({@code report.corpus: validation}) is evaluated on the validation corpus instead.
 * {@code vtm experiment} runs the same cell stages for every cell of a grid ({@link Experiment}).
 *
 * <p>The run directory is claimed first ({@link OutputDirectory#claim}, kind {@value #KIND}): a
 * non-empty directory VTM did not write is refused before anything is written. The stages are
 * typed units ({@link StageRunner.Stage}) run by a {@link StageRunner}: each has a directory under
 * {@code out/}, records what it wrote, and is skipped when its inputs — its configuration section,
 * the output hashes of the stages it reads and the hash of the VTM code itself — are unchanged and
 * its outputs verify. A re-run deletes only files an earlier run listed as its own.
 */
public final class Pipeline {
    /** The kind of output directory a pipeline run is. */
    public static final String KIND = "pipeline";
    public static final String STAGE_FORMAT = StageRunner.STAGE_FORMAT;
    public static final String STAGE_FILE = StageRunner.STAGE_FILE;
    private final ExperimentConfig config;
    private final Path out;
    private final PrintStream log;
    private final ProgressListener progress;
    private StageRunner runner;
    private SparkSessions.Handle spark;

    /** A run that prints its stage lines to {@code log} (training progress is not shown). */
    public Pipeline(ExperimentConfig config, Path out, PrintStream log) {
        this(config, out, log, ProgressListener.lines(log));
    }

    /** A run that prints its stage lines to {@code log} and reports training to {@code progress}. */
    public Pipeline(ExperimentConfig config, Path out, PrintStream log, ProgressListener progress) {
        this.config = config;
        this.out = out;
        this.log = log;
        this.progress = progress;
    }

    /** What a run did. */
    public record Result(List<String> ran, List<String> skipped, Path report, double seconds) {
    }

    public Result run() throws Exception {
        try {
            return runStages();
        } finally {
            if (spark != null) {
                spark.close();
                spark = null;
            }
        }
    }

    /** Recognises a run directory written before run directories were marked: a config and stage records. */
    static boolean isUnmarkedRun(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("config.yaml"))) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isRegularFile(p.resolve(STAGE_FILE)));
        } catch (IOException e) {
            return false;
        }
    }

    private Result runStages() throws Exception {
        long start = System.nanoTime();
        Cell cell = new Cell(config, out, log, progress, this::spark);
        cell.checkBudgets(); // sizes refused before anything is written
        OutputDirectory.claim("--out", out, KIND, Pipeline::isUnmarkedRun);
        runner = new StageRunner(out, Provenance.codeHash(), log);
        List<StageRunner.Stage> stages = cell.stages(runner);
        runner.checkBlockers(stages);
        config.write(out);
        log.println("pipeline: preset " + config.text("preset") + ", output " + out.toAbsolutePath().normalize()
                + " (effective configuration in config.yaml)");
        int total = stages.size();
        int k = 0;
        for (StageRunner.Stage s : stages) {
            k++;
            if (s.name().startsWith("train") && spark != null) {
                spark.close(); // training and evaluation do not use Spark: free its threads and memory
                spark = null;
            }
            if (!cell.enabled(s)) {
                log.printf(Locale.ROOT, "[%d/%d] %s: disabled in the configuration%n", k, total, s.name());
                continue;
            }
            runner.run(k, total, s);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path report = out.resolve("report").resolve(ReportWriter.HTML);
        log.printf(Locale.ROOT, "pipeline: done in %.1fs (%d stage(s) run, %d skipped); report: %s%n", seconds,
                runner.ran().size(), runner.skipped().size(), report.toAbsolutePath().normalize());
        return new Result(runner.ran(), runner.skipped(), report, seconds);
    }

    /** The run's embedded Spark session (opened on first use, stopped when the run ends). */
    private org.apache.spark.sql.SparkSession spark() {
        if (spark == null) {
            log.println("  starting embedded Spark (" + config.text("spark_master") + ")");
            spark = SparkSessions.open(config.text("spark_master"), "vtm pipeline");
        }
        return spark.session();
    }

}
