package org.vtm.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ParameterFile} (vtm.params/1) is an input like any other: every damaged, foreign or newer
 * file is a {@link ModelFormatException} naming it, and a header is checked against the bytes that
 * follow it before anything is allocated.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParameterFileTest {
    private static final int MAGIC = 0x564D5450;

    @TempDir
    Path tmp;

    /** The header and body of a file with one array, as ParameterFile writes it. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** A file with the given body and a valid SHA-256 trailer: only the header's claims are wrong. */
    Path file(String name, Body body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        }
        byte[] b = bytes.toByteArray();
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(b);
        byte[] all = Arrays.copyOf(b, b.length + sha.length);
        System.arraycopy(sha, 0, all, b.length, sha.length);
        Path f = tmp.resolve(name);
        Files.write(f, all);
        return f;
    }

    /** One array named "w" with the given rank, extents and value count, followed by {@code values} doubles. */
    Path oneArray(String name, int rank, long[] extents, long n, int values) throws Exception {
        return file(name, out -> {
            out.writeInt(MAGIC);
            out.writeInt(1);
            out.writeInt(1);
            out.writeUTF("w");
            out.writeInt(rank);
            for (long e : extents) {
                out.writeLong(e);
            }
            out.writeLong(n);
            for (int i = 0; i < values; i++) {
                out.writeDouble(i);
            }
        });
    }

    static void assertRefused(Path f, String... phrases) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ParameterFile.read(f), f.toString());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void roundTripKeepsNamesShapesAndValues() throws Exception {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("a", Nd4j.createFromArray(new double[] {1, 2, 3, 4, 5, 6}).reshape(2, 3));
        arrays.put("s", Nd4j.scalar(7.5));
        Path f = tmp.resolve("ok.params");
        ParameterFile.write(f, arrays);
        Map<String, INDArray> back = ParameterFile.read(f);
        assertEquals(arrays.keySet(), back.keySet());
        assertEquals(arrays.get("a").castTo(DataType.DOUBLE), back.get("a"));
        assertEquals(7.5, back.get("s").getDouble(0));
    }

    /**
     * Headers that claim more than the file holds are refused before allocating: with the old reader
     * a claim of 2^31 − 16 values allocated 16 GiB (OutOfMemoryError), and a huge or negative rank
     * allocated the shape array first (OutOfMemoryError, NegativeArraySizeException).
     */
    @Test
    void headersClaimingMoreThanTheFileHoldsAreRefusedWithoutAllocating() throws Exception {
        assertRefused(oneArray("values-2g.params", 1, new long[] {Integer.MAX_VALUE - 16}, Integer.MAX_VALUE - 16, 4),
                "array 'w' claims 2147483631 values", "bytes remain");
        assertRefused(oneArray("values-2e40.params", 1, new long[] {1L << 40}, 1L << 40, 4), "claims 1099511627776 values");
        assertRefused(oneArray("overflow.params", 3, new long[] {1L << 30, 1L << 30, 1L << 30}, 1L << 40, 4),
                "has shape [1073741824, 1073741824, 1073741824] but records 1099511627776 values");
        assertRefused(oneArray("rank-huge.params", Integer.MAX_VALUE, new long[0], 0, 0), "rank 2147483647");
        assertRefused(oneArray("rank-negative.params", -1, new long[0], 0, 0), "rank -1");
        assertRefused(oneArray("extent-negative.params", 2, new long[] {-2, -3}, 6, 6), "negative extent -2");
        assertRefused(oneArray("mismatch.params", 2, new long[] {3, 2}, 5, 5), "has shape [3, 2] but records 5 values");
        assertRefused(oneArray("scalar-empty.params", 0, new long[0], 0, 0), "has shape [] but records 0 values");
        assertRefused(file("count-huge.params", out -> {
            out.writeInt(MAGIC);
            out.writeInt(1);
            out.writeInt(Integer.MAX_VALUE);
            out.writeUTF("w");
            out.writeInt(0);
            out.writeLong(1);
            out.writeDouble(1);
        }), "header claims 2147483647 arrays");
        assertRefused(oneArray("trailing.params", 1, new long[] {2}, 2, 3), "bytes after the last array");
    }

    @Test
    void damagedForeignAndNewerFilesAreRefusedByName() throws Exception {
        Path good = tmp.resolve("good.params");
        ParameterFile.write(good, Map.of("a", Nd4j.createFromArray(new double[] {1, 2, 3})));
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.params");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 5));
        assertRefused(truncated, "checksum mismatch");
        Path tiny = tmp.resolve("tiny.params");
        Files.write(tiny, Arrays.copyOf(bytes, 10));
        assertRefused(tiny, "truncated");
        Path flipped = tmp.resolve("flipped.params");
        byte[] f = bytes.clone();
        f[20] ^= 1;
        Files.write(flipped, f);
        assertRefused(flipped, "checksum mismatch");

        assertRefused(file("foreign.params", out -> {
            out.writeInt(0x504B0304); // a zip file's magic
            out.writeInt(1);
            out.writeInt(0);
            out.writeLong(0);
        }), "not a VTM parameter file");
        assertRefused(file("newer.params", out -> {
            out.writeInt(MAGIC);
            out.writeInt(9);
            out.writeInt(0);
            out.writeLong(0);
        }), "version 9 is newer");
        assertRefused(tmp.resolve("absent.params"), "missing");
    }
}
