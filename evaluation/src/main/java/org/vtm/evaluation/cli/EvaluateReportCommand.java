package org.vtm.evaluation.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.evaluation.report.Evaluator;
import org.vtm.evaluation.report.ReportWriter;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm evaluate}: the full report for one trained model (and optional ablation models) on a held-out corpus. */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {"Evaluate a trained learned interpreter on a held-out corpus and write report.html, report.md, "
                + "metrics.json (vtm.metrics/3) and PNG charts: Taylor, fixed T_FX, learned and oracle errors per family and "
                + "order, error vs program steps, worked examples and training curves.",
                "(For a one-line summary use 'vtm evaluate-model'.)"})
public final class EvaluateReportCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from vtm train).")
    Path model;

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Held-out corpus (vtm.corpus/1).")
    Path corpus;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report directory (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).")
    Path out;

    @Option(names = "--random-init-model", paramLabel = "DIR", description = "Optional ablation model trained with --init random.")
    Path randomModel;

    @Option(names = "--direct-head-model", paramLabel = "DIR", description = "Optional ablation model trained with --head direct.")
    Path directModel;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "Optional MLlib linear baseline (vtm baseline output, vtm.linear-baseline/2 or /1) to compare as well.")
    Path baseline;

    @Option(names = "--train-corpus", paramLabel = "DIR",
            description = "Optional training corpus of the model: the input_independent method (constant ΔT and Q) is fitted on it.")
    private Path trainCorpus;

    @Option(names = "--train-max-steps", defaultValue = "-1", paramLabel = "K",
            description = "Longest program of the training corpus (default: as the model records it, or read from its training corpus if an older model names only its path).")
    int trainMaxSteps;

    @Option(names = "--examples", defaultValue = "3", paramLabel = "N", description = "Worked examples (default: ${DEFAULT-VALUE}).")
    int examples;

    /** The kind of output directory {@code vtm evaluate} writes. */
    public static final String KIND = "report";

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        OutputDirectory.checkUsable("--out", out);
        if (examples < 1 || examples > 20) {
            throw new UsageException("--examples must be in 1..20, got " + examples);
        }
        for (Path p : new Path[] {model, corpus, randomModel, directModel, baseline, trainCorpus}) {
            if (p != null && !Files.isDirectory(p)) {
                throw new UsageException(p + ": no such directory");
            }
        }
        OutputDirectory.claim("--out", out, KIND, dir -> Files.isRegularFile(dir.resolve(Evaluator.FILE_NAME))
                || Files.isRegularFile(dir.resolve(ReportWriter.HTML)));
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        List<Evaluator.NamedModel> models = new ArrayList<>();
        models.add(new Evaluator.NamedModel("learned", model));
        if (randomModel != null) {
            models.add(new Evaluator.NamedModel("random_init", randomModel));
        }
        if (directModel != null) {
            models.add(new Evaluator.NamedModel("direct_head", directModel));
        }
        ObjectNode eval = Evaluator.evaluate(corpus, List.of(new Evaluator.SeedModels(0, trainCorpus, models, baseline)),
                trainMaxSteps, examples, 101, log);
        AtomicFiles.write(out.resolve(Evaluator.FILE_NAME), Evaluator.JSON_WRITER.writeValueAsBytes(eval));
        ReportWriter.Written w = ReportWriter.write(eval, null, Map.of(), out);
        log.println("report: " + w.html().toAbsolutePath().normalize() + " (also " + w.markdown().getFileName() + ", "
                + w.metrics().getFileName() + ", " + w.images().size() + " PNG charts)");
        return 0;
    }
}
