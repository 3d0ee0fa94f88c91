package org.vtm.evaluation.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm bench expand}: batched Taylor-mode expansion against Hipparchus DerivativeStructure. */
@Command(name = "expand",
        mixinStandardHelpOptions = true,
        description = {"Expansion time per point of a seeded random program (default d=4, m=4, n=4, 30 operations of which the outputs depend on fewer: both sides run only those, "
                + "4096 points per round) through VTM's batched kernels and through Hipparchus DerivativeStructure, "
                + "in the same JVM, single-threaded. Both are warmed until their round times stop falling, then timed "
                + "alternately; coefficients must agree to 1e-12 relative to the largest derivative.",
            "--scaling adds n = 2, 6, 8 and d = 8 (n = 4) after the main configuration; the main configuration's "
                + "RESULT line comes last and does not depend on the flags.",
            "Last line: RESULT expand vtm_us=<median µs per point> hipparchus_us=<median µs per point> "
                + "ratio=<hipparchus_us/vtm_us>"})
public final class ExpandBenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dim", defaultValue = "4", description = "Inputs d (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--outputs", defaultValue = "4", description = "Outputs m (default: ${DEFAULT-VALUE}).")
    int outputs;

    @Option(names = "--order", defaultValue = "4", description = "Order n (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--ops", defaultValue = "30", description = "Operations in the random program (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--points", defaultValue = "4096", description = "Points expanded per round (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the program and points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BenchTiming timing;

    @Option(names = "--scaling", description = "Also measure n = 2, 6, 8 (64 points per round at n = 8) and d = 8 "
            + "(512 points), after the main configuration.")
    boolean scaling;

    @Option(names = "--machine-rate", description = "Also measure the machine's multiply-add rate from Java (scalar "
            + "Math.fma, and the kernels' loop shape on L1-resident data), the yardstick of the cost model line.")
    boolean machineRate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (dim < 1 || outputs < 1 || order < 0 || ops < 0 || points < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(java.util.Locale.ROOT,
                    "need --dim >= 1, --outputs >= 1, --order >= 0, --ops >= 0, --points >= 1; got %d, %d, %d, %d, %d",
                    dim, outputs, order, ops, points));
        }
        SteadyState.Settings settings = timing.settings(spec.commandLine());
        ExpandBenchmark bench = new ExpandBenchmark();
        ExpandBenchmark.Result main = bench.run(dim, outputs, order, ops, points, seed, settings);
        out.println(main.describe());
        out.flush();
        if (scaling) {
            int[][] configs = {{dim, 2, points}, {dim, 6, Math.min(points, 1024)}, {dim, 8, Math.min(points, 64)},
                {8, order, Math.min(points, 512)}};
            for (int[] c : configs) {
                ExpandBenchmark.Result r = bench.run(c[0], outputs, c[1], ops, c[2], seed, settings);
                out.println(r.describe());
                out.println("scaling " + r.toLine().substring("RESULT ".length()));
                out.flush();
            }
        }
        if (machineRate) {
            out.println(MaddRate.describe());
            out.flush();
        }
        if (!main.agrees()) {
            out.println("WARNING: coefficients differ by " + main.maxRelativeDifference() + " (relative), above "
                    + ExpandBenchmark.AGREEMENT);
        }
        out.println(main.toLine());
        out.flush();
        return 0;
    }
}
