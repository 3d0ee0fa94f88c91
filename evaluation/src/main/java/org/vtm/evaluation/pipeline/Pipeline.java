package org.vtm.evaluation.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.vtm.datagen.AtomicFiles;
import org.vtm.datagen.CorpusEngine;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.TransformBank;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.Manifest;
import org.vtm.datagen.ShardWriter;
import org.vtm.evaluation.report.Evaluator;
import org.vtm.evaluation.report.ReportWriter;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.Trainer;
import org.vtm.interpreter.TfxSource;
import org.vtm.interpreter.TrainerConfig;
import org.vtm.datagen.LinearBaseline;
import org.vtm.spark.LinearBaselineJob;
import org.vtm.spark.PrecomputeTransformsJob;
import org.vtm.spark.SparkSessions;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.transforms.FunctionFamily;

/**
 * The end-to-end experiment behind {@code vtm pipeline}: generate a training corpus and a held-out
 * test corpus (other seed, longer programs), precompute the T_FX bank and fit the MLlib baseline
 * when this build has them, train the learned interpreter (T_FX init) and its two ablations
 * (random init, direct head), evaluate all of them on the test corpus and write the report.
 *
 * <p>Each stage has a directory under {@code out/} and, once it has finished, a
 * {@code stage.json} ({@value #STAGE_FORMAT}, written atomically) recording the SHA-256 of its
 * inputs — the VTM version, its configuration section and the output hashes of the stages it
 * reads — and of its outputs. (Source changes within one version are not hashed: after editing
 * code, remove a stage's {@code stage.json} or use a new output directory.) A stage whose recorded input hash matches and whose outputs still verify is skipped;
 * otherwise its directory is cleared and it runs again (a training stage interrupted with the
 * same inputs resumes from its last checkpoint instead).
 */
public final class Pipeline {
    public static final String STAGE_FORMAT = "vtm.stage/1";
    public static final String STAGE_FILE = "stage.json";
    private static final String PENDING_FILE = ".stage-pending";

    private final ExperimentConfig config;
    private final Path out;
    private final PrintStream log;
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final Map<String, String> timings = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private SparkSessions.Handle spark;

    public Pipeline(ExperimentConfig config, Path out, PrintStream log) {
        this.config = config;
        this.out = out;
        this.log = log;
    }

    /** What a run did. */
    public record Result(List<String> ran, List<String> skipped, Path report, double seconds) {
    }

    private interface Body {
        /** Runs the stage into {@code dir}; returns extra facts for stage.json. */
        Map<String, String> run(Path dir, boolean resume) throws Exception;
    }

    private interface Verify {
        /** Whether the finished outputs are intact. */
        boolean ok(Path dir);
    }

    private interface Hash {
        String of(Path dir) throws IOException;
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

    private Result runStages() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(out);
        config.write(out);
        log.println("pipeline: preset " + config.text("preset") + ", output " + out.toAbsolutePath().normalize()
                + " (effective configuration in config.yaml)");
        int total = 9;
        int[] k = {0};
        String problem = config.canonical("problem");
        String engine = config.canonical("engine");

