package org.vtm.datagen.cli;

import java.util.List;

/** The subcommands the data-gen module contributes to the {@code vtm} command line. */
public final class DataGenCommands {
    private DataGenCommands() {
    }

    /** picocli command classes, in the order {@code vtm --help} lists them. */
    public static List<Class<?>> commands() {
        return List.of(GenerateCommand.class, CorpusCommand.class);
    }
}
