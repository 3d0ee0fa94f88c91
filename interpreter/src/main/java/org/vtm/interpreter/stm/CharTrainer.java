package org.vtm.interpreter.stm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.EpochRecord;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.RunSignature;
import org.vtm.interpreter.train.TrainingHistory;
import org.vtm.interpreter.train.TrainingJson;
import org.vtm.interpreter.train.TrainingDivergedException;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.interpreter.train.TrainingState;
import org.vtm.transforms.ProgressListener;

/**
 * Trains a {@link CharNetwork} on a character corpus with truncated BPTT under a wall-clock budget
 * (Adam, global-norm gradient clipping), evaluating bits per character on the held-out tail in
 * rounds. Each round is one {@link EpochRecord} of the shared {@link TrainingHistory} (losses in
 * nats per character); after each round an atomic checkpoint is written (parameters and Adam
 * moments, and the recurrent state and shared memory of every training stream in {@value #STATE_FILE}),
 * and a later run in the same directory resumes from it: parameters, Adam moments, the position in
 * the text and the carried state/memory continue where they stopped (resuming with a different
 * {@code --batch} restarts the state, since the streams differ; so does a checkpoint taken at the end of a
 * pass, since the next pass starts from a fresh state in any case). Not restored: the random stream
 * of the memory fill at the start of the next pass. STM memory diagnostics are computed on the held-out
 * text at each evaluation and logged.
 *
 * <p>Budgets: a wall-clock budget ({@code --minutes}, rounds by time), or a character budget
 * ({@link Options#withCharBudget}: rounds every {@code evalEveryChars} characters, stop at {@code charBudget} characters
 * trained over all invocations, or with {@code plateau > 0} at the first later evaluation whose held-out loss improved by
 * less than {@code plateau} bits/char per 1M characters since the previous one). With a character budget the run is
 * deterministic: an interrupted run resumed with the same options ends with the same parameters, bit for bit (the
 * characters trained, the pass and the last evaluation are kept in each checkpoint's {@code progress.json}, the initial
 * state of pass p comes from its own random stream, the learning rate from {@link LearningRateSchedule} of the characters
 * trained).
 *
 * <p>Output directory: {@value #RUN_CONFIG_FILE} (options, signature and provenance of each invocation, written at its
 * start), {@code model.json}, {@code params.sd}, {@code history.json}, {@code checkpoints/} (each with its
 * {@code model.json}, so a checkpoint can be evaluated), {@code diagnostics.json}, {@code sample.txt},
 * {@code result.json} ({@value #RESULT_FORMAT}: the last in-training held-out figure and the whole held-out tail scored
 * with the state carried, {@link TailScorer#carried}, with the {@link NgramBars} on it), and {@code complete.json}
 * last, when the run ends ({@link ModelCompletion}). A directory that holds
 * checkpoints is continued only when asked to ({@code resume}), and only by a run with the same
 * {@link #signature()} (model, segment length, learning rate, seed, held-out split, alphabet and
 * text), which every checkpoint records in {@value RunSignature#FILE_NAME}.
 *
 * <p>Divergence: a non-finite loss or squared global gradient norm of an update, or a non-finite
 * held-out loss, stops the run with a {@link TrainingDivergedException} ("diverged at update k
 * (…)"), before that update changes the parameters and before anything of the round is written;
 * the last checkpoint stays as it was and no non-finite number reaches {@code history.json},
 * {@code diagnostics.json} or {@code result.json} ({@code vtm stm train} exits with code 3).
 */
public final class CharTrainer {

