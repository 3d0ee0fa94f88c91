package org.vtm.interpreter.train;

/**
 * One finished epoch.
 *
 * @param epoch the epoch number (0-based)
 * @param trainLoss mean training loss over the epoch's batches
 * @param validationLoss validation loss after the epoch (NaN when there is no validation set)
 * @param samplesPerSecond training throughput of the epoch
 * @param seconds wall time of the epoch (training and validation)
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double samplesPerSecond, double seconds) {
}
