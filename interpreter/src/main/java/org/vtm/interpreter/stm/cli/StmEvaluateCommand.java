package org.vtm.interpreter.stm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.LongRange;
import org.vtm.interpreter.stm.StmEvaluator;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vtm stm evaluate}: whole-tail scoring, the bars, the long-range measures and samples of trained models. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score trained character models (one or more --model, e.g. the STM and the LSTM of one "
                + "comparison) on the whole held-out tail of their training text, with the recurrent state (LSTM h/c "
                + "and the STM's memory) carried across it; the unigram and add-one bigram bars (fitted on the training "
                + "part) on the same characters; the loss by position within windows of --window characters after "
                + "which the state is reset (buckets 0-10, 10-50, 50-200, 200+), next to the carried loss of the same "
                + "characters; --samples samples per model at one --temperature from one --prime (seeds --seed, "
                + "--seed+1, ...) and the share of brackets and double quotes they close, against the held-out text "
                + "cut into pieces of the same length; for an STM, the memory trace summary (see 'vtm stm diagnose').",
                "Writes JSON (format " + StmEvaluator.FORMAT + ") to --out, atomically, and prints a summary; without "
                        + "--out prints the JSON."})
public final class StmEvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "model directory written by 'vtm stm train' (finished: complete.json), or one of its "
                    + "checkpoints (OUT/checkpoints/ckpt-NNNNNN, e.g. to compare models at equal characters trained: "
                    + "its progress.json says how many); repeat it to evaluate several models of the same text in one "
                    + "report")
    List<Path> models;
    @Option(names = "--out", paramLabel = "FILE", description = "JSON report (written atomically)") Path out;
    @Option(names = "--text", description = "the training text (default: the one model.json records)") String text;
    @Option(names = "--segment", defaultValue = "100", description = "engine steps per call, 1..10000; does not "
            + "change the scores (default ${DEFAULT-VALUE})") int segment;
    @Option(names = "--window", defaultValue = "1000", description = "characters between state resets of the "
            + "long-range measure, 1..1000000 (default ${DEFAULT-VALUE})") int window;
    @Option(names = "--samples", defaultValue = "5", description = "samples per model, 0..100 (default ${DEFAULT-VALUE})")
    int samples;
    @Option(names = "--sample-chars", defaultValue = "2000",
            description = "characters per sample, 1..1000000 (default ${DEFAULT-VALUE})") int sampleChars;
    @Option(names = "--temperature", defaultValue = "0.7", description = "sampling temperature, > 0 (default "
            + "${DEFAULT-VALUE})") double temperature;
    @Option(names = "--prime", defaultValue = "", description = "prompt every sample starts from (default: a newline)")
    String prime;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the samples and of the initial state (the "
            + "STM's memory fill) (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--max-chars", defaultValue = "0", description = "score only the first N characters of the tail "
            + "(0: the whole tail; for quick looks, not for reported numbers)") int maxChars;

    @Override
    public Integer call() throws Exception {
        check(segment, 1, 10_000, "--segment");
        check(window, 1, 1_000_000, "--window");
        check(samples, 0, 100, "--samples");
        check(sampleChars, 1, 1_000_000, "--sample-chars");
        check(maxChars, 0, Integer.MAX_VALUE, "--max-chars");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new UsageException("--temperature must be a number > 0, got " + temperature);
        }
        if (out != null && Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a directory; give a file name for the JSON report");
        }
        if (out != null && Files.exists(out) && !isReport(out)) {
            throw new UsageException("--out " + out + " exists and is not a report of 'vtm stm evaluate' (format "
                    + StmEvaluator.FORMAT + "); VTM replaces only its own reports, choose another file");
        }
        List<StmModels.Loaded> loaded = new ArrayList<>();
        for (Path m : models) {
            StmModels.Loaded l = StmModels.load(m, text);
            if (!loaded.isEmpty() && !l.corpus().textSha256().equals(loaded.get(0).corpus().textSha256())
                    || !loaded.isEmpty() && l.corpus().heldOutFraction() != loaded.get(0).corpus().heldOutFraction()) {
                throw new UsageException("--model " + m + " was trained on another text or split than --model "
                        + models.get(0) + "; one report compares models of one held-out tail");
            }
            loaded.add(l);
        }
        StmModels.Loaded first = loaded.get(0);
        for (int i = 0; i < prime.length(); i++) {
            if (first.model().alphabet().indexOf(prime.charAt(i)) < 0) {
                throw new UsageException("--prime: character '" + prime.charAt(i) + "' is not in the models' alphabet");
            }
        }
        CharCorpus corpus = first.corpus();
        int[] tail = corpus.heldOut();
        if (maxChars > 0 && maxChars < tail.length) {
            tail = Arrays.copyOf(tail, Math.max(2, maxChars));
        }
        StringBuilder tailText = new StringBuilder(tail.length);
        for (int c : tail) {
            tailText.append(corpus.alphabet().charAt(c));
        }
        List<StmEvaluator.Subject> subjects = new ArrayList<>();
        for (StmModels.Loaded l : loaded) {
            subjects.add(l.subject());
        }
        System.err.printf(Locale.ROOT, "scoring %d model(s) on %d held-out characters ...%n", subjects.size(),
                tail.length - 1);
        ObjectNode report = StmEvaluator.evaluate(subjects, corpus.train(), tail, tailText.toString(),
                corpus.alphabet(), StmModels.corpusFacts(first), new StmEvaluator.Settings(segment, window,
                        LongRange.DEFAULT_BOUNDS, samples, sampleChars, temperature, prime, seed));
        byte[] json = (TrainingJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        if (out == null) {
            System.out.write(json);
            System.out.flush();
            return 0;
        }
        AtomicFiles.write(out, json);
        printSummary(report);
        System.out.println("report written to " + out);
        return 0;
    }

    private static void printSummary(JsonNode r) {
        JsonNode bars = r.path("bars");
        System.out.printf(Locale.ROOT, "held-out characters scored: %d; unigram bar %.4f, bigram bar %.4f bits/char%n",
                r.path("corpus").path("scoredChars").asLong(), bars.path("unigramBitsPerChar").asDouble(),
                bars.path("bigramBitsPerChar").asDouble());
        for (JsonNode m : r.path("models")) {
            System.out.printf(Locale.ROOT, "%s (%s, %d parameters): whole tail %.4f bits/char (state carried); "
                    + "reset every %d chars %.4f%n", m.path("model").asText(), m.path("kind").asText(),
                    m.path("parameters").asLong(), m.path("wholeTailBitsPerChar").asDouble(),
                    m.path("resetWindow").path("window").asInt(), m.path("resetWindow").path("bitsPerChar").asDouble());
            JsonNode all = m.path("sampleBrackets").get(m.path("sampleBrackets").size() - 1);
            JsonNode ref = r.path("heldOutBrackets").get(r.path("heldOutBrackets").size() - 1);
            System.out.printf(Locale.ROOT, "  brackets and quotes closed in the samples: %d of %d (held-out text in "
                    + "pieces of the same length: %d of %d)%n", all.path("closed").asLong(), all.path("opened").asLong(),
                    ref.path("closed").asLong(), ref.path("opened").asLong());
            for (JsonNode b : m.path("resetWindow").path("byPosition")) {
                System.out.printf(Locale.ROOT, "  window position %d-%d: reset %.4f, carried %.4f bits/char (%d chars)%n",
                        b.path("from").asInt(), b.path("to").asInt(), b.path("resetBitsPerChar").asDouble(Double.NaN),
                        b.path("carriedBitsPerChar").asDouble(Double.NaN), b.path("chars").asLong());
            }
        }
    }

    /** Whether {@code file} is a report this command wrote (so replacing it loses nothing of the user's). */
    static boolean isReport(Path file) {
        try {
            JsonNode n = TrainingJson.MAPPER.readTree(file.toFile());
            return n != null && StmEvaluator.FORMAT.equals(n.path("format").asText(""));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void check(int value, int lo, int hi, String option) {
        if (value < lo || value > hi) {
            throw new UsageException(option + " must be " + lo + ".." + hi + ", got " + value);
        }
    }
}
