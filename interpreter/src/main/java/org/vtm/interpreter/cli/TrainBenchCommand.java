package org.vtm.interpreter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.interpreter.BatchPacker;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.ModelInputs;
import org.vtm.interpreter.StepDataset;
import org.vtm.interpreter.TfxSource;
import org.vtm.interpreter.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.engine.Adam;
import org.vtm.interpreter.engine.Network;
import org.vtm.interpreter.engine.TorchBridge;
import org.vtm.interpreter.engine.TrainingStep;
import org.vtm.interpreter.train.AdamState;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtm bench train}: training throughput of the learned interpreter for a fixed configuration
 * (d=2, n=4, chebyshev, 64 sample points, LSTM(32), 8 padded steps, default tuning): whole training steps
 * (forward, backward, clipping, Adam) per second × batch size, on the SameDiff graph the Trainer uses today
 * ({@code --engine samediff}) or on the layer engine ({@code --engine layers}). With {@code --versus-torch} the
 * same model, parameters, batch, dtype, loss, clipping and Adam run in PyTorch ({@code torch_interpreter.py},
 * Debian's python3-torch) in alternating rounds, and the last line compares the two.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput of the learned interpreter (fixed configuration); prints "
                + "'RESULT train samples_per_s=<x>', or with --versus-torch "
                + "'RESULT train vtm_samples_per_s=<x> torch_samples_per_s=<y> ratio=<x/y>'.")
public final class TrainBenchCommand implements Callable<Integer> {
    /** Which implementation of the training step VTM runs. */
    public enum Engine { samediff, layers }

    /** Floating-point precision of parameters and arithmetic. */
    public enum Precision { float64, float32 }

    @Option(names = "--batch", defaultValue = "32",
            description = "programs per batch, 1.." + TrainingLimits.MAX_BATCH + " (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--iterations", defaultValue = "30", description = "timed steps per round (default: ${DEFAULT-VALUE})")
    int iterations;
    @Option(names = "--warmup", defaultValue = "10",
            description = "untimed steps before each VTM round, after the initial warm-up (at least 300 steps, then blocks "
                    + "of 20 until a block is no faster than the best so far, at most 1200 steps: ND4J's per-op Java path "
                    + "needs a few hundred steps of JIT) (PyTorch does 3) (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--engine", defaultValue = "layers",
            description = "samediff (the SameDiff graph the Trainer uses today) or layers (the layer engine) "
                    + "(default: ${DEFAULT-VALUE})")
    Engine engine;
    @Option(names = "--dtype", defaultValue = "float64",
            description = "float64 or float32, both sides (samediff: float64 only) (default: ${DEFAULT-VALUE})")
    Precision dtype;
    @Option(names = "--versus-torch",
            description = "also time the same training step in PyTorch (Debian's python3-torch), alternating rounds")
    boolean versusTorch;
    @Option(names = "--rounds", defaultValue = "2",
            description = "VTM/PyTorch rounds with --versus-torch (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--profile", paramLabel = "FILE",
            description = "samediff: also write a SameDiff op-level trace (ProfilingListener, Chrome trace JSON). "
                    + "layers: print the time per layer instead (FILE is not written).")
    java.io.File profile;

    private static final ModelConfig CONFIG = new ModelConfig("chebyshev", 2, 4, 8, 32, ModelConfig.Head.TRANSFORM,
            ModelConfig.Init.TFX, ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL, 1e-3);

