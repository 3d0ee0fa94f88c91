package org.vtm.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.datagen.TransformBank;
import org.vtm.datagen.cli.Ranges;
import org.vtm.spark.PrecomputeTransformsJob;
import org.vtm.spark.SparkSessions;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm precompute}: a bank of basis transformations for a grid of (family, d, n), with Spark. */
@Command(name = "precompute",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Precompute T_XF/T_FX with condition numbers for every (family, d, n) of a grid, as Spark tasks, "
                + "into a transform bank (format vtm.tbank/1: bank.arrow + manifest.json; docs/tbank-format.md).",
            "Sets the transforms module refuses (singular) get a row saying so, with the reason."},
        footer = {"", "Example:", "  vtm precompute --families chebyshev,legendre --dims 1..4 --orders 2..6 --out tbank/"})
public final class PrecomputeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--families", required = true, paramLabel = "F,…", description = "Function families, comma-separated.")
    String families;

    @Option(names = "--dims", required = true, paramLabel = "A..B", description = "Range of d.")
    String dims;

    @Option(names = "--orders", required = true, paramLabel = "A..B", description = "Range of n.")
    String orders;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    /** The kind of output directory {@code vtm precompute} writes. */
    public static final String KIND = "tbank";

    /**
     * The spark-submit entry point ({@code --class org.vtm.spark.cli.PrecomputeCommand}): the
     * options of {@code vtm precompute}; the master comes from spark-submit.
     */
    public static void main(String[] args) {
        System.exit(JobMain.execute(new PrecomputeCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        OutputDirectory.checkUsable("--out", out);
        int[] d = Ranges.ints("--dims", dims);
        int[] n = Ranges.ints("--orders", orders);
        List<String> names = Arrays.stream(families.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<PrecomputeTransformsJob.GridPoint> grid;
        try {
            grid = PrecomputeTransformsJob.grid(names, d[0], d[1], n[0], n[1]);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        OutputDirectory.claim("--out", out, KIND, dir -> Files.isRegularFile(dir.resolve(TransformBank.MANIFEST_NAME)));
        long start = System.nanoTime();
        JsonNode manifest;
        try (SparkSessions.Handle h = SparkSessions.open(master, "vtm precompute")) {
            manifest = PrecomputeTransformsJob.run(h.session(), grid, out);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d transforms (%d refused as singular) to %s in %.1f s%n",
                manifest.path("entries").asInt(), manifest.path("refused").asInt(), out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
