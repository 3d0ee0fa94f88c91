package org.vtm.interpreter.stm.cli;

import java.util.List;

/** The STM commands this module contributes to {@code vtm}. */
public final class StmCommands {
    private StmCommands() {
    }

    public static List<Class<?>> commands() {
        return List.of(StmCommand.class);
    }
}
