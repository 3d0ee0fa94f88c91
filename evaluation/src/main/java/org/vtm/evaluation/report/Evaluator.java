package org.vtm.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.ErrorColumn;
import org.vtm.datagen.Manifest;
import org.vtm.datagen.baseline.LinearBaseline;
import org.vtm.datagen.baseline.LinearBaselineFile;
import org.vtm.interpreter.LearnedInterpreter;
import org.vtm.interpreter.ModelConfig;
import org.vtm.datagen.CorpusFilter;
import org.vtm.evaluation.heldout.BaselineErrors;
import org.vtm.evaluation.heldout.Economised;
import org.vtm.evaluation.heldout.EvaluationPoints;
import org.vtm.evaluation.heldout.HeldOutEvaluator;
import org.vtm.evaluation.heldout.InputIndependent;
import org.vtm.evaluation.heldout.PadeExtrapolation;
import org.vtm.interpreter.StepInputs;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.TrainingHistory;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;

/**
 * Computes the raw evaluation of trained models on a held-out corpus ({@value #FORMAT}): for every
 * program, the relative L2 error (pooled over outputs, at the corpus' sample points) of the whole
 * program under Taylor, fixed {@code T_FX}, each learned model and the least-squares oracle; the
 * models' training histories; and a few worked examples as 1-D slices. {@link Metrics} summarises
 * it, {@link ReportWriter} renders it.
 */
