package org.vtm.spark;

import java.util.List;
import org.vtm.spark.cli.BaselineCommand;
import org.vtm.spark.cli.PrecomputeCommand;

/** The subcommands the spark-jobs module contributes to the {@code vtm} command line. */
public final class SparkCommands {
    private SparkCommands() {
    }

    /** picocli command classes, in the order {@code vtm --help} lists them. */
    public static List<Class<?>> commands() {
        return List.of(PrecomputeCommand.class, BaselineCommand.class);
    }
}