        stage(++k[0], total, "generate-train", "corpus-train", List.of(problem, engine, config.canonical("train_corpus")),
                List.of(), (dir, r) -> generate(dir, "train_corpus"), Pipeline::corpusOk, Pipeline::corpusHash);
        stage(++k[0], total, "generate-test", "corpus-test", List.of(problem, engine, config.canonical("test_corpus")),
                List.of(), (dir, r) -> generate(dir, "test_corpus"), Pipeline::corpusOk, Pipeline::corpusHash);
        boolean bank = config.flag("precompute.enabled");
        stage(++k[0], total, "precompute", "tbank", List.of(problem, config.canonical("precompute"),
                config.canonical("spark_master")), List.of(), (dir, r) -> precompute(dir, bank),
                dir -> bank ? bankOk(dir) : Files.exists(dir.resolve("NOTE.txt")),
                dir -> bank ? AtomicFiles.sha256(dir.resolve(TransformBank.MANIFEST_NAME)) : noteHash(dir));
        boolean baseline = config.flag("baseline.enabled");
        stage(++k[0], total, "baseline", "baseline", List.of(problem, config.canonical("baseline"),
                config.canonical("spark_master")), List.of("generate-train"), (dir, r) -> {
                    if (!baseline) {
                        return unavailable(dir, "MLlib baseline: disabled in the configuration (baseline.enabled: false)");
                    }
                    LinearBaselineJob.run(spark(), LinearBaselineJob.read(out.resolve("corpus-train")),
                            LinearBaselineJob.Options.defaults(), dir);
                    LinearBaseline.read(dir);
                    Map<String, String> facts = new LinkedHashMap<>();
                    facts.put("format", LinearBaseline.FORMAT);
                    return facts;
                }, dir -> baseline ? baselineOk(dir) : Files.exists(dir.resolve("NOTE.txt")),
                dir -> baseline ? AtomicFiles.sha256(dir.resolve(LinearBaseline.FILE_NAME)) : noteHash(dir));
        if (spark != null) { // training and evaluation do not use Spark: free its threads and memory
            spark.close();
            spark = null;
        }
        List<String> models = new ArrayList<>();
        trainStage(++k[0], total, "train", "model-tfx", ModelConfig.Init.TFX, ModelConfig.Head.TRANSFORM, true);
        models.add("train");
        boolean random = config.flag("ablations.random_init");
        boolean direct = config.flag("ablations.direct_head");
        trainStage(++k[0], total, "train-random-init", "model-random", ModelConfig.Init.RANDOM, ModelConfig.Head.TRANSFORM,
                random);
        if (random) {
            models.add("train-random-init");
        }
        trainStage(++k[0], total, "train-direct-head", "model-direct", ModelConfig.Init.TFX, ModelConfig.Head.DIRECT, direct);
        if (direct) {
            models.add("train-direct-head");
        }
        List<String> evalUp = new ArrayList<>(List.of("generate-test", "baseline"));
        evalUp.addAll(models);
        stage(++k[0], total, "evaluate", "evaluation", List.of(config.canonical("report"),
                config.canonical("train_corpus.max_steps")), evalUp, (dir, r) -> {
                    List<Evaluator.NamedModel> named = new ArrayList<>();
                    named.add(new Evaluator.NamedModel("learned", out.resolve("model-tfx")));
                    if (random) {
                        named.add(new Evaluator.NamedModel("random_init", out.resolve("model-random")));
                    }
                    if (direct) {
                        named.add(new Evaluator.NamedModel("direct_head", out.resolve("model-direct")));
                    }
                    ObjectNode eval = Evaluator.evaluate(out.resolve("corpus-test"), named,
                            baseline ? out.resolve("baseline") : null,
                            (int) config.integer("train_corpus.max_steps"), (int) config.integer("report.examples"),
                            (int) config.integer("report.slice_points"), log);
                    AtomicFiles.write(dir.resolve(Evaluator.FILE_NAME),
                            Evaluator.JSON_WRITER.writeValueAsBytes(eval));
                    return Map.of();
                }, dir -> Files.isRegularFile(dir.resolve(Evaluator.FILE_NAME)),
                dir -> AtomicFiles.sha256(dir.resolve(Evaluator.FILE_NAME)));
        stage(++k[0], total, "report", "report", List.of(config.toJson()), List.of("evaluate"), (dir, r) -> {
            ObjectNode eval = Evaluator.read(out.resolve("evaluation").resolve(Evaluator.FILE_NAME));
            Map<String, String> extra = new LinkedHashMap<>();
            timings.forEach((s, t) -> extra.put("stage " + s, t));
            ReportWriter.Written w = ReportWriter.write(eval, config.tree(), extra, dir);
            config.write(dir);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("images", String.valueOf(w.images().size()));
            return facts;
        }, Pipeline::reportOk, dir -> AtomicFiles.sha256(dir.resolve(org.vtm.evaluation.report.Metrics.FILE_NAME)));
        double seconds = (System.nanoTime() - start) / 1e9;
        Path report = out.resolve("report").resolve(ReportWriter.HTML);
        log.printf(Locale.ROOT, "pipeline: done in %.1fs (%d stage(s) run, %d skipped); report: %s%n", seconds, ran.size(),
                skipped.size(), report.toAbsolutePath().normalize());
        return new Result(List.copyOf(ran), List.copyOf(skipped), report, seconds);
    }

