package org.vtm.interpreter.stm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code vtm stm …}: the STM layer's character-generation experiment. */
@Command(name = "stm", mixinStandardHelpOptions = true,
        description = "Spatially transformed memory (STM): train a character model, evaluate it on the held-out tail, "
                + "diagnose its memory, render memory activity.",
        subcommands = {StmTrainCommand.class, StmEvaluateCommand.class, StmDiagnoseCommand.class,
            StmActivityCommand.class})
public final class StmCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand (train, evaluate, diagnose or activity)");
    }
}
