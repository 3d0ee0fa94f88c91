package org.vtm.interpreter.stm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.SameDiffFiles;

/**
 * A trained character model on disk: {@code model.json} (a {@link ModelDescription} of kind
 * {@value #KIND} with the architecture and the alphabet) and {@code params.sd} (the parameter
 * arrays as variables of a SameDiff file).
 */
public final class CharModelFiles {
    public static final String KIND = "stm-char";
    public static final String PARAMS = "params.sd";

    private CharModelFiles() {
    }

    /** Saves the parameters as variables of a SameDiff file. */
    public static void saveArrays(Map<String, INDArray> arrays, Path file) throws IOException {
        SameDiff sd = SameDiff.create();
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            sd.var(e.getKey(), e.getValue().dup());
        }
        SameDiffFiles.save(sd, file, false);
    }

    /** Loads the arrays saved by {@link #saveArrays}. */
    public static Map<String, INDArray> loadArrays(Path file) throws IOException {
        SameDiff sd = SameDiffFiles.load(file, false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            out.put(v.name(), v.getArr());
        }
        return out;
    }

    /** Writes model.json and params.sd into {@code dir}. */
    public static void save(CharNetwork net, String alphabet, long seed, ObjectNode trainConfig, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        saveArrays(net.params(), dir.resolve(PARAMS));
        describe(net, alphabet, seed, trainConfig).write(dir);
    }

    /**
     * Reads a checkpoint directory of {@link CharTrainer} ({@code OUT/checkpoints/ckpt-…}, written since checkpoints
     * carry model.json): the network with the checkpoint's parameters. A checkpoint under its final name is always
     * complete (it is renamed into place), so no completion marker is needed.
     *
     * @throws ModelFormatException naming the file if the directory is not such a checkpoint or is damaged
     */
    public static Loaded loadCheckpoint(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(org.vtm.interpreter.train.CheckpointStore.STATE_FILE))) {
            throw new ModelFormatException(dir + ": not a checkpoint directory (no "
                    + org.vtm.interpreter.train.CheckpointStore.STATE_FILE + ")");
        }
        if (!Files.isRegularFile(dir.resolve(ModelDescription.FILE_NAME))) {
            throw new ModelFormatException(dir + ": the checkpoint has no " + ModelDescription.FILE_NAME
                    + " (written by VTM versions before checkpoints described their model); evaluate the finished model");
        }
        return read(dir, ModelDescription.read(dir));
    }

    /** The model.json of a network (kind {@value #KIND}, architecture, alphabet, training configuration). */
    static ModelDescription describe(CharNetwork net, String alphabet, long seed, ObjectNode trainConfig) {
        ModelDescription d = ModelDescription.create(KIND, seed);
        if (trainConfig != null) {
            d.config().setAll(trainConfig);
        }
        ObjectNode p = d.properties();
        p.put("model", net.kind().name().toLowerCase(java.util.Locale.ROOT));
        p.put("alphabet", alphabet);
        p.put("layers", net.layers());
        p.put("parameters", net.parameterCount());
        if (net.kind() == CharNetwork.Kind.STM) {
            StmConfig c = net.config();
            p.put("controllerHidden", c.controllerHidden());
            p.put("memRows", c.memRows());
            p.put("memCols", c.memCols());
            p.put("wordRows", c.wordRows());
            p.put("wordCols", c.wordCols());
            p.put("thetaForm", c.thetaForm().name());
            p.put("thetaActivation", c.thetaActivation().name());
            p.put("writeMode", c.writeMode().name());
            p.put("thetaScale", c.thetaScale());
            p.put("thetaSpread", c.thetaSpread());
            p.put("thetaInit", c.thetaInit());
            p.put("memoryInit", c.memoryInit().name());
            p.put("memoryInitScale", c.memoryInitScale());
        } else {
            p.put("lstmHidden", net.lstmHidden());
        }
        return d;
    }

    /** A loaded model: the network (float) and its alphabet. */
    public record Loaded(CharNetwork network, String alphabet) {
    }

    /**
     * Reads a finished model directory written by {@link #save} and {@link CharTrainer}.
     *
     * @throws ModelFormatException naming the file: missing or damaged files, another kind, a newer
     *     format, or a run that did not finish
     */
    public static Loaded load(Path dir) throws IOException {
        ModelDescription d = ModelDescription.read(dir);
        Path src = dir.resolve(ModelDescription.FILE_NAME);
        if (!KIND.equals(d.kind())) {
            throw new ModelFormatException(src + ": model kind is '" + d.kind() + "', expected '" + KIND + "'");
        }
        // format 1 wrote model.json only when training ended; since format 2 the marker says so
        if (d.formatVersion() >= ModelDescription.FIRST_MARKED_VERSION || ModelCompletion.exists(dir)) {
            ModelCompletion.require(dir, "continue it with 'vtm stm train --resume' and the same options");
        }
        return read(dir, d);
    }

    private static Loaded read(Path dir, ModelDescription d) throws IOException {
        Path src = dir.resolve(ModelDescription.FILE_NAME);
        if (!KIND.equals(d.kind())) {
            throw new ModelFormatException(src + ": model kind is '" + d.kind() + "', expected '" + KIND + "'");
        }
        String alphabet = d.requireText("alphabet", src);
        int layers = d.requireInt("layers", src);
        String model = d.requireText("model", src);
        CharNetwork shape;
        try {
            shape = network(d, src, alphabet, layers, model);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ModelFormatException(src + ": bad model properties: " + e.getMessage(), e);
        }
        Path params = dir.resolve(PARAMS);
        Map<String, INDArray> arrays = loadArrays(params);
        try {
            return new Loaded(shape.withParams(arrays), alphabet);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(params + ": " + e.getMessage() + " (the files do not belong together)", e);
        }
    }

    private static CharNetwork network(ModelDescription d, Path src, String alphabet, int layers, String model)
            throws ModelFormatException {
        CharNetwork shape;
        if (model.equals("stm")) {
            var p = d.properties();
            StmConfig c = new StmConfig(alphabet.length(), layers, d.requireInt("controllerHidden", src),
                    d.requireInt("memRows", src), d.requireInt("memCols", src), d.requireInt("wordRows", src),
                    d.requireInt("wordCols", src), StmConfig.ThetaForm.valueOf(d.requireText("thetaForm", src)),
                    StmConfig.ThetaActivation.valueOf(d.requireText("thetaActivation", src)),
                    StmConfig.WriteMode.valueOf(d.requireText("writeMode", src)), p.get("thetaScale").asDouble(),
                    p.get("thetaSpread").asDouble(), p.get("thetaInit").asDouble(),
                    StmConfig.MemoryInit.valueOf(d.requireText("memoryInit", src)),
                    p.get("memoryInitScale").asDouble(), d.seed());
            shape = CharNetwork.stm(c, DataType.FLOAT);
        } else {
            shape = CharNetwork.lstm(alphabet.length(), layers, d.requireInt("lstmHidden", src), d.seed(),
                    DataType.FLOAT);
        }
        return shape;
    }
}
