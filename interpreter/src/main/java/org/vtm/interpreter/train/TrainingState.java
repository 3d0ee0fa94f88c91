package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a training run is, apart from the model: enough to continue exactly.
 *
 * @param epoch the epoch in progress (equal to {@code history.size()} between epochs)
 * @param batchCursor the number of batches of {@code epoch} already trained (0 at an epoch start);
 *     the epoch's batch order comes from {@link EpochShuffle} with {@code seed}, so the cursor is
 *     all the shuffle state there is
 * @param seed the run's seed
 * @param randomDraws a counter for any further randomness the trainer derives from the seed
 *     (e.g. dropout streams); 0 if unused
 * @param bestValidationLoss the best validation loss so far ({@code +Inf} if none)
 * @param badEpochs epochs since the best validation loss (early-stopping counter)
 * @param epochTrainLossSum the sum of batch losses of the partial epoch
 * @param epochSamples samples trained in the partial epoch
 * @param epochSeconds seconds spent in the partial epoch before the checkpoint
 * @param history the finished epochs
 */
public record TrainingState(int epoch, int batchCursor, long seed, long randomDraws, double bestValidationLoss,
        int badEpochs, double epochTrainLossSum, long epochSamples, double epochSeconds, TrainingHistory history) {

    public static final String FORMAT = "vtm.training-state/1";

    public TrainingState {
        if (epoch < 0 || batchCursor < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " and batch cursor " + batchCursor + " must be non-negative");
        }
        history = history.copy();
    }

    /** A fresh run's state. */
    public static TrainingState start(long seed) {
        return new TrainingState(0, 0, seed, 0, Double.POSITIVE_INFINITY, 0, 0, 0, 0, new TrainingHistory());
    }

    public JsonNode toJsonNode() {
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("epoch", epoch);
        n.put("batch_cursor", batchCursor);
        n.put("seed", seed);
        n.put("random_draws", randomDraws);
        n.put("best_validation_loss", bestValidationLoss);
        n.put("bad_epochs", badEpochs);
        n.put("epoch_train_loss_sum", epochTrainLossSum);
        n.put("epoch_samples", epochSamples);
        n.put("epoch_seconds", epochSeconds);
        n.set("history", history.toJsonNode());
        return n;
    }

    public static TrainingState fromJsonNode(JsonNode n, Path source) throws IOException {
        String format = n.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(source + ": training state format is '" + format + "', this VTM reads " + FORMAT);
        }
        return new TrainingState(n.path("epoch").asInt(), n.path("batch_cursor").asInt(), n.path("seed").asLong(),
                n.path("random_draws").asLong(), n.path("best_validation_loss").asDouble(Double.POSITIVE_INFINITY),
                n.path("bad_epochs").asInt(), n.path("epoch_train_loss_sum").asDouble(),
                n.path("epoch_samples").asLong(), n.path("epoch_seconds").asDouble(),
                TrainingHistory.fromJsonNode(n.path("history"), source));
    }
}
