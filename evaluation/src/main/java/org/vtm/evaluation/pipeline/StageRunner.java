package org.vtm.evaluation.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.OutputDirectory;

/**
 * Runs {@link Stage}s of one run directory and records them, deleting only what a stage wrote.
 *
 * <p>A stage owns a directory under the run. Before its body writes anything, the runner writes a
 * pending record ({@value #PENDING_FILE}, {@value #PENDING_FORMAT}) with the stage's input hash and
 * the patterns of the files it may write, so the partial files of an interrupted stage are known.
 * When the stage finishes, {@value #STAGE_FILE} ({@value #STAGE_FORMAT}) records its input hash,
 * output hash and the exact list of files it wrote; the pending record is then removed.
 *
 * <p>A stage whose recorded input hash matches and whose outputs verify is skipped. Otherwise,
 * before it runs again, the runner deletes the files the earlier run listed (the exact list of a
 * finished run, or the declared patterns of an interrupted one) and nothing else: a file VTM did
 * not list is left alone with a warning — or refused, naming it, when it has the name of an output
 * the stage is about to write. {@link #checkBlockers} runs that check for every stage of a run before
 * any stage starts. A training stage interrupted with the same inputs resumes instead of starting
 * over ({@link Stage#resumable}).
 */
public final class StageRunner {
    public static final String STAGE_FORMAT = "vtm.stage/2";
    /** The previous stage record format: no file list (its stage's declared patterns stand in for it). */
    public static final String STAGE_FORMAT_V1 = "vtm.stage/1";
    public static final String STAGE_FILE = "stage.json";
    public static final String PENDING_FILE = ".stage-pending";
    public static final String PENDING_FORMAT = "vtm.stage-pending/1";
    /** Files every stage may write besides its own outputs: its records and VTM's temporary files. */
    static final List<String> RECORD_PATTERNS = List.of(STAGE_FILE, PENDING_FILE, "**/.*.partial-*", ".*.partial-*");

    /** Runs a stage into its directory; returns facts for the stage record. */
    public interface Body {
        Map<String, String> run(Path dir, boolean resume) throws Exception;
    }

    /** Whether a finished stage's outputs are intact. */
    public interface Verify {
        boolean ok(Path dir);
    }

    /** The hash of a finished stage's outputs. */
    public interface Hash {
        String of(Path dir) throws IOException;
    }

    /**
     * One unit of a run: its name, its directory under the run, what goes into its input hash
     * (besides the format, the code and its upstream stages' output hashes), the glob patterns
     * (relative to its directory) of every file it may write, and how it runs, verifies and hashes.
     */
    public record Stage(String name, String dirName, List<String> inputs, List<String> upstream, List<String> outputs,
                        boolean resumable, Body body, Verify verify, Hash outputHash) {
        public Stage {
            inputs = List.copyOf(inputs);
            upstream = List.copyOf(upstream);
            outputs = List.copyOf(outputs);
        }
    }

    private final Path run;
    private final String codeHash;
    private final PrintStream log;
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final Map<String, String> timings = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();

    /**
     * @param run      the run directory (claimed by the caller with {@link OutputDirectory#claim})
     * @param codeHash the hash of the code that runs the stages: part of every input hash
     */
    public StageRunner(Path run, String codeHash, PrintStream log) {
        this.run = run;
        this.codeHash = codeHash;
        this.log = log;
    }

    public List<String> ran() {
        return List.copyOf(ran);
    }

    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Stage name → how long it took, or that it was skipped. */
    public Map<String, String> timings() {
        return new LinkedHashMap<>(timings);
    }

    /**
     * Records the outcome of a stage of this run directory that another runner ran — a Spark task
     * with its own runner — so that the stages downstream of it see its output hash and the report
     * its timing.
     *
     * @param ran    whether it ran (else it was skipped)
     * @param timing how long it took, or that it was skipped
     */
    public void recordElsewhere(String stage, String outputHash, boolean ran, String timing) {
        outputs.put(stage, outputHash);
        (ran ? this.ran : skipped).add(stage);
        timings.put(stage, timing);
    }

    /** Takes the output hash of an upstream stage that another runner ran or skipped (inside a task). */
    public void adoptOutput(String stage, String outputHash) {
        outputs.put(stage, outputHash);
    }

    /** The output hash of a stage that has run or was skipped in this run. */
    public String outputHash(String stage) {
        return outputs.get(stage);
    }

