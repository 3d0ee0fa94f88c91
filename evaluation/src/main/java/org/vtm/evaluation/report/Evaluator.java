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
import org.vtm.evaluation.heldout.HeldOutEvaluator;
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
    public static final String FORMAT = "vtm.evaluation/1";
    public static final String FILE_NAME = "evaluation.json";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Compact writer for {@value #FILE_NAME}. */
    public static final com.fasterxml.jackson.databind.ObjectWriter JSON_WRITER = JSON.writer();

    /** A model to evaluate: its report name ({@code learned}, {@code random_init}, {@code direct_head}) and directory. */
    public record NamedModel(String name, Path dir) {
    }

    private Evaluator() {
    }

    /**
     * Evaluates {@code models} on {@code corpus}.
     *
     * @param baselineDir an MLlib linear baseline ({@code vtm.linear-baseline/1}) to evaluate too, or null
     * @param trainMaxSteps the longest program in the training corpus (-1: unknown; then read from
     *     the first model's training corpus manifest when it still exists)
     * @param examples number of worked examples
     * @param slicePoints points per example slice
     */
    public static ObjectNode evaluate(Path corpus, List<NamedModel> models, Path baselineDir, int trainMaxSteps,
            int examples, int slicePoints, PrintStream log) throws IOException {
        CorpusReader reader = CorpusReader.open(corpus);
        HeldOutEvaluator ev = HeldOutEvaluator.of(reader);
        CorpusLayout layout = ev.layout();
        List<CorpusRecord> records = ev.records();
        int d = layout.dim();
        int s = layout.samples();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("family", layout.family());
        root.put("dim", d);
        root.put("order", layout.order());
        root.put("samples", s);
        root.put("test_corpus", corpus.toAbsolutePath().normalize().toString());
        Manifest manifest = reader.manifest();
        root.put("test_seed", manifest.seed());
        root.put("test_programs", records.size());

        Map<String, LearnedInterpreter> loaded = new LinkedHashMap<>();
        ObjectNode modelInfo = root.putObject("models");
        ObjectNode histories = root.putObject("histories");
        for (NamedModel m : models) {
            LearnedInterpreter li = LearnedInterpreter.load(m.dir());
            ModelConfig c = li.config();
            if (!c.family().equals(layout.family()) || c.dim() != d || c.order() != layout.order()) {
                throw new IllegalArgumentException("model " + m.dir() + " is for " + c.family() + " d=" + c.dim() + " n="
                        + c.order() + "; corpus " + corpus + " has " + layout.family() + " d=" + d + " n=" + layout.order());
            }
            loaded.put(m.name(), li);
            ObjectNode info = modelInfo.putObject(m.name());
            info.put("dir", m.dir().toAbsolutePath().normalize().toString());
            info.put("init", c.init().name().toLowerCase(Locale.ROOT));
            info.put("head", c.head().name().toLowerCase(Locale.ROOT));
            info.put("hidden", c.hidden());
            info.put("max_steps", c.maxSteps());
            info.put("seed", li.description() == null ? 0 : li.description().seed());
            Path hist = m.dir().resolve(TrainingHistory.FILE_NAME);
            if (Files.exists(hist)) {
                histories.set(m.name(), TrainingHistory.read(hist).toJsonNode());
            }
            if (trainMaxSteps < 0 && li.description() != null) {
                trainMaxSteps = trainingMaxSteps(li.description());
            }
        }
        root.put("train_max_steps", trainMaxSteps);

        LinearBaseline baseline = baselineDir == null ? null : LinearBaselineFile.read(baselineDir);
        ev.corpusColumn(HeldOutEvaluator.TAYLOR, ErrorColumn.TAYLOR_REL_L2)
                .corpusColumn(HeldOutEvaluator.FIXED, ErrorColumn.FIXED_REL_L2);
        if (baseline != null) {
            ev.requireCompatible("baseline " + baselineDir, baseline.family(), baseline.dim(), baseline.order());
            ev.coefficients(HeldOutEvaluator.BASELINE, baseline::correctedCoefficients);
        }
        loaded.forEach(ev::learned);
        ev.corpusColumn(HeldOutEvaluator.ORACLE, ErrorColumn.ORACLE_REL_L2);
        long start = System.nanoTime();
        HeldOutEvaluator.Errors errors = ev.evaluate(HeldOutEvaluator.Scope.PROGRAMS, (done, total) -> {
            if (log != null && (done % 100 == 0 || done == total)) {
                log.printf(Locale.ROOT, "  evaluated %d/%d programs (%.1fs)%n", done, total, (System.nanoTime() - start) / 1e9);
            }
        });
        ArrayNode ms = root.putArray("methods");
        errors.methods().forEach(ms::add);

        ObjectNode beyond = root.putObject("beyond_step_encoding");
        loaded.keySet().forEach(k -> beyond.put(k, errors.unscored().get(k)));
        ArrayNode programs = root.putArray("programs");
        for (HeldOutEvaluator.Row row : errors.rows()) {
            ObjectNode p = programs.addObject();
            p.put("index", row.record().index());
            p.put("steps", row.record().steps());
            ObjectNode e = p.putObject("errors");
            for (int j = 0; j < errors.methods().size(); j++) {
                String method = errors.methods().get(j);
                if (row.scored()[j] && Double.isFinite(row.errors()[j])) {
                    e.put(method, row.errors()[j]);
                } else {
                    e.putNull(method);
                }
            }
        }
        root.set("examples", examples(records, layout, loaded, examples, slicePoints));
        return root;
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
