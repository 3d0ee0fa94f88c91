package org.vtm.transforms.cli;

import java.util.List;

/** The subcommands the transforms module contributes to the {@code vtm} command line. */
public final class TransformsCommands {
    private TransformsCommands() {
    }

    /** picocli command classes, in the order {@code vtm --help} lists them. */
    public static List<Class<?>> commands() {
        return List.of(ExpandCommand.class, BasisCommand.class, TransformCommand.class, DiagramCommand.class);
    }
}