    /**
     * Refuses (before anything is written) a run in which a file VTM did not write stands where a
     * stage is about to write one of its outputs.
     *
     * @throws OutputDirectory.Refused naming the first such file
     */
    public void checkBlockers(List<Stage> stages) throws IOException {
        for (Stage s : stages) {
            // a stage with a finished record may be skipped, and then writes nothing: it is checked
            // when it is about to run
            if (readRecord(run.resolve(s.dirName()).resolve(STAGE_FILE)) == null) {
                checkBlockers(s);
            }
        }
    }

    /** {@link #checkBlockers(List)} for one stage that is about to run. */
    private void checkBlockers(Stage s) throws IOException {
        Path dir = run.resolve(s.dirName());
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new OutputDirectory.Refused(dir + " is in the way: stage " + s.name()
                    + " needs a directory there; VTM did not write this file, so move it away and re-run");
        }
        Set<String> listed = listed(dir, s);
        List<PathMatcher> m = matchers(s);
        for (String f : files(dir)) {
            if (!listed.contains(f) && matches(m, f)) {
                throw new OutputDirectory.Refused(dir.resolve(f) + " is in the way: stage " + s.name()
                        + " writes a file of that name and no VTM record lists this one; move it away and re-run");
            }
        }
    }

    /** Runs (or skips) one stage; {@code k} of {@code total} for the progress lines. */
    public void run(int k, int total, Stage s) throws Exception {
        Path dir = run.resolve(s.dirName());
        String inputHash = inputHash(s);
        Path stageFile = dir.resolve(STAGE_FILE);
        JsonNode record = readRecord(stageFile);
        if (record != null && inputHash.equals(record.path("input_hash").asText()) && s.verify().ok(dir)) {
            String oh = s.outputHash().of(dir);
            if (oh.equals(record.path("output_hash").asText())) {
                outputs.put(s.name(), oh);
                skipped.add(s.name());
                timings.put(s.name(), "skipped (finished earlier in " + record.path("seconds").asText() + " s)");
                log.printf(Locale.ROOT, "[%d/%d] %s: skipped (inputs unchanged, output verified; input hash %s)%n", k, total,
                        s.name(), inputHash.substring(0, 12));
                return;
            }
        }
        checkBlockers(s);
        boolean resume = false;
        Set<String> userFiles = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            Pending pending = readPending(dir.resolve(PENDING_FILE));
            if (s.resumable() && pending != null && inputHash.equals(pending.inputHash())
                    && Files.isDirectory(dir.resolve("checkpoints"))) {
                resume = true;
                Files.deleteIfExists(stageFile);
            } else {
                userFiles.addAll(clean(dir, s));
            }
        }
        Files.createDirectories(dir);
        writePending(dir, inputHash, s.outputs());
        log.printf(Locale.ROOT, "[%d/%d] %s: running%s%n", k, total, s.name(), resume ? " (resuming an interrupted run)" : "");
        for (String f : userFiles) {
            log.println("  warning: " + dir.resolve(f) + " was not written by VTM; left alone");
        }
        long t0 = System.nanoTime();
        Map<String, String> facts = s.body().run(dir, resume);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String oh = s.outputHash().of(dir);
        ObjectNode rec = ExperimentConfig.JSON.createObjectNode();
        rec.put("format", STAGE_FORMAT);
        rec.put("stage", s.name());
        rec.put("input_hash", inputHash);
        rec.put("output_hash", oh);
        ObjectNode src = rec.putObject("source");
        org.vtm.artifacts.Provenance.source().forEach(src::put);
        rec.put("seconds", Math.round(seconds * 10) / 10.0);
        ObjectNode up = rec.putObject("upstream");
        s.upstream().forEach(u -> up.put(u, outputs.get(u)));
        ObjectNode f = rec.putObject("facts");
        facts.forEach(f::put);
        ArrayNode written = rec.putArray("files");
        for (String file : files(dir)) {
            if (!userFiles.contains(file) && !file.equals(STAGE_FILE) && !file.equals(PENDING_FILE)) {
                written.add(file);
            }
        }
        AtomicFiles.write(stageFile, (ExperimentConfig.JSON.writeValueAsString(rec) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(dir.resolve(PENDING_FILE));
        outputs.put(s.name(), oh);
        ran.add(s.name());
        String summary = facts.isEmpty() ? "" : " " + facts;
        timings.put(s.name(), String.format(Locale.ROOT, "%.1f s%s", seconds, summary));
        log.printf(Locale.ROOT, "[%d/%d] %s: done in %.1fs%s%n", k, total, s.name(), seconds, summary);
    }

    /** SHA-256 of everything that decides a stage's output. */
    String inputHash(Stage s) {
        StringBuilder in = new StringBuilder(STAGE_FORMAT).append('\n').append(codeHash).append('\n').append(s.name())
                .append('\n');
        s.inputs().forEach(x -> in.append(x).append('\n'));
        for (String u : s.upstream()) {
            String h = outputs.get(u);
            if (h == null) {
                throw new IllegalStateException("stage " + s.name() + " needs " + u + ", which has no output");
            }
            in.append(u).append('=').append(h).append('\n');
        }
        return AtomicFiles.sha256(in.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the files an earlier run of {@code s} listed (and the directories that held only
     * them); returns the files left because no record lists them.
     */
    private Set<String> clean(Path dir, Stage s) throws IOException {
        Set<String> listed = listed(dir, s);
        Set<String> left = new TreeSet<>();
        for (String f : files(dir)) {
            if (listed.contains(f)) {
                Path p = dir.resolve(f);
                Files.deleteIfExists(p);
                for (Path parent = p.getParent(); parent != null && !parent.equals(dir); parent = parent.getParent()) {
                    if (!isEmptyDirectory(parent)) {
                        break;
                    }
                    Files.delete(parent);
                }
            } else {
                left.add(f);
            }
        }
        return left;
    }

    /**
     * The files of {@code dir} that a VTM record claims: the file list of a finished run's record;
     * for an interrupted run (or a {@value #STAGE_FORMAT_V1} record, which has no list) every file
     * matching the stage's declared patterns; the records themselves and VTM's temporary files always.
     */
    private Set<String> listed(Path dir, Stage s) throws IOException {
        Set<String> listed = new TreeSet<>();
        List<String> files = files(dir);
        List<PathMatcher> records = RECORD_PATTERNS.stream().map(StageRunner::glob).toList();
        JsonNode record = readRecord(dir.resolve(STAGE_FILE));
        Pending pending = readPending(dir.resolve(PENDING_FILE));
        List<PathMatcher> patterns = new ArrayList<>();
        if (pending != null) {
            if (pending.patterns() == null) {
                patterns.addAll(matchers(s));
            } else {
                pending.patterns().forEach(p -> patterns.add(glob(p)));
            }
        }
        if (record != null) {
            if (record.has("files")) {
                record.path("files").forEach(f -> listed.add(f.asText()));
            } else {
                patterns.addAll(matchers(s));
            }
        }
        for (String f : files) {
            if (matches(records, f) || matches(patterns, f)) {
                listed.add(f);
            }
        }
        listed.retainAll(files);
        return listed;
    }

    private static List<PathMatcher> matchers(Stage s) {
        List<PathMatcher> m = new ArrayList<>();
        s.outputs().forEach(p -> m.add(glob(p)));
        return m;
    }

    private static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    private static boolean matches(List<PathMatcher> matchers, String relative) {
        Path p = Path.of(relative);
        for (PathMatcher m : matchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    /** Regular files under {@code dir}, relative, with '/' separators, sorted. */
    static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /** A pending record; {@code patterns} is null for the first format, which listed none. */
    private record Pending(String inputHash, List<String> patterns) {
    }

    private static void writePending(Path dir, String inputHash, List<String> outputs) throws IOException {
        ObjectNode p = ExperimentConfig.JSON.createObjectNode();
        p.put("format", PENDING_FORMAT);
        p.put("input_hash", inputHash);
        ArrayNode o = p.putArray("outputs");
        outputs.forEach(o::add);
        AtomicFiles.write(dir.resolve(PENDING_FILE),
                (ExperimentConfig.JSON.writeValueAsString(p) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The pending record, or null; a record of the first format is the bare input hash. */
    private static Pending readPending(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String text = Files.readString(file).trim();
        if (!text.startsWith("{")) {
            return new Pending(text, null);
        }
        try {
            JsonNode p = ExperimentConfig.JSON.readTree(text);
            List<String> patterns = new ArrayList<>();
            p.path("outputs").forEach(x -> patterns.add(x.asText()));
            return new Pending(p.path("input_hash").asText(), patterns);
        } catch (IOException e) {
            return new Pending("", null);
        }
    }

    /** The stage record, or null when there is none or it is unreadable (the stage then re-runs). */
    private static JsonNode readRecord(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode r = ExperimentConfig.JSON.readTree(Files.readAllBytes(file));
            String format = r == null ? "" : r.path("format").asText();
            return format.equals(STAGE_FORMAT) || format.equals(STAGE_FORMAT_V1) ? r : null;
        } catch (IOException e) {
            return null;
        }
    }
}
