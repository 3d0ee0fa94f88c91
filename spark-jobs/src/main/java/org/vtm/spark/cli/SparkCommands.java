package org.vtm.spark.cli;

import java.util.List;

/** The subcommands the spark-jobs module contributes to the {@code vtm} command line. */
public final class SparkCommands {
    private SparkCommands() {
    }

    /** picocli command classes, in the order {@code vtm --help} lists them. */
    public static List<Class<?>> commands() {
        return List.of(PrecomputeCommand.class, BaselineCommand.class);
    }
}
