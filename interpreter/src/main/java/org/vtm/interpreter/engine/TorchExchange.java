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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every PyTorch comparison of VTM shares: finding the Python interpreter, telling in one line how to install
 * PyTorch when it is missing, the exchange directory and running a script on it.
 *
 * <p>Exchange directory (format {@value #FORMAT}): {@code manifest.json} with {@code format}, {@code dtype}, the
 * model and training sections of the script at hand and {@code arrays} (name → {@code {file, shape}}), one raw
 * little-endian float64 file per array, the script and {@value #HELPER} (the script's reader and writer). A script
 * answers in {@code out/}: {@code out.json} ({@code losses}, {@code arrays}) and one {@code .bin} per array.
 *
 * <p>The interpreter is the system property {@code vtm.python}, else {@code $VTM_PYTHON}, else Debian's
 * {@code /usr/bin/python3} when present, else {@code python3} on the PATH; PyTorch comes from Debian's
 * {@code python3-torch}.
 */
public final class TorchExchange {
    public static final String FORMAT = "vtm.torch-exchange/1";
    /** The Python module with the exchange format's reader and writer, copied next to every script. */
    public static final String HELPER = "torch_exchange.py";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Losses of the steps a script ran and the arrays it wrote (float64). */
    public record Output(double[] losses, Map<String, INDArray> arrays) {
    }

    private TorchExchange() {
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

    /** A new manifest with the format and the data type ({@code float32} for FLOAT, else {@code float64}). */
    public static ObjectNode manifest(DataType dtype) {
        ObjectNode man = JSON.createObjectNode();
        man.put("format", FORMAT);
        man.put("dtype", dtype == DataType.FLOAT ? "float32" : "float64");
        return man;
    }

    /**
     * Writes the arrays (as float64, C order) and the manifest (with their {@code arrays} section added) into
     * {@code dir}, created if needed, and copies {@code script} (a resource next to {@code owner}) and
     * {@value #HELPER} beside them. VTM writes only manifest.json, *.bin and the two scripts there.
     */
    public static void write(Path dir, ObjectNode manifest, Map<String, INDArray> arrays, Class<?> owner, String script)
            throws IOException {
        Files.createDirectories(dir);
        ObjectNode specs = manifest.putObject("arrays");
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue().castTo(DataType.DOUBLE).dup('c');
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(a.length() * 8)).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : a.data().asDouble()) {
                buf.putDouble(v);
            }
            Files.write(dir.resolve(e.getKey() + ".bin"), buf.array());
            ObjectNode spec = specs.putObject(e.getKey());
            spec.put("file", e.getKey() + ".bin");
            var shape = spec.putArray("shape");
            for (long s : a.shape()) {
                shape.add(s);
            }
        }
        Files.writeString(dir.resolve("manifest.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest), StandardCharsets.UTF_8);
        copy(owner, script, dir);
        copy(TorchExchange.class, HELPER, dir);
    }

    private static void copy(Class<?> owner, String resource, Path dir) throws IOException {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the interpreter jar");
            }
            Files.copy(in, dir.resolve(resource), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads what a script wrote into {@code dir/out}. */
    public static Output read(Path dir) throws IOException {
        Path out = dir.resolve("out");
        JsonNode res = JSON.readTree(out.resolve("out.json").toFile());
        List<Double> losses = new ArrayList<>();
        res.get("losses").forEach(n -> losses.add(n.asDouble()));
        Map<String, INDArray> arrays = new LinkedHashMap<>();
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
            arrays.put(e.getKey(), Nd4j.createFromArray(v).reshape(shape));
        }
        return new Output(losses.stream().mapToDouble(Double::doubleValue).toArray(), arrays);
    }

    /**
     * The value of {@code key} on the line starting with {@code prefix} in a script's output, e.g. the
     * {@code samples_per_s} of {@code RESULT torch samples_per_s=… ms_per_step=…}.
     */
    public static double resultValue(String output, String prefix, String key) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                for (String field : line.split(" ")) {
                    if (field.startsWith(key + "=")) {
                        return Double.parseDouble(field.substring(key.length() + 1));
                    }
                }
            }
        }
        throw new IOException("PyTorch printed no '" + prefix + "' line with " + key + ": " + output);
    }

    /**
     * Runs {@code python script mode dir args…} with {@code OMP_NUM_THREADS=1} unless set (and no bytecode cache
     * written); returns its output
     * (stdout and stderr). A non-zero exit or a timeout is an IOException with the output.
     */
    public static String run(Path dir, String script, long timeoutSeconds, String mode, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python(), dir.resolve(script).toString(), mode, dir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // nothing but the exchange files in the directory
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

    /**
     * Deletes an exchange directory VTM created: only the files VTM and the scripts write there (manifest.json,
     * *.bin, *.py, out/, __pycache__/); anything else is left and the directory with it.
     */
    public static void delete(Path dir) throws IOException {
        for (Path sub : new Path[] {dir.resolve("out"), dir.resolve("__pycache__")}) {
            if (Files.isDirectory(sub)) {
                deleteOwned(sub);
            }
        }
        deleteOwned(dir);
    }

    private static void deleteOwned(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".bin") || name.endsWith(".json") || name.endsWith(".py") || name.endsWith(".pyc")) {
                    Files.delete(f);
                }
            }
        }
        try (var rest = Files.list(dir)) {
            if (rest.findAny().isEmpty()) {
                Files.delete(dir);
            }
        }
    }
}
