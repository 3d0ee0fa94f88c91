package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.interpreter.LearnedInterpreter;
import org.vtm.interpreter.ModelDirectory;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.Program;

/**
 * Model directories are inputs of {@code vtm predict}, {@code vtm evaluate-model}, {@code vtm evaluate}
 * and {@code vtm train --resume}: an unfinished, missing, damaged, foreign or newer one, or one whose
 * T_FX differs, is one line and exit code 2 (not an internal error), and training options outside
 * their limits are refused by name. One tiny model (d = 2, n = 2, LSTM(4), 1 epoch) is trained once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ModelCliTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    @TempDir
    static Path dir;
    static Path corpus;
    static Path heldOut;
    static Path model;

    static String[] trainArgs(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--family", "chebyshev", "--order",
                "2", "--epochs", "1", "--hidden", "4", "--batch-size", "8", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @BeforeAll
    static void trainTinyModel() {
        corpus = dir.resolve("corpus");
        heldOut = dir.resolve("held-out");
        model = dir.resolve("model");
        for (String[] args : new String[][] {
            {"generate", "--programs", "24", "--dim", "2", "--order", "2", "--family", "chebyshev", "--steps", "1..3",
                "--seed", "3", "--out", corpus.toString()},
            {"generate", "--programs", "8", "--dim", "2", "--order", "2", "--family", "chebyshev", "--steps", "1..3",
                "--seed", "4", "--out", heldOut.toString()},
            trainArgs(model)}) {
            VtmMainTest.Run r = VtmMainTest.run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        }
    }

    /** The commands that load a model directory, with the arguments to load {@code m}. */
    static List<String[]> loaders(Path m) {
        return List.of(
                new String[] {"predict", "--model", m.toString(), "--program", "(x, y) -> (x * y, x + y)", "--at", "0.1,0.2",
                    "--radius", "0.3"},
                new String[] {"evaluate-model", "--model", m.toString(), "--corpus", heldOut.toString()},
                new String[] {"evaluate", "--model", m.toString(), "--corpus", heldOut.toString(), "--out",
                    dir.resolve("report-" + m.getFileName()).toString(), "--examples", "1"});
    }

    /** Exit 2, one line starting with the command's name, no exception name, containing every phrase. */
    static void assertOneLineUsageError(String[] args, String... phrases) {
        String shown = String.join(" ", args);
        VtmMainTest.Run r = VtmMainTest.run(args);
        assertEquals(VtmMain.EXIT_USAGE, r.code(), shown + ": " + r.err());
        assertEquals(1, r.err().lines().count(), "one line for " + shown + ": " + r.err());
        assertTrue(r.err().startsWith("vtm " + args[0] + ": "), r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), r.err());
        for (String p : phrases) {
            assertTrue(r.err().contains(p), "'" + p + "' in the message for " + shown + ": " + r.err());
        }
    }

    static Path copy(String name) {
        Path dst = dir.resolve(name);
        try (Stream<Path> walk = Files.walk(model)) {
            walk.forEach(p -> {
                try {
                    Files.copy(p, dst.resolve(model.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }

    /** Marks {@code m} finished again after a test changed its files (a model damaged before its run ended). */
    static void remark(Path m) throws IOException {
        ModelCompletion.write(m, "epochs", 1, List.of(ModelDescription.FILE_NAME, ModelDirectory.MODEL_FILE));
    }

    static void editDescription(Path m, String key, String value, boolean property) throws IOException {
        Path file = m.resolve(ModelDescription.FILE_NAME);
        ObjectNode root = (ObjectNode) TrainingJson.MAPPER.readTree(file.toFile());
        (property ? (ObjectNode) root.get("properties") : root).put(key, value);
        Files.writeString(file, TrainingJson.MAPPER.writeValueAsString(root));
    }

    @Test
    void aFinishedModelIsMarkedAndLoads() {
        assertTrue(Files.isRegularFile(model.resolve(ModelCompletion.FILE_NAME)));
        for (String[] args : loaders(model)) {
            VtmMainTest.Run r = VtmMainTest.run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        }
    }

    /**
     * {@code vtm evaluate-model} (the held-out evaluator) prints the medians an independent
     * computation gives: the corpus' fixed and oracle errors of each whole program, and the learned
     * series of {@link LearnedInterpreter#transformPrefixes} evaluated point by point.
     */
    @Test
    void evaluateModelPrintsTheMediansOfAnIndependentComputation() throws Exception {
        VtmMainTest.Run r = VtmMainTest.run("evaluate-model", "--model", model.toString(), "--corpus", heldOut.toString());
        assertEquals(0, r.code(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "RESULT programs (\\d+)  median rel L2: fixed (\\S+)  learned (\\S+)  oracle (\\S+)  gap closed (\\S+)%  "
                        + "learned better on (\\S+)%  \\(non-learned T_FX·a \\+ Q\\*·a⁺ with the same degree-\\(n\\+1\\) terms: (\\S+)\\)")
                .matcher(line);
        assertTrue(m.matches(), r.out());
        LearnedInterpreter li = LearnedInterpreter.load(model);
        CorpusReader reader = CorpusReader.open(heldOut);
        double[][] u = reader.layout().samplePoints();
        int d = reader.layout().dim();
        List<CorpusRecord> records = reader.records(CorpusFilter.ALL);
        double[] fixed = new double[records.size()];
        double[] learned = new double[records.size()];
        double[] oracle = new double[records.size()];
        int better = 0;
        for (int i = 0; i < records.size(); i++) {
            CorpusRecord rec = records.get(i);
            int t = rec.steps() - 1;
            FunctionSeries fs = li.transformPrefixes(Program.parse(rec.program()), rec.point(), rec.radius())[t];
            double err2 = 0;
            double true2 = 0;
            for (int q = 0; q < u.length; q++) {
                double[] v = fs.evaluate(u[q]);
                for (int o = 0; o < d; o++) {
                    double tv = rec.sampleValues()[t][q * d + o];
                    err2 += (v[o] - tv) * (v[o] - tv);
                    true2 += tv * tv;
                }
            }
            learned[i] = Math.sqrt(err2 / true2);
            fixed[i] = rec.errors()[t][2];
            oracle[i] = rec.errors()[t][4];
            better += learned[i] < fixed[i] ? 1 : 0;
        }
        assertEquals(records.size(), Integer.parseInt(m.group(1)));
        double mf = median(fixed);
        double ml = median(learned);
        double mo = median(oracle);
        assertEquals(mf, Double.parseDouble(m.group(2)), 1e-5 * mf, line);
        assertEquals(ml, Double.parseDouble(m.group(3)), 1e-5 * ml, line);
        assertEquals(mo, Double.parseDouble(m.group(4)), 1e-5 * mo, line);
        assertEquals(100 * (mf - ml) / (mf - mo), Double.parseDouble(m.group(5)), 0.051, line);
        assertEquals(100.0 * better / records.size(), Double.parseDouble(m.group(6)), 100.0 / records.size() + 0.051, line);
        assertTrue(Double.isFinite(Double.parseDouble(m.group(7))), line);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    /** What a run killed before it ended leaves (model.json and parameters, no marker) is not a model. */
    @Test
    void anUnfinishedModelIsRefusedByEveryCommandNamingResume() throws IOException {
        Path m = copy("unfinished");
        Files.delete(m.resolve(ModelCompletion.FILE_NAME));
        for (String[] args : loaders(m)) {
            assertOneLineUsageError(args, m.toString(), "did not finish", "vtm train --resume");
        }
    }

    @Test
    void missingDamagedForeignNewerAndMismatchedModelsAreOneLineExitTwo() throws IOException {
        Path missing = dir.resolve("no-such-model");
        for (String[] args : loaders(missing)) {
            assertOneLineUsageError(args, missing.toString());
        }

        Path truncated = copy("truncated");
        Path params = truncated.resolve(ModelDirectory.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(bytes, bytes.length / 2));
        for (String[] args : loaders(truncated)) {
            assertOneLineUsageError(args, params.toString(), "changed after training finished");
        }
        remark(truncated); // damaged before the marker was written: the file's own checksum catches it
        for (String[] args : loaders(truncated)) {
            assertOneLineUsageError(args, params.toString(), "corrupt, checksum mismatch");
        }

        Path flipped = copy("flipped");
        Path flippedParams = flipped.resolve(ModelDirectory.MODEL_FILE);
        byte[] f = Files.readAllBytes(flippedParams);
        f[f.length / 2] ^= 0x10;
        Files.write(flippedParams, f);
        remark(flipped);
        for (String[] args : loaders(flipped)) {
            assertOneLineUsageError(args, flippedParams.toString(), "checksum mismatch");
        }

        Path foreign = copy("foreign");
        editDescription(foreign, "kind", "stm-char", false);
        for (String[] args : loaders(foreign)) {
            assertOneLineUsageError(args, foreign.resolve(ModelDescription.FILE_NAME).toString(), "kind is 'stm-char'");
        }

        Path newer = copy("newer");
        editDescription(newer, "format", "vtm.model/99", false);
        for (String[] args : loaders(newer)) {
            assertOneLineUsageError(args, newer.resolve(ModelDescription.FILE_NAME).toString(), "vtm.model/99 is newer");
        }

        Path corrupt = copy("corrupt");
        Files.writeString(corrupt.resolve(ModelDescription.FILE_NAME), "{\"format\": ");
        for (String[] args : loaders(corrupt)) {
            assertOneLineUsageError(args, corrupt.resolve(ModelDescription.FILE_NAME).toString(), "not valid JSON");
        }

        Path tfx = copy("tfx");
        editDescription(tfx, "tfx_sha256", "0".repeat(64), true); // trained with another T_FX
        remark(tfx);
        for (String[] args : loaders(tfx)) {
            assertOneLineUsageError(args, tfx.resolve(ModelDescription.FILE_NAME).toString(), "T_FX mismatch");
        }
    }

    @Test
    void resumingFromDamagedCheckpointsIsOneLineExitTwo() throws IOException {
        Path m = copy("bad-checkpoint");
        Path ckpt = new CheckpointStore(m.resolve("checkpoints"), 2).latest().orElseThrow().directory();
        Path state = ckpt.resolve("state.params");
        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, Arrays.copyOf(bytes, bytes.length - 40));
        assertOneLineUsageError(trainArgs(m, "--resume"), state.toString(), "corrupt");
        assertTrue(Files.exists(m.resolve(ModelCompletion.FILE_NAME)), "a refused resume leaves the directory as it was");

        Files.writeString(ckpt.resolve(CheckpointStore.STATE_FILE), "{\"format\": ");
        assertOneLineUsageError(trainArgs(m, "--resume"), ckpt.resolve(CheckpointStore.STATE_FILE).toString(),
                "not valid JSON");

        Path other = copy("other-model");
        editDescription(other, "format", "vtm.model/99", false);
        assertOneLineUsageError(trainArgs(other, "--resume"), "vtm.model/99 is newer");
    }

    /** Sizes and budgets are bounded before anything is read or allocated (the corpus does not even exist). */
    @Test
    void trainingOptionsOutsideTheirLimitsAreRefusedByName() {
        Path nowhere = dir.resolve("no-corpus");
        String[][] cases = {
            {"--hidden", "5000", "1..4096"},
            {"--batch-size", "100000", "1..65536"},
            {"--max-steps", "5000", "1..1024"},
            {"--epochs", "2000000", "1..1000000"},
            {"--lr", "100", "(0, 10]"},
            {"--lr", "0", "(0, 10]"},
            {"--clip", "-1", "[0, 1000000]"},
            {"--clip", "NaN", "[0, 1000000]"},
            {"--max-minutes", "1e9", "[0, 43200]"},
            {"--checkpoint-minutes", "-5", "[0, 43200]"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("train", "--corpus", nowhere.toString(), "--family", "chebyshev",
                    "--order", "2", "--epochs", "1", "--out", dir.resolve("limits").toString()));
            int at = args.indexOf(c[0]);
            if (at >= 0) {
                args.set(at + 1, c[1]);
            } else {
                args.add(c[0]);
                args.add(c[1]);
            }
            assertOneLineUsageError(args.toArray(new String[0]), c[0] + " ", c[2]);
        }
        assertFalse(Files.exists(dir.resolve("limits")), "nothing written for a refused run");
        VtmMainTest.Run help = VtmMainTest.run("train", "--help");
        assertTrue(help.out().contains("1..4096") && help.out().contains("1..65536") && help.out().contains("NaN"),
                help.out());
    }
}
