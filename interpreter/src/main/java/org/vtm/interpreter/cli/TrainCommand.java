package org.vtm.interpreter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.TfxSource;
import org.vtm.interpreter.Trainer;
import org.vtm.interpreter.TrainerConfig;
import org.vtm.interpreter.train.TrainingDivergedException;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.cli.ProgressBar;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vtm train}: trains a learned interpreter from a corpus. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {TrainingDivergedException.HELP_OK, TrainingDivergedException.HELP_FAILURE,
            TrainingDivergedException.HELP_USAGE, TrainingDivergedException.HELP_DIVERGED},
        sortOptions = false,
        description = {
            "Train a learned interpreter (LSTM over the program's steps whose head emits ΔT_t; c_t = (T_FX + ΔT_t)·a_t) "
                    + "on a corpus, holding out programs for validation, with early stopping and atomic checkpoints.",
            "Writes OUT/model.json, OUT/model.params (best model), OUT/history.json and OUT/checkpoints/, and "
                    + "OUT/complete.json last, when the run ends: only then is OUT a finished model that predict and "
                    + "evaluate accept. After an interruption (even kill -9) the same command with --resume continues "
                    + "from the last checkpoint with the same data order."},
        footer = {"", "Example:", "  vtm train --corpus corpus/ --family chebyshev --order 4 --epochs 20 --out model/"})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Corpus directory (vtm generate).")
    Path corpus;

    @Option(names = "--tbank", paramLabel = "DIR",
            description = "T_FX bank (vtm.tbank/1). Default: compute T_FX (the same numbers as 'vtm transform').")
    Path tbank;

    @Option(names = "--family", required = true, paramLabel = "NAME", description = "Function family (must match the corpus).")
    String family;

    @Option(names = "--order", required = true, paramLabel = "N", description = "Expansion order n (must match the corpus).")
    int order;

    @Option(names = "--epochs", required = true, paramLabel = "E",
            description = "Epochs in total, 1.." + TrainingLimits.MAX_EPOCHS + " (a resumed run counts earlier epochs).")
    int epochs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).")
    Path out;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in OUT/checkpoints (the model, T_FX and "
            + "seed must match); also finishes a run that was interrupted.")
    boolean resume;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "B",
            description = "Programs per batch, 1.." + TrainingLimits.MAX_BATCH + " (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--hidden", defaultValue = "32", paramLabel = "H",
            description = "LSTM width, 1.." + TrainingLimits.MAX_HIDDEN + " (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR",
            description = "Adam learning rate, > 0 and ≤ " + TrainingLimits.MAX_LEARNING_RATE_TEXT + " (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--init", defaultValue = "tfx", paramLabel = "tfx|random|projection",
            description = "tfx: T_0 = T_FX, a zero head and Q = 0 (the untrained model is the fixed transform); random: "
                    + "ablation with a random T_0 of T_FX's Frobenius norm and a random head; projection: tfx with Q = Q*, "
                    + "the least-squares projection of the degree n+1 terms (default: ${DEFAULT-VALUE}).")
    ModelConfig.Init init;

    @Option(names = "--head", defaultValue = "transform", paramLabel = "transform|direct|tail",
            description = "transform: c_t = (T_0 + ΔT_t)·a_t; direct: ablation predicting c_t without T·a; tail: transform "
                    + "plus a predicted Taylor tail, c_t[o] += ‖a_t[o]‖·p_t[o]·Q*, where the LSTM predicts p_t, the "
                    + "scale-free degree n+1 terms (zero at the start, so the untrained model is still the fixed "
                    + "transform), and Q* is the fixed least-squares projection of those terms onto F (economised_n1's); "
                    + "the model reads only its --inputs, e.g. normalised+growth; --engine layers only "
                    + "(default: ${DEFAULT-VALUE}).")
    ModelConfig.Head head;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Fraction of programs held out for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--patience", defaultValue = "5", paramLabel = "E",
            description = "Stop after E epochs without a better validation loss (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Seed of initialisation, split and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", paramLabel = "MIN",
            description = "Also checkpoint every MIN minutes within an epoch, 0.." + TrainingLimits.MAX_MINUTES_TEXT
                    + "; 0 = only at epoch ends (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--max-steps", defaultValue = "8", paramLabel = "K",
            description = "Longest program the step encoding covers, 1.." + TrainingLimits.MAX_STEPS + " (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--max-minutes", defaultValue = "0", paramLabel = "MIN",
            description = "Stop after the first epoch that ends past MIN minutes, 0.." + TrainingLimits.MAX_MINUTES_TEXT
                    + " (0 = no limit; resume continues; default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--inputs", defaultValue = "next_order", paramLabel = "BASE[+growth][+structure]",
            description = "What the LSTM reads of each step: a base mode, optionally joined with '+' to flags (any order). "
                    + "Base modes: next_order (normalised, plus the degree n+1 terms of the prefix expansion, also through a "
                    + "learned linear map Q), normalised (a/‖a‖ and log‖a‖ per output), asinh (of each coefficient). Flags: "
                    + "growth (scale-free growth of the orders ≤ n: part norms, log-ratios of successive orders, a Padé-type "
                    + "next-order estimate, the estimated radius of convergence; needs n ≥ 1), structure (an encoding of each "
                    + "step's expressions from their syntax trees, learned jointly; --engine layers only). "
                    + "Example: normalised+growth+structure (default: ${DEFAULT-VALUE}).")
    String inputs;

    @Option(names = "--structure-width", defaultValue = "16", paramLabel = "W",
            description = "Width of the structure encoding with the structure flag, 1.." + ModelConfig.MAX_STRUCTURE_WIDTH
                    + " (default: ${DEFAULT-VALUE}).")
    int structureWidth;

    @Option(names = "--loss", defaultValue = "log_rel", paramLabel = "log_rel|rel",
            description = "log_rel: mean of log(1e-10 + relative squared error) per (program, step), every program weighing "
                    + "alike; rel: mean relative squared error (default: ${DEFAULT-VALUE}).")
    ModelConfig.Loss loss;

    @Option(names = "--loss-eps", defaultValue = "1e-10", paramLabel = "EPS",
            description = "The floor ε of log_rel, log(ε + e): programs whose relative error is far below √ε weigh nothing, "
                    + "so training may worsen them freely; 1e-24 (with --dtype float64) keeps programs down to ~1e-12 "
                    + "relative error in view. Within [1e-300, 1]; --engine layers only (default: ${DEFAULT-VALUE}).")
    double lossEps;

    @Option(names = "--head-scale", defaultValue = "1e-3", paramLabel = "A",
            description = "ΔT = A·(W h + b): smaller A makes the first updates of the transform gentler (default: ${DEFAULT-VALUE}).")
    double headScale;

    @Option(names = "--clip", defaultValue = "1", paramLabel = "G",
            description = "Clip the global gradient norm to G, 0.." + TrainingLimits.MAX_CLIP_TEXT
                    + "; 0 = off; negative or NaN is refused (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "STEPS",
            description = "Linear learning-rate warm-up over STEPS Adam steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--engine", defaultValue = "layers", paramLabel = "layers|samediff",
            description = "What computes the training steps: samediff (the SameDiff graph) or layers (the layer engine, the "
                    + "same model and optimiser with hand-derived backward passes, faster). Both write the same files, so a "
                    + "run may be resumed with either (default: ${DEFAULT-VALUE}).")
    TrainerConfig.Engine engine;

    @Option(names = "--dtype", paramLabel = "float32|float64",
            description = "Precision of training: the parameters, Adam state and arithmetic of the layer engine. The model "
                    + "files hold float64 either way and predictions are computed in float64; model.json records the "
                    + "precision and a run is resumed in it. Default: float32 (the default pipeline's held-out accuracy "
                    + "is the same as with float64, docs/benchmarks.md), float64 with --engine samediff (its only one).")
    TrainerConfig.Precision dtype;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu",
            description = "Compute device; gpu needs the CUDA build (-Pgpu) and fails with exit 2 otherwise (default: ${DEFAULT-VALUE}).")
    String device;

    /** {@code --dtype}, or its default: float32 on the layer engine, float64 on SameDiff. */
    TrainerConfig.Precision precision() {
        if (dtype != null) {
            return dtype;
        }
        return engine == TrainerConfig.Engine.SAMEDIFF ? TrainerConfig.Precision.FLOAT64 : TrainerConfig.Precision.FLOAT32;
    }

    /** The kind of output directory {@code vtm train} writes. */
    public static final String KIND = "model";

    @Override
    public Integer call() throws Exception {
        OutputDirectory.checkUsable("--out", out);
        if (engine == TrainerConfig.Engine.SAMEDIFF && dtype == TrainerConfig.Precision.FLOAT32) {
            throw new UsageException("--engine samediff trains in float64 only; use --engine layers for --dtype "
                    + dtype.label());
        }
        ModelConfig.InputSpec inputSpec;
        try {
            inputSpec = ModelConfig.InputSpec.parse(inputs);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value for option '--inputs': " + e.getMessage());
        }
        if (engine == TrainerConfig.Engine.SAMEDIFF && inputSpec.structure()) {
            throw new UsageException("--engine samediff has no structure encoder; use --engine layers for --inputs "
                    + inputSpec.label());
        }
        if (engine == TrainerConfig.Engine.SAMEDIFF && head == ModelConfig.Head.TAIL) {
            throw new UsageException("--engine samediff has no tail head; use --engine layers for --head tail");
        }
        if (!(lossEps >= TrainingLimits.MIN_LOSS_EPS && lossEps <= TrainingLimits.MAX_LOSS_EPS)) {
            throw new UsageException("--loss-eps must be within [1e-300, 1], got " + lossEps);
        }
        if (lossEps != org.vtm.interpreter.InterpreterModel.LOG_EPS && engine == TrainerConfig.Engine.SAMEDIFF) {
            throw new UsageException("--engine samediff has the fixed floor 1e-10; use --engine layers for --loss-eps " + lossEps);
        }
        if (lossEps != org.vtm.interpreter.InterpreterModel.LOG_EPS && loss != ModelConfig.Loss.LOG_REL) {
            throw new UsageException("--loss-eps applies to --loss log_rel only");
        }
        org.vtm.interpreter.Devices.require(device);
        FunctionFamily.byName(family); // unknown family → IllegalArgumentException → exit 2
        TrainerConfig config = TrainerConfig.defaults(corpus, family, order, epochs, out)
                .withTfx(tbank == null ? TfxSource.computed() : TfxSource.bank(tbank))
                .withResume(resume)
                .withBatchSize(batchSize)
                .withHidden(hidden)
                .withLearningRate(lr)
                .withInit(init)
                .withHead(head)
                .withValidationFraction(valFraction)
                .withPatience(patience)
                .withSeed(seed)
                .withCheckpointMinutes(checkpointMinutes)
                .withMaxSteps(maxSteps)
                .withMaxSeconds(maxMinutes * 60)
                .withTuning(new TrainerConfig.Tuning(inputSpec, loss, headScale, clip, warmup, structureWidth, lossEps))
                .withEngine(engine)
                .withDtype(precision());
        OutputDirectory.claim("--out", out, KIND,
                dir -> Files.isRegularFile(dir.resolve("model.json")) || Files.isDirectory(dir.resolve("checkpoints")));
        new Trainer(config, ProgressBar.listener(System.out)).run();
        return 0;
    }
}
