package org.vtm.evaluation.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vtm.evaluation.heldout.ModelComparison;
import org.vtm.interpreter.LearnedInterpreter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm evaluate-model}: learned vs fixed vs oracle on a held-out corpus. */
@Command(name = "evaluate-model",
        mixinStandardHelpOptions = true,
        description = {"Compare a learned interpreter with the fixed T_FX and the oracle on a corpus of programs it was not "
                + "trained on (generate one with another --seed): median relative L2 error of each whole program at the "
                + "corpus' sample points, and the fraction of the fixed→oracle gap the model closes."})
public final class EvaluateModelCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (vtm train).")
    Path model;

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Held-out corpus (vtm generate).")
    Path corpus;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println("RESULT " + ModelComparison.of(LearnedInterpreter.load(model), corpus));
        return 0;
    }
}