    @Override
    public Integer call() throws java.io.IOException {
        TrainingLimits.checkInt("--batch", batch, 1, TrainingLimits.MAX_BATCH);
        if (batch < 1 || iterations < 1 || warmup < 0 || rounds < 1) {
            throw new UsageException("--batch, --iterations and --rounds must be >= 1 and --warmup >= 0, got " + batch
                    + ", " + iterations + ", " + rounds + ", " + warmup);
        }
        if (engine == Engine.samediff && dtype == Precision.float32) {
            throw new UsageException("--engine samediff runs in float64 only; use --engine layers for --dtype float32");
        }
        if (versusTorch) {
            java.util.Optional<String> missing = TorchBridge.unavailable();
            if (missing.isPresent()) {
                throw new UsageException("--versus-torch: " + missing.get());
            }
        }
        int order = CONFIG.order();
        CorpusGenerator g = new CorpusGenerator(GeneratorConfig.defaults(2, order, "chebyshev", 1, 4), 1);
        int s = g.layout().samples();
        List<StepDataset.Sample> samples = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            samples.add(StepDataset.Sample.of(g.record(i), s, order));
        }
        double[] tfx = TfxSource.computed().tfx("chebyshev", 2, order);
        double[] phi = FunctionSet.of(FunctionFamily.byName("chebyshev"), 2, order).designMatrix(g.layout().samplePoints());
        DataType dt = dtype == Precision.float32 ? DataType.FLOAT : DataType.DOUBLE;
        Runner runner = engine == Engine.samediff
                ? new SameDiffRunner(InterpreterModel.newGraph(CONFIG, tfx, g.layout().samplePoints(), 1))
                : new LayerRunner(Network.create(CONFIG, tfx, phi, null, 1, dt));
        Map<String, INDArray> in = ModelInputs.training(CONFIG, samples, 8, s);
        System.out.printf(Locale.ROOT, "engine %s, %s, batch %d, %d steps per round%n", engine, dtype, batch, iterations);
        packing(samples, s);

