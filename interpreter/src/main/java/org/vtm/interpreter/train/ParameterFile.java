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
import org.vtm.datagen.AtomicFiles;

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

    /** Reads every array; errors name the file and the fault. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": missing", e);
        }
        if (all.length < 32 + 12) {
            throw new IOException(file + ": corrupt, truncated (" + all.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(all, all.length - 32);
        if (!Arrays.equals(sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw new IOException(file + ": corrupt, checksum mismatch (truncated or altered)");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a VTM parameter file");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new IOException(file + ": parameter file version " + version + " is newer than this VTM reads ("
                        + VERSION + ")");
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                long[] shape = new long[rank];
                for (int r = 0; r < rank; r++) {
                    shape[r] = in.readLong();
                }
                int n = Math.toIntExact(in.readLong());
                double[] v = new double[n];
                for (int j = 0; j < n; j++) {
                    v[j] = in.readDouble();
                }
                out.put(name, rank == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape(shape));
            }
        } catch (EOFException | ArithmeticException | IllegalArgumentException e) {
            throw new IOException(file + ": corrupt: " + e, e);
        }
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
