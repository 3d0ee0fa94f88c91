package org.vtm.interpreter.stm;

import java.util.List;
import org.vtm.interpreter.stm.cli.StmCommand;

/** The STM commands this module contributes to {@code vtm}. */
public final class StmCommands {
    private StmCommands() {
    }

    public static List<Class<?>> commands() {
        return List.of(StmCommand.class);
    }
}
