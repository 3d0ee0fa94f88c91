package org.vtm.evaluation.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.artifacts.Provenance;
import org.vtm.spark.SparkSessions;
import org.vtm.transforms.ProgressListener;

/**
 * {@code vtm experiment}: every cell of a {@link Grid} through the stages of a {@link Cell}, on Spark.
 *
 * <p>The driver claims the output directory (kind {@value #KIND}), then for every cell in
 * {@code cells/<name>/} runs the Spark stages — the corpora, the T_FX bank and the MLlib baseline —
 * through the existing Spark jobs (a SparkSession cannot be used inside a task). The trainings run
 * as Spark tasks, one per (cell, seed, variant), then the evaluations, one task per cell (an
 * evaluation compares all variants of its cell); every task is single-threaded and writes into its
 * cell's directory through a {@link StageRunner}, so work finished earlier with the same inputs and
 * the same code is skipped. The driver then writes each cell's report (as {@code vtm pipeline}
 * would) and one grid report, {@code report/}, with a table per cell ({@link GridReport}).
 *
 * <p>The session is embedded {@code local[*]} unless a master is given; on a standalone cluster
 * ({@code spark://…}) the executors get the evaluation module's application jar, which carries the
 * interpreter ({@link #appJar}).
 */
public final class Experiment {
    /** The kind of output directory an experiment run is. */
    public static final String KIND = "experiment";
    /** The system property naming the application jar for a cluster (else found from {@code vtm.home}). */
    public static final String APP_JAR_PROPERTY = "vtm.appJar";

    private final Grid grid;
    private final Path out;
    private final String master;
    private final PrintStream log;
    private final Path appJar;
    private SparkSessions.Handle spark;

    /**
     * @param grid   the cells (their {@code spark_master} already set to {@code master})
     * @param master the Spark master: {@code local[N]}, {@code local[*]} or {@code spark://host:port}
     * @param appJar the application jar for a cluster's executors (null: {@link #appJar()})
     */
    public Experiment(Grid grid, Path out, String master, Path appJar, PrintStream log) {
        this.grid = grid;
        this.out = out;
        this.master = master;
        this.appJar = appJar;
        this.log = log;
    }

    /** What a run did, per cell: the stages that ran and those skipped. */
    public record Result(Map<String, List<String>> ran, Map<String, List<String>> skipped, Path report, double seconds) {
    }

    public Result run() throws Exception {
        try {
            return runCells();
        } finally {
            if (spark != null) {
                spark.close();
                spark = null;
            }
        }
    }

    private record Live(Grid.Point point, Cell cell, StageRunner runner, List<StageRunner.Stage> stages) {
        StageRunner.Stage stage(String name) {
            return stages.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        }

        int k(String name) {
            return stages.indexOf(stage(name)) + 1;
        }
    }

