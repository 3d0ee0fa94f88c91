package org.vtm.interpreter.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;

/**
 * Runs the learned interpreter's model in PyTorch ({@code torch_interpreter.py}, shipped in this package) on the
 * same parameters and batch as the engine, through an exchange directory: {@code manifest.json} (format
 * {@value #FORMAT}) and one raw little-endian float64 file per array. Used by the parity test and by
 * {@code vtm bench train --versus-torch}.
 *
 * <p>The interpreter is the system property {@code vtm.python}, else {@code $VTM_PYTHON}, else Debian's {@code /usr/bin/python3} when present, else
 * {@code python3} on the PATH; PyTorch comes from Debian's {@code python3-torch}.
 */
public final class TorchBridge {
    public static final String FORMAT = "vtm.torch-exchange/1";
    static final String SCRIPT = "torch_interpreter.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Trainer's step as the script runs it. */
    public record Training(double learningRate, double clipNorm, int warmupSteps, int steps) {
    }

    /** Losses of the steps and the parameters after them (VTM's names and layout, float64). */
    public record StepResult(double[] losses, Map<String, INDArray> parameters) {
    }

    private TorchBridge() {
    }

    /** The Python interpreter used. */
    public static String python() {
        String prop = System.getProperty("vtm.python");
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        String env = System.getenv("VTM_PYTHON");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Empty if PyTorch imports; otherwise one line saying how to install it. */
    public static Optional<String> unavailable() {
        String py = python();
        try {
            Process p = new ProcessBuilder(py, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Optional.empty();
            }
            p.destroyForcibly();
        } catch (IOException e) {
            return Optional.of(message(py + " cannot be run (" + e.getMessage() + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(message("interrupted while checking " + py));
        }
        return Optional.of(message("PyTorch is not installed for " + py));
    }

    private static String message(String what) {
        return what + ": install Debian's PyTorch with 'apt-get install -y python3-torch' (or point VTM_PYTHON at a "
                + "python3 that has torch)";
    }

    /**
     * Writes the exchange directory (created if needed; VTM writes only manifest.json, *.bin and the script in it).
     *
     * @param state parameters and T0 by name ({@link Network#state()})
     * @param batch a ModelInputs.training map
     */
    public static void write(Path dir, ModelConfig config, Map<String, INDArray> state, double[] phi, int samples,
            Map<String, INDArray> batch, Training training, DataType dtype) throws IOException {
        Files.createDirectories(dir);
        ObjectNode man = JSON.createObjectNode();
        man.put("format", FORMAT);
        man.put("dtype", dtype == DataType.FLOAT ? "float32" : "float64");
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
        ObjectNode arrays = man.putObject("arrays");
        Map<String, INDArray> all = new LinkedHashMap<>(state);
        all.put("phi", Nd4j.createFromArray(phi).reshape(samples, phi.length / samples));
        for (String k : new String[] {InterpreterModel.X, InterpreterModel.A, InterpreterModel.Y, InterpreterModel.W,
                InterpreterModel.MASK, InterpreterModel.NEXT}) {
            if (batch.containsKey(k)) {
                all.put(k, batch.get(k));
            }
        }
        for (Map.Entry<String, INDArray> e : all.entrySet()) {
            INDArray a = e.getValue().castTo(DataType.DOUBLE).dup('c');
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(a.length() * 8)).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : a.data().asDouble()) {
                buf.putDouble(v);
            }
            Files.write(dir.resolve(e.getKey() + ".bin"), buf.array());
            ObjectNode spec = arrays.putObject(e.getKey());
            spec.put("file", e.getKey() + ".bin");
            var shape = spec.putArray("shape");
            for (long s : a.shape()) {
                shape.add(s);
            }
        }
        Files.writeString(dir.resolve("manifest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(man),
                StandardCharsets.UTF_8);
        try (InputStream in = TorchBridge.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " is missing from the interpreter jar");
            }
            Files.copy(in, dir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs {@code training.steps()} PyTorch training steps on a written exchange directory. */
    public static StepResult step(Path dir, long timeoutSeconds) throws IOException {
        run(dir, timeoutSeconds, "step");
        Path out = dir.resolve("out");
        JsonNode res = JSON.readTree(out.resolve("out.json").toFile());
        List<Double> losses = new ArrayList<>();
        res.get("losses").forEach(n -> losses.add(n.asDouble()));
        Map<String, INDArray> params = new LinkedHashMap<>();
        var it = res.get("arrays").fields();
        while (it.hasNext()) {
            var e = it.next();
            byte[] bytes = Files.readAllBytes(out.resolve(e.getValue().get("file").asText()));
            double[] v = new double[bytes.length / 8];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
            long[] shape = new long[e.getValue().get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get("shape").get(i).asLong();
            }
            params.put(e.getKey(), Nd4j.createFromArray(v).reshape(shape));
        }
        return new StepResult(losses.stream().mapToDouble(Double::doubleValue).toArray(), params);
    }

    /** Times PyTorch training steps on a written exchange directory; returns samples/s. */
    public static double bench(Path dir, int iterations, int warmup, long timeoutSeconds) throws IOException {
        String out = run(dir, timeoutSeconds, "bench", "--iterations", Integer.toString(iterations), "--warmup",
                Integer.toString(warmup));
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT torch samples_per_s=")) {
                return Double.parseDouble(line.substring("RESULT torch samples_per_s=".length()).split(" ")[0]);
            }
        }
        throw new IOException("PyTorch benchmark printed no RESULT line: " + out);
    }

    private static String run(Path dir, long timeoutSeconds, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python(), dir.resolve(SCRIPT).toString()));
        cmd.add(args[0]);
        cmd.add(dir.toString());
        cmd.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        byte[] output;
        try {
            output = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("PyTorch did not finish in " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running PyTorch", e);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("PyTorch exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
        }
        return text;
    }
}
