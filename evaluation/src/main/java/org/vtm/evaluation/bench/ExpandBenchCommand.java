package org.vtm.evaluation.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm bench expand}: batched Taylor-mode expansion against Hipparchus DerivativeStructure. */
@Command(name = "expand",
        mixinStandardHelpOptions = true,
        description = {"Expansion throughput of a seeded random program (default d=4, m=4, n=4, 30 operations, 4096 points) "
                + "through VTM's batched kernels and through Hipparchus DerivativeStructure, in the same JVM, timed "
                + "alternately; coefficients must agree to 1e-12 relative to the largest derivative.",
            "Last line: RESULT expand points_per_s=<x> hipparchus_points_per_s=<y> ratio=<x/y>"})
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

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed rounds of each (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "10", description = "Timed rounds of each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--scaling", description = "Also measure n = 2, 6 and 8 (512 points at n = 8) before the main configuration.")
    boolean scaling;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ExpandBenchmark bench = new ExpandBenchmark();
        if (scaling) {
            for (int n : new int[] {2, 6, 8}) {
                int p = n >= 8 ? Math.min(points, 512) : points;
                ExpandBenchmark.Result r = bench.run(dim, outputs, n, ops, p, seed, n >= 8 ? 2 : warmup, n >= 8 ? 3 : rounds);
                out.println(r.describe());
                out.println("scaling " + r.toLine().substring("RESULT ".length()));
                out.flush();
            }
        }
        ExpandBenchmark.Result r = bench.run(dim, outputs, order, ops, points, seed, warmup, rounds);
        out.println(r.describe());
        if (!r.agrees()) {
            out.println("WARNING: coefficients differ by " + r.maxRelativeDifference() + " (relative), above " + ExpandBenchmark.AGREEMENT);
        }
        out.println(r.toLine());
        out.flush();
        return 0;
    }
}
