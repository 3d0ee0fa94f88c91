package org.vtm.interpreter;

import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.vtm.interpreter.train.TrainingLimits;

/**
 * Everything {@link Trainer} needs.
 *
 * @param corpus corpus directory (vtm.corpus/1)
 * @param tfx where T_FX comes from
 * @param family function family (must match the corpus)
 * @param order {@code n} (must match the corpus)
 * @param epochs epochs to train (in total, counting epochs before a resume)
 * @param out model directory
 * @param resume continue from the newest checkpoint in {@code out/checkpoints}
 * @param batchSize programs per batch
 * @param hidden LSTM width
 * @param learningRate Adam learning rate
 * @param init initialisation (tfx or the random ablation)
 * @param head head kind (transform or the direct ablation)
 * @param validationFraction fraction of programs held out (0 = none)
 * @param patience early-stopping patience in epochs
 * @param seed seed of initialisation, split and data order
 * @param checkpointMinutes periodic checkpoint interval (≤ 0: only at epoch ends)
 * @param maxSteps longest program the step encoding covers
 * @param maxSeconds wall-time budget for this invocation (≤ 0: none); stops after a checkpoint
 * @param batchDelayMillis test hook: sleep after each batch (0 in normal use)
 * @param tuning input encoding, loss, head scale, gradient clipping and learning-rate warm-up
 * @param engine what computes the training steps and validation losses ({@link Engine}); the files written are
 *     the same for both, so a run may be resumed with the other engine
 * @param dtype precision of the parameters and arithmetic while training ({@link Precision}); model files and
 *     checkpoints hold float64 either way (a float32 value is exact in float64), and a run is resumed in the
 *     precision it started in
 *
 * <p>Sizes and budgets are bounded ({@link TrainingLimits}); a value outside its range is an
 * IllegalArgumentException naming the command-line option, the value and the range.
 */