    private Result runCells() throws Exception {
        long start = System.nanoTime();
        if (master.startsWith("spark://")) {
            appJar(); // refused before anything is written when the cluster's jar is missing
        }
        OutputDirectory.claim("--out", out, KIND, null);
        String codeHash = Provenance.codeHash();
        List<Live> cells = new ArrayList<>();
        for (Grid.Point p : grid.cells()) {
            Path dir = out.resolve("cells").resolve(p.name());
            Cell cell = new Cell(p.config(), dir, log, ProgressListener.silent(), this::spark);
            StageRunner runner = new StageRunner(dir, codeHash, log);
            List<StageRunner.Stage> stages = cell.stages(runner);
            runner.checkBlockers(stages);
            cells.add(new Live(p, cell, runner, stages));
        }
        log.printf(Locale.ROOT, "experiment: %d cell(s) (%s), Spark master %s, output %s%n", cells.size(),
                grid.axes().isEmpty() ? "no axes" : String.join(" × ", grid.axes()), master, out.toAbsolutePath().normalize());
        for (Live c : cells) {
            log.println("cell " + c.point().name() + " (" + c.point().label() + "): Spark stages on the driver");
            c.point().config().write(c.cell().dir());
            for (String name : c.cell().driverStages()) {
                runOnDriver(c, name);
            }
        }
        List<CellTask.Unit> trainings = new ArrayList<>();
        for (Live c : cells) {
            for (Cell.Training t : c.cell().trainings()) {
                trainings.add(unit(c, t.stage(), t.seed(), codeHash));
            }
        }
        runTasks("training", trainings, cells);
        List<CellTask.Unit> evaluations = new ArrayList<>();
        for (Live c : cells) {
            evaluations.add(unit(c, "evaluate", c.point().config().integer("training.seed"), codeHash));
        }
        runTasks("evaluation", evaluations, cells);
        for (Live c : cells) {
            log.println("cell " + c.point().name() + ": report");
            runOnDriver(c, "report");
        }
        Map<String, List<String>> ran = new LinkedHashMap<>();
        Map<String, List<String>> skipped = new LinkedHashMap<>();
        List<GridReport.CellReport> reports = new ArrayList<>();
        for (Live c : cells) {
            ran.put(c.point().name(), c.runner().ran());
            skipped.put(c.point().name(), c.runner().skipped());
            reports.add(new GridReport.CellReport(c.point(), c.cell().dir().resolve("report")));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path report = GridReport.write(grid, reports, master, out.resolve("report"));
        int nRan = ran.values().stream().mapToInt(List::size).sum();
        int nSkipped = skipped.values().stream().mapToInt(List::size).sum();
        log.printf(Locale.ROOT, "experiment: done in %.1fs (%d cell(s), %d stage(s) run, %d skipped); report: %s%n", seconds,
                cells.size(), nRan, nSkipped, report.toAbsolutePath().normalize());
        return new Result(ran, skipped, report, seconds);
    }

    private void runOnDriver(Live c, String name) throws Exception {
        StageRunner.Stage s = c.stage(name);
        if (!c.cell().enabled(s)) {
            log.printf(Locale.ROOT, "[%d/%d] %s: disabled in the configuration%n", c.k(name), c.stages().size(), name);
            return;
        }
        c.runner().run(c.k(name), c.stages().size(), s);
    }

    /** A task for a stage of a cell, carrying the output hashes of every stage of the cell so far. */
    private static CellTask.Unit unit(Live c, String stage, long seed, String codeHash) {
        Map<String, String> upstream = new LinkedHashMap<>();
        for (StageRunner.Stage s : c.stages()) {
            String h = c.runner().outputHash(s.name());
            if (h != null) {
                upstream.put(s.name(), h);
            }
        }
        return new CellTask.Unit(c.point().name(), c.cell().dir().toAbsolutePath().toString(), c.point().config().toJson(),
                stage, seed, codeHash, upstream, c.k(stage), c.stages().size());
    }

    /** Runs the units as Spark tasks (one partition each), prints their logs, records their outcomes. */
    private void runTasks(String what, List<CellTask.Unit> units, List<Live> cells) {
        if (units.isEmpty()) {
            return;
        }
        log.printf(Locale.ROOT, "experiment: %d %s task(s) on Spark (%s), single-threaded%n", units.size(), what, master);
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
        jsc.setJobDescription("vtm experiment: " + what);
        List<CellTask.Result> results = jsc.parallelize(units, units.size()).map(new CellTask()).collect();
        List<String> failed = new ArrayList<>();
        for (CellTask.Result r : results) {
            String text = r.log().strip();
            log.println("cell " + r.cell() + ", " + r.stage() + " (task in process " + r.pid() + ")"
                    + (r.error() == null ? "" : " FAILED") + ":");
            if (!text.isEmpty()) {
                text.lines().forEach(l -> log.println("  " + l));
            }
            if (r.error() != null) {
                failed.add("cell " + r.cell() + ", stage " + r.stage() + ": " + r.error());
                continue;
            }
            Live c = cells.stream().filter(x -> x.point().name().equals(r.cell())).findFirst().orElseThrow();
            c.runner().recordElsewhere(r.stage(), r.outputHash(), r.ran(), r.timing());
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " task(s) failed; first: " + failed.get(0));
        }
        log.printf(Locale.ROOT, "experiment: %s tasks done in %.1fs%n", what, (System.nanoTime() - t0) / 1e9);
    }

    /** The run's Spark session: embedded for local masters, a cluster application for {@code spark://}. */
    private SparkSession spark() {
        if (spark == null) {
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("spark.task.cpus", "1");
            conf.put("spark.task.maxFailures", "1");
            if (master.startsWith("spark://")) {
                conf.put("spark.jars", appJar().toAbsolutePath().toString());
                conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
                conf.put("spark.executor.extraJavaOptions", String.join(" ", jvmFlags())
                        + " -Dorg.vtm.shaded.netty.tryReflectionSetAccessible=true");
                String host = master.substring("spark://".length()).replaceAll(":.*", "");
                if (host.equals("127.0.0.1") || host.equals("localhost")) {
                    conf.put("spark.driver.host", "127.0.0.1");
                    conf.put("spark.driver.bindAddress", "127.0.0.1");
                }
            }
            log.println("  starting Spark (" + master + ")");
            spark = SparkSessions.open(master, "vtm experiment", conf);
        }
        return spark.session();
    }

    /** The JVM flags the project runs with (the launcher's), for the executors. */
    static List<String> jvmFlags() {
        try (InputStream in = Experiment.class.getResourceAsStream("/org/vtm/evaluation/jvm-flags")) {
            if (in == null) {
                return List.of();
            }
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The application jar the executors of a cluster load: {@code --app-jar}, else the system
     * property {@value #APP_JAR_PROPERTY}, else {@code evaluation/target/evaluation-*-app.jar} under
     * the launcher's {@code vtm.home}.
     *
     * @throws IllegalArgumentException naming where it looked, when there is none
     */
    Path appJar() {
        if (appJar != null) {
            if (!Files.isRegularFile(appJar)) {
                throw new IllegalArgumentException("--app-jar " + appJar + ": no such file");
            }
            return appJar;
        }
        String prop = System.getProperty(APP_JAR_PROPERTY);
        if (prop != null && Files.isRegularFile(Path.of(prop))) {
            return Path.of(prop);
        }
        String home = System.getProperty("vtm.home");
        if (home != null) {
            Path target = Path.of(home, "evaluation", "target");
            try (var s = Files.list(target)) {
                var found = s.filter(p -> p.getFileName().toString().matches("evaluation-.*-app\\.jar")).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException ignored) {
                // not built: refused below
            }
        }
        throw new IllegalArgumentException("a cluster master (" + master + ") needs the application jar that carries the "
                + "interpreter: build it with 'mvn -pl evaluation -am package -DskipTests' "
                + "(evaluation/target/evaluation-VERSION-app.jar) or name it with --app-jar");
    }
}
