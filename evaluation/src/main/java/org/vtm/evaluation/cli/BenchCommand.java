package org.vtm.evaluation.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code vtm bench …}: side-by-side throughput measurements that print a RESULT line. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {org.vtm.evaluation.bench.ExpandBenchCommand.class,
                org.vtm.evaluation.bench.ComposeBenchCommand.class,
                org.vtm.datagen.bench.GenerateBenchCommand.class,
                org.vtm.evaluation.bench.TransformBenchCommand.class,
                org.vtm.spark.bench.SparkGenerateBenchCommand.class,
                org.vtm.interpreter.cli.TrainBenchCommand.class,
                org.vtm.interpreter.stm.cli.StmBenchCommand.class},
        description = "Benchmarks that compare VTM's kernels with a reference in the same JVM and print "
                + "a final 'RESULT …' line with the ratio. Record figures in docs/benchmarks.md.")
public final class BenchCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing a benchmark name");
    }
}
