package org.vtm.spark.cli;

import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;

/**
 * Runs a picocli command as a Spark application's {@code main} (the spark-submit entry points
 * {@link BaselineCommand#main}, {@link PrecomputeCommand#main} and {@link SparkGenerateMain#main}):
 * usage mistakes print one line and give exit code 2, other failures exit 1 with the stack trace
 * (the spark-submit log is the place for it).
 */
public final class JobMain {
    private JobMain() {
    }

    /** Runs {@code command} with {@code args}, errors to standard error; returns the exit code. */
    public static int execute(Object command, String... args) {
        return execute(command, new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs {@code command} with {@code args}, errors to {@code err}; returns the exit code. */
    public static int execute(Object command, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, where, parse) -> {
            String name = where.getCommandSpec().qualifiedName();
            if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
                where.getErr().println(name + ": " + ex.getMessage());
                return 2;
            }
            where.getErr().println(name + ": internal error: " + ex);
            ex.printStackTrace(where.getErr());
            return 1;
        });
        return cl.execute(args);
    }
}
