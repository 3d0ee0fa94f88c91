package org.vtm.interpreter.train;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.artifacts.AtomicFiles;

/**
 * Named double arrays in one file ({@code vtm.params/1}): magic {@code VTMP}, version, count, then
 * per array its name, shape and values (big-endian), and a trailing SHA-256 of everything before
 * it. Written atomically; a truncated or altered file is refused with an error naming it.
 *
 * <p>Why not {@code SameDiff.save}: in ND4J 1.0.0-M2.1 a saved graph containing
 * {@code lstmLayer} cannot be loaded ({@code LSTMLayer.configureWithSameDiff} throws a
 * NullPointerException), so models rebuild their graph from their configuration and load only
 * the parameters (and optimizer state) from here.
 */
public final class ParameterFile {
    private static final int MAGIC = 0x564D5450; // "VTMP"
    private static final int VERSION = 1;
    /** Largest readable file: the body must fit one Java array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;
    /** Largest rank of a stored array. */
    static final int MAX_RANK = 32;

    private ParameterFile() {
    }

    /** Writes the arrays (as doubles) atomically, in map order. */
    public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(arrays.size());
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                INDArray a = e.getValue();
                out.writeUTF(e.getKey());
                long[] shape = a.shape();
                out.writeInt(shape.length);
                for (long s : shape) {
                    out.writeLong(s);
                }
                double[] v = a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
                out.writeLong(v.length);
                for (double x : v) {
                    out.writeDouble(x);
                }
            }
        }
        byte[] body = bytes.toByteArray();
        byte[] sha = sha256(body);
        byte[] all = Arrays.copyOf(body, body.length + sha.length);
        System.arraycopy(sha, 0, all, body.length, sha.length);
        AtomicFiles.write(file, all);
    }

    /**
     * Reads every array. The header is checked against the file before anything is allocated: a
     * count, rank, shape or length that the bytes left in the file cannot hold is refused, so a
     * damaged header never turns into a huge allocation.
     *
     * @throws ModelFormatException naming the file and the fault: missing, larger than a parameter
     *     file can be, truncated, failing its checksum, not a parameter file, newer, or inconsistent
     */
    public static Map<String, INDArray> read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": missing", e);
        }
        if (size > MAX_FILE_BYTES) {
            throw new ModelFormatException(file + ": " + size + " bytes, more than a parameter file can hold ("
                    + MAX_FILE_BYTES + "); not a VTM parameter file");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < 32 + 12) {
            throw new ModelFormatException(file + ": corrupt, truncated (" + all.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(all, all.length - 32);
        if (!Arrays.equals(sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw new ModelFormatException(file + ": corrupt, checksum mismatch (truncated or altered)");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        java.io.ByteArrayInputStream bytes = new java.io.ByteArrayInputStream(body);
        try (DataInputStream in = new DataInputStream(bytes)) {
            if (in.readInt() != MAGIC) {
                throw new ModelFormatException(file + ": not a VTM parameter file");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new ModelFormatException(file + ": parameter file version " + version
                        + " is newer than this VTM reads (" + VERSION + ")");
            }
            int count = in.readInt();
            // an array takes at least a 2-byte name length, a 4-byte rank and an 8-byte value count
            if (count < 0 || count > bytes.available() / 14) {
                throw new ModelFormatException(file + ": corrupt, header claims " + count + " arrays in "
                        + bytes.available() + " bytes");
            }
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > MAX_RANK) {
                    throw new ModelFormatException(file + ": corrupt, array '" + name + "' has rank " + rank
                            + " (at most " + MAX_RANK + ")");
                }
                long[] shape = new long[rank];
                long product = 1;
                for (int r = 0; r < rank; r++) {
                    shape[r] = in.readLong();
                    if (shape[r] < 0) {
                        throw new ModelFormatException(file + ": corrupt, array '" + name + "' has a negative extent "
                                + shape[r]);
                    }
                    product = multiplyOrMax(product, shape[r]);
                }
                long n = in.readLong();
                if (n != product) {
                    throw new ModelFormatException(file + ": corrupt, array '" + name + "' has shape "
                            + Arrays.toString(shape) + " but records " + n + " values");
                }
                if (n > bytes.available() / Double.BYTES) {
                    throw new ModelFormatException(file + ": corrupt, array '" + name + "' claims " + n
                            + " values, but only " + bytes.available() + " bytes remain");
                }
                double[] v = new double[(int) n];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readDouble();
                }
                out.put(name, rank == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape(shape));
            }
            if (bytes.available() > 0) {
                throw new ModelFormatException(file + ": corrupt, " + bytes.available() + " bytes after the last array");
            }
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new ModelFormatException(file + ": corrupt: " + e, e);
        }
        return out;
    }

    /** {@code a·b}, or {@code Long.MAX_VALUE} if that overflows (no file can hold so many values). */
    private static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
