package org.vtm.datagen.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm bench generate}. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {"Corpus generation throughput on one thread (default d=2, n=4, chebyshev, 1-4 steps), split into "
                + "computing records and writing the Arrow shard.",
            "Last line: RESULT generate records_per_s=<x> bytes_per_record=<y>"})
public final class GenerateBenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", defaultValue = "2000", description = "Records in the timed round (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--warmup", defaultValue = "500", description = "Records computed before timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--dim", defaultValue = "2", description = "d (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--order", defaultValue = "4", description = "n (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--family", defaultValue = "chebyshev", description = "Function family (default: ${DEFAULT-VALUE}).")
    String family;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || warmup < 0) {
            throw new UsageException("--records must be at least 1 and --warmup non-negative");
        }
        GeneratorConfig config = GeneratorConfig.defaults(dim, order, FunctionFamily.byName(family).name(), 1, 4);
        Path scratch = Files.createTempDirectory("vtm-bench-generate");
        GenerateBenchmark.Result r = GenerateBenchmark.run(config, seed, warmup, records, scratch);
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.details());
        out.println(r.toLine());
        out.flush();
        return 0;
    }
}
