package org.vtm.interpreter.stm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.engine.TorchExchange;
import org.vtm.interpreter.stm.CharCorpus;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.CharUpdate;
import org.vtm.interpreter.stm.CharUpdater;
import org.vtm.interpreter.stm.StmConfig;
import org.vtm.interpreter.stm.StmTorchBridge;
import org.vtm.interpreter.train.TrainingLimits;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vtm bench stm}: training throughput in characters per second of full updates (forward and backward of one
 * truncated-BPTT segment, global-norm clipping, Adam: {@link CharUpdate}) of a stack of STM layers, and of a plain
 * LSTM with about the same parameter count, in alternating rounds. With {@code --versus-torch} the one model chosen by
 * {@code --model} runs instead against its PyTorch port ({@code torch_stm.py}, Debian's python3-torch) on the same
 * parameters, segment, carried state, dtype, loss, clipping and Adam, in alternating rounds.
 */
@Command(name = "stm", mixinStandardHelpOptions = true,
        description = {"Training throughput (chars/s of full updates: forward, backward, clipping, Adam on one "
                + "segment) of the STM stack vs a plain LSTM of comparable size; prints "
                + "'RESULT stm chars_per_s=<x> lstm_chars_per_s=<y>'.",
                "With --versus-torch: the same model in VTM and in PyTorch (Debian's python3-torch), alternating "
                        + "rounds; prints 'RESULT stm vtm_chars_per_s=<x> torch_chars_per_s=<y> ratio=<x/y>' "
                        + "('RESULT lstm …' with --model lstm)."})
public final class StmBenchCommand implements Callable<Integer> {
    /** Floating-point precision of parameters and arithmetic, both sides. */
    public enum Precision { float64, float32 }

    /** The model compared with PyTorch. */
    public enum Model { stm, lstm }

    /** The STM write-back. */
    public enum Write { bilinear, nearest }

    /** Adam's learning rate and the clip norm of {@code vtm stm train}'s defaults. */
    static final CharUpdate.Settings SETTINGS = new CharUpdate.Settings(0.002, 5.0);
    static final int VOCAB = 81;
    static final int MAX_ROUNDS = 100;

    @Option(names = "--layers", defaultValue = "3", description = "1.." + TrainingLimits.MAX_LAYERS
            + " (default: ${DEFAULT-VALUE})") int layers;
    @Option(names = "--memory", defaultValue = "20x20", description = "memory ROWSxCOLS (default: ${DEFAULT-VALUE})")
    String memory;
    @Option(names = "--word", defaultValue = "10x10", description = "word ROWSxCOLS (default: ${DEFAULT-VALUE})")
    String word;
    @Option(names = "--write", defaultValue = "bilinear",
            description = "STM write-back: bilinear or nearest (default: ${DEFAULT-VALUE})") Write write;
    @Option(names = "--batch", defaultValue = "16", description = "parallel streams, 1.." + TrainingLimits.MAX_BATCH
            + " (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--segment", defaultValue = "10", description = "characters per stream and update, 1.."
            + TrainingLimits.MAX_STEPS + " (default: ${DEFAULT-VALUE})") int segment;
    @Option(names = "--iterations", defaultValue = "5",
            description = "timed updates per round and side (default: ${DEFAULT-VALUE})") int iterations;
    @Option(names = "--warmup", defaultValue = "2",
            description = "untimed updates before each round, each side (default: ${DEFAULT-VALUE})") int warmup;
    @Option(names = "--rounds", defaultValue = "3",
            description = "rounds per side, alternating (STM/LSTM, or VTM/PyTorch with --versus-torch: at least 2), "
                    + "1.." + MAX_ROUNDS + "; the rates are the means over the rounds (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--dtype", defaultValue = "float32",
            description = "float64 or float32, parameters and arithmetic (both sides) (default: ${DEFAULT-VALUE})")
    Precision dtype;
    @Option(names = "--engine", defaultValue = "layers", description = "VTM's engine: layers (the layer engine) or "
            + "samediff (the unrolled SameDiff graph) (default: ${DEFAULT-VALUE})")
    String engine;
    @Option(names = "--versus-torch",
            description = "time the --model in VTM and in PyTorch (Debian's python3-torch; one thread) instead of STM "
                    + "vs LSTM; without PyTorch: one line saying how to install it, exit code 2")
    boolean versusTorch;
    @Option(names = "--model", description = "with --versus-torch: stm or lstm (the LSTM of about the STM's "
            + "parameter count) (default: stm)") Model model;

    @Override
    public Integer call() throws IOException {
        TrainingLimits.checkInt("--layers", layers, 1, TrainingLimits.MAX_LAYERS);
        TrainingLimits.checkInt("--batch", batch, 1, TrainingLimits.MAX_BATCH);
        TrainingLimits.checkInt("--segment", segment, 1, TrainingLimits.MAX_STEPS);
        if (iterations < 1 || warmup < 0) {
            throw new UsageException("--iterations must be >= 1 and --warmup >= 0, got " + iterations + " and " + warmup);
        }
        int minRounds = versusTorch ? 2 : 1;
        if (rounds < minRounds || rounds > MAX_ROUNDS) {
            throw new UsageException("--rounds must be " + minRounds + ".." + MAX_ROUNDS
                    + (versusTorch ? " with --versus-torch (VTM and PyTorch alternate at least twice)" : "") + ", got "
                    + rounds);
        }
        CharUpdater.Engine.parse(engine, "--engine"); // a bad name is refused before anything runs
        if (model != null && !versusTorch) {
            throw new UsageException("--model chooses the model compared with PyTorch; it needs --versus-torch "
                    + "(without it both STM and LSTM are timed)");
        }
        if (versusTorch) {
            Optional<String> missing = TorchExchange.unavailable();
            if (missing.isPresent()) {
                throw new UsageException("--versus-torch: " + missing.get());
            }
        }
        int[] mem = StmConfig.parseShape(memory, "--memory");
        int[] wd = StmConfig.parseShape(word, "--word");
        DataType dt = dtype == Precision.float32 ? DataType.FLOAT : DataType.DOUBLE;
        StmConfig d = StmConfig.defaults(VOCAB, layers); // one construction: memory and word are checked together
        StmConfig config = new StmConfig(VOCAB, layers, d.controllerHidden(), mem[0], mem[1], wd[0], wd[1],
                d.thetaForm(), d.thetaActivation(),
                write == Write.nearest ? StmConfig.WriteMode.NEAREST : StmConfig.WriteMode.BILINEAR, d.thetaScale(),
                d.thetaSpread(), d.thetaInit(), d.memoryInit(), d.memoryInitScale(), d.seed());
        CharNetwork stm = CharNetwork.stm(config, dt);
        CharNetwork lstm = CharNetwork.lstm(VOCAB, layers,
                CharNetwork.lstmHiddenForParameters(VOCAB, layers, stm.parameterCount()), 1L, dt);
        System.out.printf(Locale.ROOT, "%s, batch %d, segment %d, %d timed updates per round after %d untimed, "
                + "%d rounds; stm: %d parameters (memory %dx%d, word %dx%d, %s write); lstm (hidden %d): %d parameters%n",
                dtype, batch, segment, iterations, warmup, rounds, stm.parameterCount(), mem[0], mem[1], wd[0], wd[1],
                write, lstm.lstmHidden(), lstm.parameterCount());
        return versusTorch ? versusTorch(model == Model.lstm ? lstm : stm) : stmVersusLstm(stm, lstm);
    }

    private int stmVersusLstm(CharNetwork stm, CharNetwork lstm) {
        Timed a = new Timed(stm, updates());
        Timed b = new Timed(lstm, updates());
        double sumA = 0;
        double sumB = 0;
        for (int r = 0; r < rounds; r++) {
            double ra = a.round();
            double rb = b.round();
            sumA += ra;
            sumB += rb;
            System.out.printf(Locale.ROOT, "round %d: stm %.1f chars/s, lstm %.1f chars/s%n", r + 1, ra, rb);
        }
        System.out.printf(Locale.ROOT, "RESULT stm chars_per_s=%.1f lstm_chars_per_s=%.1f%n", sumA / rounds,
                sumB / rounds);
        return 0;
    }

    private int versusTorch(CharNetwork net) throws IOException {
        String name = net.kind().name().toLowerCase(Locale.ROOT);
        Path exchange = Files.createTempDirectory("vtm-bench-stm-torch");
        try {
            Timed vtm = new Timed(net, updates()); // no update yet: PyTorch starts from the same values
            StmTorchBridge.write(exchange, net, vtm.x, vtm.y, vtm.start, SETTINGS, 0, net.dataType());
            double vtmSum = 0;
            double torchSum = 0;
            for (int r = 0; r < rounds; r++) {
                double v = vtm.round();
                vtmSum += v;
                System.out.printf(Locale.ROOT, "round %d VTM: %.1f ms/update, %.1f chars/s%n", r + 1,
                        1e3 * batch * segment / v, v);
                double t = StmTorchBridge.bench(exchange, iterations, warmup, 3600);
                torchSum += t;
                System.out.printf(Locale.ROOT, "round %d PyTorch: %.1f ms/update, %.1f chars/s%n", r + 1,
                        1e3 * batch * segment / t, t);
            }
            double v = vtmSum / rounds;
            double t = torchSum / rounds;
            System.out.printf(Locale.ROOT, "RESULT %s vtm_chars_per_s=%.1f torch_chars_per_s=%.1f ratio=%.3f%n", name, v, t,
                    v / t);
            return 0;
        } finally {
            TorchExchange.delete(exchange);
        }
    }

    /** The implementation of VTM's update that is timed. */
    private CharUpdate.Factory updates() {
        return CharUpdater.factory(CharUpdater.Engine.parse(engine, "--engine"));
    }

    /** One model's update on a fixed random segment; the state carries from update to update. */
    private final class Timed {
        final INDArray x;
        final INDArray y;
        final Map<String, INDArray> start;
        private final CharUpdate update;
        private Map<String, INDArray> state;

        Timed(CharNetwork net, CharUpdate.Factory factory) {
            SplittableRandom r = new SplittableRandom(1);
            int[] data = new int[batch * (segment + 2)];
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextInt(net.vocab());
            }
            INDArray[] xy = CharCorpus.segment(data, net.vocab(), batch, segment, 0, net.dataType());
            x = xy[0];
            y = xy[1];
            start = net.initialState(batch, r);
            state = start;
            update = factory.create(net, batch, segment, SETTINGS);
        }

        /** Warm-up updates, then the timed ones; characters per second. */
        double round() {
            for (int i = 0; i < warmup; i++) {
                state = update.apply(x, y, state).state();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                state = update.apply(x, y, state).state();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return iterations * (double) batch * segment / seconds;
        }
    }
}