public record TrainerConfig(Path corpus, TfxSource tfx, String family, int order, int epochs, Path out, boolean resume,
        int batchSize, int hidden, double learningRate, ModelConfig.Init init, ModelConfig.Head head,
        double validationFraction, int patience, long seed, double checkpointMinutes, int maxSteps, double maxSeconds,
        long batchDelayMillis, Tuning tuning, Engine engine, Precision dtype) {

    /**
     * What decides whether training from the fixed transform improves on it (results.md, "Learned interpreter").
     *
     * @param inputs what the LSTM reads: base mode and flags ({@link ModelConfig.InputSpec})
     * @param loss training loss
     * @param headScale {@code α} in {@code ΔT = α(W h + b)}
     * @param clipNorm global gradient-norm clip in [0, {@value TrainingLimits#MAX_CLIP}] (0: none)
     * @param warmupSteps linear learning-rate warm-up over this many Adam steps (0: none)
     * @param structureWidth width of the structure encoding (with the {@code structure} flag)
     * @param lossEps floor ε of the log loss ({@code log(ε + e)}, e the squared relative error of a program): programs
     *     whose relative error is far below √ε are invisible to it (default {@value InterpreterModel#LOG_EPS})
     */
    public record Tuning(ModelConfig.InputSpec inputs, ModelConfig.Loss loss, double headScale, double clipNorm,
            int warmupSteps, int structureWidth, double lossEps) {
        /** The configuration that learned (results.md). */
        public static final Tuning DEFAULT = new Tuning(ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3, 1, 0);
        /** The first helper's configuration, which did not (kept for the record and ablations). */
        public static final Tuning FIRST = new Tuning(ModelConfig.Inputs.ASINH, ModelConfig.Loss.REL, 1, 0, 0);

        /** A base mode without flags, the default structure width. */
        public Tuning(ModelConfig.Inputs inputs, ModelConfig.Loss loss, double headScale, double clipNorm,
                int warmupSteps) {
            this(inputs == null ? null : ModelConfig.InputSpec.of(inputs), loss, headScale, clipNorm, warmupSteps);
        }

        /** The default structure width. */
        public Tuning(ModelConfig.InputSpec inputs, ModelConfig.Loss loss, double headScale, double clipNorm,
                int warmupSteps) {
            this(inputs, loss, headScale, clipNorm, warmupSteps, ModelConfig.DEFAULT_STRUCTURE_WIDTH);
        }

        /** The default loss floor. */
        public Tuning(ModelConfig.InputSpec inputs, ModelConfig.Loss loss, double headScale, double clipNorm,
                int warmupSteps, int structureWidth) {
            this(inputs, loss, headScale, clipNorm, warmupSteps, structureWidth, InterpreterModel.LOG_EPS);
        }

        public Tuning {
            if (!(lossEps >= TrainingLimits.MIN_LOSS_EPS && lossEps <= TrainingLimits.MAX_LOSS_EPS)) {
                throw new IllegalArgumentException("--loss-eps must be within [1e-300, 1], got " + lossEps);
            }
            if (inputs == null || loss == null) {
                throw new IllegalArgumentException("inputs and loss are required");
            }
            if (!(headScale > 0) || Double.isInfinite(headScale)) {
                throw new IllegalArgumentException("--head-scale must be positive, got " + headScale);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("--warmup must be ≥ 0, got " + warmupSteps);
            }
            TrainingLimits.checkDouble("--clip", clipNorm, 0, false, TrainingLimits.MAX_CLIP);
            TrainingLimits.checkInt("--structure-width", structureWidth, 1, ModelConfig.MAX_STRUCTURE_WIDTH);
        }

        /** A copy with {@code inputs} changed. */
        public Tuning withInputs(ModelConfig.InputSpec value) {
            return new Tuning(value, loss, headScale, clipNorm, warmupSteps, structureWidth, lossEps);
        }

        /** A copy with {@code structureWidth} changed. */
        public Tuning withStructureWidth(int value) {
            return new Tuning(inputs, loss, headScale, clipNorm, warmupSteps, value, lossEps);
        }

        /** A copy with {@code lossEps} changed. */
        public Tuning withLossEps(double value) {
            return new Tuning(inputs, loss, headScale, clipNorm, warmupSteps, structureWidth, value);
        }
    }

    /** What computes training steps and validation losses. */
    public enum Engine {
        /** The SameDiff graph of {@link InterpreterModel}. */
        SAMEDIFF,
        /**
         * The layer engine ({@code org.vtm.interpreter.engine}): the same model with hand-derived backward
         * passes, the same losses to rounding and 1.5–3× faster (the default).
         */
        LAYERS
    }

    /**
     * Precision of training ({@code vtm train --dtype}): the layer engine's parameters, Adam state and arithmetic.
     * The SameDiff graph runs in float64 only.
     */
    public enum Precision {
        FLOAT64(DataType.DOUBLE),
        FLOAT32(DataType.FLOAT);

        private final DataType dataType;

        Precision(DataType dataType) {
            this.dataType = dataType;
        }

        /** The ND4J data type of this precision. */
        public DataType dataType() {
            return dataType;
        }

        /** The name as written in model.json and on the command line: {@code float64} or {@code float32}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * The precision named {@code label} ({@code float64} or {@code float32}, any case).
         *
         * @throws IllegalArgumentException listing the valid names
         */
        public static Precision byLabel(String label) {
            for (Precision p : values()) {
                if (p.label().equalsIgnoreCase(label)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown training dtype '" + label + "'; valid: float64, float32");
        }
    }

    public TrainerConfig {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype is required");
        }
        if (tuning == null) {
            throw new IllegalArgumentException("tuning is required");
        }
        if (engine == null) {
            throw new IllegalArgumentException("engine is required");
        }
        TrainingLimits.checkInt("--epochs", epochs, 1, TrainingLimits.MAX_EPOCHS);
        TrainingLimits.checkInt("--batch-size", batchSize, 1, TrainingLimits.MAX_BATCH);
        TrainingLimits.checkInt("--hidden", hidden, 1, TrainingLimits.MAX_HIDDEN);
        TrainingLimits.checkDouble("--lr", learningRate, 0, true, TrainingLimits.MAX_LEARNING_RATE);
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + validationFraction);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("--patience must be at least 1, got " + patience);
        }
        TrainingLimits.checkInt("--max-steps", maxSteps, 1, TrainingLimits.MAX_STEPS);
        TrainingLimits.checkDouble("--checkpoint-minutes", checkpointMinutes, 0, false, TrainingLimits.MAX_MINUTES);
        TrainingLimits.checkDouble("--max-minutes", maxSeconds / 60, 0, false, TrainingLimits.MAX_MINUTES);
        if (batchDelayMillis < 0) {
            throw new IllegalArgumentException("batch delay must be ≥ 0, got " + batchDelayMillis);
        }
    }

    /** Defaults for the optional settings. */
    public static TrainerConfig defaults(Path corpus, String family, int order, int epochs, Path out) {
        return new TrainerConfig(corpus, TfxSource.computed(), family, order, epochs, out, false, 32, 32, 1e-3,
                ModelConfig.Init.TFX, ModelConfig.Head.TRANSFORM, 0.1, 5, 1, 10, 8, 0, 0, Tuning.DEFAULT,
                Engine.LAYERS, Precision.FLOAT64);
    }

    // one with… method per field: each returns a copy with that field changed (and validated)

    /** A copy with {@code corpus} changed. */
    public TrainerConfig withCorpus(Path value) {
        return new TrainerConfig(value, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate, init,
                head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code tfx} changed. */
    public TrainerConfig withTfx(TfxSource value) {
        return new TrainerConfig(corpus, value, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, dtype);
    }

    /** A copy with {@code family} changed. */
    public TrainerConfig withFamily(String value) {
        return new TrainerConfig(corpus, tfx, value, order, epochs, out, resume, batchSize, hidden, learningRate, init,
                head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code order} changed. */
    public TrainerConfig withOrder(int value) {
        return new TrainerConfig(corpus, tfx, family, value, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, dtype);
    }

    /** A copy with {@code epochs} changed. */
    public TrainerConfig withEpochs(int value) {
        return new TrainerConfig(corpus, tfx, family, order, value, out, resume, batchSize, hidden, learningRate, init,
                head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code out} changed. */
    public TrainerConfig withOut(Path value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, value, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, dtype);
    }

    /** A copy with {@code resume} changed. */
    public TrainerConfig withResume(boolean value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, value, batchSize, hidden, learningRate, init,
                head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code batchSize} changed. */
    public TrainerConfig withBatchSize(int value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, value, hidden, learningRate, init,
                head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code hidden} changed. */
    public TrainerConfig withHidden(int value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, value, learningRate, init,
                head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code learningRate} changed. */
    public TrainerConfig withLearningRate(double value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, value, init, head,
                validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code init} changed. */
    public TrainerConfig withInit(ModelConfig.Init value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                value, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, dtype);
    }

    /** A copy with {@code head} changed. */
    public TrainerConfig withHead(ModelConfig.Head value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, value, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, dtype);
    }

    /** A copy with {@code validationFraction} changed. */
    public TrainerConfig withValidationFraction(double value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, value, patience, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis, tuning,
                engine, dtype);
    }

    /** A copy with {@code patience} changed. */
    public TrainerConfig withPatience(int value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, value, seed, checkpointMinutes, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code seed} changed. */
    public TrainerConfig withSeed(long value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, value, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, dtype);
    }

    /** A copy with {@code checkpointMinutes} changed. */
    public TrainerConfig withCheckpointMinutes(double value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, value, maxSteps, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code maxSteps} changed. */
    public TrainerConfig withMaxSteps(int value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, value, maxSeconds, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code maxSeconds} changed. */
    public TrainerConfig withMaxSeconds(double value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, value, batchDelayMillis,
                tuning, engine, dtype);
    }

    /** A copy with {@code batchDelayMillis} changed. */
    public TrainerConfig withBatchDelayMillis(long value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds, value,
                tuning, engine, dtype);
    }

    /** A copy with {@code tuning} changed. */
    public TrainerConfig withTuning(Tuning value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, value, engine, dtype);
    }

    /** A copy with {@code engine} changed. */
    public TrainerConfig withEngine(Engine value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, value, dtype);
    }

    /** A copy with {@code dtype} changed. */
    public TrainerConfig withDtype(Precision value) {
        return new TrainerConfig(corpus, tfx, family, order, epochs, out, resume, batchSize, hidden, learningRate,
                init, head, validationFraction, patience, seed, checkpointMinutes, maxSteps, maxSeconds,
                batchDelayMillis, tuning, engine, value);
    }
}
