package org.vtm.evaluation.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.CorpusEngines;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.TransformBank;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.Manifest;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.artifacts.Provenance;
import org.vtm.datagen.ShardWriter;
import org.vtm.datagen.baseline.LinearBaselineFile;
import org.vtm.evaluation.report.Evaluator;
import org.vtm.evaluation.report.ReportWriter;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.ModelDirectory;
import org.vtm.interpreter.Trainer;
import org.vtm.interpreter.TfxSource;
import org.vtm.interpreter.TrainerConfig;
import org.vtm.spark.LinearBaselineJob;
import org.vtm.spark.PrecomputeTransformsJob;
import org.vtm.spark.SparkSessions;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.ProgressListener;

/**
 * One cell of an experiment: a configuration and the directory its stages write into. It defines
 * the nine typed stages ({@link StageRunner.Stage}) of the experiment behind {@code vtm pipeline}:
 * generate a training corpus and a held-out test corpus (other seed, longer programs), precompute
 * the T_FX bank and fit the MLlib baseline, train the learned interpreter (T_FX init) and its two
 * ablations (random init, direct head), evaluate them on the test corpus and write the report.
 *
 * <p>{@code vtm pipeline} runs the stages of one cell whose directory is its {@code --out}
 * ({@link Pipeline}); {@code vtm experiment} runs the same stages for every cell of a grid, the
 * Spark stages on the driver and the trainings and the evaluation as Spark tasks ({@link Experiment}).
 * The stages that need Spark get the session from the {@code spark} supplier; a stage run inside a
 * Spark task has none.
 */
public final class Cell {
    static final List<String> CORPUS_FILES = List.of(Manifest.FILE_NAME, "shard-*");
    static final List<String> MODEL_FILES = List.of("*.json", "*.params", "checkpoints/**");
    static final List<String> REPORT_FILES = List.of(ReportWriter.HTML, ReportWriter.MARKDOWN,
            org.vtm.evaluation.report.Metrics.FILE_NAME, "config.json", "config.yaml", "errors-by-method.png",
            "error-vs-steps.png", "ablation-learning-curves.png", "training-curves.png", "example-*.png");
    /** The stages that use Spark (a SparkSession): they run on the driver. */
    public static final List<String> DRIVER_STAGES = List.of("generate-train", "generate-test", "precompute", "baseline");
    /** The stages that run as Spark tasks in an experiment grid, one task each. */
    public static final List<String> TASK_STAGES = List.of("train", "train-random-init", "train-direct-head", "evaluate");
    private static final String NOTE = "NOTE.txt";

    private final ExperimentConfig config;
    private final Path cellDir;
    private final PrintStream log;
    private final ProgressListener progress;
    private final Supplier<org.apache.spark.sql.SparkSession> spark;

    /**
     * @param config   the cell's effective configuration
     * @param cellDir  the directory the cell's stages write into (the run directory of {@code vtm pipeline})
     * @param log      where stage bodies print their notes
     * @param progress where training reports its progress
     * @param spark    the Spark session for the Spark stages (opened on first use by the caller)
     */
    public Cell(ExperimentConfig config, Path cellDir, PrintStream log, ProgressListener progress,
                Supplier<org.apache.spark.sql.SparkSession> spark) {
        this.config = config;
        this.cellDir = cellDir;
        this.log = log;
        this.progress = progress;
        this.spark = spark;
    }

    public ExperimentConfig config() {
        return config;
    }

    public Path dir() {
        return cellDir;
    }

    /**
     * Refuses, before anything is written, a configuration whose stages cannot run: an unknown
     * function family, corpus sizes that do not fit the expansion budget.
     */
    public static void check(ExperimentConfig config) {
        new Cell(config, Path.of("."), null, null, null).checkBudgets();
    }

    /** Refuses corpus sizes that do not fit the expansion budget, before anything is written. */
    public void checkBudgets() {
        for (String section : List.of("train_corpus", "test_corpus")) {
            generatorConfig(section).checkBudget((int) config.integer(section + ".threads"), ShardWriter.DEFAULT_BATCH_RECORDS);
        }
    }

    /**
     * A training of this cell: the stage that runs it, the training seed and the variant (the
     * learned model or an ablation). {@code vtm experiment} runs one Spark task per training.
     */
    public record Training(String stage, long seed, String variant) {
    }

