package org.vtm.interpreter.stm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.StmConfig;
import org.vtm.interpreter.train.TrainingLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtm bench stm}: training throughput (forward + backward of one truncated-BPTT segment,
 * characters per second) of a 3-layer STM and of a plain LSTM with about the same parameter count.
 */
@Command(name = "stm", mixinStandardHelpOptions = true,
        description = "Training throughput of the STM stack vs a plain LSTM of comparable size; prints "
                + "'RESULT stm chars_per_s=<x> lstm_chars_per_s=<y>'.")
public final class StmBenchCommand implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "3", description = "1.." + TrainingLimits.MAX_LAYERS) int layers;
    @Option(names = "--memory", defaultValue = "20x20") String memory;
    @Option(names = "--word", defaultValue = "10x10") String word;
    @Option(names = "--batch", defaultValue = "16", description = "1.." + TrainingLimits.MAX_BATCH) int batch;
    @Option(names = "--segment", defaultValue = "10", description = "1.." + TrainingLimits.MAX_STEPS) int segment;
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
        int vocab = 81;
        int[] mem = StmConfig.parseShape(memory, "--memory");
        int[] wd = StmConfig.parseShape(word, "--word");
        StmConfig config = StmConfig.defaults(vocab, layers).withMemory(mem[0], mem[1]).withWord(wd[0], wd[1]);
        CharNetwork stm = CharNetwork.stm(config, DataType.FLOAT);
        CharNetwork lstm = CharNetwork.lstm(vocab, layers,
                CharNetwork.lstmHiddenForParameters(vocab, layers, stm.parameterCount()), 1L, DataType.FLOAT);
        double a = rate(stm);
        double b = rate(lstm);
        System.out.printf(Locale.ROOT, "stm: %d parameters, %.1f chars/s; lstm (hidden %d): %d parameters, %.1f chars/s%n",
                stm.parameterCount(), a, lstm.lstmHidden(), lstm.parameterCount(), b);
        System.out.printf(Locale.ROOT, "RESULT stm chars_per_s=%.1f lstm_chars_per_s=%.1f%n", a, b);
        return 0;
    }

    private double rate(CharNetwork net) {
        CharNetwork.Segment seg = net.segment(batch, segment);
        SplittableRandom r = new SplittableRandom(1);
        int[] data = new int[batch * (segment + 2)];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(net.vocab());
        }
        INDArray[] xy = CharCorpus.segment(data, net.vocab(), batch, segment, 0, DataType.FLOAT);
        Map<String, INDArray> feed = seg.feed(xy[0], xy[1], net.initialState(batch, r));
        List<String> names = new ArrayList<>(net.params().keySet());
        List<String> outs = new ArrayList<>(seg.stateOutputs());
        outs.add("loss");
        for (int i = 0; i < 2; i++) {
            seg.sameDiff().calculateGradientsAndOutputs(feed, outs, names);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            seg.sameDiff().calculateGradientsAndOutputs(feed, outs, names);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return iterations * (double) batch * segment / s;
    }
}
