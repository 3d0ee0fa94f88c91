package org.vtm.spark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.datagen.GeneratorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm bench spark-generate}: corpus generation throughput on local[1] vs local[2]. */
@Command(name = "spark-generate",
        mixinStandardHelpOptions = true,
        description = "Run the Spark corpus job on local[1] and on local[2] (same corpus, session start excluded, "
                + "after a warm-up) and print 'RESULT spark-generate local1_records_per_s=… local2_records_per_s=… speedup=…'.")
public final class SparkGenerateBenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--programs", defaultValue = "480", description = "Records (default: ${DEFAULT-VALUE}).")
    long programs;

    @Option(names = "--dim", defaultValue = "2", description = "d (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--order", defaultValue = "4", description = "n (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--family", defaultValue = "chebyshev", description = "Function family (default: ${DEFAULT-VALUE}).")
    String family;

    @Option(names = "--shard-size", defaultValue = "20", description = "Records per shard = per task (default: ${DEFAULT-VALUE}).")
    int shardSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (programs < 1 || shardSize < 1) {
            throw new IllegalArgumentException("--programs and --shard-size must be at least 1, got " + programs + " and " + shardSize);
        }
        GeneratorConfig config = GeneratorConfig.defaults(dim, order, family, 1, 4);
        Path work = Files.createTempDirectory("vtm-bench-spark-");
        try {
            SparkGenerateBenchmark.Result r = SparkGenerateBenchmark.run(config, programs, shardSize, seed, work);
            spec.commandLine().getOut().printf(Locale.ROOT, "%d records, d=%d, n=%d, %s, %d per shard, %d cores%n",
                    programs, dim, order, family, shardSize, Runtime.getRuntime().availableProcessors());
            spec.commandLine().getOut().println(r.line());
        } finally {
            Files.deleteIfExists(work);
        }
        return 0;
    }
}
