package org.vtm.interpreter.stm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.CharTrainer;
import org.vtm.interpreter.stm.CharUpdater;
import org.vtm.interpreter.stm.LearningRateSchedule;
import org.vtm.interpreter.stm.StmConfig;
import org.vtm.interpreter.stm.StmDiagnostics;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.interpreter.train.TrainingDivergedException;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.transforms.cli.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vtm stm train}: trains an STM (or a plain LSTM of comparable size) on a character corpus. */
@Command(name = "train", mixinStandardHelpOptions = true,
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {TrainingDivergedException.HELP_OK, TrainingDivergedException.HELP_FAILURE,
            TrainingDivergedException.HELP_USAGE, TrainingDivergedException.HELP_DIVERGED},
        description = "Train a character model (STM layers sharing one memory, or a plain stacked LSTM of about "
                + "the same parameter count) under a wall-clock budget or a character budget (--chars, with the "
                + "--plateau stop rule); report held-out bits per character (in the rounds: the first --eval-chars of "
                + "the tail; at the end also the whole tail with the state carried and the unigram and bigram bars on "
                + "it, in result.json) and sample text. An --out holding checkpoints is continued only with --resume; "
                + "OUT/complete.json is written last, when the run ends.")
public final class StmTrainCommand implements Callable<Integer> {
    @Option(names = "--text", required = true, description = "UTF-8 text file, or builtin:nietzsche")
    String text;
    @Option(names = "--engine", defaultValue = "layers", description = "how gradients are computed: layers (the "
            + "hand-derived layer engine) or samediff (the unrolled SameDiff graph); same numbers, same files, a run "
            + "may resume on the other engine (default ${DEFAULT-VALUE})")
    String engine;
    @Option(names = "--model", defaultValue = "stm", description = "stm or lstm (default ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--layers", defaultValue = "3",
            description = "stacked layers, 1.." + TrainingLimits.MAX_LAYERS + " (default ${DEFAULT-VALUE})") int layers;
    @Option(names = "--memory", defaultValue = "20x20", description = "memory ROWSxCOLS") String memory;
    @Option(names = "--word", defaultValue = "10x10", description = "word ROWSxCOLS") String word;
    @Option(names = "--controller", defaultValue = "32",
            description = "controller LSTM hidden size, 1.." + TrainingLimits.MAX_HIDDEN + " (default ${DEFAULT-VALUE})")
    int controller;
    @Option(names = "--theta", defaultValue = "full", description = "full (6 parameters) or scale-shift (4)")
    String theta;
    @Option(names = "--theta-activation", defaultValue = "tanh", description = "identity or tanh") String thetaAct;
    @Option(names = "--theta-scale", defaultValue = "0.5", description = "initial scale of Θ") double thetaScale;
    @Option(names = "--theta-spread", defaultValue = "0.5", description = "spread of the layers' initial translations")
    double thetaSpread;
    @Option(names = "--theta-init", defaultValue = "2.0", description = "half-width of the Θ head weight init "
            + "(default ${DEFAULT-VALUE}; 0.1 with --memory-init-scale 0.1 reproduces the collapsed initialisation)")
    double thetaInit;
    @Option(names = "--write", defaultValue = "bilinear", description = "bilinear or nearest") String write;
    @Option(names = "--memory-init", defaultValue = "uniform", description = "uniform or zeros") String memoryInit;
    @Option(names = "--memory-init-scale", defaultValue = "1.0",
            description = "half-width of the uniform memory fill (default ${DEFAULT-VALUE})") double memoryInitScale;
    @Option(names = "--lstm-hidden", defaultValue = "0",
            description = "hidden size of --model lstm, 0.." + TrainingLimits.MAX_HIDDEN
                    + " (0: match the STM's parameter count)") int lstmHidden;
    @Option(names = "--segment", defaultValue = "10",
            description = "truncated-BPTT segment length, 1.." + TrainingLimits.MAX_STEPS + " (default ${DEFAULT-VALUE})")
    int segment;
    @Option(names = "--batch", defaultValue = "16",
            description = "parallel character streams, 1.." + TrainingLimits.MAX_BATCH + " (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "0.002",
            description = "Adam learning rate, > 0 and ≤ " + TrainingLimits.MAX_LEARNING_RATE_TEXT + " (default ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--minutes",
            description = "wall-clock training budget in minutes, > 0 and ≤ " + TrainingLimits.MAX_MINUTES_TEXT
                    + " (default 5; with --chars: no time limit)") Double minutes;
    @Option(names = "--chars", defaultValue = "0", description = "character budget: train until this many characters "
            + "were trained (counted over resumed runs; 0: none, the time budget decides). Evaluations and checkpoints "
            + "then come every --eval-every-chars characters, so an interrupted run resumed with the same options ends "
            + "with the same model") long chars;
    @Option(names = "--plateau", defaultValue = "0", description = "stop rule with --chars, in bits/char per 1M "
            + "characters (e.g. 0.01): train at least --chars characters, then until an evaluation finds that the "
            + "held-out loss (--eval-chars) improved by less than this per 1M characters since the previous evaluation "
            + "(0: stop at --chars)") double plateau;
    @Option(names = "--eval-every-chars", defaultValue = "0", description = "with --chars: characters between "
            + "evaluations and checkpoints (default: min(1000000, --chars))") long evalEveryChars;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant, or cosine: --lr decays along "
            + "half a cosine to --lr-floor × --lr at --chars characters and stays there (needs --chars; the same "
            + "schedule for STM and LSTM) (default ${DEFAULT-VALUE})") String lrSchedule;
    @Option(names = "--lr-floor", defaultValue = "0.1", description = "with --lr-schedule cosine: the final fraction of "
            + "--lr, in (0, 1] (default ${DEFAULT-VALUE})") double lrFloor;
    @Option(names = "--epochs", defaultValue = "1000",
            description = "at most this many passes over the text, 1.." + TrainingLimits.MAX_EPOCHS + " (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--eval-every", defaultValue = "0",
            description = "minutes between evaluations, 0.." + TrainingLimits.MAX_MINUTES_TEXT + " (0: budget/3)")
    double evalEvery;
    @Option(names = "--eval-chars", defaultValue = "8000", description = "held-out characters evaluated") int evalChars;
    @Option(names = "--held-out", defaultValue = "0.05", description = "fraction of the text held out (its tail)")
    double heldOut;
    @Option(names = "--sample", defaultValue = "400", description = "characters to sample at the end") int sample;
    @Option(names = "--temperature", defaultValue = "0.7") double temperature;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Model directory (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).") Path out;
    @Option(names = "--resume", description = "continue the run whose checkpoints are in --out; the model options, "
            + "--segment, --lr, --seed, --held-out and the text must be those of the checkpoint, and with --lr-schedule "
            + "cosine also --lr-floor and --chars (--batch, --minutes, --epochs, a constant schedule's --chars and "
            + "--plateau and the evaluation and sampling options may change; keep them to get the uninterrupted "
            + "run's result)")
    boolean resume;

    static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + value
                    + "'");
        }
    }

    /** The kind of output directory {@code vtm stm train} writes. */
    public static final String KIND = "stm-model";

    @Override
    public Integer call() throws Exception {
        OutputDirectory.checkUsable("--out", out);
        CharNetwork.Kind kind = parse(CharNetwork.Kind.class, model, "--model");
        CharUpdater.Engine gradients = parse(CharUpdater.Engine.class, engine, "--engine");
        TrainingLimits.checkInt("--layers", layers, 1, TrainingLimits.MAX_LAYERS);
        TrainingLimits.checkInt("--controller", controller, 1, TrainingLimits.MAX_HIDDEN);
        TrainingLimits.checkInt("--lstm-hidden", lstmHidden, 0, TrainingLimits.MAX_HIDDEN);
        TrainingLimits.checkDouble("--eval-every", evalEvery, 0, false, TrainingLimits.MAX_MINUTES);
        if (chars < 0 || evalEveryChars < 0) {
            throw new IllegalArgumentException("--chars and --eval-every-chars must be >= 0, got " + chars + " and "
                    + evalEveryChars);
        }
        if (chars == 0 && (plateau != 0 || evalEveryChars != 0)) {
            throw new IllegalArgumentException("--plateau and --eval-every-chars apply to a character budget; give --chars");
        }
        double budget = minutes != null ? minutes : chars > 0 ? TrainingLimits.MAX_MINUTES : 5;
        double every = evalEvery > 0 ? evalEvery : budget / 3;
        long everyChars = chars == 0 ? 0 : evalEveryChars > 0 ? evalEveryChars : Math.min(1_000_000L, chars);
        LearningRateSchedule.Kind scheduleKind = parse(LearningRateSchedule.Kind.class, lrSchedule, "--lr-schedule");
        LearningRateSchedule schedule = new LearningRateSchedule(scheduleKind, lrFloor, chars);
        CharTrainer.Options options = new CharTrainer.Options(batch, segment, lr, 5.0, budget, epochs, every,
                evalChars, sample, temperature, seed).withCharBudget(chars, plateau, everyChars).withSchedule(schedule);
        int[] mem = StmConfig.parseShape(memory, "--memory");
        int[] wd = StmConfig.parseShape(word, "--word");
        CharCorpus corpus = new CharCorpus(CharCorpus.readText(text), heldOut);
        StmConfig config = new StmConfig(corpus.vocab(), layers, controller, mem[0], mem[1], wd[0], wd[1],
                parse(StmConfig.ThetaForm.class, theta, "--theta"),
                parse(StmConfig.ThetaActivation.class, thetaAct, "--theta-activation"),
                parse(StmConfig.WriteMode.class, write, "--write"), thetaScale, thetaSpread, thetaInit,
                parse(StmConfig.MemoryInit.class, memoryInit, "--memory-init"), memoryInitScale, seed);
        CharNetwork stm = CharNetwork.stm(config, DataType.FLOAT);
        CharNetwork net = stm;
        if (kind == CharNetwork.Kind.LSTM) {
            int h = lstmHidden > 0 ? lstmHidden
                    : CharNetwork.lstmHiddenForParameters(corpus.vocab(), layers, stm.parameterCount());
            net = CharNetwork.lstm(corpus.vocab(), layers, h, seed, DataType.FLOAT);
        }
        System.out.printf(Locale.ROOT, "%s model: %d parameters (STM of this shape: %d), alphabet %d, train %d chars, "
                + "held out %d%n", kind.name().toLowerCase(Locale.ROOT), net.parameterCount(), stm.parameterCount(),
                corpus.vocab(), corpus.train().length, corpus.heldOut().length);
        ObjectNode cfg = TrainingJson.MAPPER.createObjectNode();
        cfg.put("text", text);
        cfg.put("batch", batch);
        cfg.put("segment", segment);
        cfg.put("lr", lr);
        cfg.put("minutes", budget);
        cfg.put("heldOut", heldOut);
        cfg.put("evalChars", evalChars);
        cfg.put("textSha256", corpus.textSha256());
        cfg.put("model", kind.name().toLowerCase(Locale.ROOT));
        cfg.put("engine", gradients.name().toLowerCase(Locale.ROOT));
        cfg.put("seed", seed);
        cfg.put("epochs", epochs);
        cfg.put("chars", chars);
        cfg.put("plateau", plateau);
        cfg.put("evalEveryChars", everyChars);
        cfg.put("lrSchedule", schedule.label());
        cfg.put("lrFloor", lrFloor);
        cfg.put("clipNorm", 5.0);
        OutputDirectory.claim("--out", out, KIND, dir -> Files.isDirectory(dir.resolve("checkpoints"))
                || Files.isRegularFile(dir.resolve("result.json")));
        CharTrainer.Result r = new CharTrainer(net, corpus, options, ProgressBar.listener(System.out), gradients)
                .train(out, cfg, resume);
        System.out.printf(Locale.ROOT, "held-out bits per character (first --eval-chars of the tail): %.4f  (%d parameters, %d chars trained in %.0f s, "
                + "%.0f chars/s)%n", r.heldOutBitsPerChar(), r.parameters(), r.charsTrained(), r.seconds(),
                r.charsPerSecond());
        System.out.printf(Locale.ROOT, "whole held-out tail (%d characters, state carried): %.4f bits per character; "
                + "%d characters trained in all; stopped by %s%n", corpus.heldOut().length - 1, r.wholeTailBitsPerChar(),
                r.charsTrainedTotal(), r.stopReason());
        for (StmDiagnostics.Layer d : r.diagnostics()) {
            System.out.println("  " + d);
        }
        System.out.println("sample:");
        System.out.println(r.sample());
        System.out.println("model written to " + out);
        return 0;
    }
}