    /**
     * The enabled trainings, one per (seed, variant). One seed, {@code training.seed}, until
     * seeds become a list: a stage per (seed, variant) then goes here and in {@link #stages}.
     */
    public List<Training> trainings() {
        long seed = config.integer("training.seed");
        List<Training> out = new ArrayList<>();
        out.add(new Training("train", seed, "learned"));
        if (config.flag("ablations.random_init")) {
            out.add(new Training("train-random-init", seed, "random_init"));
        }
        if (config.flag("ablations.direct_head")) {
            out.add(new Training("train-direct-head", seed, "direct_head"));
        }
        return out;
    }

    /** Whether the configuration enables a stage (the ablations can be switched off). */
    public boolean enabled(StageRunner.Stage s) {
        return switch (s.name()) {
            case "train-random-init" -> config.flag("ablations.random_init");
            case "train-direct-head" -> config.flag("ablations.direct_head");
            default -> true;
        };
    }

    /**
     * The nine stages, in order; {@code runner} is the one that runs them (the report lists its timings).
     */
    public List<StageRunner.Stage> stages(StageRunner runner) {
        String problem = config.canonical("problem");
        String engine = config.canonical("engine");
        boolean bank = config.flag("precompute.enabled");
        boolean baseline = config.flag("baseline.enabled");
        boolean random = config.flag("ablations.random_init");
        boolean direct = config.flag("ablations.direct_head");
        List<StageRunner.Stage> stages = new ArrayList<>();
        stages.add(new StageRunner.Stage("generate-train", "corpus-train",
                List.of(problem, engine, config.canonical("train_corpus")), List.of(), CORPUS_FILES, false,
                (dir, r) -> generate(dir, "train_corpus"), Cell::corpusOk, Cell::corpusHash));
        stages.add(new StageRunner.Stage("generate-test", "corpus-test",
                List.of(problem, engine, config.canonical("test_corpus")), List.of(), CORPUS_FILES, false,
                (dir, r) -> generate(dir, "test_corpus"), Cell::corpusOk, Cell::corpusHash));
        stages.add(new StageRunner.Stage("precompute", "tbank",
                List.of(problem, config.canonical("precompute"), config.canonical("spark_master")), List.of(),
                List.of(TransformBank.FILE_NAME, TransformBank.MANIFEST_NAME, NOTE), false,
                (dir, r) -> precompute(dir, bank),
                dir -> bank ? bankOk(dir) : Files.exists(dir.resolve(NOTE)),
                dir -> bank ? AtomicFiles.sha256(dir.resolve(TransformBank.MANIFEST_NAME)) : noteHash(dir)));
        stages.add(new StageRunner.Stage("baseline", "baseline",
                List.of(problem, config.canonical("baseline"), config.canonical("spark_master")), List.of("generate-train"),
                List.of(LinearBaselineFile.FILE_NAME, NOTE), false, (dir, r) -> {
                    if (!baseline) {
                        return unavailable(dir, "MLlib baseline: disabled in the configuration (baseline.enabled: false)");
                    }
                    LinearBaselineJob.run(spark.get(), LinearBaselineJob.read(cellDir.resolve("corpus-train")),
                            LinearBaselineJob.Options.defaults(), dir);
                    LinearBaselineFile.read(dir);
                    Map<String, String> facts = new LinkedHashMap<>();
                    facts.put("format", LinearBaselineFile.FORMAT);
                    return facts;
                }, dir -> baseline ? baselineOk(dir) : Files.exists(dir.resolve(NOTE)),
                dir -> baseline ? AtomicFiles.sha256(dir.resolve(LinearBaselineFile.FILE_NAME)) : noteHash(dir)));
        stages.add(trainStage("train", "model-tfx", ModelConfig.Init.TFX, ModelConfig.Head.TRANSFORM));
        stages.add(trainStage("train-random-init", "model-random", ModelConfig.Init.RANDOM, ModelConfig.Head.TRANSFORM));
        stages.add(trainStage("train-direct-head", "model-direct", ModelConfig.Init.TFX, ModelConfig.Head.DIRECT));
        List<String> evalUp = new ArrayList<>(List.of("generate-test", "baseline", "train"));
        if (random) {
            evalUp.add("train-random-init");
        }
        if (direct) {
            evalUp.add("train-direct-head");
        }
        stages.add(new StageRunner.Stage("evaluate", "evaluation",
                List.of(config.canonical("report"), config.canonical("train_corpus.max_steps")), evalUp,
                List.of(Evaluator.FILE_NAME), false, (dir, r) -> {
                    List<Evaluator.NamedModel> named = new ArrayList<>();
                    named.add(new Evaluator.NamedModel("learned", cellDir.resolve("model-tfx")));
                    if (random) {
                        named.add(new Evaluator.NamedModel("random_init", cellDir.resolve("model-random")));
                    }
                    if (direct) {
                        named.add(new Evaluator.NamedModel("direct_head", cellDir.resolve("model-direct")));
                    }
                    ObjectNode eval = Evaluator.evaluate(cellDir.resolve("corpus-test"), named,
                            baseline ? cellDir.resolve("baseline") : null,
                            (int) config.integer("train_corpus.max_steps"), (int) config.integer("report.examples"),
                            (int) config.integer("report.slice_points"), log);
                    AtomicFiles.write(dir.resolve(Evaluator.FILE_NAME),
                            Evaluator.JSON_WRITER.writeValueAsBytes(eval));
                    return Map.of();
                }, dir -> Files.isRegularFile(dir.resolve(Evaluator.FILE_NAME)),
                dir -> AtomicFiles.sha256(dir.resolve(Evaluator.FILE_NAME))));
        stages.add(new StageRunner.Stage("report", "report", List.of(config.toJson()), List.of("evaluate"), REPORT_FILES,
                false, (dir, r) -> {
                    ObjectNode eval = Evaluator.read(cellDir.resolve("evaluation").resolve(Evaluator.FILE_NAME));
                    Map<String, String> extra = new LinkedHashMap<>();
                    runner.timings().forEach((s, t) -> extra.put("stage " + s, t));
                    ReportWriter.Written w = ReportWriter.write(eval, config.tree(), extra, dir);
                    config.write(dir);
                    Map<String, String> facts = new LinkedHashMap<>();
                    facts.put("images", String.valueOf(w.images().size()));
                    return facts;
                }, Cell::reportOk, dir -> AtomicFiles.sha256(dir.resolve(org.vtm.evaluation.report.Metrics.FILE_NAME))));
        return stages;
    }

