package org.vtm.interpreter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import org.vtm.transforms.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.Manifest;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.CheckpointTimer;
import org.vtm.interpreter.train.EarlyStopping;
import org.vtm.interpreter.train.EpochRecord;
import org.vtm.interpreter.train.EpochShuffle;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.AdamState;
import org.vtm.interpreter.train.ParameterFile;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.vtm.interpreter.train.TrainingDivergedException;
import org.vtm.interpreter.train.TrainingHistory;
import org.vtm.interpreter.train.TrainingState;
import org.vtm.transforms.FunctionFamily;

/**
 * Trains a learned interpreter from a corpus into a model directory:
 * <pre>
 *   out/model.json      description (format, family, d, n, T_FX checksum, config, provenance)
 *   out/model.params    the best model so far (lowest validation loss): parameters and T_0 (vtm.params/1)
 *   out/history.json    per-epoch train/validation loss, samples/s, seconds
 *   out/checkpoints/    atomic checkpoints (parameters, Adam state, training state)
 *   out/complete.json   written last, when the run ends: why it stopped ({@link ModelCompletion})
 * </pre>
 * A run removes {@code complete.json} before it changes anything else in {@code out}, so a directory
 * whose run was interrupted (even before its first epoch) is never taken for a finished model.
 * Checkpoints are written every {@code checkpointMinutes} and at each epoch end; with
 * {@code resume} training continues from the newest one with the same data order (the order of
 * epoch {@code e} is {@link EpochShuffle#permutation}{@code (seed, e, n)}), so an interrupted and
 * resumed run trains the same batches in the same order as an uninterrupted run.
 */
public final class Trainer {
    static final String CHECKPOINT_MODEL = "state.params";

    private final TrainerConfig config;
    private final ProgressListener listener;

    /**
     * Outcome of {@link #run()}.
     *
     * @param untrainedValidationLoss validation loss of the untrained model ("epoch 0": with init tfx, the fixed
     *     transform's); NaN when the run was resumed or holds nothing out
     */
    public record Result(TrainingHistory history, int resumedFromEpoch, int resumedFromBatch, String stopReason,
            double bestValidationLoss, double seconds, double untrainedValidationLoss) {
    }

    /** A trainer reporting its progress and summaries to {@code listener}. */
    public Trainer(TrainerConfig config, ProgressListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** A trainer printing its summary lines to {@code out} (progress is not shown). */
    public Trainer(TrainerConfig config, PrintStream out) {
        this(config, ProgressListener.lines(out));
    }

    public Result run() throws IOException {
        long start = System.nanoTime();
        if (config.engine() == TrainerConfig.Engine.SAMEDIFF && config.dtype() != TrainerConfig.Precision.FLOAT64) {
            throw new IllegalArgumentException("--engine samediff trains in float64 only; use --engine layers for --dtype "
                    + config.dtype().label());
        }
        if (config.engine() == TrainerConfig.Engine.SAMEDIFF && config.tuning().inputs().structure()) {
            throw new IllegalArgumentException("--engine samediff has no structure encoder; train --inputs "
                    + config.tuning().inputs().label() + " with --engine layers");
        }
        if (config.engine() == TrainerConfig.Engine.SAMEDIFF && config.head() == ModelConfig.Head.TAIL) {
            throw new IllegalArgumentException("--engine samediff has no tail head; train --head tail with --engine layers");
        }
        StepDataset data = StepDataset.read(config.corpus(), FunctionFamily.byName(config.family()).name(), -1,
                config.order(), config.maxSteps(),
                config.tuning().inputs().base() == ModelConfig.Inputs.NEXT_ORDER, config.tuning().inputs().structure());
        int d = data.layout().dim();
        TrainerConfig.Tuning tuning = config.tuning();
        ModelConfig model = new ModelConfig(data.layout().family(), d, config.order(), config.maxSteps(), config.hidden(),
                config.head(), config.init(), tuning.inputs(), tuning.loss(), tuning.headScale(), tuning.structureWidth());
        double[] tfx = config.tfx().tfx(model.family(), d, model.order());
        String tfxSha = TfxSource.checksum(tfx);
        List<List<StepDataset.Sample>> split = data.split(config.validationFraction(), config.seed());
        List<StepDataset.Sample> train = split.get(0);
        List<StepDataset.Sample> val = split.get(1);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training programs left after holding out " + val.size()
                    + " for validation (corpus has " + data.size() + ")");
        }

