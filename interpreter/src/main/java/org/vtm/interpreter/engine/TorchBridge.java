package org.vtm.interpreter.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;

/**
 * Runs the learned interpreter's model in PyTorch ({@code torch_interpreter.py}, shipped in this package) on the
 * same parameters and batch as the engine, through a {@link TorchExchange} directory. Used by the parity test and by
 * {@code vtm bench train --versus-torch}.
 */
public final class TorchBridge {
    public static final String FORMAT = TorchExchange.FORMAT;
    static final String SCRIPT = "torch_interpreter.py";

    /** The Trainer's step as the script runs it. */
    public record Training(double learningRate, double clipNorm, int warmupSteps, int steps) {
    }

    /** Losses of the steps and the parameters after them (VTM's names and layout, float64). */
    public record StepResult(double[] losses, Map<String, INDArray> parameters) {
    }

    private TorchBridge() {
    }

    /** The Python interpreter used ({@link TorchExchange#python()}). */
    public static String python() {
        return TorchExchange.python();
    }

    /** Empty if PyTorch imports; otherwise one line saying how to install it ({@link TorchExchange#unavailable()}). */
    public static Optional<String> unavailable() {
        return TorchExchange.unavailable();
    }

    /**
     * Writes the exchange directory (created if needed; see {@link TorchExchange#write}).
     *
     * @param state parameters and T0 by name ({@link Network#state()})
     * @param batch a ModelInputs.training map
     */
    public static void write(Path dir, ModelConfig config, Map<String, INDArray> state, double[] phi, int samples,
            Map<String, INDArray> batch, Training training, DataType dtype) throws IOException {
        if (config.structure()) {
            throw new IllegalArgumentException("the PyTorch comparison has no structure encoder; compare inputs without "
                    + "structure (got " + config.inputSpec().label() + ")");
        }
        if (config.head() == ModelConfig.Head.TAIL) {
            throw new IllegalArgumentException("the PyTorch comparison has no tail head; compare --head transform or direct");
        }
        ObjectNode man = TorchExchange.manifest(dtype);
        ObjectNode m = man.putObject("model");
        m.put("dim", config.dim());
        m.put("terms", config.terms());
        m.put("hidden", config.hidden());
        m.put("features", config.features());
        m.put("head", config.head().name().toLowerCase(Locale.ROOT));
        m.put("loss", config.loss().name().toLowerCase(Locale.ROOT));
        m.put("inputs", config.inputs().name().toLowerCase(Locale.ROOT));
        m.put("head_scale", config.headScale());
        ObjectNode t = man.putObject("training");
        t.put("learning_rate", training.learningRate());
        t.put("clip_norm", training.clipNorm());
        t.put("warmup_steps", training.warmupSteps());
        t.put("steps", training.steps());
        t.put("beta1", 0.9);
        t.put("beta2", 0.999);
        t.put("epsilon", 1e-8);
        Map<String, INDArray> all = new LinkedHashMap<>(state);
        all.put("phi", Nd4j.createFromArray(phi).reshape(samples, phi.length / samples));
        for (String k : new String[] {InterpreterModel.X, InterpreterModel.A, InterpreterModel.Y, InterpreterModel.W,
                InterpreterModel.MASK, InterpreterModel.NEXT}) {
            if (batch.containsKey(k)) {
                all.put(k, batch.get(k));
            }
        }
        TorchExchange.write(dir, man, all, TorchBridge.class, SCRIPT);
    }

    /** Runs {@code training.steps()} PyTorch training steps on a written exchange directory. */
    public static StepResult step(Path dir, long timeoutSeconds) throws IOException {
        TorchExchange.run(dir, SCRIPT, timeoutSeconds, "step");
        TorchExchange.Output out = TorchExchange.read(dir);
        return new StepResult(out.losses(), out.arrays());
    }

    /** Times PyTorch training steps on a written exchange directory; returns samples/s. */
    public static double bench(Path dir, int iterations, int warmup, long timeoutSeconds) throws IOException {
        String out = TorchExchange.run(dir, SCRIPT, timeoutSeconds, "bench", "--iterations",
                Integer.toString(iterations), "--warmup", Integer.toString(warmup));
        return TorchExchange.resultValue(out, "RESULT torch ", "samples_per_s");
    }
}