    private void trainStage(int k, int total, String name, String dirName, ModelConfig.Init init, ModelConfig.Head head,
            boolean enabled) throws Exception {
        if (!enabled) {
            log.printf(Locale.ROOT, "[%d/%d] %s: disabled in the configuration%n", k, total, name);
            return;
        }
        String what = "init " + init.name().toLowerCase(Locale.ROOT) + ", head " + head.name().toLowerCase(Locale.ROOT);
        stage(k, total, name, dirName, List.of(config.canonical("problem"), config.canonical("training"), what),
                List.of("generate-train", "precompute"), (dir, resume) -> {
                    TrainerConfig tc = TrainerConfig.defaults(out.resolve("corpus-train"),
                            FunctionFamily.byName(config.text("problem.family")).name(), (int) config.integer("problem.order"),
                            (int) config.integer("training.epochs"), dir)
                            .withTraining((int) config.integer("training.epochs"), (int) config.integer("training.batch_size"),
                                    (int) config.integer("training.hidden"), config.number("training.lr"),
                                    config.number("training.val_fraction"), (int) config.integer("training.patience"),
                                    config.integer("training.seed"))
                            .withModel(init, head)
                            .withTiming(0, 60 * config.number("training.max_minutes"), 0)
                            .withResume(resume);
                    if (config.flag("precompute.enabled")) {
                        tc = tc.withTfx(bankSource(out.resolve("tbank")));
                    }
                    long maxSteps = Math.max(config.integer("train_corpus.max_steps"), config.integer("test_corpus.max_steps"));
                    if (maxSteps > tc.maxSteps()) {
                        log.println("  note: the model's step encoding covers " + tc.maxSteps() + " steps; longer test programs"
                                + " are reported as beyond it");
                    }
                    Trainer.Result r = new Trainer(tc, log).run();
                    Map<String, String> facts = new LinkedHashMap<>();
                    facts.put("stop_reason", r.stopReason());
                    facts.put("epochs", String.valueOf(r.history().size()));
                    facts.put("best_validation_loss", String.valueOf(r.bestValidationLoss()));
                    return facts;
                }, Pipeline::modelOk, Pipeline::modelHash);
    }