public final class Evaluator {
    public static final String FORMAT = "vtm.evaluation/2";
    public static final String ECONOMISED_N1 = "economised_n1";
    public static final String ECONOMISED_N2 = "economised_n2";
    public static final String INPUT_INDEPENDENT = "input_independent";
    public static final String PADE = PadeExtrapolation.NAME;
    public static final String FILE_NAME = "evaluation.json";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Compact writer for {@value #FILE_NAME}. */
    public static final com.fasterxml.jackson.databind.ObjectWriter JSON_WRITER = JSON.writer();

    /** A model to evaluate: its report name ({@code learned}, {@code random_init}, {@code direct_head}) and directory. */
    public record NamedModel(String name, Path dir) {
    }

    /** The eval JSON array of the baselines used, per seed: {@code seed_index}, {@code next_order}, {@code features}. */
    public static final String BASELINE_FITS = "baseline_fits";

    private Evaluator() {
    }

    /**
     * The models trained with one training seed.
     *
     * @param index the seed's index (0, 1, …)
     * @param trainCorpus the training corpus this seed drew (input_independent is fitted on it), or null
     * @param models the learned variants trained on it
     * @param baselineDir an MLlib linear baseline fitted on it ({@code vtm.linear-baseline/1} or {@code /2}), or null
     */
    public record SeedModels(int index, Path trainCorpus, List<NamedModel> models, Path baselineDir) {
        public SeedModels {
            models = List.copyOf(models);
        }
    }

    /** Methods in report order; the ones a run has are reported. */
    public static final List<String> METHOD_ORDER = List.of(HeldOutEvaluator.TAYLOR, HeldOutEvaluator.FIXED, PADE,
            ECONOMISED_N1, ECONOMISED_N2, INPUT_INDEPENDENT, HeldOutEvaluator.BASELINE, "learned", "random_init", "direct_head",
            HeldOutEvaluator.ORACLE);

    /**
     * Evaluates every method on {@code corpus} at independent points ({@link EvaluationPoints}):
     * Taylor, fixed, pade (Padé-type extrapolation of the degree-(n+1) terms), economised_n1/n2, input_independent and the baseline (per seed, when a training
     * corpus / baseline is given), each learned model of each seed, and the oracle (fitted on the sample
     * points); then times every method in a separate single-threaded pass.
     *
     * @param trainMaxSteps the longest program in the training corpus (-1: unknown; then read from
     *     the first model's description)
     * @param examples number of worked examples
     * @param slicePoints points per example slice
     */
    public static ObjectNode evaluate(Path corpus, List<SeedModels> seeds, int trainMaxSteps, int examples,
            int slicePoints, PrintStream log) throws IOException {
        return evaluate(corpus, seeds, trainMaxSteps, examples, slicePoints, InputIndependent.LOG_EPS, log);
    }

    /**
     * As above, with {@code lossEps} the floor of the log loss the learned models were trained with
     * ({@code --loss-eps}); input_independent is fitted with the same objective.
     */
    public static ObjectNode evaluate(Path corpus, List<SeedModels> seeds, int trainMaxSteps, int examples,
            int slicePoints, double lossEps, PrintStream log) throws IOException {
        CorpusReader reader = CorpusReader.open(corpus);
        HeldOutEvaluator ev = HeldOutEvaluator.of(reader);
        CorpusLayout layout = ev.layout();
        List<CorpusRecord> records = ev.records();
        int d = layout.dim();
        int s = layout.samples();
        EvaluationPoints points = EvaluationPoints.independent(d, s);
        ev.at(points);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("family", layout.family());
        root.put("dim", d);
        root.put("order", layout.order());
        root.put("samples", s);
        ObjectNode ep = root.putObject("evaluation_points");
        ep.put("kind", points.kind());
        ep.put("count", points.count());
        root.put("test_corpus", corpus.toAbsolutePath().normalize().toString());
        Manifest manifest = reader.manifest();
        root.put("test_seed", manifest.seed());
        root.put("test_programs", records.size());
        root.put("seeds", seeds.size());

        FunctionSet set = ev.functionSet();
        Economised econ1 = Economised.of(set, layout.samplePoints(), 1);
        Economised econ2 = Economised.of(set, layout.samplePoints(), 2);
        PadeExtrapolation pade = PadeExtrapolation.of(set, layout.samplePoints());
        ev.taylor(HeldOutEvaluator.TAYLOR)
                .corpusColumn(HeldOutEvaluator.FIXED, ErrorColumn.FIXED_REL_L2);
        if (pade.available()) {
            ev.coefficients(PADE, pade.method());
        } else {
            root.put("pade_note", "pade not evaluated: " + pade.unavailableReason());
            if (log != null) {
                log.println("  " + root.path("pade_note").asText());
            }
        }
        ev                .coefficients(ECONOMISED_N1, econ1.method())
                .coefficients(ECONOMISED_N2, econ2.method());

        ObjectNode modelInfo = root.putObject("models");
        ObjectNode histories = root.putObject("histories");
        ArrayNode constant = root.putArray(INPUT_INDEPENDENT);
        Map<String, List<String>> seeded = new LinkedHashMap<>();
        Map<String, LearnedInterpreter> examplesModels = new LinkedHashMap<>();
        Map<String, LearnedInterpreter> loadedAll = new LinkedHashMap<>();
        Map<String, InputIndependent> constants = new LinkedHashMap<>();
        Map<String, LinearBaseline> baselines = new LinkedHashMap<>();
        boolean nextOrder = false;
        for (SeedModels sm : seeds) {
            for (NamedModel m : sm.models()) {
                LearnedInterpreter li = LearnedInterpreter.load(m.dir());
                ModelConfig c = li.config();
                if (!c.family().equals(layout.family()) || c.dim() != d || c.order() != layout.order()) {
                    throw new IllegalArgumentException("model " + m.dir() + " is for " + c.family() + " d=" + c.dim() + " n="
                            + c.order() + "; corpus " + corpus + " has " + layout.family() + " d=" + d + " n=" + layout.order());
                }
                String key = seeded(m.name(), sm.index());
                seeded.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(key);
                loadedAll.put(key, li);
                if (sm.index() == seeds.get(0).index()) {
                    examplesModels.put(m.name(), li);
                    if (m.name().equals("learned")) {
                        nextOrder = c.inputs() == ModelConfig.Inputs.NEXT_ORDER;
                    }
                }
                ObjectNode info = modelInfo.has(m.name()) ? (ObjectNode) modelInfo.get(m.name()) : modelInfo.putObject(m.name());
                info.put("init", c.init().name().toLowerCase(Locale.ROOT));
                info.put("head", c.head().name().toLowerCase(Locale.ROOT));
                info.put("inputs", c.inputSpec().label());
                info.put("hidden", c.hidden());
                info.put("max_steps", c.maxSteps());
                ArrayNode per = info.has("seeds") ? (ArrayNode) info.get("seeds") : info.putArray("seeds");
                ObjectNode one = per.addObject();
                one.put("seed_index", sm.index());
                one.put("dir", m.dir().toAbsolutePath().normalize().toString());
                one.put("training_seed", li.description() == null ? 0 : li.description().seed());
                Path hist = m.dir().resolve(TrainingHistory.FILE_NAME);
                ArrayNode hs = histories.has(m.name()) ? (ArrayNode) histories.get(m.name()) : histories.putArray(m.name());
                if (Files.exists(hist)) {
                    hs.add(TrainingHistory.read(hist).toJsonNode());
                } else {
                    hs.addNull();
                }
                if (trainMaxSteps < 0 && li.description() != null) {
                    trainMaxSteps = trainingMaxSteps(li.description());
                }
            }
        }
        root.put("train_max_steps", trainMaxSteps);
        root.put("next_order", nextOrder);
        for (SeedModels sm : seeds) {
            if (sm.trainCorpus() == null) {
                continue;
            }
            long t0 = System.nanoTime();
            CorpusReader train = CorpusReader.open(sm.trainCorpus());
            InputIndependent fit = InputIndependent.fit(train.layout(), train.records(CorpusFilter.ALL), nextOrder, lossEps);
            String key = seeded(INPUT_INDEPENDENT, sm.index());
            seeded.computeIfAbsent(INPUT_INDEPENDENT, k -> new ArrayList<>()).add(key);
            constants.put(key, fit);
            ObjectNode c = constant.addObject();
            c.put("seed_index", sm.index());
            c.put("corpus_seed", train.manifest().seed());
            c.put("with_q", fit.hasNextOrder());
            c.put("loss_eps", lossEps);
            putFinite(c, "start_loss", fit.startLoss());
            putFinite(c, "final_loss", fit.loss());
            c.put("steps", fit.steps());
            c.put("converged", fit.converged());
            if (log != null) {
                log.printf(Locale.ROOT, "  input_independent (seed %d): training loss %.4f -> %.4f in %d steps%s (%.1fs)%n",
                        sm.index(), fit.startLoss(), fit.loss(), fit.steps(), fit.converged() ? "" : ", NOT converged",
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        ArrayNode baselineInfo = root.putArray(BASELINE_FITS);
        for (SeedModels sm : seeds) {
            if (sm.baselineDir() == null) {
                continue;
            }
            LinearBaseline baseline = LinearBaselineFile.read(sm.baselineDir());
            ev.requireCompatible("baseline " + sm.baselineDir(), baseline.family(), baseline.dim(), baseline.order());
            ObjectNode bi = baselineInfo.addObject();
            bi.put("seed_index", sm.index());
            bi.put("next_order", baseline.nextOrder());
            bi.put("features", baseline.featureCount());
            String key = seeded(HeldOutEvaluator.BASELINE, sm.index());
            seeded.computeIfAbsent(HeldOutEvaluator.BASELINE, k -> new ArrayList<>()).add(key);
            baselines.put(key, baseline);
        }
        constants.forEach((k, fit) -> ev.coefficients(k, fit.method(layout.order())));
        baselines.forEach((k, b) -> ev.coefficients(k, BaselineErrors.method(b)));
        loadedAll.forEach(ev::learned);
        ev.corpusColumn(HeldOutEvaluator.ORACLE, ErrorColumn.ORACLE_REL_L2);
        long start = System.nanoTime();
        HeldOutEvaluator.Errors errors = ev.evaluate(HeldOutEvaluator.Scope.PROGRAMS, (done, total) -> {
            if (log != null && (done % 100 == 0 || done == total)) {
                log.printf(Locale.ROOT, "  evaluated %d/%d programs at %d independent points (%.1fs)%n", done, total,
                        points.count(), (System.nanoTime() - start) / 1e9);
            }
        });
        root.put("non_finite_truth", errors.nonFiniteTruth());
        List<String> methods = new ArrayList<>();
        for (String m : METHOD_ORDER) {
            if (errors.methods().contains(m) || seeded.containsKey(m)) {
                methods.add(m);
            }
        }
        ArrayNode ms = root.putArray("methods");
        methods.forEach(ms::add);
        ArrayNode sd = root.putArray("seeded");
        seeded.keySet().forEach(sd::add);

        ObjectNode beyond = root.putObject("beyond_step_encoding");
        seeded.forEach((name, keys) -> {
            if (loadedAll.containsKey(keys.get(0))) {
                beyond.put(name, errors.unscored().get(keys.get(0)));
            }
        });
        ArrayNode programs = root.putArray("programs");
        for (HeldOutEvaluator.Row row : errors.rows()) {
            ObjectNode p = programs.addObject();
            p.put("index", row.record().index());
            p.put("steps", row.record().steps());
            ObjectNode e = p.putObject("errors");
            ObjectNode linf = p.putObject("linf");
            for (String method : methods) {
                List<String> keys = seeded.get(method);
                if (keys == null) {
                    int j = errors.indexOf(method);
                    putError(e, method, row.scored()[j], row.errors()[j]);
                    putError(linf, method, row.scored()[j], row.linf()[j]);
                } else {
                    ArrayNode ae = e.putArray(method);
                    ArrayNode al = linf.putArray(method);
                    for (String k : keys) {
                        int j = errors.indexOf(k);
                        addError(ae, row.scored()[j], row.errors()[j]);
                        addError(al, row.scored()[j], row.linf()[j]);
                    }
                }
            }
        }
        root.set("costs", costs(records, layout, pade, econ1, econ2, constants, baselines, loadedAll, seeded, log));
        root.set("examples", examples(records, layout, examplesModels, examples, slicePoints));
        return root;
    }

    /** The evaluator's name of a seeded method's seed {@code i}. */
    static String seeded(String method, int i) {
        return method + "#" + i;
    }

    private static void putError(ObjectNode o, String k, boolean scored, double v) {
        if (scored && Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    private static void addError(ArrayNode a, boolean scored, double v) {
        if (scored && Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static void putFinite(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    /** Programs timed per method in the cost pass. */
    static final int COST_PROGRAMS = 60;
    /** Timed passes per method; the fastest is kept (the least disturbed by other load). */
    static final int COST_PASSES = 3;

    /**
     * µs per program of every method, from the program text to its F-coefficients, measured in one
     * thread on the first {@value #COST_PROGRAMS} programs (seeded methods: the first seed's), after two
     * warm-up passes of every method, as the fastest of {@value #COST_PASSES} timed passes.
     * Machine-dependent: the report keeps it under provenance.
     */
    static ObjectNode costs(List<CorpusRecord> records, CorpusLayout layout, PadeExtrapolation pade, Economised econ1,
            Economised econ2,
            Map<String, InputIndependent> constants, Map<String, LinearBaseline> baselines,
            Map<String, LearnedInterpreter> learned, Map<String, List<String>> seeded, PrintStream log) {
        List<CorpusRecord> sample = records.subList(0, Math.min(COST_PROGRAMS, records.size()));
        int n = layout.order();
        String family = layout.family();
        int d = layout.dim();
        double[] tfx = org.vtm.interpreter.TfxSource.computed().tfx(family, d, n);
        int m = tfx.length == 0 ? 0 : (int) Math.round(Math.sqrt(tfx.length));
        org.vtm.transforms.Oracle oracle = org.vtm.transforms.Oracle.of(FunctionSet.of(FunctionFamily.byName(family), d, n),
                layout.samples());
        Map<String, java.util.function.Consumer<CorpusRecord>> work = new LinkedHashMap<>();
        work.put(HeldOutEvaluator.TAYLOR, r -> StepInputs.of(Program.parse(r.program()), r.point(), r.radius(), n));
        work.put(HeldOutEvaluator.FIXED, r -> {
            double[][] a = StepInputs.of(Program.parse(r.program()), r.point(), r.radius(), n).prefixExpansion();
            double[] last = a[a.length - 1];
            double[] c = new double[last.length];
            for (int o = 0; o < d; o++) {
                for (int i = 0; i < m; i++) {
                    double v = 0;
                    for (int j = 0; j < m; j++) {
                        v += tfx[i * m + j] * last[o * m + j];
                    }
                    c[o * m + i] = v;
                }
            }
        });
        if (pade.available()) {
            work.put(PADE, r -> {
                double[][] a = StepInputs.of(Program.parse(r.program()), r.point(), r.radius(), n).prefixExpansion();
                pade.coefficients(a[a.length - 1]);
            });
        }
        work.put(ECONOMISED_N1, r -> econ1.coefficients(Program.parse(r.program()), r.point(), r.radius()));
        work.put(ECONOMISED_N2, r -> econ2.coefficients(Program.parse(r.program()), r.point(), r.radius()));
        first(seeded, INPUT_INDEPENDENT).map(constants::get).ifPresent(fit -> work.put(INPUT_INDEPENDENT, r -> {
            Program p = Program.parse(r.program());
            double[][] a = StepInputs.of(p, r.point(), r.radius(), n).prefixExpansion();
            double[] next = fit.hasNextOrder() ? StepInputs.nextOrderTerms(p, r.point(), r.radius(), n) : null;
            fit.coefficients(r.fixedCoefficients()[a.length - 1], a[a.length - 1], next, a.length - 1);
        }));
        first(seeded, HeldOutEvaluator.BASELINE).map(baselines::get).ifPresent(b -> work.put(HeldOutEvaluator.BASELINE, r -> {
            StepInputs.of(Program.parse(r.program()), r.point(), r.radius(), n);
            b.correctedCoefficients(r, r.steps() - 1);
        }));
        for (String v : List.of("learned", "random_init", "direct_head")) {
            first(seeded, v).map(learned::get).ifPresent(li -> work.put(v, r -> {
                if (r.steps() <= li.config().maxSteps()) {
                    li.transform(Program.parse(r.program()), r.point(), r.radius());
                }
            }));
        }
        work.put(HeldOutEvaluator.ORACLE, r -> oracle.fit(Program.parse(r.program()), r.point(), r.radius()));
        ObjectNode out = JSON.createObjectNode();
        out.put("programs", sample.size());
        out.put("threads", 1);
        out.put("timed_passes", COST_PASSES);
        ObjectNode us = out.putObject("us_per_program");
        for (int warm = 0; warm < 2; warm++) { // every method warmed up before any is timed
            for (java.util.function.Consumer<CorpusRecord> w : work.values()) {
                sample.forEach(w);
            }
        }
        for (Map.Entry<String, java.util.function.Consumer<CorpusRecord>> e : work.entrySet()) {
            long best = Long.MAX_VALUE;
            for (int pass = 0; pass < COST_PASSES; pass++) {
                long t0 = System.nanoTime();
                sample.forEach(e.getValue());
                best = Math.min(best, System.nanoTime() - t0);
            }
            us.put(e.getKey(), best / 1e3 / Math.max(1, sample.size()));
        }
        if (log != null) {
            log.println("  cost pass (single thread, " + sample.size() + " programs): " + us);
        }
        return out;
    }

    private static java.util.Optional<String> first(Map<String, List<String>> seeded, String method) {
        List<String> keys = seeded.get(method);
        return keys == null || keys.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(keys.get(0));
    }

    /**
     * The longest program of the corpus a model was trained on: as its description records it
     * (since {@code vtm.model/3}), else read from the manifest at the path formats 1 and 2 recorded;
     * -1 if neither is available.
     */
    static int trainingMaxSteps(ModelDescription description) {
        return description.trainingCorpus().map(ModelDescription.TrainingCorpus::maxSteps)
                .orElseGet(() -> description.legacyCorpusPath().map(p -> trainingMaxSteps(p.toString())).orElse(-1));
    }

    /** The largest step count of the corpus in {@code corpusDir}, or -1 if it cannot be read. */
    static int trainingMaxSteps(String corpusDir) {
        if (corpusDir.isEmpty()) {
            return -1;
        }
        try {
            Manifest m = Manifest.read(Path.of(corpusDir));
            return m.generator().path("max_steps").asInt(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Worked examples: the first programs with the most steps, then the next-longest, … (a
     * deterministic choice); each a slice {@code u = (s, 0, …, 0)}, {@code s ∈ [-1, 1]}, of output 0.
     */
    static ArrayNode examples(List<CorpusRecord> records, CorpusLayout layout, Map<String, LearnedInterpreter> models,
            int count, int points) {
        ArrayNode out = JSON.createArrayNode();
        List<CorpusRecord> sorted = new ArrayList<>(records);
        sorted.sort((a, b) -> a.prefixExpansion().length != b.prefixExpansion().length
                ? Integer.compare(b.prefixExpansion().length, a.prefixExpansion().length)
                : Long.compare(a.index(), b.index()));
        // spread over step counts: take one program per distinct step count, longest first
        List<CorpusRecord> chosen = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (CorpusRecord r : sorted) {
            if (chosen.size() < count && seen.add(r.prefixExpansion().length)) {
                chosen.add(r);
            }
        }
        for (CorpusRecord r : sorted) {
            if (chosen.size() < count && !chosen.contains(r)) {
                chosen.add(r);
            }
        }
        int d = layout.dim();
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(layout.family()), d, layout.order());
        MultiIndexSet alphas = MultiIndexSet.of(d, layout.order());
        int m = alphas.size();
        for (CorpusRecord r : chosen) {
            int t = r.prefixExpansion().length - 1;
            Program program = Program.parse(r.program());
            double[] a = r.prefixExpansion()[t];
            FunctionSeries fixed = FunctionSeries.of(set, FunctionSeries.Origin.EXACT_TRANSFORM, r.point(), r.radius(), d,
                    r.fixedCoefficients()[t]);
            Map<String, FunctionSeries> learned = new LinkedHashMap<>();
            for (Map.Entry<String, LearnedInterpreter> e : models.entrySet()) {
                if (r.prefixExpansion().length <= e.getValue().config().maxSteps()) {
                    learned.put(e.getKey(), e.getValue().transformPrefixes(program, r.point(), r.radius())[t]);
                }
            }
            ObjectNode ex = out.addObject();
            ex.put("index", r.index());
            ex.put("program", r.program());
            ex.put("steps", r.prefixExpansion().length);
            ArrayNode pt = ex.putArray("point");
            for (double v : r.point()) {
                pt.add(v);
            }
            ex.put("radius", r.radius());
            ArrayNode us = ex.putArray("u");
            ObjectNode curves = ex.putObject("curves");
            ArrayNode truth = curves.putArray("true");
            ArrayNode taylor = curves.putArray("taylor");
            ArrayNode fix = curves.putArray("fixed");
            Map<String, ArrayNode> lc = new LinkedHashMap<>();
            learned.keySet().forEach(k -> lc.put(k, curves.putArray(k)));
            for (int i = 0; i < points; i++) {
                double s = -1 + 2.0 * i / (points - 1);
                double[] uu = new double[d];
                uu[0] = s;
                double[] x = r.point();
                x[0] += r.radius() * s;
                us.add(s);
                addFinite(truth, program.execute(x)[0]);
                double tv = 0;
                for (int j = 0; j < m; j++) {
                    int[] al = alphas.alpha(j);
                    double mono = 1;
                    for (int q = 0; q < d; q++) {
                        mono *= Math.pow(uu[q], al[q]);
                    }
                    tv += a[j] * mono; // output 0 occupies the first M entries
                }
                addFinite(taylor, tv);
                addFinite(fix, fixed.evaluate(uu)[0]);
                for (Map.Entry<String, FunctionSeries> e : learned.entrySet()) {
                    addFinite(lc.get(e.getKey()), e.getValue().evaluate(uu)[0]);
                }
            }
        }
        return out;
    }

    private static void addFinite(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    /** Reads an {@value #FILE_NAME}, checking its format. */
    public static ObjectNode read(Path file) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(file));
        if (!FORMAT.equals(n.path("format").asText())) {
            throw new IOException(file + ": format is '" + n.path("format").asText() + "', expected " + FORMAT);
        }
        return (ObjectNode) n;
    }
}