        java.nio.file.Path exchange = null;
        if (versusTorch) {
            exchange = java.nio.file.Files.createTempDirectory("vtm-bench-torch");
            TorchBridge.write(exchange, CONFIG, runner.state(), phi, s, in, new TorchBridge.Training(1e-3, 1, 0, 0), dt);
        }
        double best = Double.MAX_VALUE;
        int blocks = 0;
        long w0 = System.nanoTime();
        while (blocks < 60) {
            long b0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                runner.step(in);
            }
            double ms = (System.nanoTime() - b0) / 1e6 / 20;
            blocks++;
            if (ms >= 0.98 * best && blocks >= 15) {
                break;
            }
            best = Math.min(best, ms);
        }
        System.out.printf(Locale.ROOT, "initial warm-up: %d steps in %.1f s (best block %.2f ms/step)%n", blocks * 20,
                (System.nanoTime() - w0) / 1e9, best);
        double vtmSum = 0;
        double torchSum = 0;
        try {
            int n = versusTorch ? rounds : 1;
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < warmup; i++) {
                    runner.step(in);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    runner.step(in);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rate = iterations * (double) batch / seconds;
                vtmSum += rate;
                System.out.printf(Locale.ROOT, "round %d VTM (%s): %.2f ms/step, %.1f samples/s%n", r + 1, engine,
                        1e3 * seconds / iterations, rate);
                if (versusTorch) {
                    double torchRate = TorchBridge.bench(exchange, iterations, 3, 600);
                    torchSum += torchRate;
                    System.out.printf(Locale.ROOT, "round %d PyTorch: %.2f ms/step, %.1f samples/s%n", r + 1,
                            1e3 * batch / torchRate, torchRate);
                }
            }
            if (profile != null) {
                runner.profile(in, iterations, profile);
            }
            if (versusTorch) {
                double vtm = vtmSum / n;
                double torch = torchSum / n;
                System.out.printf(Locale.ROOT, "RESULT train vtm_samples_per_s=%.1f torch_samples_per_s=%.1f ratio=%.3f%n",
                        vtm, torch, vtm / torch);
            } else {
                System.out.printf(Locale.ROOT, "RESULT train samples_per_s=%.1f%n", vtmSum);
            }
        } finally {
            if (exchange != null) {
                org.vtm.interpreter.engine.TorchExchange.delete(exchange);
            }
        }
        return 0;
    }

    /**
     * Prints the time to pack one batch (not part of the step times below) the way the Trainer did before
     * ({@code ModelInputs.training}: features per batch, fresh arrays) and does now ({@link BatchPacker}: features
     * once, kept arrays), each after {@value #PACK_WARMUP} untimed packs, in alternating blocks.
     */
    private static void packing(List<StepDataset.Sample> samples, int sampleCount) {
        long m0 = System.nanoTime();
        BatchPacker packer = new BatchPacker(CONFIG, samples, 8, sampleCount);
        double makeMs = (System.nanoTime() - m0) / 1e6;
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 0; i < PACK_WARMUP; i++) {
            ModelInputs.training(CONFIG, samples, 8, sampleCount);
            packer.training(order, 0, order.length);
        }
        long oldNanos = 0;
        long newNanos = 0;
        for (int block = 0; block < 4; block++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                ModelInputs.training(CONFIG, samples, 8, sampleCount);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                packer.training(order, 0, order.length);
            }
            long t2 = System.nanoTime();
            oldNanos += t1 - t0;
            newNanos += t2 - t1;
        }
        System.out.printf(Locale.ROOT, "packing a batch (not timed below): ModelInputs %.3f ms, BatchPacker %.3f ms "
                + "(after %d warm-up packs each; making the packer once: %.2f ms)%n", oldNanos / 1e6 / 200,
                newNanos / 1e6 / 200, PACK_WARMUP, makeMs);
    }

    private static final int PACK_WARMUP = 300;

    /** One implementation of the training step. */
    private interface Runner {
        void step(Map<String, INDArray> in);

        Map<String, INDArray> state();

        void profile(Map<String, INDArray> in, int iterations, java.io.File file);
    }

    private static final class SameDiffRunner implements Runner {
        private final SameDiff sd;
        private final AdamState adam = new AdamState(1e-3);

        SameDiffRunner(SameDiff sd) {
            this.sd = sd;
        }

        @Override
        public void step(Map<String, INDArray> in) {
            Trainer.fit(sd, adam, in, 1, 1);
        }

        @Override
        public Map<String, INDArray> state() {
            return InterpreterModel.state(sd);
        }

        @Override
        public void profile(Map<String, INDArray> in, int iterations, java.io.File file) {
            List<String> names = InterpreterModel.parameterNames(sd);
            sd.addListeners(org.nd4j.autodiff.listeners.profiler.ProfilingListener.builder(file).build());
            long g0 = System.nanoTime();
            Map<String, INDArray> grads = null;
            for (int i = 0; i < iterations; i++) {
                grads = sd.calculateGradientsAndOutputs(in, List.of(InterpreterModel.LOSS), names).getGradients();
            }
            double gradMs = (System.nanoTime() - g0) / 1e6 / iterations;
            long a0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                adam.apply(InterpreterModel.parameters(sd), grads, 0);
            }
            System.out.printf(Locale.ROOT, "profile: forward+backward %.2f ms, Adam %.2f ms per step; trace in %s%n",
                    gradMs, (System.nanoTime() - a0) / 1e6 / iterations, file);
        }
    }

    private static final class LayerRunner implements Runner {
        private final Network net;
        private final Adam adam;

        LayerRunner(Network net) {
            this.net = net;
            this.adam = new Adam(net.parameterSet(), 1e-3);
        }

        @Override
        public void step(Map<String, INDArray> in) {
            TrainingStep.fit(net, adam, in, 1, 1);
        }

        @Override
        public Map<String, INDArray> state() {
            return net.state();
        }

        @Override
        public void profile(Map<String, INDArray> in, int iterations, java.io.File file) {
            long[] t = new long[3];
            for (int i = 0; i < iterations; i++) {
                long a = System.nanoTime();
                net.forwardBackward(in);
                long b = System.nanoTime();
                TrainingStep.clip(net.parameterSet(), 1);
                long c = System.nanoTime();
                adam.apply(1);
                long d = System.nanoTime();
                t[0] += b - a;
                t[1] += c - b;
                t[2] += d - c;
            }
            System.out.printf(Locale.ROOT, "profile (ms/step): forward+backward %.3f, clipping %.3f, Adam %.3f%n",
                    t[0] / 1e6 / iterations, t[1] / 1e6 / iterations, t[2] / 1e6 / iterations);
            System.out.println("per layer (ms/step): " + net.profile(in, iterations));
        }
    }
}
