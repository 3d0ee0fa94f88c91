package org.vtm.evaluation.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vtm.evaluation.pipeline.Experiment;
import org.vtm.evaluation.pipeline.Grid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm experiment}: an experiment grid on Spark, cell by cell, reusing finished work. */
@Command(name = "experiment",
        mixinStandardHelpOptions = true,
        description = {"Run an experiment grid on Spark: every cell (a combination of the grid's axis values over its base "
                + "configuration) goes through the stages of 'vtm pipeline' in OUT/cells/NAME/, and OUT/report/ gets one report "
                + "with a table per cell (report.html, report.md, grid.json).",
                "The driver generates each cell's corpora, T_FX bank and MLlib baseline (a training corpus and a baseline per "
                        + "training seed, training.seeds) with the Spark jobs; the trainings run as Spark tasks, one per (cell, seed, variant), then one evaluation task per cell, each single-threaded. "
                        + "Work finished earlier with the same inputs and the same code is skipped on a re-run.",
                "Example grid.yaml ('base' takes the keys of 'vtm pipeline --config'; the cells are the cartesian "
                        + "product of the axes, the last axis fastest):",
                "  format: vtm.grid/1",
                "  base:",
                "    preset: smoke",
                "  axes:",
                "    problem.family: [chebyshev, legendre]",
                "    problem.dim: [1, 2]"})
public final class ExperimentCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--grid", required = true, paramLabel = "FILE",
            description = "The experiment grid (YAML, format vtm.grid/1): 'base' (an experiment configuration) and 'axes' "
                    + "(setting: [values, …]). Mistakes are refused with the file, line and key.")
    Path grid;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Run directory (created and marked as VTM's; reused by re-runs, which skip finished work and delete "
                    + "only files VTM listed as its own; a non-empty directory VTM did not write is refused).")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], local[*] or spark://HOST:PORT (a standalone cluster; its executors load the "
                    + "application jar, see --app-jar). Replaces every cell's spark_master. Default: the base configuration's "
                    + "spark_master (local[*] in both presets).")
    String master;

    @Option(names = "--app-jar", paramLabel = "FILE",
            description = "For a spark:// master: the application jar carrying the interpreter for the executors. Default: "
                    + "evaluation/target/evaluation-VERSION-app.jar of this VTM (built by 'mvn package').")
    Path appJar;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (master != null && !master.startsWith("local") && !master.startsWith("spark://")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--master must be local[N], local[*] or spark://host:port, got '" + master + "'");
        }
        Grid g = Grid.load(grid, master);
        String m = g.cells().get(0).config().text("spark_master");
        java.io.PrintStream log = new java.io.PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                java.nio.charset.StandardCharsets.UTF_8);
        new Experiment(g, out, m, appJar, log).run();
        return 0;
    }
}