    /**
     * Training options; each is bounded ({@link TrainingLimits}) and a value out of range is an
     * IllegalArgumentException naming the {@code vtm stm train} option, the value and the range.
     */
    public record Options(int batch, int steps, double learningRate, double clipNorm, double minutes,
            int maxPasses, double evalEveryMinutes, int evalChars, int sampleChars, double temperature, long seed,
            long charBudget, double plateau, long evalEveryChars, LearningRateSchedule schedule) {
        /** Most characters sampled at the end. */
        public static final int MAX_SAMPLE = 1_000_000;

        public Options {
            TrainingLimits.checkInt("--batch", batch, 1, TrainingLimits.MAX_BATCH);
            TrainingLimits.checkInt("--segment", steps, 1, TrainingLimits.MAX_STEPS);
            TrainingLimits.checkDouble("--lr", learningRate, 0, true, TrainingLimits.MAX_LEARNING_RATE);
            TrainingLimits.checkDouble("gradient clip", clipNorm, 0, true, TrainingLimits.MAX_CLIP);
            TrainingLimits.checkDouble("--minutes", minutes, 0, true, TrainingLimits.MAX_MINUTES);
            TrainingLimits.checkInt("--epochs", maxPasses, 1, TrainingLimits.MAX_EPOCHS);
            TrainingLimits.checkDouble("--eval-every", evalEveryMinutes, 0, true, TrainingLimits.MAX_MINUTES);
            TrainingLimits.checkInt("--eval-chars", evalChars, 100, Integer.MAX_VALUE);
            TrainingLimits.checkInt("--sample", sampleChars, 0, MAX_SAMPLE);
            TrainingLimits.checkDouble("--temperature", temperature, 0, true, 1e6);
            if (charBudget < 0 || evalEveryChars < 0) {
                throw new IllegalArgumentException("--chars and --eval-every-chars must be >= 0, got " + charBudget
                        + " and " + evalEveryChars);
            }
            if (!(plateau >= 0) || !Double.isFinite(plateau)) {
                throw new IllegalArgumentException("--plateau must be a number >= 0 (bits/char per 1M characters), got "
                        + plateau);
            }
            if (plateau > 0 && (charBudget == 0 || evalEveryChars == 0)) {
                throw new IllegalArgumentException("--plateau needs --chars (the minimum) and evaluations every "
                        + "--eval-every-chars characters");
            }
            if (schedule == null) {
                throw new IllegalArgumentException("a learning-rate schedule is required (constant or cosine)");
            }
        }

        /** Options without a character budget: a constant learning rate, rounds by time. */
        public Options(int batch, int steps, double learningRate, double clipNorm, double minutes, int maxPasses,
                double evalEveryMinutes, int evalChars, int sampleChars, double temperature, long seed) {
            this(batch, steps, learningRate, clipNorm, minutes, maxPasses, evalEveryMinutes, evalChars, sampleChars,
                    temperature, seed, 0, 0, 0, LearningRateSchedule.CONSTANT);
        }

        /**
         * These options with a character budget: stop once {@code chars} characters were trained (counted over
         * resumed runs) or, with {@code plateau > 0}, at the first evaluation after that at which the held-out loss
         * improved by less than {@code plateau} bits/char per 1M characters since the previous evaluation; rounds
         * (evaluation and checkpoint) every {@code every} characters instead of by time.
         */
        public Options withCharBudget(long chars, double plateauBits, long every) {
            return new Options(batch, steps, learningRate, clipNorm, minutes, maxPasses, evalEveryMinutes, evalChars,
                    sampleChars, temperature, seed, chars, plateauBits, every, schedule);
        }

        /** These options with learning-rate schedule {@code s}. */
        public Options withSchedule(LearningRateSchedule s) {
            return new Options(batch, steps, learningRate, clipNorm, minutes, maxPasses, evalEveryMinutes, evalChars,
                    sampleChars, temperature, seed, charBudget, plateau, evalEveryChars, s);
        }
    }

    /** What a run achieved. */
    public record Result(double heldOutBitsPerChar, long parameters, long segments, long charsTrained,
            double seconds, double charsPerSecond, String sample, List<StmDiagnostics.Layer> diagnostics,
            double wholeTailBitsPerChar, long charsTrainedTotal, String stopReason) {
    }

    /** Checkpoint file with the recurrent state and the memory of every training stream. */
    public static final String STATE_FILE = "state.sd";

    private final CharNetwork net;
    private final CharCorpus corpus;
    private final Options options;
    private final ProgressListener listener;
    private final CharUpdater.Engine engine;
    private long failAt = -1;
    private int interruptAfterRound = -1;

    /** A trainer on the layer engine reporting its progress and round summaries to {@code listener}. */
    public CharTrainer(CharNetwork net, CharCorpus corpus, Options options, ProgressListener listener) {
        this(net, corpus, options, listener, CharUpdater.Engine.LAYERS);
    }

    /**
     * A trainer computing gradients, evaluations and samples with {@code engine} (the same numbers either way;
     * checkpoints and model files do not depend on it, so a run may resume on the other engine).
     */
    public CharTrainer(CharNetwork net, CharCorpus corpus, Options options, ProgressListener listener,
            CharUpdater.Engine engine) {
        this.net = net;
        this.corpus = corpus;
        this.options = options;
        this.listener = listener;
        this.engine = engine;
    }

    /** A trainer printing its summary lines to {@code out} (progress is not shown). */
    public CharTrainer(CharNetwork net, CharCorpus corpus, Options options, PrintStream out) {
        this(net, corpus, options, ProgressListener.lines(out));
    }

