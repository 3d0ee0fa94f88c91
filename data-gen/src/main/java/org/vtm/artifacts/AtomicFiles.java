package org.vtm.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes that never leave a half-written file under its final name: write to a temporary sibling,
 * force it to disk, rename it over the target in one step, then force the directory so the rename
 * itself survives a power loss.
 *
 * <p>Temporary siblings are named {@code .NAME.partial-PID-TID} ({@link #temporaryFor}); a
 * process killed while writing leaves one behind. Readers never look at them (a corpus or bank is
 * read through its manifest), and writers remove the ones for their own targets with
 * {@link #removePartials}: only names matching that pattern, never anything else.
 */
public final class AtomicFiles {
    /** {@code .NAME.partial-PID-TID}: group 1 is the target's name, 2 the writer's process id. */
    private static final Pattern PARTIAL = Pattern.compile("\\.(.+)\\.partial-(\\d+)-(\\d+)");

    private AtomicFiles() {
    }

    /** The temporary sibling a writer fills before {@link #commit}; its name marks it as partial. */
    public static Path temporaryFor(Path target) {
        // process and thread: concurrent writers of the same target (e.g. two Spark task attempts in
        // one executor) never share a temporary file
        return target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().getId());
    }

    /**
     * The target name of a temporary file made by {@link #temporaryFor}, e.g. {@code shard-00001.arrow}
     * for {@code .shard-00001.arrow.partial-4242-1}; null for any other name.
     */
    public static String partialTarget(String fileName) {
        Matcher m = PARTIAL.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * Deletes the temporary files {@link #temporaryFor} made in {@code dir} for targets accepted by
     * {@code targets}: what a killed or failed writer left behind. Only regular files whose name
     * matches the partial pattern are touched.
     *
     * @param onlyDeadWriters if true, keep the files of writers that are still running on this
     *     machine (their process id is alive), so a concurrent writer is never disturbed; if false,
     *     delete them all (for a directory whose outputs are all committed)
     * @return how many files were deleted
     */
    public static int removePartials(Path dir, Predicate<String> targets, boolean onlyDeadWriters) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Matcher m = PARTIAL.matcher(p.getFileName().toString());
                if (!m.matches() || !targets.test(m.group(1)) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (onlyDeadWriters && isAlive(m.group(2))) {
                    continue;
                }
                stale.add(p);
            }
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        return stale.size();
    }

    private static boolean isAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false; // more digits than a pid: not a live process
        }
    }

    /**
     * Forces {@code temp} to disk, renames it to {@code target} atomically and forces the
     * directory, so that after this returns the target survives a crash or power loss.
     */
    public static void commit(Path temp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temp + " to " + target
                    + " atomically (different file systems?)", e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory's entries to disk (after a rename into it: without this, a power loss can
     * undo a rename even though the file's contents were forced). On POSIX systems the directory
     * is opened read-only and fsync'ed; a failure is an {@link IOException}. Windows cannot open a
     * directory as a file channel (and NTFS journals renames itself), so there it does nothing.
     */
    public static void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path temp = temporaryFor(target);
        try {
            Files.write(temp, bytes);
            commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** SHA-256 of a file's contents, as lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of a byte array, as lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
