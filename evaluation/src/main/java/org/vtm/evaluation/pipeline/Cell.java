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
 * the typed stages ({@link StageRunner.Stage}) of the experiment behind {@code vtm pipeline}:
 * generate a training corpus and a held-out test corpus (other seed, longer programs), precompute
 * the T_FX bank and fit the MLlib baseline, train the learned interpreter (T_FX init) and its two
 * ablations (random init, direct head), evaluate them on the test corpus and write the report.
 *
 * <p>With {@code training.seeds} = S, each seed k draws its own training corpus (seed
 * {@code train_corpus.seed + k}), baseline and models (training seed {@code training.seed + k}):
 * seed 0 keeps the one-seed stage and directory names, later seeds add {@code -sK}
 * ({@link #seeded}); {@link #trainings()} lists one training per (seed, variant). A tuning run
 * ({@code report.corpus: validation}) generates the separate validation corpus and is evaluated
 * on it, never on the test corpus.
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
            "error-vs-steps.png", "ablation-learning-curves.png", "training-curves.png", ReportWriter.SCATTER_PNG,
            ReportWriter.COST_PNG, "example-*.png");
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
        for (String section : List.of("train_corpus", "test_corpus", "validation_corpus")) {
            generatorConfig(section).checkBudget((int) config.integer(section + ".threads"), ShardWriter.DEFAULT_BATCH_RECORDS);
        }
    }

    /**
     * A training of this cell: the stage that runs it, the training seed and the variant (the
     * learned model or an ablation). {@code vtm experiment} runs one Spark task per training.
     */
    public record Training(String stage, long seed, String variant) {
    }

    /** The number of training seeds ({@code training.seeds}). */
    public int seeds() {
        return (int) config.integer("training.seeds");
    }

    /** Stage or directory name of training seed {@code k}: seed 0 keeps the one-seed name. */
    static String seeded(String name, int k) {
        return k == 0 ? name : name + "-s" + k;
    }

    /**
     * The enabled trainings, one per (seed, variant), in stage order: seed k trains with
     * {@code training.seed + k} on its own training corpus.
     */
    public List<Training> trainings() {
        List<Training> out = new ArrayList<>();
        for (int k = 0; k < seeds(); k++) {
            long seed = config.integer("training.seed") + k;
            out.add(new Training(seeded("train", k), seed, "learned"));
            if (config.flag("ablations.random_init")) {
                out.add(new Training(seeded("train-random-init", k), seed, "random_init"));
            }
            if (config.flag("ablations.direct_head")) {
                out.add(new Training(seeded("train-direct-head", k), seed, "direct_head"));
            }
        }
        return out;
    }

    /**
     * The stages that use Spark (a SparkSession), in stage order: they run on the driver — every
     * seed's training corpus and baseline, the test and validation corpora and the T_FX bank.
     */
    public List<String> driverStages() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < seeds(); k++) {
            names.add(seeded("generate-train", k));
        }
        names.addAll(List.of("generate-test", "generate-validation", "precompute"));
        for (int k = 0; k < seeds(); k++) {
            names.add(seeded("baseline", k));
        }
        return names;
    }

    /** Whether the configuration enables a stage (the ablations and the validation corpus can be off). */
    public boolean enabled(StageRunner.Stage s) {
        return switch (s.name().replaceAll("-s[0-9]+$", "")) {
            case "train-random-init" -> config.flag("ablations.random_init");
            case "train-direct-head" -> config.flag("ablations.direct_head");
            case "generate-validation" -> evaluatesOnValidation();
            default -> true;
        };
    }

    /** Whether this cell reports on the validation corpus (tuning) instead of the test corpus. */
    private boolean evaluatesOnValidation() {
        return config.text("report.corpus").equals("validation");
    }

    /** The tuning every learned model of a cell is trained with: the defaults with the configured inputs. */
    private TrainerConfig.Tuning tuning() {
        return TrainerConfig.Tuning.DEFAULT.withInputs(ModelConfig.InputSpec.parse(config.text("training.inputs")))
                .withLossEps(config.number("training.loss_eps"));
    }

    /**
     * The head of the learned model ({@code training.head}: {@code transform} or {@code tail}); the ablations keep
     * theirs (random init: transform, direct head: direct).
     */
    ModelConfig.Head learnedHead() {
        return ModelConfig.Head.valueOf(config.text("training.head").toUpperCase(Locale.ROOT));
    }

    /**
     * Whether the learned model the baseline is compared with has the degree-(n+1) terms {@code a⁺}
     * among its inputs ({@code training.inputs}); then the baseline is fitted with them too (issue 15: the same
     * information).
     */
    boolean learnedHasNextOrder() {
        return tuning().inputs().base() == ModelConfig.Inputs.NEXT_ORDER;
    }

    /**
     * The stages, in order; {@code runner} is the one that runs them (the report lists its timings).
     */
    public List<StageRunner.Stage> stages(StageRunner runner) {
        String problem = config.canonical("problem");
        String engine = config.canonical("engine");
        boolean bank = config.flag("precompute.enabled");
        boolean baseline = config.flag("baseline.enabled");
        boolean nextOrder = learnedHasNextOrder();
        boolean random = config.flag("ablations.random_init");
        boolean direct = config.flag("ablations.direct_head");
        int seeds = seeds();
        List<StageRunner.Stage> stages = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            int seed = k;
            stages.add(new StageRunner.Stage(seeded("generate-train", k), seeded("corpus-train", k),
                    List.of(problem, engine, corpusSection("train_corpus"), "seed offset " + k), List.of(), CORPUS_FILES,
                    false, (dir, r) -> generate(dir, "train_corpus", seed), Cell::corpusOk, Cell::corpusHash));
        }
        stages.add(new StageRunner.Stage("generate-test", "corpus-test",
                List.of(problem, engine, corpusSection("test_corpus")), List.of(), CORPUS_FILES, false,
                (dir, r) -> generate(dir, "test_corpus", 0), Cell::corpusOk, Cell::corpusHash));
        stages.add(new StageRunner.Stage("generate-validation", "corpus-validation",
                List.of(problem, engine, corpusSection("validation_corpus")), List.of(), CORPUS_FILES, false,
                (dir, r) -> generate(dir, "validation_corpus", 0), Cell::corpusOk, Cell::corpusHash));
        stages.add(new StageRunner.Stage("precompute", "tbank",
                List.of(problem, config.canonical("precompute"), config.canonical("spark_master")), List.of(),
                List.of(TransformBank.FILE_NAME, TransformBank.MANIFEST_NAME, NOTE), false,
                (dir, r) -> precompute(dir, bank),
                dir -> bank ? bankOk(dir) : Files.exists(dir.resolve(NOTE)),
                dir -> bank ? AtomicFiles.sha256(dir.resolve(TransformBank.MANIFEST_NAME)) : noteHash(dir)));
        for (int k = 0; k < seeds; k++) {
            String corpus = seeded("corpus-train", k);
            stages.add(new StageRunner.Stage(seeded("baseline", k), seeded("baseline", k),
                    List.of(problem, config.canonical("baseline"), config.canonical("spark_master"),
                            "format " + LinearBaselineFile.FORMAT + ", next order " + nextOrder),
                    List.of(seeded("generate-train", k)), List.of(LinearBaselineFile.FILE_NAME, NOTE), false, (dir, r) -> {
                        if (!baseline) {
                            return unavailable(dir, "MLlib baseline: disabled in the configuration (baseline.enabled: false)");
                        }
                        LinearBaselineJob.run(spark.get(), LinearBaselineJob.read(cellDir.resolve(corpus), nextOrder),
                                LinearBaselineJob.Options.defaults(), dir);
                        LinearBaselineFile.read(dir);
                        Map<String, String> facts = new LinkedHashMap<>();
                        facts.put("format", LinearBaselineFile.FORMAT);
                        facts.put("next_order", String.valueOf(nextOrder));
                        return facts;
                    }, dir -> baseline ? baselineOk(dir) : Files.exists(dir.resolve(NOTE)),
                    dir -> baseline ? AtomicFiles.sha256(dir.resolve(LinearBaselineFile.FILE_NAME)) : noteHash(dir)));
        }
        List<String> evalUp = new ArrayList<>(List.of(evaluatesOnValidation() ? "generate-validation" : "generate-test"));
        for (int k = 0; k < seeds; k++) {
            stages.add(trainStage(seeded("train", k), seeded("model-tfx", k), ModelConfig.Init.TFX, learnedHead(), k));
            stages.add(trainStage(seeded("train-random-init", k), seeded("model-random", k), ModelConfig.Init.RANDOM,
                    ModelConfig.Head.TRANSFORM, k));
            stages.add(trainStage(seeded("train-direct-head", k), seeded("model-direct", k), ModelConfig.Init.TFX,
                    ModelConfig.Head.DIRECT, k));
            evalUp.addAll(List.of(seeded("generate-train", k), seeded("baseline", k), seeded("train", k)));
            if (random) {
                evalUp.add(seeded("train-random-init", k));
            }
            if (direct) {
                evalUp.add(seeded("train-direct-head", k));
            }
        }
        stages.add(new StageRunner.Stage("evaluate", "evaluation",
                List.of(config.canonical("report"), config.canonical("train_corpus.max_steps")), evalUp,
                List.of(Evaluator.FILE_NAME), false, (dir, r) -> {
                    List<Evaluator.SeedModels> runs = new ArrayList<>();
                    for (int k = 0; k < seeds; k++) {
                        List<Evaluator.NamedModel> named = new ArrayList<>();
                        named.add(new Evaluator.NamedModel("learned", cellDir.resolve(seeded("model-tfx", k))));
                        if (random) {
                            named.add(new Evaluator.NamedModel("random_init", cellDir.resolve(seeded("model-random", k))));
                        }
                        if (direct) {
                            named.add(new Evaluator.NamedModel("direct_head", cellDir.resolve(seeded("model-direct", k))));
                        }
                        runs.add(new Evaluator.SeedModels(k, cellDir.resolve(seeded("corpus-train", k)), named,
                                baseline ? cellDir.resolve(seeded("baseline", k)) : null));
                    }
                    ObjectNode eval = Evaluator.evaluate(cellDir.resolve(evaluatesOnValidation() ? "corpus-validation"
                            : "corpus-test"), runs, (int) config.integer("train_corpus.max_steps"),
                            (int) config.integer("report.examples"), (int) config.integer("report.slice_points"),
                            config.number("training.loss_eps"), log);
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

    private StageRunner.Stage trainStage(String name, String dirName, ModelConfig.Init init, ModelConfig.Head head, int k) {
        String what = "init " + init.name().toLowerCase(Locale.ROOT) + ", head " + head.name().toLowerCase(Locale.ROOT)
                + ", seed offset " + k;
        ObjectNode training = (ObjectNode) config.node("training").deepCopy();
        training.remove("seeds"); // another seed count does not change this seed's model
        if (training.path("inputs").asText().equals("next_order")) {
            training.remove("inputs"); // the trainer's default: stages run before the key existed stay valid
        }
        if (training.path("loss_eps").asDouble() == org.vtm.interpreter.InterpreterModel.LOG_EPS) {
            training.remove("loss_eps"); // the default: models trained before the key existed stay valid
        }
        if (training.path("head").asText().equals("transform")) {
            training.remove("head"); // likewise: the head is in 'what' below
        }
        int encoding = stepEncoding();
        if (encoding != DEFAULT_STEP_ENCODING) { // the default width keeps the hash models trained before it was set here
            what += ", step encoding " + encoding;
        }
        return new StageRunner.Stage(name, dirName, List.of(config.canonical("problem"), training.toString(), what),
                List.of(seeded("generate-train", k), "precompute"), MODEL_FILES, true, (dir, resume) -> {
                    TrainerConfig tc = TrainerConfig.defaults(cellDir.resolve(seeded("corpus-train", k)),
                            FunctionFamily.byName(config.text("problem.family")).name(), (int) config.integer("problem.order"),
                            (int) config.integer("training.epochs"), dir)
                            .withBatchSize((int) config.integer("training.batch_size"))
                            .withHidden((int) config.integer("training.hidden"))
                            .withLearningRate(config.number("training.lr"))
                            .withValidationFraction(config.number("training.val_fraction"))
                            .withPatience((int) config.integer("training.patience"))
                            .withSeed(config.integer("training.seed") + k)
                            .withInit(init)
                            .withHead(head)
                            .withTuning(tuning())
                            .withCheckpointMinutes(0)
                            .withMaxSeconds(60 * config.number("training.max_minutes"))
                            .withDtype(TrainerConfig.Precision.byLabel(config.text("training.dtype")))
                            .withResume(resume);
                    if (config.flag("precompute.enabled")) {
                        tc = tc.withTfx(bankSource(cellDir.resolve("tbank")));
                    }
                    tc = tc.withMaxSteps(encoding);
                    if (encoding > config.integer("train_corpus.max_steps")) {
                        log.println("  note: the step encoding covers " + encoding + " steps, training programs at most "
                                + config.integer("train_corpus.max_steps") + "; longer held-out programs are evaluated with step "
                                + "columns training never set (by_steps marks them seen_in_training: false)");
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

    /**
     * The generator configuration of a corpus section ({@code train_corpus}, {@code test_corpus} or
     * {@code validation_corpus}), with its program family ({@link ExperimentConfig#programFamily}).
     */
    GeneratorConfig generatorConfig(String section) {
        GeneratorConfig defaults = GeneratorConfig.defaults((int) config.integer("problem.dim"),
                (int) config.integer("problem.order"), FunctionFamily.byName(config.text("problem.family")).name(),
                (int) config.integer(section + ".min_steps"), (int) config.integer(section + ".max_steps"));
        double[] q = config.poleRatio(section);
        GeneratorConfig g = defaults.withDepth((int) config.integer("problem.depth"))
                .withProgramFamily(config.programFamily(section)).withPoleRatio(q[0], q[1]);
        return config.overridesOperators() ? g.withOperators(config.operatorMix(section, g.operators())) : g;
    }

    /** The learned models' step encoding when no corpus needs more (TrainerConfig's default). */
    static final int DEFAULT_STEP_ENCODING = 8;

    /**
     * Width of the learned models' step encoding: the longest program of any corpus (at least
     * {@value #DEFAULT_STEP_ENCODING}), so that held-out programs longer than the training ones (E3:
     * twice as long) are evaluated, not skipped as beyond the encoding.
     */
    int stepEncoding() {
        return config.longestProgram(DEFAULT_STEP_ENCODING);
    }

    /**
     * What a corpus section's generate stage hashes: the section as configured, without the E3
     * operator overrides while they are unset (runs made before they existed keep their corpora);
     * the validation corpus also depends on {@code train_corpus.exclude_operators}.
     */
    private String corpusSection(String section) {
        ObjectNode n = (ObjectNode) config.node(section).deepCopy();
        if (n.path("exclude_operators").isEmpty()) {
            n.remove("exclude_operators");
        }
        if (n.path("operator_weights").isNull()) {
            n.remove("operator_weights");
        }
        String s;
        try {
            s = ExperimentConfig.COMPACT.writeValueAsString(n); // as ExperimentConfig.canonical writes a section
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (section.equals("validation_corpus") && config.overridesOperators()) {
            s += " operators " + config.operatorMix(section, GeneratorConfig.defaultOperators());
        }
        return s;
    }

    private Map<String, String> generate(Path dir, String section, int seedOffset) throws IOException {
        GeneratorConfig g = generatorConfig(section);
        long seed = config.integer(section + ".seed") + seedOffset;
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
