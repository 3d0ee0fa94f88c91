package org.vtm.interpreter.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vtm.artifacts.AtomicFiles;

/**
 * Atomic checkpoint directories under one parent: each checkpoint {@code ckpt-000007/} is filled as a
 * hidden temporary directory (model files first, {@value #STATE_FILE} last) and renamed into place
 * in one step, so a checkpoint directory under its final name is always complete. A process killed
 * while writing leaves only a hidden {@code .ckpt-*.partial-<pid>} directory, which later writes
 * remove. The newest {@code keep} checkpoints are retained.
 */
public final class CheckpointStore {
    public static final String STATE_FILE = "state.json";
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{6,})");

    /** Writes the model's files into a (temporary) checkpoint directory. */
    @FunctionalInterface
    public interface ModelWriter {
        void write(Path directory) throws IOException;
    }

    /** A complete checkpoint: its directory (model files are read from it) and training state. */
    public record Checkpoint(Path directory, long sequence, TrainingState state) {
    }

    private final Path parent;
    private final int keep;

    /**
     * @param parent the directory holding the checkpoints (created on first write)
     * @param keep how many of the newest checkpoints to keep (at least 1)
     */
    public CheckpointStore(Path parent, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.parent = parent;
        this.keep = keep;
    }

    public Path directory() {
        return parent;
    }

    /** Writes a new checkpoint atomically and prunes old ones; returns its directory. */
    public Path write(TrainingState state, ModelWriter model) throws IOException {
        Files.createDirectories(parent);
        removeStalePartials();
        long sequence = sequences().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        String name = String.format("ckpt-%06d", sequence);
        Path target = parent.resolve(name);
        Path temp = parent.resolve("." + name + ".partial-" + ProcessHandle.current().pid());
        deleteTree(temp);
        Files.createDirectory(temp);
        try {
            model.write(temp);
            Files.write(temp.resolve(STATE_FILE),
                    (TrainingJson.MAPPER.writeValueAsString(state.toJsonNode()) + "\n").getBytes(StandardCharsets.UTF_8));
            forceAll(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
            }
            AtomicFiles.syncDirectory(parent); // the rename itself must survive a power loss
        } finally {
            deleteTree(temp);
        }
        prune();
        return target;
    }

    /** The newest complete checkpoint, if any. A damaged state file is an error naming it. */
    public Optional<Checkpoint> latest() throws IOException {
        List<Long> seqs = sequences();
        if (seqs.isEmpty()) {
            return Optional.empty();
        }
        long last = seqs.get(seqs.size() - 1);
        Path dir = parent.resolve(String.format("ckpt-%06d", last));
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": missing; the checkpoint directory is incomplete");
        }
        JsonNode node;
        try {
            node = TrainingJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return Optional.of(new Checkpoint(dir, last, TrainingState.fromJsonNode(node, file)));
    }

    /** Sequence numbers of complete checkpoints, ascending. */
    public List<Long> sequences() throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private void prune() throws IOException {
        List<Long> seqs = sequences();
        for (int i = 0; i < seqs.size() - keep; i++) {
            deleteTree(parent.resolve(String.format("ckpt-%06d", seqs.get(i))));
        }
    }

    private void removeStalePartials() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, ".ckpt-*.partial-*")) {
            for (Path p : ds) {
                deleteTree(p);
            }
        }
    }

    private static void forceAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
        }
    }

    /** Deletes a file tree if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
