package org.vtm.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The rule every command that writes into an {@code --out} directory follows: VTM writes only into
 * a directory that it created itself (or that was empty), and marks it as its own.
 *
 * <p>{@link #claim} checks, before anything is written:
 * <ul>
 *   <li>the path is not a regular file, does not lie under a regular file, and is writable;
 *   <li>a missing or empty directory is created and marked with {@value #MARKER} (format
 *       {@value #FORMAT}, recording the kind of output, e.g. {@code corpus} or {@code pipeline});
 *   <li>a non-empty directory is accepted only if it carries the marker of the same kind, or — for
 *       directories written before markers existed — if the command recognises its own earlier
 *       output in it (then the marker is added);
 *   <li>anything else (a non-empty directory VTM did not write, or a marker of another kind) is
 *       refused with one line naming the directory and what is in the way.
 * </ul>
 * VTM never deletes a file it did not write: inside a claimed directory, removal is limited to
 * files a stage listed as its own (see the pipeline's stage records).
 */
public final class OutputDirectory {
    /** The marker file a VTM output directory carries. */
    public static final String MARKER = ".vtm-output.json";
    /** Format of the marker file. */
    public static final String FORMAT = "vtm.output/1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 3;

    private OutputDirectory() {
    }

    /** An output path that cannot be used; the message is one line naming the path and the reason. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Claims {@code dir} for output of {@code kind}, creating and marking it (see the class comment).
     *
     * @param option the option that named the directory, for messages (e.g. {@code "--out"})
     * @param legacy recognises this kind's output written by a VTM version without markers; may be
     *               {@code null} (no such output exists)
     * @return {@code dir}
     * @throws Refused if the directory cannot or may not be used
     */
    public static Path claim(String option, Path dir, String kind, Predicate<Path> legacy) throws IOException {
        checkUsable(option, dir);
        Path marker = dir.resolve(MARKER);
        if (Files.isDirectory(dir)) {
            if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                String found = kindOf(option, dir);
                if (!kind.equals(found)) {
                    throw new Refused(option + " " + dir + " holds VTM " + found + " output, not " + article(kind)
                            + " " + kind + "; choose another directory");
                }
                probeWritable(option, dir);
                return dir;
            }
            List<String> entries = entries(dir);
            if (!entries.isEmpty() && (legacy == null || !legacy.test(dir))) {
                throw new Refused(option + " " + dir + " is not empty and was not written by VTM (it holds "
                        + describe(entries) + "); choose a new or empty directory");
            }
        } else {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new Refused(option + " " + dir + ": cannot create the directory (" + reason(e) + ")");
            }
        }
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("kind", kind);
        m.put("vtm_version", Provenance.vtmVersion());
        try {
            AtomicFiles.write(marker, (JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Refused(option + " " + dir + ": cannot write into the directory (" + reason(e) + ")");
        }
        return dir;
    }

    /** Whether {@code dir} carries a VTM marker (of any kind). */
    public static boolean isMarked(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Refuses, without writing anything, a path that is a regular file, lies under a regular file,
     * or whose existing directory (or nearest existing ancestor) is not writable.
     */
    public static void checkUsable(String option, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new Refused(option + " " + dir + " is a regular file; expected a directory");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new Refused(option + " " + dir + ": no part of the path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new Refused(option + " " + dir + " lies under " + existing + ", which is a regular file");
        }
        if (!Files.isWritable(existing)) {
            throw new Refused(option + " " + dir + ": " + existing + " is not writable");
        }
    }

    /** The entries of {@code dir}, sorted by name. */
    public static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code "a, b, c and 4 more"}. */
    public static String describe(List<String> names) {
        List<String> shown = new ArrayList<>(names.subList(0, Math.min(SHOWN, names.size())));
        String s = String.join(", ", shown);
        return names.size() > SHOWN ? s + " and " + (names.size() - SHOWN) + " more" : s;
    }

    private static String kindOf(String option, Path dir) throws IOException {
        Path marker = dir.resolve(MARKER);
        JsonNode m;
        try {
            m = JSON.readTree(Files.readAllBytes(marker));
        } catch (IOException e) {
            throw new Refused(option + " " + marker + " is not a readable VTM marker (" + reason(e) + ")");
        }
        if (m == null || !FORMAT.equals(m.path("format").asText()) || !m.path("kind").isTextual()) {
            throw new Refused(option + " " + marker + " is not a VTM marker of format " + FORMAT
                    + "; this VTM cannot tell whose directory it is");
        }
        return m.path("kind").asText();
    }

    private static void probeWritable(String option, Path dir) {
        try {
            Path probe = Files.createTempFile(dir, ".vtm-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new Refused(option + " " + dir + ": cannot write into the directory (" + reason(e) + ")");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String article(String kind) {
        return "aeiou".indexOf(Character.toLowerCase(kind.charAt(0))) >= 0 ? "an" : "a";
    }
}
