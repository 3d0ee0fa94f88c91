package org.vtm.interpreter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.ModelInputs;
import org.vtm.interpreter.StepDataset;
import org.vtm.interpreter.StepInputs;
import org.vtm.interpreter.TfxSource;
import org.vtm.interpreter.Trainer;
import org.vtm.interpreter.train.AdamState;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.transforms.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtm bench train}: training throughput of the learned interpreter for a fixed configuration
 * (d=2, n=4, chebyshev, 64 sample points, LSTM(32), 8 padded steps, default tuning, double precision):
 * whole training steps (packing the batch, forward, backward, clipping, Adam) per second × batch size.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput of the learned interpreter (fixed configuration); prints "
                + "'RESULT train samples_per_s=<x>'.")
public final class TrainBenchCommand implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "32",
            description = "programs per batch, 1.." + TrainingLimits.MAX_BATCH + " (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--iterations", defaultValue = "30", description = "timed steps after 3 warm-up steps (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Also write a SameDiff op-level trace (ProfilingListener, Chrome trace JSON) of the gradient steps.")
    java.io.File profile;

    @Override
    public Integer call() {
        TrainingLimits.checkInt("--batch", batch, 1, TrainingLimits.MAX_BATCH);
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
        }
        int order = 4;
        ModelConfig config = new ModelConfig("chebyshev", 2, order, 8, 32, ModelConfig.Head.TRANSFORM, ModelConfig.Init.TFX,
                ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3);
        CorpusGenerator g = new CorpusGenerator(GeneratorConfig.defaults(2, order, "chebyshev", 1, 4), 1);
        int s = g.layout().samples();
        List<StepDataset.Sample> samples = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            samples.add(sample(g.record(i), s, order));
        }
        double[] tfx = TfxSource.computed().tfx("chebyshev", 2, order);
        SameDiff sd = InterpreterModel.newGraph(config, tfx, g.layout().samplePoints(), 1);
        AdamState adam = new AdamState(1e-3);
        for (int i = 0; i < 3; i++) {
            Trainer.fit(sd, adam, ModelInputs.training(config, samples, 8, s), 1, 1);
        }
        long pack = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long p0 = System.nanoTime();
            Map<String, INDArray> in = ModelInputs.training(config, samples, 8, s);
            pack += System.nanoTime() - p0;
            Trainer.fit(sd, adam, in, 1, 1);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // profile of one step: forward+backward alone, and the Adam update alone
        Map<String, INDArray> in = ModelInputs.training(config, samples, 8, s);
        List<String> names = org.vtm.interpreter.InterpreterModel.parameterNames(sd);
        if (profile != null) {
            sd.addListeners(org.nd4j.autodiff.listeners.profiler.ProfilingListener.builder(profile).build());
        }
        long g0 = System.nanoTime();
        Map<String, INDArray> grads = null;
        for (int i = 0; i < iterations; i++) {
            grads = sd.calculateGradientsAndOutputs(in, List.of(org.vtm.interpreter.InterpreterModel.LOSS), names)
                    .getGradients();
        }
        double gradMs = (System.nanoTime() - g0) / 1e6 / iterations;
        long a0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            adam.apply(org.vtm.interpreter.InterpreterModel.parameters(sd), grads, 0);
        }
        double adamMs = (System.nanoTime() - a0) / 1e6 / iterations;
        double rate = iterations * (double) batch / seconds;
        System.out.printf(Locale.ROOT, "%d steps of batch %d in %.2f s: %.1f ms/step (packing %.2f ms, forward+backward "
                + "%.1f ms, Adam %.2f ms)%n", iterations, batch, seconds, 1e3 * seconds / iterations, pack / 1e6 / iterations,
                gradMs, adamMs);
        System.out.printf(Locale.ROOT, "RESULT train samples_per_s=%.1f%n", rate);
        return 0;
    }

    private static StepDataset.Sample sample(CorpusRecord r, int sampleCount, int order) {
        int k = r.steps();
        int d = r.dim();
        int dm = r.prefixExpansion()[0].length;
        double[] points = new double[k * d];
        double[] prefix = new double[k * dm];
        double[] values = new double[k * d * sampleCount];
        for (int t = 0; t < k; t++) {
            System.arraycopy(r.stepPoints()[t], 0, points, t * d, d);
            System.arraycopy(r.prefixExpansion()[t], 0, prefix, t * dm, dm);
            for (int q = 0; q < sampleCount; q++) {
                for (int o = 0; o < d; o++) {
                    values[(t * d + o) * sampleCount + q] = r.sampleValues()[t][q * d + o];
                }
            }
        }
        return new StepDataset.Sample(r.index(), k, r.radius(), points, prefix, values, new double[k * 6],
                StepInputs.nextOrderTerms(Program.parse(r.program()), r.point(), r.radius(), order));
    }
}
