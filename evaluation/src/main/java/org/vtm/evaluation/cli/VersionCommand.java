package org.vtm.evaluation.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vtm.evaluation.report.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code vtm version}: the VTM version and the engines it runs on, as found at run time (not only
 * as declared at build time): Java, the ND4J backend and its devices, Spark and Arrow.
 */
@Command(name = "version",
        mixinStandardHelpOptions = true,
        description = "Print the VTM version, Java, the ND4J backend and its devices, Spark and Arrow versions.")
public final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : report()) {
            out.println(line);
        }
        return 0;
    }

    /** The lines {@code vtm version} prints. */
    public static List<String> report() {
        return Versions.report();
    }

    /** Feeds {@code vtm --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"VTM " + Versions.buildProperties().getProperty("vtm.version")};
        }
    }
}
