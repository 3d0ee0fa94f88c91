package org.vtm.evaluation.cli;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import org.vtm.datagen.cli.DataGenCommands;
import org.vtm.evaluation.heldout.BaselineErrors;
import org.vtm.interpreter.cli.InterpreterCommands;
import org.vtm.interpreter.stm.cli.StmCommands;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.TrainingDivergedException;
import org.vtm.spark.cli.BaselineCommand;
import org.vtm.spark.cli.SparkCommands;
import org.vtm.transforms.cli.TransformsCommands;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code vtm} command line. It only assembles: every module contributes its own subcommand
 * classes, and this class adds them and fixes the conventions all commands share.
 *
 * <ul>
 *   <li>exit code 0 on success, 2 for a usage mistake (bad option, bad input file, unusable model
 *       or checkpoint directory, unparsable program) with a one-line message, 1 for an internal failure,
 *       3 for a training run that diverged ({@link TrainingDivergedException}: "diverged at update k
 *       (…)", one line; the last checkpoint is kept);
 *   <li>running out of memory (heap, ND4J's native buffers, direct memory), wherever it happens, is
 *       one line naming what ran out and the {@code VTM_JAVA_OPTS} option that raises the limit
 *       ({@link OutOfMemory}), exit code 1: the request was valid, the machine or the JVM's limits
 *       were too small for it;
 *   <li>no stack trace unless {@code --verbose} is given.
 * </ul>
 */
@Command(name = "vtm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Virtual tensor machines: expand programs into tensor series, change their basis, "
                + "generate corpora, train and evaluate learned interpreters.",
        footer = {"", "Run 'vtm COMMAND --help' for the options of a command."},
        subcommands = {VersionCommand.class, BenchCommand.class, PipelineCommand.class, ExperimentCommand.class,
                EvaluateReportCommand.class,
                CommandLine.HelpCommand.class})
public final class VtmMain implements Runnable {

    /** Exit code for a mistake in what the user asked for. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an internal failure. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a training run stopped by a non-finite loss or gradient (the last checkpoint is kept). */
    public static final int EXIT_DIVERGED = 3;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors (for bug reports).")
    boolean verbose;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command");
    }

    public static void main(String[] args) {
        ConsoleFilter.install(); // before anything captures System.out
        installOutOfMemoryHandler(args);
        int code;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            // outside any command (the command line's own set-up): still one line
            code = reportOutOfMemory("vtm", e, isVerbose(args), new PrintWriter(System.err, true));
        }
        System.exit(code);
    }

    /**
     * An out-of-memory error in a thread of the command's own (not rethrown to the command) ends
     * the process with the one-line message instead of the JVM's trace and a command that waits
     * forever. Other uncaught exceptions keep the JVM's default handling. Only for the real
     * process: {@link #execute} and {@link #commandLine} leave the JVM's handlers alone.
     */
    private static void installOutOfMemoryHandler(String[] args) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        boolean verbose = isVerbose(args);
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
            if (OutOfMemory.isOutOfMemory(ex)) {
                System.exit(reportOutOfMemory("vtm", ex, verbose, new PrintWriter(System.err, true)));
            } else if (previous != null) {
                previous.uncaughtException(thread, ex);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                ex.printStackTrace();
            }
        });
    }

    /** Prints the one-line out-of-memory message (and the trace if verbose); returns the exit code. */
    static int reportOutOfMemory(String command, Throwable ex, boolean verbose, PrintWriter err) {
        err.println(command + ": " + OutOfMemory.describe(ex).orElse("out of memory: " + oneLine(ex.getMessage())));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /** Runs the command line in-process and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    /** The assembled command line writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new VtmMain(), FACTORY);
        addAll(cl, TransformsCommands.commands());
        addAll(cl, DataGenCommands.commands());
        addAll(cl, SparkCommands.commands());
        addAll(cl, InterpreterCommands.commands());
        cl.addSubcommand(EvaluateModelCommand.class);
        addAll(cl, StmCommands.commands());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli passes Errors thrown by a command straight through execute(): catch the
        // out-of-memory ones here, where the command and the --verbose flag are known
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return runLast.execute(parseResult);
            } catch (OutOfMemoryError e) {
                CommandLine where = lastSubcommand(parseResult);
                return reportOutOfMemory(where.getCommandSpec().qualifiedName(), e,
                        isVerbose(parseResult.originalArgs().toArray(new String[0])), where.getErr());
            }
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            String name = where.getCommandSpec().qualifiedName();
            where.getErr().println(name + ": " + oneLine(ex.getMessage())
                    + " (see '" + name + " --help')");
            if (isVerbose(args)) {
                ex.printStackTrace(where.getErr());
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, where, parseResult) -> {
            String name = where.getCommandSpec().qualifiedName();
            boolean verbose = isVerbose(parseResult.originalArgs().toArray(new String[0]));
            PrintWriter e = where.getErr();
            if (OutOfMemory.isOutOfMemory(ex)) {
                return reportOutOfMemory(name, ex, verbose, e);
            }
            if (ex instanceof TrainingDivergedException) {
                e.println(name + ": " + oneLine(ex.getMessage()));
                if (verbose) {
                    ex.printStackTrace(e);
                }
                return EXIT_DIVERGED;
            }
            if (isUserError(ex)) {
                e.println(name + ": " + oneLine(ex.getMessage()));
                if (verbose) {
                    ex.printStackTrace(e);
                }
                return EXIT_USAGE;
            }
            e.println(name + ": internal error: " + oneLine(String.valueOf(ex))
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
            if (verbose) {
                ex.printStackTrace(e);
            }
            return EXIT_FAILURE;
        });
        return cl;
    }

    private static CommandLine lastSubcommand(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult p = parseResult;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p.commandSpec().commandLine();
    }

    /** Creates the commands; {@code vtm baseline} reports its errors through the held-out evaluator. */
    private static final CommandLine.IFactory FACTORY = new CommandLine.IFactory() {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == BaselineCommand.class) {
                return cls.cast(new BaselineCommand(BaselineErrors::report));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    };

    private static void addAll(CommandLine cl, List<Class<?>> commands) {
        for (Class<?> c : commands) {
            cl.addSubcommand(c);
        }
    }

    static boolean isUserError(Throwable ex) {
        return ex instanceof UsageException
                || ex instanceof ModelFormatException // a model or checkpoint directory is input, too
                || ex instanceof IllegalArgumentException
                || ex instanceof NoSuchFileException
                || ex instanceof FileNotFoundException
                || ex instanceof AccessDeniedException;
    }

    private static boolean isVerbose(String[] args) {
        return Arrays.asList(args).contains("--verbose");
    }

    /** Messages stay on one line: the first line of a multi-line message. */
    static String oneLine(String message) {
        return Messages.oneLine(message);
    }
}