    private StageRunner.Stage trainStage(String name, String dirName, ModelConfig.Init init, ModelConfig.Head head) {
        String what = "init " + init.name().toLowerCase(Locale.ROOT) + ", head " + head.name().toLowerCase(Locale.ROOT);
        return new StageRunner.Stage(name, dirName, List.of(config.canonical("problem"), config.canonical("training"), what),
                List.of("generate-train", "precompute"), MODEL_FILES, true, (dir, resume) -> {
                    TrainerConfig tc = TrainerConfig.defaults(cellDir.resolve("corpus-train"),
                            FunctionFamily.byName(config.text("problem.family")).name(), (int) config.integer("problem.order"),
                            (int) config.integer("training.epochs"), dir)
                            .withBatchSize((int) config.integer("training.batch_size"))
                            .withHidden((int) config.integer("training.hidden"))
                            .withLearningRate(config.number("training.lr"))
                            .withValidationFraction(config.number("training.val_fraction"))
                            .withPatience((int) config.integer("training.patience"))
                            .withSeed(config.integer("training.seed"))
                            .withInit(init)
                            .withHead(head)
                            .withCheckpointMinutes(0)
                            .withMaxSeconds(60 * config.number("training.max_minutes"))
                            .withDtype(TrainerConfig.Precision.byLabel(config.text("training.dtype")))
                            .withResume(resume);
                    if (config.flag("precompute.enabled")) {
                        tc = tc.withTfx(bankSource(cellDir.resolve("tbank")));
                    }
                    long maxSteps = Math.max(config.integer("train_corpus.max_steps"), config.integer("test_corpus.max_steps"));
                    if (maxSteps > tc.maxSteps()) {
                        log.println("  note: the model's step encoding covers " + tc.maxSteps() + " steps; longer test programs"
                                + " are reported as beyond it");
                    }
                    Trainer.Result r = new Trainer(tc, progress).run();
                    Map<String, String> facts = new LinkedHashMap<>();
                    facts.put("stop_reason", r.stopReason());
                    facts.put("epochs", String.valueOf(r.history().size()));
                    facts.put("best_validation_loss", String.valueOf(r.bestValidationLoss()));
                    facts.put("dtype", config.text("training.dtype"));
                    return facts;
                }, Cell::modelOk, Cell::modelHash);
    }

    /** The generator configuration of a corpus section ({@code train_corpus} or {@code test_corpus}). */
    private GeneratorConfig generatorConfig(String section) {
        GeneratorConfig defaults = GeneratorConfig.defaults((int) config.integer("problem.dim"),
                (int) config.integer("problem.order"), FunctionFamily.byName(config.text("problem.family")).name(),
                (int) config.integer(section + ".min_steps"), (int) config.integer(section + ".max_steps"));
        return defaults.withDepth((int) config.integer("problem.depth"));
    }

