package org.vtm.interpreter.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vtm.artifacts.AtomicFiles;

/** Saving and loading SameDiff models (with updater state) with errors that name the file. */
public final class SameDiffFiles {
    private SameDiffFiles() {
    }

    /** Saves {@code sd} (graph, variables, training configuration, and updater state if asked) atomically. */
    public static void save(SameDiff sd, Path file, boolean withUpdaterState) throws IOException {
        Path temp = AtomicFiles.temporaryFor(file);
        try {
            sd.save(temp.toFile(), withUpdaterState);
            AtomicFiles.commit(temp, file);
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot save the model: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Loads a model; a missing or corrupt file is an IOException naming it. */
    public static SameDiff load(Path file, boolean withUpdaterState) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": missing");
        }
        try {
            SameDiff sd = SameDiff.load(file.toFile(), withUpdaterState);
            if (sd == null) {
                throw new ModelFormatException(file + ": corrupt, not a SameDiff model");
            }
            return sd;
        } catch (RuntimeException | Error e) {
            throw new ModelFormatException(file + ": corrupt or unreadable SameDiff model: " + e, e);
        }
    }
}
