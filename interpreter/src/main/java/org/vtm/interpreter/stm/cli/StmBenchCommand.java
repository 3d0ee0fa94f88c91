package org.vtm.interpreter.stm.cli;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.CharUpdater;
import org.vtm.interpreter.stm.StmConfig;
import org.vtm.interpreter.train.TrainingLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtm bench stm}: training throughput (characters per second of full updates: forward and backward of one
 * truncated-BPTT segment, gradient clipping and Adam, through {@link CharUpdater}) of a 3-layer STM and of a plain
 * LSTM with about the same parameter count, on the chosen engine.
 */
@Command(name = "stm", mixinStandardHelpOptions = true,
        description = "Training throughput (characters per second of full updates: forward, backward, gradient "
                + "clipping and Adam) of the STM stack vs a plain LSTM of comparable size; prints "
                + "'RESULT stm chars_per_s=<x> lstm_chars_per_s=<y>'.")
public final class StmBenchCommand implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "3", description = "1.." + TrainingLimits.MAX_LAYERS) int layers;
    @Option(names = "--memory", defaultValue = "20x20") String memory;
    @Option(names = "--word", defaultValue = "10x10") String word;
    @Option(names = "--batch", defaultValue = "16", description = "1.." + TrainingLimits.MAX_BATCH) int batch;
    @Option(names = "--segment", defaultValue = "10", description = "1.." + TrainingLimits.MAX_STEPS) int segment;
    @Option(names = "--engine", defaultValue = "layers",
            description = "layers (the layer engine) or samediff (the unrolled SameDiff graph) (default ${DEFAULT-VALUE})")
    String engine;
    @Option(names = "--iterations", defaultValue = "5", description = "timed iterations (after 2 warm-up ones)")
    int iterations;

    @Override
    public Integer call() {
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
        }
        TrainingLimits.checkInt("--layers", layers, 1, TrainingLimits.MAX_LAYERS);
        TrainingLimits.checkInt("--batch", batch, 1, TrainingLimits.MAX_BATCH);
        TrainingLimits.checkInt("--segment", segment, 1, TrainingLimits.MAX_STEPS);
        CharUpdater.Engine gradients = StmTrainCommand.parse(CharUpdater.Engine.class, engine, "--engine");
        int vocab = 81;
        int[] mem = StmConfig.parseShape(memory, "--memory");
        int[] wd = StmConfig.parseShape(word, "--word");
        StmConfig config = StmConfig.defaults(vocab, layers).withMemory(mem[0], mem[1]).withWord(wd[0], wd[1]);
        CharNetwork stm = CharNetwork.stm(config, DataType.FLOAT);
        CharNetwork lstm = CharNetwork.lstm(vocab, layers,
                CharNetwork.lstmHiddenForParameters(vocab, layers, stm.parameterCount()), 1L, DataType.FLOAT);
        double a = rate(stm, gradients);
        double b = rate(lstm, gradients);
        System.out.printf(Locale.ROOT, "stm: %d parameters, %.1f chars/s; lstm (hidden %d): %d parameters, %.1f chars/s%n",
                stm.parameterCount(), a, lstm.lstmHidden(), lstm.parameterCount(), b);
        System.out.printf(Locale.ROOT, "RESULT stm chars_per_s=%.1f lstm_chars_per_s=%.1f%n", a, b);
        return 0;
    }

    /** Characters per second of full updates (gradients, clipping, Adam) of {@code net} on {@code engine}. */
    private double rate(CharNetwork net, CharUpdater.Engine engine) {
        CharUpdater updater = new CharUpdater(net, batch, segment, 0.002, 5.0, engine);
        SplittableRandom r = new SplittableRandom(1);
        int[] data = new int[batch * (segment + 2)];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(net.vocab());
        }
        INDArray[] xy = CharCorpus.segment(data, net.vocab(), batch, segment, 0, net.dataType());
        Map<String, INDArray> state = net.initialState(batch, r);
        for (int i = 0; i < 2; i++) {
            updater.update(xy[0], xy[1], state);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            updater.update(xy[0], xy[1], state);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return iterations * (double) batch * segment / s;
    }
}