    private Map<String, String> generate(Path dir, String section) throws IOException {
        GeneratorConfig g = generatorConfig(section);
        long seed = config.integer(section + ".seed");
        long programs = config.integer(section + ".programs");
        String engine = config.text("engine");
        int shard = (int) Math.max(64, Math.min(4096, (programs + 3) / 4));
        CorpusJob job = new CorpusJob(dir.toString(), g, seed, programs, shard, ShardWriter.DEFAULT_BATCH_RECORDS);
        String master = null;
        if (engine.equals("spark")) {
            master = config.text("spark_master");
            spark.get(); // one embedded session for every Spark stage of this run
            log.println("  engine spark, master " + master);
        }
        long t0 = System.nanoTime();
        Manifest m = CorpusEngines.byName(engine).generate(job, master, (int) config.integer(section + ".threads"),
                (done, all, rejected) -> log.printf(Locale.ROOT, "  %d/%d programs (%d rejected and re-drawn) %.1fs%n", done,
                        all, rejected, (System.nanoTime() - t0) / 1e9));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("records", String.valueOf(m.records()));
        facts.put("rejected", String.valueOf(m.rejected()));
        facts.put("seed", String.valueOf(seed));
        facts.put("engine", engine);
        return facts;
    }

    private Map<String, String> precompute(Path dir, boolean enabled) throws IOException {
        if (!enabled) {
            return unavailable(dir, "T_FX bank: disabled in the configuration (precompute.enabled: false); training computes "
                    + "T_FX directly");
        }
        String family = FunctionFamily.byName(config.text("problem.family")).name();
        int d = (int) config.integer("problem.dim");
        int n = (int) config.integer("problem.order");
        List<PrecomputeTransformsJob.GridPoint> grid = PrecomputeTransformsJob.grid(List.of(family), d, d, n, n);
        JsonNode manifest = PrecomputeTransformsJob.run(spark.get(), grid, dir);
        TransformBank.read(dir).tfx(family, d, n); // refuses a singular (refused) entry, naming it
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("entries", manifest.path("entries").asText());
        facts.put("format", TransformBank.FORMAT);
        return facts;
    }

    /** T_FX read from the bank the precompute stage wrote. */
    static TfxSource bankSource(Path dir) {
        return new TfxSource() {
            private TransformBank bank;

            @Override
            public synchronized double[] tfx(String family, int dim, int order) {
                try {
                    if (bank == null) {
                        bank = TransformBank.read(dir);
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException(dir + ": cannot read the T_FX bank: " + e.getMessage(), e);
                }
                return bank.tfx(family, dim, order);
            }

            @Override
            public String describe() {
                return "bank:" + dir.toAbsolutePath().normalize();
            }
        };
    }

    static boolean baselineOk(Path dir) {
        try {
            LinearBaselineFile.read(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean bankOk(Path dir) {
        try {
            TransformBank.read(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Map<String, String> unavailable(Path dir, String note) throws IOException {
        AtomicFiles.write(dir.resolve(NOTE), (note + "\n").getBytes(StandardCharsets.UTF_8));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("available", "false");
        facts.put("note", note);
        return facts;
    }

    static boolean corpusOk(Path dir) {
        try {
            CorpusReader.open(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String corpusHash(Path dir) throws IOException {
        return AtomicFiles.sha256(dir.resolve(Manifest.FILE_NAME));
    }

    static String noteHash(Path dir) throws IOException {
        return AtomicFiles.sha256(dir.resolve(NOTE));
    }

    static boolean modelOk(Path dir) {
        return ModelCompletion.exists(dir) && Files.isRegularFile(dir.resolve(ModelDescription.FILE_NAME))
                && Files.isRegularFile(dir.resolve(ModelDirectory.MODEL_FILE));
    }

    static String modelHash(Path dir) throws IOException {
        return AtomicFiles.sha256((AtomicFiles.sha256(dir.resolve(ModelDescription.FILE_NAME)) + "\n"
                + AtomicFiles.sha256(dir.resolve(ModelDirectory.MODEL_FILE))).getBytes(StandardCharsets.UTF_8));
    }

    static boolean reportOk(Path dir) {
        for (String f : List.of(ReportWriter.HTML, ReportWriter.MARKDOWN, org.vtm.evaluation.report.Metrics.FILE_NAME)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }
}
