package org.vtm.evaluation.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vtm.evaluation.pipeline.ExperimentConfig;
import org.vtm.evaluation.pipeline.Pipeline;
import org.vtm.transforms.cli.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm pipeline}: the whole experiment, stage by stage, reusing finished stages. */
@Command(name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {"Run the whole experiment: generate a training corpus and a held-out test corpus (other seed, longer "
                + "programs), precompute T_FX, fit the MLlib baseline (when available), train the learned interpreter and its "
                + "ablations (random init, direct head), evaluate them and write report.html, report.md and metrics.json.",
                "Each stage records a hash of its inputs in OUT/<stage>/stage.json; re-running skips unchanged stages."})
public final class PipelineCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (created and marked as VTM's; reused by re-runs, which delete only files VTM listed as its own; a non-empty directory VTM did not write is refused, nothing of yours is deleted).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Experiment configuration (YAML or JSON); keys override the preset. A run's OUT/config.yaml reproduces it.")
    Path config;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Preset to start from: smoke (< 3 minutes) or default (< 15 minutes on 2 cores). Default: the "
                    + "config file's 'preset', else default.")
    String preset;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        ExperimentConfig c = ExperimentConfig.load(config, preset);
        java.io.PrintStream log = new java.io.PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                java.nio.charset.StandardCharsets.UTF_8);
        new Pipeline(c, out, log, ProgressBar.listener(log)).run();
        return 0;
    }
}
