package org.vtm.datagen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes that never leave a half-written file under its final name: write to a temporary sibling,
 * force it to disk, then rename over the target in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** The temporary sibling a writer fills before {@link #commit}; its name marks it as partial. */
    public static Path temporaryFor(Path target) {
        // process and thread: concurrent writers of the same target (e.g. two Spark task attempts in
        // one executor) never share a temporary file
        return target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().getId());
    }

    /** Forces {@code temp} to disk and renames it to {@code target} atomically. */
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
    }

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
