package org.vtm.evaluation.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm bench compose}: composition of Taylor maps against Hipparchus TaylorMap.compose. */
@Command(name = "compose",
        mixinStandardHelpOptions = true,
        description = {"Time per composition outer∘inner of two order-n Taylor maps (default d=4, m=4, n=4; each map a "
                + "seeded random 30-operation program expanded by VTM, inner R^d->R^d at a seeded point x, outer R^d->R^m "
                + "at inner(x); 256 pairs per round) with VTM's TensorSeries.compose and with Hipparchus TaylorMap.compose "
                + "on maps built from the same coefficients, in the same JVM, single-threaded. Both are warmed until "
                + "their round times stop falling, then timed alternately; the results must agree to 1e-12 relative "
                + "to the largest derivative.",
            "--scaling adds n = 2, 6, 8 and d = 8 (n = 4) after the main configuration; the main configuration's "
                + "RESULT line comes last and does not depend on the flags.",
            "Last line: RESULT compose vtm_us=<median µs per composition> hipparchus_us=<median µs per composition> "
                + "ratio=<hipparchus_us/vtm_us>"})
public final class ComposeBenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dim", defaultValue = "4", description = "Inputs d (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--outputs", defaultValue = "4", description = "Outputs m (default: ${DEFAULT-VALUE}).")
    int outputs;

    @Option(names = "--order", defaultValue = "4", description = "Order n (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--ops", defaultValue = "30", description = "Operations in each random program (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--pairs", defaultValue = "256", description = "Compositions per round, one per seeded point (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the programs and points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BenchTiming timing;

    @Option(names = "--scaling", description = "Also measure n = 2, 6 (16 pairs per round) and d = 8 "
            + "(2 pairs), after the main configuration. Not n = 8: Hipparchus takes seconds per composition there.")
    boolean scaling;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (dim < 1 || outputs < 1 || order < 0 || ops < 0 || pairs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(java.util.Locale.ROOT,
                    "need --dim >= 1, --outputs >= 1, --order >= 0, --ops >= 0, --pairs >= 1; got %d, %d, %d, %d, %d",
                    dim, outputs, order, ops, pairs));
        }
        SteadyState.Settings settings = timing.settings(spec.commandLine());
        ComposeBenchmark bench = new ComposeBenchmark();
        ComposeBenchmark.Result main = bench.run(dim, outputs, order, ops, pairs, seed, settings);
        out.println(main.describe());
        out.flush();
        if (scaling) {
            // Hipparchus needs ~60 ms per composition at n = 6, d = 4 and seconds at n = 8 (not measured: a round
            // would take minutes); few pairs where it is slow
            int[][] configs = {{dim, 2, pairs}, {dim, 6, Math.min(pairs, 16)}, {8, order, Math.min(pairs, 2)}};
            for (int[] c : configs) {
                ComposeBenchmark.Result r = bench.run(c[0], outputs, c[1], ops, c[2], seed, settings);
                out.println(r.describe());
                out.println("scaling " + r.toLine().substring("RESULT ".length()));
                out.flush();
            }
        }
        if (!main.agrees()) {
            out.println("WARNING: compositions differ by " + main.maxRelativeDifference() + " (relative), above "
                    + ComposeBenchmark.AGREEMENT);
        }
        out.println(main.toLine());
        out.flush();
        return 0;
    }
}