        Path outDir = config.out();
        CheckpointStore store = new CheckpointStore(outDir.resolve(ModelDirectory.CHECKPOINTS), 2);
        TrainingEngine engine = newEngine(model, tfx, data.layout().samplePoints());
        if (tuning.lossEps() != InterpreterModel.LOG_EPS) {
            engine.lossEpsilon(tuning.lossEps()); // refuses a loss without a floor, and engines without the setting
        }
        TrainingState state;
        int resumedEpoch = -1;
        int resumedBatch = -1;
        Optional<CheckpointStore.Checkpoint> latest = store.latest();
        if (latest.isPresent() && !config.resume()) {
            throw new IllegalArgumentException(outDir + " already holds a training run (checkpoints); use --resume to "
                    + "continue it or choose another --out");
        }
        if (latest.isPresent()) {
            ModelDescription existing = ModelDescription.read(outDir);
            Path descFile = outDir.resolve(ModelDescription.FILE_NAME);
            ModelConfig recorded = ModelConfig.readFrom(existing.properties(), descFile);
            if (!recorded.equals(model)) {
                throw new IllegalArgumentException(descFile + ": the run being resumed has model " + recorded
                        + ", this command asks for " + model);
            }
            TrainerConfig.Precision recordedDtype = recordedDtype(existing, descFile);
            if (recordedDtype != config.dtype()) {
                throw new IllegalArgumentException(descFile + ": the run being resumed trains in " + recordedDtype.label()
                        + ", this command asks for --dtype " + config.dtype().label() + " (resume in the precision the run "
                        + "started in)");
            }
            String recordedSha = existing.requireText("tfx_sha256", descFile);
            if (!recordedSha.equals(tfxSha)) {
                throw new IllegalArgumentException(descFile + ": T_FX mismatch: the run was started with T_FX sha256 "
                        + recordedSha + ", now T_FX (" + config.tfx().describe() + ") has " + tfxSha);
            }
            CheckpointStore.Checkpoint c = latest.get();
            Map<String, INDArray> saved = ParameterFile.read(c.directory().resolve(CHECKPOINT_MODEL));
            try {
                engine.restoreParameters(saved);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(c.directory().resolve(CHECKPOINT_MODEL) + ": " + e.getMessage(), e);
            }
            engine.restoreAdam(saved);
            state = c.state();
            if (state.seed() != config.seed()) {
                throw new IllegalArgumentException(c.directory() + ": the run being resumed has seed " + state.seed()
                        + ", this command asks for " + config.seed() + " (the data order would differ)");
            }
            ModelCompletion.remove(outDir); // from here on the directory changes: it is unfinished until the end
            resumedEpoch = state.epoch();
            resumedBatch = state.batchCursor();
            listener.message(String.format(Locale.ROOT, "resuming from %s: epoch %d, batch %d", c.directory().getFileName(),
                    state.epoch() + 1, state.batchCursor()));
        } else {
            if (config.resume()) {
                listener.message("no checkpoint in " + store.directory() + "; starting a new run");
            }
            Files.createDirectories(outDir);
            ModelCompletion.remove(outDir);
            state = TrainingState.start(config.seed());
            describe(model, tfxSha, engine, data, train.size(), val.size()).write(outDir);
        }
        boolean fresh = latest.isEmpty();

