package org.vtm.interpreter.cli;

import java.util.List;

/** The subcommands the interpreter module contributes to the {@code vtm} command line. */
public final class InterpreterCommands {
    private InterpreterCommands() {
    }

    /** picocli command classes, in the order {@code vtm --help} lists them. */
    public static List<Class<?>> commands() {
        return List.of(TrainCommand.class, PredictCommand.class);
    }
}
