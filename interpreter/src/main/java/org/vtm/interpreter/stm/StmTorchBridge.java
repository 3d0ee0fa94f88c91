package org.vtm.interpreter.stm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.engine.TorchExchange;

/**
 * Runs a {@link CharNetwork} (STM or plain LSTM) and its training update in PyTorch ({@code torch_stm.py}, shipped in
 * this package) from the same parameters, segment and carried state as VTM, through a {@link TorchExchange}
 * directory. Used by the parity test and by {@code vtm bench stm --versus-torch}; Python discovery and the
 * missing-PyTorch message are {@link TorchExchange}'s.
 */
public final class StmTorchBridge {
    static final String SCRIPT = "torch_stm.py";
    private static final String STATE_IN = "in_";
    private static final String STATE_OUT = "out_";

    /** Losses of the updates, the parameters after them and the recurrent state after the last (VTM's names). */
    public record Result(double[] losses, Map<String, INDArray> parameters, Map<String, INDArray> state) {
    }

    private StmTorchBridge() {
    }

    /**
     * Writes the exchange directory (created if needed; see {@link TorchExchange#write}).
     *
     * @param x       one-hot inputs {@code [B,T,V]}
     * @param y       one-hot targets {@code [B,T,V]}
     * @param state   the carried state by {@link CharNetwork#stateNames()}
     * @param updates how many updates {@link #step} runs (the state carries from one to the next)
     * @param dtype   DOUBLE or FLOAT: what PyTorch computes in (the files are float64 either way)
     */
    public static void write(Path dir, CharNetwork net, INDArray x, INDArray y, Map<String, INDArray> state,
            CharUpdate.Settings settings, int updates, DataType dtype) throws IOException {
        if (updates < 0) {
            throw new IllegalArgumentException("updates must be >= 0, got " + updates);
        }
        ObjectNode man = TorchExchange.manifest(dtype);
        ObjectNode m = man.putObject("model");
        m.put("kind", net.kind().name().toLowerCase(Locale.ROOT));
        m.put("vocab", net.vocab());
        m.put("layers", net.layers());
        if (net.kind() == CharNetwork.Kind.STM) {
            StmConfig c = net.config();
            m.put("controller_hidden", c.controllerHidden());
            m.put("mem_rows", c.memRows());
            m.put("mem_cols", c.memCols());
            m.put("word_rows", c.wordRows());
            m.put("word_cols", c.wordCols());
            m.put("theta_form", c.thetaForm().name().toLowerCase(Locale.ROOT));
            m.put("theta_activation", c.thetaActivation().name().toLowerCase(Locale.ROOT));
            m.put("write_mode", c.writeMode().name().toLowerCase(Locale.ROOT));
            ArrayNode base = m.putArray("base");
            for (int l = 0; l < net.layers(); l++) {
                ArrayNode b = base.addArray();
                for (double v : c.baseTheta(l)) {
                    b.add(v);
                }
            }
        } else {
            m.put("hidden", net.lstmHidden());
        }
        ArrayNode names = m.putArray("parameters");
        net.params().keySet().forEach(names::add);
        ArrayNode stateNames = m.putArray("state");
        net.stateNames().forEach(stateNames::add);
        ObjectNode t = man.putObject("training");
        t.put("learning_rate", settings.learningRate());
        t.put("clip_norm", settings.clipNorm());
        t.put("steps", updates);
        t.put("beta1", CharUpdater.BETA1);
        t.put("beta2", CharUpdater.BETA2);
        t.put("epsilon", CharUpdater.EPSILON);
        Map<String, INDArray> arrays = new LinkedHashMap<>(net.params());
        arrays.put("x", x);
        arrays.put("y", y);
        for (String n : net.stateNames()) {
            INDArray s = state.get(n);
            if (s == null) {
                throw new IllegalArgumentException("state '" + n + "' is missing; the network carries " + net.stateNames());
            }
            arrays.put(STATE_IN + n, s);
        }
        TorchExchange.write(dir, man, arrays, StmTorchBridge.class, SCRIPT);
    }

    /** Runs the updates the directory was written for and reads PyTorch's answer. */
    public static Result step(Path dir, long timeoutSeconds) throws IOException {
        TorchExchange.run(dir, SCRIPT, timeoutSeconds, "step");
        TorchExchange.Output out = TorchExchange.read(dir);
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : out.arrays().entrySet()) {
            if (e.getKey().startsWith(STATE_OUT)) {
                state.put(e.getKey().substring(STATE_OUT.length()), e.getValue());
            } else {
                params.put(e.getKey(), e.getValue());
            }
        }
        return new Result(out.losses(), params, state);
    }

    /** Times {@code iterations} full PyTorch updates after {@code warmup} untimed ones; returns characters per second. */
    public static double bench(Path dir, int iterations, int warmup, long timeoutSeconds) throws IOException {
        String out = TorchExchange.run(dir, SCRIPT, timeoutSeconds, "bench", "--iterations",
                Integer.toString(iterations), "--warmup", Integer.toString(warmup));
        return TorchExchange.resultValue(out, "RESULT torch ", "chars_per_s");
    }
}
