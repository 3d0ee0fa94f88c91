package org.vtm.interpreter;

import java.util.List;
import org.vtm.interpreter.cli.EvaluateCommand;
import org.vtm.interpreter.cli.PredictCommand;
import org.vtm.interpreter.cli.TrainCommand;

/** The subcommands the interpreter module contributes to the {@code vtm} command line. */
public final class InterpreterCommands {
    private InterpreterCommands() {
    }

    /** picocli command classes, in the order {@code vtm --help} lists them. */
    public static List<Class<?>> commands() {
        return List.of(TrainCommand.class, PredictCommand.class, EvaluateCommand.class);
    }
}
