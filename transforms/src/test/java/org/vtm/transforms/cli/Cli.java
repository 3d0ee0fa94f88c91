package org.vtm.transforms.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs the transforms commands in-process with the conventions of the {@code vtm} entry point
 * (evaluation's VtmMain): usage mistakes (UsageException, IllegalArgumentException, picocli
 * parameter errors) print one line and exit 2; anything else exits 1.
 */
final class Cli {
    private Cli() {
    }

    /** Output, error output and exit code of one run. */
    record Run(int code, String out, String err) {
    }

    @Command(name = "vtm", mixinStandardHelpOptions = true)
    static final class Top implements Runnable {
        @Override
        public void run() {
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Top());
        for (Class<?> c : TransformsCommands.commands()) {
            cl.addSubcommand(c);
        }
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": "
                    + firstLine(ex.getMessage()));
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, where, parse) -> {
            boolean user = ex instanceof UsageException || ex instanceof IllegalArgumentException;
            where.getErr().println(where.getCommandSpec().qualifiedName() + ": "
                    + (user ? "" : "internal error: " + ex + " ") + firstLine(ex.getMessage()));
            return user ? 2 : 1;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "(no message)";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
