package org.vtm.interpreter.stm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.MemoryTrace;
import org.vtm.interpreter.stm.StmDiagnostics;
import org.vtm.interpreter.stm.TailScorer;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vtm stm diagnose}: the memory trace of a trained STM over the held-out tail, as JSON, CSV and pictures. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Run a trained STM over the whole held-out tail (state and memory carried) and record per step "
                + "and layer: Θ, where the read lands (centroid row/column of the read map), the inside fraction (share "
                + "of the word's sampling weight inside the memory; < 1 when the grid reaches past the edge), the write "
                + "crowding (share of write weight beyond one per memory cell, averaged with other word cells) and the "
                + "memory's norm after the write.",
                "Writes into --out: summary.json (format " + StmDiagnoseCommand.FORMAT + "; means, spreads, extremes, "
                        + "coverage/entropy/same-location per layer), trace.csv (every step), layers-read.png, "
                        + "layers-write.png, memory-final.png, read-rows.png, read-cols.png, memory-norm.png, inside.png, "
                        + "crowding.png."})
public final class StmDiagnoseCommand implements Callable<Integer> {
    /** Format of summary.json. */
    public static final String FORMAT = "vtm.stm-diagnostics/1";
    /** The kind of output directory this command writes. */
    public static final String KIND = "stm-diagnostics";

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "STM model directory written by "
            + "'vtm stm train' (finished: complete.json)") Path model;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the summary, trace and "
            + "pictures (created and marked as VTM's; a non-empty directory VTM did not write is refused).") Path out;
    @Option(names = "--text", description = "the training text (default: the one model.json records)") String text;
    @Option(names = "--segment", defaultValue = "100", description = "engine steps per call, 1..10000 (default "
            + "${DEFAULT-VALUE})") int segment;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the initial memory fill (default "
            + "${DEFAULT-VALUE})") long seed;
    @Option(names = "--max-chars", defaultValue = "0", description = "run only the first N characters of the tail "
            + "(0: the whole tail)") int maxChars;
    @Option(names = "--cell", defaultValue = "12", description = "pixels per memory cell in the heat maps, 2..64 "
            + "(default ${DEFAULT-VALUE})") int cell;
    @Option(names = "--bins", defaultValue = "200", description = "time bins of the pictures over time, 1..2000 "
            + "(default ${DEFAULT-VALUE})") int bins;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.checkUsable("--out", out);
        StmEvaluateCommand.check(segment, 1, 10_000, "--segment");
        StmEvaluateCommand.check(maxChars, 0, Integer.MAX_VALUE, "--max-chars");
        StmEvaluateCommand.check(cell, 2, 64, "--cell");
        StmEvaluateCommand.check(bins, 1, 2000, "--bins");
        StmModels.Loaded l = StmModels.load(model, text);
        CharNetwork net = l.model().network();
        if (net.kind() != CharNetwork.Kind.STM) {
            throw new UsageException("--model " + model + " is a plain LSTM; diagnose needs an STM model");
        }
        int[] tail = l.corpus().heldOut();
        if (maxChars > 0 && maxChars < tail.length) {
            tail = Arrays.copyOf(tail, Math.max(2, maxChars));
        }
        OutputDirectory.claim("--out", out, KIND, dir -> false);
        MemoryTrace trace = new MemoryTrace(net.config());
        double[] bits = TailScorer.carried(net, tail, segment, seed, trace);
        ObjectNode root = TrainingJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("model", model.toString());
        ObjectNode sums = root.putObject("sha256");
        l.subject().files().forEach(sums::put);
        root.set("corpus", StmModels.corpusFacts(l));
        root.put("scoredChars", bits.length);
        root.put("seed", seed);
        root.put("wholeTailBitsPerChar", TailScorer.mean(bits));
        root.setAll(trace.summary());
        AtomicFiles.write(out.resolve("summary.json"), (TrainingJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
        trace.writeCsv(out.resolve("trace.csv"));
        trace.writePictures(out, cell, bins);
        System.out.printf(Locale.ROOT, "%d held-out characters, %.4f bits/char (state carried)%n", bits.length,
                TailScorer.mean(bits));
        for (StmDiagnostics.Layer d : trace.diagnostics()) {
            System.out.println("  " + d);
        }
        System.out.println("diagnostics written to " + out);
        return 0;
    }
}
