package org.vtm.interpreter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.vtm.interpreter.train.CheckpointStore;
import org.vtm.interpreter.train.ModelCompletion;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.TrainingHistory;

/**
 * The files of a learned-interpreter model directory, as the model reads them (a model loads
 * without its trainer):
 * <pre>
 *   model.json      {@link ModelDescription}: format, {@link #KIND}, family, d, n, T_FX checksum, config, provenance
 *   model.params    {@link #MODEL_FILE}: parameters and T_0 ({@code vtm.params/1})
 *   history.json    per-epoch losses ({@link TrainingHistory})
 *   checkpoints/    the training run's checkpoints
 *   complete.json   {@link ModelCompletion}: written last, when the run ended
 * </pre>
 */
public final class ModelDirectory {
    /** The kind a learned interpreter's {@code model.json} names. */
    public static final String KIND = "vtm.learned-interpreter";
    /** The parameter file of the kept (best) model. */
    public static final String MODEL_FILE = "model.params";
    /** The checkpoints' directory. */
    public static final String CHECKPOINTS = "checkpoints";
    /** What to do about an unfinished model directory (part of every refusal). */
    public static final String FINISH_HINT = "continue it with 'vtm train --resume' and the same options";

    private ModelDirectory() {
    }

    /**
     * Refuses a model directory whose training run did not end. From {@code vtm.model/2} on, the
     * run's {@link ModelCompletion} marker decides. A {@code vtm.model/1} directory (no marker) is
     * accepted if its record shows why the run stopped: its history reaches the configured epochs,
     * or its last checkpoint shows early stopping; otherwise it is refused with its format named.
     *
     * @throws ModelFormatException naming the directory or file, and {@code --resume}
     */
    public static void requireFinished(Path dir, ModelDescription desc) throws ModelFormatException {
        if (ModelCompletion.exists(dir) || desc.formatVersion() >= ModelDescription.FIRST_MARKED_VERSION) {
            ModelCompletion.require(dir, FINISH_HINT);
            return;
        }
        Path descFile = dir.resolve(ModelDescription.FILE_NAME);
        Path histFile = dir.resolve(TrainingHistory.FILE_NAME);
        int epochs = desc.config().path("epochs").asInt(-1);
        int done = 0;
        if (Files.isRegularFile(histFile)) {
            try {
                done = TrainingHistory.read(histFile).size();
            } catch (ModelFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new ModelFormatException(histFile + ": unreadable: " + e.getMessage(), e);
            }
            if (epochs > 0 && done >= epochs) {
                return; // stopped after its epochs
            }
            if (stoppedEarly(dir, desc, done)) {
                return;
            }
        }
        throw new ModelFormatException(descFile + ": format " + desc.format() + " has no completion marker and its history ("
                + done + " of " + (epochs > 0 ? String.valueOf(epochs) : "?") + " epochs, no early stop) does not show that "
                + "training ended; " + FINISH_HINT + " (with --epochs " + done + " to keep the model as it is)");
    }

    /** True if the newest checkpoint of a format-1 directory, taken after {@code epochs} epochs, shows early stopping. */
    private static boolean stoppedEarly(Path dir, ModelDescription desc, int epochs) throws ModelFormatException {
        int patience = desc.config().path("patience").asInt(-1);
        Optional<CheckpointStore.Checkpoint> last;
        try {
            last = new CheckpointStore(dir.resolve(CHECKPOINTS), 2).latest();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(dir.resolve(CHECKPOINTS) + ": unreadable: " + e.getMessage(), e);
        }
        return patience > 0 && last.isPresent() && last.get().state().epoch() == epochs
                && last.get().state().batchCursor() == 0 && last.get().state().badEpochs() >= patience;
    }
}
