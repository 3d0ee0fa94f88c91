package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code random} program family is the generator of corpus format 1 unchanged: the records
 * (program text, region, rejections and every stored number, bit for bit) equal those that the
 * code before program families existed wrote. The digests below were computed by that code
 * (commit 92935b6, main) with this very test; a change to the random draw makes them differ.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RandomFamilyGoldenTest {

    /** SHA-256 of records 0..39 of {@code defaults(2, 3, chebyshev, 1, 3)}, seed 7. */
    static final String DEFAULT_MIX = "4b38369e92fbfcd010f6da224d04e6dc9583aecc02d8d68236b9d5a594252b1f";
    /** SHA-256 of records 0..29 of {@code defaults(1, 4, legendre, 1, 4)} with depth 4 and an if-heavy mix, seed 123. */
    static final String IF_HEAVY_MIX = "cfb26bc5ca10bcac1459ffe875ad5c756c4f19eb51888742b3105722822e98da";

    @Test
    void defaultMixRecordsAreThoseOfFormatOne() throws Exception {
        GeneratorConfig c = GeneratorConfig.defaults(2, 3, "chebyshev", 1, 3);
        assertEquals(DEFAULT_MIX, digest(new CorpusGenerator(c, 7), 40));
    }

    @Test
    void ifHeavyMixRecordsAreThoseOfFormatOne() throws Exception {
        java.util.Map<String, Double> mix = new java.util.LinkedHashMap<>(GeneratorConfig.defaultOperators());
        mix.put("if", 3.0);
        mix.put("/", 2.0);
        GeneratorConfig c = GeneratorConfig.defaults(1, 4, "legendre", 1, 4).withDepth(4).withOperators(mix);
        assertEquals(IF_HEAVY_MIX, digest(new CorpusGenerator(c, 123), 30));
    }

    /** Every field of format 1's records, in a fixed order, bit for bit. */
    static String digest(CorpusGenerator g, int records) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(8);
        for (long i = 0; i < records; i++) {
            CorpusRecord r = g.record(i);
            sha.update(r.program().getBytes(StandardCharsets.UTF_8));
            sha.update(r.family().getBytes(StandardCharsets.UTF_8));
            put(sha, b, r.index());
            put(sha, b, r.rejectedBefore());
            put(sha, b, r.dim());
            put(sha, b, r.order());
            put(sha, b, Double.doubleToRawLongBits(r.radius()));
            for (double x : r.point()) {
                put(sha, b, Double.doubleToRawLongBits(x));
            }
            for (String column : CorpusSchema.STEP_COLUMNS) {
                for (double[] step : r.unsafeStepArray(column)) {
                    put(sha, b, step.length);
                    for (double x : step) {
                        put(sha, b, Double.doubleToRawLongBits(x));
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void put(MessageDigest sha, ByteBuffer b, long v) {
        b.clear();
        b.putLong(v);
        sha.update(b.array());
    }
}