    private Map<String, String> generate(Path dir, String section) throws IOException {
        GeneratorConfig defaults = GeneratorConfig.defaults((int) config.integer("problem.dim"),
                (int) config.integer("problem.order"), FunctionFamily.byName(config.text("problem.family")).name(),
                (int) config.integer(section + ".min_steps"), (int) config.integer(section + ".max_steps"));
        GeneratorConfig g = new GeneratorConfig(defaults.dim(), defaults.order(), defaults.family(), defaults.minSteps(),
                defaults.maxSteps(), (int) config.integer("problem.depth"), defaults.operators(), defaults.constantMin(),
                defaults.constantMax(), defaults.pointMin(), defaults.pointMax(), defaults.radiusMin(), defaults.radiusMax(),
                defaults.maxAbs());
        long seed = config.integer(section + ".seed");
        long programs = config.integer(section + ".programs");
        String engine = config.text("engine");
        int shard = (int) Math.max(64, Math.min(4096, (programs + 3) / 4));
        CorpusJob job = new CorpusJob(dir.toString(), g, seed, programs, shard, ShardWriter.DEFAULT_BATCH_RECORDS);
        String master = null;
        if (engine.equals("spark")) {
            master = config.text("spark_master");
            spark(); // one embedded session for every Spark stage of this run
            log.println("  engine spark, master " + master);
        }
        long t0 = System.nanoTime();
        Manifest m = CorpusEngine.byName(engine).generate(job, master, (int) config.integer(section + ".threads"),
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
        JsonNode manifest = PrecomputeTransformsJob.run(spark(), grid, dir);
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
            LinearBaseline.read(dir);
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

    /** The run's embedded Spark session (opened on first use, stopped when the run ends). */
    private org.apache.spark.sql.SparkSession spark() {
        if (spark == null) {
            log.println("  starting embedded Spark (" + config.text("spark_master") + ")");
            spark = SparkSessions.open(config.text("spark_master"), "vtm pipeline");
        }
        return spark.session();
    }

    private static Map<String, String> unavailable(Path dir, String note) throws IOException {
        AtomicFiles.write(dir.resolve("NOTE.txt"), (note + "\n").getBytes(StandardCharsets.UTF_8));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("available", "false");
        facts.put("note", note);
        return facts;
    }

    private void stage(int k, int total, String name, String dirName, List<String> inputs, List<String> upstream, Body body,
            Verify verify, Hash outputHash) throws Exception {
        Path dir = out.resolve(dirName);
        StringBuilder in = new StringBuilder(STAGE_FORMAT).append('\n').append(org.vtm.datagen.Provenance.vtmVersion())
                .append('\n').append(name).append('\n');
        inputs.forEach(s -> in.append(s).append('\n'));
        for (String u : upstream) {
            String h = outputs.get(u);
            if (h == null) {
                throw new IllegalStateException("stage " + name + " needs " + u + ", which has no output");
            }
            in.append(u).append('=').append(h).append('\n');
        }
        String inputHash = AtomicFiles.sha256(in.toString().getBytes(StandardCharsets.UTF_8));
        Path stageFile = dir.resolve(STAGE_FILE);
        if (Files.isRegularFile(stageFile)) {
            JsonNode s = ExperimentConfig.JSON.readTree(Files.readAllBytes(stageFile));
            if (inputHash.equals(s.path("input_hash").asText()) && verify.ok(dir)) {
                String oh = outputHash.of(dir);
                if (oh.equals(s.path("output_hash").asText())) {
                    outputs.put(name, oh);
                    skipped.add(name);
                    timings.put(name, "skipped (finished earlier in " + s.path("seconds").asText() + " s)");
                    log.printf(Locale.ROOT, "[%d/%d] %s: skipped (inputs unchanged, output verified; input hash %s)%n", k, total,
                            name, inputHash.substring(0, 12));
                    return;
                }
            }
        }
        boolean resume = false;
        Path pending = dir.resolve(PENDING_FILE);
        if (Files.isRegularFile(pending) && Files.readString(pending).trim().equals(inputHash)
                && Files.isDirectory(dir.resolve("checkpoints"))) {
            resume = true;
            Files.deleteIfExists(stageFile);
        } else if (Files.exists(dir)) {
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        AtomicFiles.write(pending, inputHash.getBytes(StandardCharsets.UTF_8));
        log.printf(Locale.ROOT, "[%d/%d] %s: running%s%n", k, total, name, resume ? " (resuming an interrupted run)" : "");
        long t0 = System.nanoTime();
        Map<String, String> facts = body.run(dir, resume);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String oh = outputHash.of(dir);
        ObjectNode s = ExperimentConfig.JSON.createObjectNode();
        s.put("format", STAGE_FORMAT);
        s.put("stage", name);
        s.put("input_hash", inputHash);
        s.put("output_hash", oh);
        s.put("seconds", Math.round(seconds * 10) / 10.0);
        ObjectNode up = s.putObject("upstream");
        upstream.forEach(u -> up.put(u, outputs.get(u)));
        ObjectNode f = s.putObject("facts");
        facts.forEach(f::put);
        AtomicFiles.write(stageFile, (ExperimentConfig.JSON.writeValueAsString(s) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(pending);
        outputs.put(name, oh);
        ran.add(name);
        String summary = facts.isEmpty() ? "" : " " + facts;
        timings.put(name, String.format(Locale.ROOT, "%.1f s%s", seconds, summary));
        log.printf(Locale.ROOT, "[%d/%d] %s: done in %.1fs%s%n", k, total, name, seconds, summary);
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
        return AtomicFiles.sha256(dir.resolve("NOTE.txt"));
    }

    static boolean modelOk(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelDescription.FILE_NAME)) && Files.isRegularFile(dir.resolve(Trainer.MODEL_FILE));
    }

    static String modelHash(Path dir) throws IOException {
        return AtomicFiles.sha256((AtomicFiles.sha256(dir.resolve(ModelDescription.FILE_NAME)) + "\n"
                + AtomicFiles.sha256(dir.resolve(Trainer.MODEL_FILE))).getBytes(StandardCharsets.UTF_8));
    }

    static boolean reportOk(Path dir) {
        for (String f : List.of(ReportWriter.HTML, ReportWriter.MARKDOWN, org.vtm.evaluation.report.Metrics.FILE_NAME)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