    /**
     * What a run must share with the checkpoints it resumes: the network (kind and shape, for STM
     * every {@link StmConfig} option), {@code --segment}, {@code --lr}, {@code --seed},
     * {@code --held-out}, the alphabet and the text's SHA-256, and a learning-rate schedule other than constant
     * with its floor and horizon ({@code --chars}). Not included: {@code --batch} (a
     * different batch restarts the carried state), the time and pass budgets and the evaluation
     * and sampling options, which belong to one invocation.
     */
    public RunSignature signature() {
        RunSignature s = RunSignature.of().with("--model", net.kind().name().toLowerCase(Locale.ROOT))
                .with("--layers", net.layers());
        if (net.kind() == CharNetwork.Kind.STM) {
            StmConfig c = net.config();
            s = s.with("--memory", c.memRows() + "x" + c.memCols()).with("--word", c.wordRows() + "x" + c.wordCols())
                    .with("--controller", c.controllerHidden())
                    .with("--theta", c.thetaForm().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .with("--theta-activation", c.thetaActivation().name().toLowerCase(Locale.ROOT))
                    .with("--theta-scale", c.thetaScale()).with("--theta-spread", c.thetaSpread())
                    .with("--theta-init", c.thetaInit()).with("--write", c.writeMode().name().toLowerCase(Locale.ROOT))
                    .with("--memory-init", c.memoryInit().name().toLowerCase(Locale.ROOT))
                    .with("--memory-init-scale", c.memoryInitScale());
        } else {
            s = s.with("--lstm-hidden", net.lstmHidden());
        }
        s = s.with("--segment", options.steps()).with("--lr", options.learningRate()).with("--seed", options.seed())
                .with("--held-out", corpus.heldOutFraction()).with("alphabet", RunSignature.quote(corpus.alphabet()))
                .with("text SHA-256", corpus.textSha256());
        LearningRateSchedule lr = options.schedule();
        if (lr.kind() != LearningRateSchedule.Kind.CONSTANT) { // a constant schedule adds nothing: old checkpoints resume
            s = s.with("--lr-schedule", lr.label()).with("--lr-floor", lr.floor()).with("--chars (the schedule's horizon)",
                    lr.horizon());
        }
        return s;
    }

    /**
     * Runs training into {@code dir}.
     *
     * @param resume continue from the newest checkpoint in {@code dir} (a fresh run if there is none);
     *     without it a directory holding checkpoints is refused
     * @throws IllegalArgumentException if {@code dir} holds checkpoints and {@code resume} is false,
     *     or the checkpoint's {@link #signature()} differs from this run's (naming the first difference)
     * @throws ModelFormatException if the checkpoint is damaged or records no signature
     */
    public Result train(Path dir, ObjectNode trainConfig, boolean resume) throws IOException {
        RunSignature signature = signature();
        CharUpdater updater = new CharUpdater(net, options.batch(), options.steps(), options.learningRate(),
                options.clipNorm(), engine);
        Map<String, INDArray> params = net.params();
        List<String> names = new ArrayList<>(params.keySet());
        Map<String, INDArray> m = updater.firstMoments();
        Map<String, INDArray> v = updater.secondMoments();
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2);
        TrainingState state = TrainingState.start(options.seed());
        long adamStep = 0;
        Progress progress = Progress.START;
        Map<String, INDArray> resumedState = null;
        Optional<CheckpointStore.Checkpoint> latest = store.latest();
        if (latest.isPresent() && !resume) {
            throw new IllegalArgumentException(dir + " already holds a training run (checkpoints); pass --resume to "
                    + "continue it or choose another --out");
        }
        if (latest.isPresent()) {
            CheckpointStore.Checkpoint c = latest.get();
            RunSignature recorded = RunSignature.read(c.directory()).orElseThrow(() -> new ModelFormatException(
                    c.directory() + ": --resume: the checkpoint records no run configuration (" + RunSignature.FILE_NAME
                    + ", written since VTM checks resumes), so this run cannot be checked against it; choose another --out"));
            signature.requireSameAs(recorded);
            state = c.state();
            Map<String, INDArray> saved = CharModelFiles.loadArrays(c.directory().resolve(CharModelFiles.PARAMS));
            Map<String, INDArray> moments = CharModelFiles.loadArrays(c.directory().resolve("adam.sd"));
            for (String n : names) {
                params.get(n).assign(checked(saved.get(n), params.get(n), c.directory().resolve(CharModelFiles.PARAMS), n));
                m.get(n).assign(checked(moments.get("m_" + n), m.get(n), c.directory().resolve("adam.sd"), "m_" + n));
                v.get(n).assign(checked(moments.get("v_" + n), v.get(n), c.directory().resolve("adam.sd"), "v_" + n));
            }
            adamStep = state.randomDraws();
            updater.resumeAt(adamStep);
            Path carried = c.directory().resolve(STATE_FILE);
            if (Files.exists(carried)) {
                resumedState = CharModelFiles.loadArrays(carried);
            }
            progress = Progress.read(c.directory(), adamStep, options.batch() * (long) options.steps());
            listener.message("resuming from " + c.directory() + " (round " + state.epoch() + ", " + adamStep
                    + " updates); " + progress.chars() + " characters trained so far");
        } else if (resume) {
            listener.message("no checkpoint in " + store.directory() + "; starting a new run");
        }
        Files.createDirectories(dir);
        ModelCompletion.remove(dir); // from here on the directory changes: it is unfinished until the end
        writeRunConfig(dir, trainConfig, signature);
        TrainingHistory history = state.history();
        int[] train = corpus.train();
        int perPass = CharCorpus.segmentsPerPass(train.length, options.batch(), options.steps());
        if (perPass < 1) {
            throw new IllegalArgumentException("the training text (" + train.length + " chars) is too short for "
                    + options.batch() + " streams of " + options.steps() + " steps");
        }
        long pass = progress.pass();
        int cursor = state.batchCursor();
        if (cursor >= perPass) { // the checkpoint ended a pass: the next one starts from a fresh state
            cursor = 0;
            pass++;
        }
        Map<String, INDArray> rnnState = net.initialState(options.batch(), passRandom(pass));
        if (resumedState != null && cursor != 0) { // at cursor 0 a new pass starts from a fresh state anyway
            boolean fits = true;
            for (Map.Entry<String, INDArray> e : rnnState.entrySet()) {
                INDArray saved = resumedState.get(e.getKey());
                fits &= saved != null && java.util.Arrays.equals(saved.shape(), e.getValue().shape());
            }
            if (fits) {
                for (Map.Entry<String, INDArray> e : rnnState.entrySet()) {
                    e.getValue().assign(resumedState.get(e.getKey()));
                }
            } else {
                listener.message("the checkpoint's recurrent state does not fit (different --batch?); restarting it");
            }
        }
        long perUpdate = options.batch() * (long) options.steps();
        long charsTotal = progress.chars();
        long lastEvalChars = progress.lastEvalChars();
        double lastEvalBits = progress.lastEvalBits();
        boolean byChars = options.evalEveryChars() > 0;
        long nextEval = byChars ? (charsTotal / options.evalEveryChars() + 1) * options.evalEveryChars() : Long.MAX_VALUE;
        int round = state.epoch();
        long segments = 0;
        double roundLoss = 0;
        long roundSegments = 0;
        long budgetNanos = (long) (options.minutes() * 60e9);
        long start = System.nanoTime();
        long roundStart = start;
        long evalEvery = byChars ? Long.MAX_VALUE : (long) (options.evalEveryMinutes() * 60e9);
        String task = net.kind().name().toLowerCase(Locale.ROOT) + " train";
        long budgetSeconds = Math.round(options.minutes() * 60);
        List<StmDiagnostics.Layer> diagnostics = List.of();
        double bpc = Double.NaN;
        int passes = 0;
        boolean freshPass = false;
        String stopReason = null;
        boolean budgetReached = options.charBudget() > 0 && charsTotal >= options.charBudget() && options.plateau() == 0;
        final long charsAtStart = charsTotal;
        while (true) {
            long now = System.nanoTime();
            boolean timeUp = now - start >= budgetNanos || passes >= options.maxPasses() || budgetReached;
            if (timeUp || now - roundStart >= evalEvery || charsTotal >= nextEval) {
                if (roundSegments > 0) {
                    Evaluation ev = evaluate();
                    checkHeldOut(adamStep, ev.bitsPerChar, state);
                    bpc = ev.bitsPerChar;
                    diagnostics = ev.diagnostics;
                    double secs = (System.nanoTime() - roundStart) / 1e9;
                    history.add(new EpochRecord(round, roundLoss / roundSegments, ev.bitsPerChar * Math.log(2),
                            roundSegments * (double) perUpdate / secs, secs));
                    listener.message(String.format(Locale.ROOT, "round %d: train %.3f bpc, held-out %.3f bpc, %d updates, "
                            + "%d chars", round + 1, roundLoss / roundSegments / Math.log(2), ev.bitsPerChar, adamStep,
                            charsTotal));
                    for (StmDiagnostics.Layer d : diagnostics) {
                        listener.message("  " + d);
                    }
                    if (options.plateau() > 0 && !timeUp && charsTotal >= options.charBudget() && lastEvalChars >= 0
                            && charsTotal > lastEvalChars) {
                        double rate = (lastEvalBits - ev.bitsPerChar) / ((charsTotal - lastEvalChars) / 1e6);
                        if (rate < options.plateau()) {
                            stopReason = String.format(Locale.ROOT, "plateau (held-out loss improved by %.4f bits/char "
                                    + "per 1M characters since %d characters, less than --plateau %s)", rate,
                                    lastEvalChars, options.plateau());
                            timeUp = true;
                        }
                    }
                    lastEvalChars = charsTotal;
                    lastEvalBits = ev.bitsPerChar;
                    round++;
                    roundLoss = 0;
                    roundSegments = 0;
                    TrainingState st = new TrainingState(round, cursor, options.seed(), adamStep,
                            Math.min(state.bestValidationLoss(), ev.bitsPerChar * Math.log(2)), 0, 0, 0, 0, history);
                    state = st;
                    final long steps = adamStep;
                    final Map<String, INDArray> carry = rnnState;
                    final Progress now2 = new Progress(charsTotal, pass, lastEvalChars, lastEvalBits);
                    store.write(st, d -> {
                        CharModelFiles.saveArrays(params, d.resolve(CharModelFiles.PARAMS));
                        Map<String, INDArray> moments = new LinkedHashMap<>();
                        for (String n : names) {
                            moments.put("m_" + n, m.get(n));
                            moments.put("v_" + n, v.get(n));
                        }
                        CharModelFiles.saveArrays(moments, d.resolve("adam.sd"));
                        CharModelFiles.saveArrays(carry, d.resolve(STATE_FILE));
                        CharModelFiles.describe(net, corpus.alphabet(), options.seed(), trainConfig).write(d);
                        now2.write(d);
                        signature.write(d);
                    });
                    history.write(dir.resolve(TrainingHistory.FILE_NAME));
                    writeDiagnostics(dir, diagnostics, steps);
                    if (round == interruptAfterRound) {
                        throw new IllegalStateException("test hook: interrupted after round " + round);
                    }
                }
                roundStart = System.nanoTime();
                while (byChars && nextEval <= charsTotal) {
                    nextEval += options.evalEveryChars();
                }
                if (timeUp) {
                    break;
                }
            }
            if (cursor >= perPass) {
                cursor = 0;
                passes++;
                pass++;
                freshPass = true; // reset lazily, so a checkpoint at the end of a pass keeps the carried state
                continue;
            }
            if (freshPass) {
                rnnState = net.initialState(options.batch(), passRandom(pass));
                freshPass = false;
            }
            INDArray[] xy = CharCorpus.segment(train, corpus.vocab(), options.batch(), options.steps(), cursor,
                    net.dataType());
            final TrainingState lastGood = state;
            updater.setLearningRate(options.learningRate() * options.schedule().factor(charsTotal));
            CharUpdater.Step step = updater.update(xy[0], xy[1], rnnState,
                    (update, loss, norm2) -> checkFinite(update, loss, norm2, lastGood));
            rnnState = step.state();
            double loss = step.loss();
            adamStep = updater.updates();
            cursor++;
            segments++;
            roundSegments++;
            roundLoss += loss;
            charsTotal += perUpdate;
            if (options.charBudget() > 0 && options.plateau() == 0 && charsTotal >= options.charBudget()) {
                budgetReached = true;
            }
            double el = (System.nanoTime() - start) / 1e9;
            String detail = String.format(Locale.ROOT, "loss %.3f bpc  %.0f chars/s", loss / Math.log(2),
                    segments * perUpdate / Math.max(el, 1e-9));
            if (options.charBudget() > 0) {
                // a character budget: progress in characters of this invocation (so the rate and ETA hold after
                // --resume); past the budget, while the plateau rule decides, the bar stays one short of full
                long total = Math.max(1, options.charBudget() - charsAtStart);
                long done = charsTotal - charsAtStart;
                if (charsTotal > options.charBudget()) {
                    done = total - 1;
                    detail += "  past the budget: " + charsTotal + " chars, stopping at a plateau";
                }
                listener.progress(task, "chars", done, total, detail);
            } else {
                listener.progress(task, "s", Math.min(Math.round(el), budgetSeconds - 1), budgetSeconds, detail);
            }
        }
        if (stopReason == null) {
            stopReason = budgetReached ? "character budget (--chars " + options.charBudget() + ")"
                    : passes >= options.maxPasses() ? "passes (--epochs " + options.maxPasses() + ")"
                    : "time budget (--minutes " + options.minutes() + ")";
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long chars = segments * perUpdate;
        listener.message("scoring the whole held-out tail (" + corpus.heldOut().length + " characters, state carried)");
        int[] tail = corpus.heldOut();
        double wholeTail = TailScorer.mean(TailScorer.carried(net, tail, WHOLE_TAIL_SEGMENT, options.seed(), null));
        if (!Double.isFinite(wholeTail)) {
            throw new TrainingDivergedException(adamStep, "whole held-out tail loss " + wholeTail + " after it",
                    kept(state));
        }
        NgramBars bars = NgramBars.fit(train, corpus.vocab());
        String sample = sample(options.sampleChars(), options.temperature(), options.seed(), null).text();
        CharModelFiles.save(net, corpus.alphabet(), options.seed(), trainConfig, dir);
        AtomicFiles.write(dir.resolve("sample.txt"), sample.getBytes(StandardCharsets.UTF_8));
        Result result = new Result(bpc, net.parameterCount(), segments, chars, seconds, chars / Math.max(seconds, 1e-9),
                sample, diagnostics, wholeTail, charsTotal, stopReason);
        ObjectNode r = TrainingJson.MAPPER.createObjectNode();
        r.put("format", RESULT_FORMAT);
        r.put("model", net.kind().name().toLowerCase(Locale.ROOT));
        if (Double.isFinite(bpc)) {
            r.put("heldOutBitsPerChar", bpc);
        } else {
            r.putNull("heldOutBitsPerChar"); // no round was evaluated (a budget shorter than one update)
        }
        r.put("heldOutEvaluatedChars", Math.min(options.evalChars(), tail.length));
        r.put("heldOutWholeTailBitsPerChar", wholeTail);
        r.put("heldOutWholeTailChars", tail.length - 1);
        r.put("heldOutWholeTailUnigramBitsPerChar", bars.unigramBitsPerChar(tail));
        r.put("heldOutWholeTailBigramBitsPerChar", bars.bigramBitsPerChar(tail));
        r.put("parameters", net.parameterCount());
        r.put("segments", segments);
        r.put("charsTrained", chars);
        r.put("charsTrainedTotal", charsTotal);
        r.put("seconds", seconds);
        r.put("charsPerSecond", result.charsPerSecond());
        r.put("updatesTotal", adamStep);
        r.put("stopReason", stopReason);
        r.put("lrSchedule", options.schedule().label());
        r.put("seed", options.seed());
        AtomicFiles.write(dir.resolve("result.json"), TrainingJson.MAPPER.writeValueAsBytes(r));
        ModelCompletion.write(dir, stopReason, history.size(), List.of(ModelDescription.FILE_NAME, CharModelFiles.PARAMS));
        return result;
    }

    /** Format of result.json: 2 added the whole-tail score, the bars on it, the total characters and the stop reason. */
    public static final String RESULT_FORMAT = "vtm.stm-result/2";
    /** Engine steps per call when the whole tail is scored at the end of a run (does not change the score). */
    static final int WHOLE_TAIL_SEGMENT = 100;
    /** The run's configuration, written at the start of every invocation. */
    public static final String RUN_CONFIG_FILE = "run-config.json";

    /** The random stream of the initial state (the STM's memory fill) of pass {@code pass} (0-based, over resumes). */
    private SplittableRandom passRandom(long pass) {
        return new SplittableRandom((options.seed() ^ 0x5DEECE66DL) + pass * 0x9E3779B97F4A7C15L);
    }

    /** Writes {@value #RUN_CONFIG_FILE}: the given configuration, the options, the signature and provenance. */
    private void writeRunConfig(Path dir, ObjectNode trainConfig, RunSignature signature) throws IOException {
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("format", "vtm.stm-run-config/1");
        if (trainConfig != null) {
            n.set("config", trainConfig.deepCopy());
        }
        ObjectNode o = n.putObject("options");
        o.put("batch", options.batch());
        o.put("segment", options.steps());
        o.put("lr", options.learningRate());
        o.put("clipNorm", options.clipNorm());
        o.put("minutes", options.minutes());
        o.put("epochs", options.maxPasses());
        o.put("chars", options.charBudget());
        o.put("plateau", options.plateau());
        o.put("evalEveryChars", options.evalEveryChars());
        o.put("evalEveryMinutes", options.evalEveryMinutes());
        o.put("evalChars", options.evalChars());
        o.put("lrSchedule", options.schedule().label());
        o.put("lrFloor", options.schedule().floor());
        o.put("seed", options.seed());
        o.put("engine", engine.name().toLowerCase(Locale.ROOT));
        ObjectNode sig = n.putObject("signature");
        signature.entries().forEach(sig::put);
        ObjectNode prov = n.putObject("provenance");
        prov.put("vtm_version", org.vtm.artifacts.Provenance.vtmVersion());
        org.vtm.artifacts.Provenance.facts().forEach(prov::put);
        AtomicFiles.write(dir.resolve(RUN_CONFIG_FILE), TrainingJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(n));
    }

    /**
     * Where a run is beyond {@link TrainingState}, kept in every checkpoint ({@value #FILE}): characters trained
     * over all invocations, the pass (for the initial state of the next pass), and the last evaluation (for the
     * plateau rule; {@code lastEvalChars} −1 before the first).
     */
    record Progress(long chars, long pass, long lastEvalChars, double lastEvalBits) {
        static final String FILE = "progress.json";
        static final String FORMAT = "vtm.stm-progress/1";
        static final Progress START = new Progress(0, 0, -1, Double.NaN);

        void write(Path d) throws IOException {
            ObjectNode n = TrainingJson.MAPPER.createObjectNode();
            n.put("format", FORMAT);
            n.put("chars", chars);
            n.put("pass", pass);
            n.put("lastEvalChars", lastEvalChars);
            if (Double.isFinite(lastEvalBits)) {
                n.put("lastEvalBits", lastEvalBits);
            }
            AtomicFiles.write(d.resolve(FILE), TrainingJson.MAPPER.writeValueAsBytes(n));
        }

        /** The checkpoint's progress; checkpoints written before it count {@code updates · perUpdate} characters. */
        static Progress read(Path d, long updates, long perUpdate) throws IOException {
            Path f = d.resolve(FILE);
            if (!Files.exists(f)) {
                return new Progress(updates * perUpdate, 0, -1, Double.NaN);
            }
            com.fasterxml.jackson.databind.JsonNode n;
            try {
                n = TrainingJson.MAPPER.readTree(Files.readAllBytes(f));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelFormatException(f + ": corrupt, not valid JSON", e);
            }
            if (n == null || !FORMAT.equals(n.path("format").asText("")) || !n.path("chars").canConvertToLong()) {
                throw new ModelFormatException(f + ": not a " + FORMAT + " file");
            }
            return new Progress(n.path("chars").asLong(), n.path("pass").asLong(), n.path("lastEvalChars").asLong(-1),
                    n.path("lastEvalBits").asDouble(Double.NaN));
        }
    }

    /**
     * Stops the run if update {@code update}'s loss or squared global gradient norm is not finite,
     * before the update changes any parameter and before anything of the current round is written:
     * the last checkpoint ({@code last}) stays the last good state. Test hook: {@link #failAt}.
     *
     * @throws TrainingDivergedException "diverged at update k (…what was not finite…); …the checkpoint kept…"
     */
    private void checkFinite(long update, double loss, double gradNormSquared, TrainingState last) {
        double l = update == failAt ? Double.NaN : loss;
        TrainingDivergedException.check(update, l, gradNormSquared, kept(last));
    }

    /** As {@link #checkFinite} for the held-out evaluation after update {@code update}, before it is recorded. */
    private static void checkHeldOut(long update, double bitsPerChar, TrainingState last) {
        if (!Double.isFinite(bitsPerChar)) {
            throw new TrainingDivergedException(update, "held-out loss " + bitsPerChar + " after it", kept(last));
        }
    }

    private static String kept(TrainingState last) {
        return last.epoch() == 0 ? "no checkpoint was written yet"
                : "the last checkpoint (round " + last.epoch() + ", " + last.randomDraws()
                        + " updates) is kept; --resume continues from it";
    }

    /**
     * Test hook: treat the loss of update {@code update} (1-based, counted over resumed runs) as NaN,
     * so that the divergence handling can be tested without a model that really diverges.
     */
    CharTrainer failAt(long update) {
        this.failAt = update;
        return this;
    }

    /** Test hook: stop the run with an exception right after round {@code round}'s checkpoint (a simulated kill). */
    CharTrainer interruptAfterRound(int round) {
        this.interruptAfterRound = round;
        return this;
    }

    /** {@code saved} if it has {@code like}'s shape; else the checkpoint file is damaged or of another model. */
    private static INDArray checked(INDArray saved, INDArray like, Path file, String name) throws ModelFormatException {
        if (saved == null) {
            throw new ModelFormatException(file + ": array '" + name + "' is missing");
        }
        if (!java.util.Arrays.equals(saved.shape(), like.shape())) {
            throw new ModelFormatException(file + ": array '" + name + "' has shape " + java.util.Arrays.toString(saved.shape())
                    + ", the model needs " + java.util.Arrays.toString(like.shape()));
        }
        return saved;
    }

    private static void writeDiagnostics(Path dir, List<StmDiagnostics.Layer> diagnostics, long updates)
            throws IOException {
        ObjectNode root = TrainingJson.MAPPER.createObjectNode();
        root.put("updates", updates);
        ArrayNode layers = root.putArray("layers");
        for (StmDiagnostics.Layer d : diagnostics) {
            ObjectNode n = layers.addObject();
            n.put("layer", d.layer() + 1);
            n.put("readCoverage", d.readCoverage());
            n.put("readEntropy", d.readEntropy());
            n.put("writeCoverage", d.writeCoverage());
            n.put("writeEntropy", d.writeEntropy());
            n.put("sameLocationFraction", d.sameLocationFraction());
            n.put("collapsedToLstm", d.collapsedToLstm());
        }
        AtomicFiles.write(dir.resolve("diagnostics.json"), TrainingJson.MAPPER.writeValueAsBytes(root));
    }

    /** Held-out bits per character and memory diagnostics. */
    public record Evaluation(double bitsPerChar, List<StmDiagnostics.Layer> diagnostics) {
    }

    /** Evaluates bits per character on (the start of) the held-out tail, from a fresh state. */
    public Evaluation evaluate() {
        return evaluate(net, corpus.heldOut(), corpus.vocab(), Math.min(options.batch(), 16), options.steps(),
                options.evalChars(), options.seed(), engine);
    }

    /** Evaluates {@code net} on {@code data} with the layer engine: bits per character, and diagnostics. */
    public static Evaluation evaluate(CharNetwork net, int[] data, int vocab, int batch, int steps, int maxChars,
            long seed) {
        return evaluate(net, data, vocab, batch, steps, maxChars, seed, CharUpdater.Engine.LAYERS);
    }

    /** Evaluates {@code net} on {@code data}: mean cross-entropy in bits per character, and diagnostics. */
    public static Evaluation evaluate(CharNetwork net, int[] data, int vocab, int batch, int steps, int maxChars,
            long seed, CharUpdater.Engine engine) {
        int[] use = data.length > maxChars ? java.util.Arrays.copyOf(data, maxChars) : data;
        int segs = CharCorpus.segmentsPerPass(use.length, batch, steps);
        if (segs < 1) {
            batch = 1;
            segs = CharCorpus.segmentsPerPass(use.length, batch, steps);
        }
        Map<String, INDArray> st = net.initialState(batch, new SplittableRandom(seed));
        boolean stm = net.kind() == CharNetwork.Kind.STM;
        StmDiagnostics diag = stm ? new StmDiagnostics(net.layers(), net.config().memCells()) : null;
        if (engine == CharUpdater.Engine.LAYERS) {
            CharEngine eng = new CharEngine(net, batch, steps);
            double sum = 0;
            for (int k = 0; k < segs; k++) {
                INDArray[] xy = CharCorpus.segment(use, vocab, batch, steps, k, net.dataType());
                sum += eng.forward(xy[0], xy[1], st);
                st = eng.state();
                for (int t = 0; stm && t < steps; t++) {
                    for (int l = 0; l < net.layers(); l++) {
                        diag.add(l, eng.readMap(l, t), eng.writeMap(l, t));
                    }
                }
            }
            return new Evaluation(sum / segs / Math.log(2), stm ? diag.summary() : List.of());
        }
        CharNetwork.Segment seg = net.segment(batch, steps);
        seg.syncParams();
        List<String> outs = new ArrayList<>(seg.stateOutputs());
        outs.add("loss");
        if (stm) {
            for (int l = 0; l < net.layers(); l++) {
                for (int t = 0; t < steps; t++) {
                    outs.add("read_l" + l + "_t" + t);
                    outs.add("write_l" + l + "_t" + t);
                }
            }
        }
        double sum = 0;
        for (int k = 0; k < segs; k++) {
            INDArray[] xy = CharCorpus.segment(use, vocab, batch, steps, k, net.dataType());
            Map<String, INDArray> o = seg.sameDiff().output(seg.feed(xy[0], xy[1], st), outs);
            st = seg.nextState(o);
            sum += o.get("loss").getDouble(0);
            if (stm) {
                for (int t = 0; t < steps; t++) {
                    for (int l = 0; l < net.layers(); l++) {
                        diag.add(l, rows(o.get("read_l" + l + "_t" + t)), rows(o.get("write_l" + l + "_t" + t)));
                    }
                }
            }
        }
        return new Evaluation(sum / segs / Math.log(2), stm ? diag.summary() : List.of());
    }

    static double[][] rows(INDArray maps) {
        long b = maps.size(0);
        return maps.reshape(b, -1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    /** Generated text and, for STM, the read and write maps per character: [char][layer][H·W]. */
    public record Sample(String text, List<double[][]> reads, List<double[][]> writes) {
    }

    /** Samples {@code n} characters (starting from {@code prime} or a newline) at the given temperature. */
    public Sample sample(int n, double temperature, long seed, String prime) {
        return sample(net, corpus.alphabet(), n, temperature, seed, prime, engine);
    }

    /** Samples from any network with the given alphabet, on the layer engine. */
    public static Sample sample(CharNetwork net, String alphabet, int n, double temperature, long seed, String prime) {
        return sample(net, alphabet, n, temperature, seed, prime, CharUpdater.Engine.LAYERS);
    }

    /** Samples from any network with the given alphabet. */
    public static Sample sample(CharNetwork net, String alphabet, int n, double temperature, long seed, String prime,
            CharUpdater.Engine engine) {
        boolean layers = engine == CharUpdater.Engine.LAYERS;
        CharNetwork.Segment seg = layers ? null : net.segment(1, 1);
        CharEngine eng = layers ? new CharEngine(net, 1, 1) : null;
        if (seg != null) {
            seg.syncParams();
        }
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, INDArray> st = net.initialState(1, r);
        List<String> outs = new ArrayList<>(net.stateNames().size() + 1);
        if (seg != null) {
            outs.addAll(seg.stateOutputs());
        }
        outs.add("logits_0");
        boolean stm = net.kind() == CharNetwork.Kind.STM;
        if (stm) {
            for (int l = 0; l < net.layers(); l++) {
                outs.add("read_l" + l + "_t0");
                outs.add("write_l" + l + "_t0");
            }
        }
        String start = prime == null || prime.isEmpty() ? (alphabet.indexOf('\n') >= 0 ? "\n" : alphabet.substring(0, 1))
                : prime;
        StringBuilder text = new StringBuilder();
        List<double[][]> reads = new ArrayList<>();
        List<double[][]> writes = new ArrayList<>();
        int vocab = alphabet.length();
        int current = -1;
        int total = start.length() + n;
        for (int i = 0; i < total; i++) {
            int c = i < start.length() ? alphabet.indexOf(start.charAt(i)) : current;
            if (c < 0) {
                throw new IllegalArgumentException("prime character '" + start.charAt(i) + "' is not in the alphabet");
            }
            INDArray in = CharCorpus.oneHot(vocab, c, net.dataType());
            Map<String, INDArray> o = null;
            double[] logits;
            if (layers) {
                eng.forward(in, null, st);
                st = eng.state();
                logits = eng.logits(0)[0];
            } else {
                o = seg.sameDiff().output(seg.feed(in, null, st), outs);
                st = seg.nextState(o);
                logits = o.get("logits_0").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
            }
            current = draw(logits, temperature, r);
            if (i >= start.length() - 1 && i < total - 1) {
                text.append(alphabet.charAt(current));
                if (stm) {
                    double[][] rd = new double[net.layers()][];
                    double[][] wr = new double[net.layers()][];
                    for (int l = 0; l < net.layers(); l++) {
                        rd[l] = layers ? eng.readMap(l, 0)[0] : rows(o.get("read_l" + l + "_t0"))[0];
                        wr[l] = layers ? eng.writeMap(l, 0)[0] : rows(o.get("write_l" + l + "_t0"))[0];
                    }
                    reads.add(rd);
                    writes.add(wr);
                }
            }
        }
        return new Sample(text.toString(), reads, writes);
    }

    static int draw(double[] logits, double temperature, SplittableRandom r) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double u = r.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    static {
        Nd4j.getRandom(); // make sure the backend is initialised before timing
    }
}