        int samplesPerStep = data.layout().samples();
        int stepsPad = config.maxSteps();
        // the features of every program are computed once here; a batch is then copies into kept arrays
        BatchPacker trainBatches = new BatchPacker(model, train, stepsPad, samplesPerStep);
        BatchPacker valBatches = val.isEmpty() ? null : new BatchPacker(model, val, stepsPad, samplesPerStep);
        TrainingHistory history = state.history();
        EarlyStopping stopping = new EarlyStopping(config.patience(), state.bestValidationLoss(), state.badEpochs());
        CheckpointTimer timer = new CheckpointTimer(config.checkpointMinutes());
        int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
        String stopReason = "epochs";
        int epoch = state.epoch();
        int cursor = state.batchCursor();
        double lossSum = state.epochTrainLossSum();
        long epochSamples = state.epochSamples();
        double priorSeconds = state.epochSeconds();
        double untrained = Double.NaN;
        if (fresh && !val.isEmpty()) {
            // "epoch 0": the untrained model (with init tfx, the fixed transform) is the first candidate, so
            // the kept model is never worse on validation than where training started
            untrained = loss(engine::loss, valBatches);
            stopping = new EarlyStopping(config.patience(), untrained, 0);
            ParameterFile.write(outDir.resolve(ModelDirectory.MODEL_FILE), engine.state());
            listener.message(String.format(Locale.ROOT, "epoch 0 (untrained)  validation loss %.6g", untrained));
        }
        boolean stop = stopping.shouldStop();
        if (stop) {
            stopReason = "early stopping";
        }
        while (!stop && epoch < config.epochs()) {
            long epochStart = System.nanoTime();
            int[] order = EpochShuffle.permutation(config.seed(), epoch, train.size());
            String task = String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs());
            for (int bIdx = cursor; bIdx < batches; bIdx++) {
                int from = bIdx * config.batchSize();
                int to = Math.min(train.size(), (bIdx + 1) * config.batchSize());
                double warm = tuning.warmupSteps() > 0
                        ? Math.min(1.0, (engine.adamStep() + 1.0) / tuning.warmupSteps()) : 1;
                // the same arrays as ModelInputs.training(model, those programs, stepsPad, samplesPerStep)
                double loss = fitChecked(engine, trainBatches.training(order, from, to), tuning.clipNorm(), warm, epoch,
                        bIdx);
                lossSum += loss * (to - from);
                epochSamples += to - from;
                double seconds = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
                listener.progress(task, "batches", bIdx + 1, batches, String.format(Locale.ROOT,
                        "loss %.5g  %.0f samples/s", lossSum / epochSamples, epochSamples / Math.max(seconds, 1e-9)));
                if (config.batchDelayMillis() > 0) {
                    sleep(config.batchDelayMillis());
                }
                if (timer.due() && bIdx + 1 < batches) {
                    checkpoint(store, engine, new TrainingState(epoch, bIdx + 1, config.seed(), 0, stopping.best(),
                            stopping.badEpochs(), lossSum, epochSamples, seconds, history));
                    timer.reset();
                }
            }
            double trainSeconds = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
            double valLoss = val.isEmpty() ? Double.NaN : loss(engine::loss, valBatches);
            if (!val.isEmpty() && !Double.isFinite(valLoss)) { // before it reaches history.json or the model file
                throw new TrainingDivergedException(engine.adamStep(), "validation loss " + valLoss + " after epoch "
                        + (epoch + 1), KEPT);
            }
            double seconds = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
            history.add(new EpochRecord(epoch, lossSum / epochSamples, valLoss, epochSamples / Math.max(trainSeconds, 1e-9),
                    seconds));
            boolean improved = val.isEmpty() || stopping.update(valLoss);
            if (improved) {
                ParameterFile.write(outDir.resolve(ModelDirectory.MODEL_FILE), engine.state());
            }
            listener.message(String.format(Locale.ROOT, "epoch %d/%d  train loss %.6g  validation loss %.6g%s  %.0f samples/s  %.1fs",
                    epoch + 1, config.epochs(), lossSum / epochSamples, valLoss, improved && !val.isEmpty() ? " (best)" : "",
                    epochSamples / Math.max(trainSeconds, 1e-9), seconds));
            history.write(outDir.resolve(TrainingHistory.FILE_NAME));
            epoch++;
            cursor = 0;
            lossSum = 0;
            epochSamples = 0;
            priorSeconds = 0;
            checkpoint(store, engine, new TrainingState(epoch, 0, config.seed(), 0, stopping.best(), stopping.badEpochs(), 0, 0,
                    0, history));
            timer.reset();
            if (stopping.shouldStop()) {
                stop = true;
                stopReason = "early stopping (no validation improvement in " + config.patience() + " epochs)";
            } else if (config.maxSeconds() > 0 && (System.nanoTime() - start) / 1e9 >= config.maxSeconds()) {
                stop = true;
                stopReason = "time budget";
            }
        }
        if (!Files.exists(outDir.resolve(ModelDirectory.MODEL_FILE))) {
            ParameterFile.write(outDir.resolve(ModelDirectory.MODEL_FILE), engine.state());
        }
        history.write(outDir.resolve(TrainingHistory.FILE_NAME));
        ModelCompletion.write(outDir, stopReason, history.size(), List.of(ModelDescription.FILE_NAME, ModelDirectory.MODEL_FILE));
        listener.message("stopped: " + stopReason + "; best validation loss " + stopping.best() + "; model in " + outDir);
        return new Result(history, resumedEpoch, resumedBatch, stopReason, stopping.best(), (System.nanoTime() - start) / 1e9,
                untrained);
    }

    private ModelDescription describe(ModelConfig model, String tfxSha, TrainingEngine engine, StepDataset data, int train,
            int val) throws IOException {
        ModelDescription desc = ModelDescription.create(ModelDirectory.KIND, config.seed());
        model.writeTo(desc.properties());
        desc.properties().put("tfx_sha256", tfxSha);
        desc.properties().put("tfx_source", config.tfx().describe());
        INDArray t0 = engine.state().get(InterpreterModel.T0);
        desc.properties().put("t0_sha256", TfxSource.checksum(t0 == null ? new double[0] : t0.dup().data().asDouble()));
        INDArray tailQ = engine.state().get(InterpreterModel.TAIL_Q);
        if (tailQ != null) {
            desc.properties().put(LearnedInterpreter.TAIL_Q_SHA256, TfxSource.checksum(tailQ.dup('c').data().asDouble()));
        }
        desc.properties().put("samples", data.layout().samples());
        Manifest manifest = Manifest.read(config.corpus());
        desc.setTrainingCorpus(new ModelDescription.TrainingCorpus(
                AtomicFiles.sha256(config.corpus().resolve(Manifest.FILE_NAME)), manifest.seed(), data.size(),
                manifest.generator().path("max_steps").asInt(-1)));
        ObjectNode c = desc.config();
        c.put("corpus_records", data.size());
        c.put("train_programs", train);
        c.put("validation_programs", val);
        c.put("epochs", config.epochs());
        c.put("batch_size", config.batchSize());
        c.put("learning_rate", config.learningRate());
        c.put("validation_fraction", config.validationFraction());
        c.put("patience", config.patience());
        c.put("checkpoint_minutes", config.checkpointMinutes());
        c.put("loss", model.loss() == ModelConfig.Loss.LOG_REL
                ? "mean over (program, step) of log(1e-10 + relative squared L2 error of the F-series at the sample points)"
                : "mean over steps of relative squared L2 error of the F-series at the corpus sample points");
        if (config.tuning().lossEps() != InterpreterModel.LOG_EPS) { // absent: the 1e-10 of the loss's description
            c.put("loss_eps", config.tuning().lossEps());
        }
        c.put("head_scale", config.tuning().headScale());
        c.put("clip_norm", config.tuning().clipNorm());
        c.put("warmup_steps", config.tuning().warmupSteps());
        c.put("optimizer", "adam");
        c.put("engine", config.engine().name().toLowerCase(Locale.ROOT)); // of the run's start (a resume may switch)
        c.put(DTYPE, config.dtype().label());
        ((ObjectNode) desc.provenance()).put("training_dtype", config.dtype().label());
        return desc;
    }

    /** Key of the training precision in model.json's {@code config} ({@code float64} or {@code float32}). */
    public static final String DTYPE = "dtype";

    /**
     * The precision a model was trained in ({@code config.dtype} of its model.json; float64 for models written
     * before the key existed).
     *
     * @throws ModelFormatException naming the file if the value is not a known precision
     */
    public static TrainerConfig.Precision recordedDtype(ModelDescription desc, Path descFile) throws ModelFormatException {
        String v = desc.config().path(DTYPE).asText(TrainerConfig.Precision.FLOAT64.label());
        try {
            return TrainerConfig.Precision.byLabel(v);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(descFile + ": config." + DTYPE + " is '" + v + "'; expected float64 or float32");
        }
    }

    /** What a divergence leaves behind (the run stops before writing anything of the failed update). */
    private static final String KEPT = "the last checkpoint and the best model so far are kept; lower --lr or "
            + "--clip-norm and start again, or --resume from the checkpoint";

    /**
     * {@code engine.fit}, stopping the run if the loss or the gradient is not finite: engines check both before
     * their Adam step ({@link #fit}); the loss is checked here again for any engine that does not.
     *
     * @throws TrainingDivergedException "diverged at update k (…) at epoch e, batch b; …what is kept…"
     */
    private static double fitChecked(TrainingEngine engine, Map<String, INDArray> batch, double clipNorm, double lrScale,
            int epoch, int bIdx) {
        String where = "epoch " + (epoch + 1) + ", batch " + bIdx;
        double loss;
        try {
            loss = engine.fit(batch, clipNorm, lrScale);
        } catch (TrainingDivergedException e) {
            throw new TrainingDivergedException(e.update(), e.what() + " at " + where, KEPT);
        }
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(engine.adamStep(), "loss " + loss + " at " + where, KEPT);
        }
        return loss;
    }

    /**
     * One training step (gradients, optional clipping, Adam); returns the batch loss before the step.
     *
     * @throws TrainingDivergedException if the loss or the global gradient norm is not finite (no parameter changes)
     */
    public static double fit(SameDiff sd, AdamState adam, Map<String, INDArray> in, double clipNorm, double lrScale) {
        OutAndGrad r = sd.calculateGradientsAndOutputs(in, List.of(InterpreterModel.LOSS),
                InterpreterModel.parameterNames(sd));
        Map<String, INDArray> grads = r.getGradients();
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        TrainingDivergedException.check(adam.step() + 1, r.getOutputs().get(InterpreterModel.LOSS).getDouble(0), sq, "");
        if (clipNorm > 0) {
            double norm = Math.sqrt(sq);
            if (norm > clipNorm) {
                for (INDArray g : grads.values()) {
                    g.muli(clipNorm / norm);
                }
            }
        }
        adam.apply(InterpreterModel.parameters(sd), grads, lrScale);
        return r.getOutputs().get(InterpreterModel.LOSS).getDouble(0);
    }

    /** The loss over {@code samples} (mean over all their real steps), in batches of 256. */
    static double loss(SameDiff sd, ModelConfig model, List<StepDataset.Sample> samples, int stepsPad, int sampleCount) {
        return loss(in -> sd.output(in, InterpreterModel.LOSS).get(InterpreterModel.LOSS).getDouble(0), model, samples,
                stepsPad, sampleCount);
    }

    /** As above, with {@code batchLoss} the loss of one batch of {@code ModelInputs.training}. */
    static double loss(ToDoubleFunction<Map<String, INDArray>> batchLoss, ModelConfig model,
            List<StepDataset.Sample> samples, int stepsPad, int sampleCount) {
        return loss(batchLoss, new BatchPacker(model, samples, stepsPad, sampleCount));
    }

    /** As above, over the whole pool of {@code batches} in pool order. */
    static double loss(ToDoubleFunction<Map<String, INDArray>> batchLoss, BatchPacker batches) {
        double total = 0;
        long rows = 0;
        for (int i = 0; i < batches.size(); i += 256) {
            int to = Math.min(batches.size(), i + 256);
            long r = batches.realSteps(i, to);
            double l = batchLoss.applyAsDouble(batches.training(i, to));
            total += l * r;
            rows += r;
        }
        return total / rows;
    }

    private static void checkpoint(CheckpointStore store, TrainingEngine engine, TrainingState state) throws IOException {
        Map<String, INDArray> all = new java.util.LinkedHashMap<>(engine.state());
        all.putAll(engine.adamState());
        store.write(state, dir -> ParameterFile.write(dir.resolve(CHECKPOINT_MODEL), all));
    }

    /** The engine of {@code config.engine()}, initialised as {@link InterpreterModel#newGraph} initialises the graph. */
    private TrainingEngine newEngine(ModelConfig model, double[] tfx, double[][] samplePoints) {
        if (config.engine() == TrainerConfig.Engine.SAMEDIFF) {
            return new GraphEngine(InterpreterModel.newGraph(model, tfx, samplePoints, config.seed()),
                    new AdamState(config.learningRate()));
        }
        return TrainingEngine.provider(config.engine()).create(model, tfx, samplePoints, config.seed(),
                config.learningRate(), config.dtype());
    }

    /** The SameDiff graph with {@link AdamState}: {@link #fit} and {@link #loss} as they always were. */
    record GraphEngine(SameDiff sd, AdamState adam) implements TrainingEngine {
        @Override
        public double fit(Map<String, INDArray> batch, double clipNorm, double lrScale) {
            return Trainer.fit(sd, adam, batch, clipNorm, lrScale);
        }

        @Override
        public double loss(Map<String, INDArray> batch) {
            return sd.output(batch, InterpreterModel.LOSS).get(InterpreterModel.LOSS).getDouble(0);
        }

        @Override
        public INDArray coefficients(Map<String, INDArray> inputs) {
            return sd.output(inputs, InterpreterModel.COEFFICIENTS).get(InterpreterModel.COEFFICIENTS);
        }

        @Override
        public long adamStep() {
            return adam.step();
        }

        @Override
        public Map<String, INDArray> state() {
            return InterpreterModel.state(sd);
        }

        @Override
        public Map<String, INDArray> adamState() {
            return adam.export();
        }

        @Override
        public void restoreParameters(Map<String, INDArray> saved) {
            InterpreterModel.restore(sd, saved);
        }

        @Override
        public void restoreAdam(Map<String, INDArray> saved) {
            adam.restore(saved);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
