package org.vtm.datagen.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFormatException;

/** The Spark-free loader of the linear baseline (format vtm.linear-baseline/2, and /1 read). */
class LinearBaselineFileTest {

    @Test
    void theLoaderRefusesNewerForeignCorruptAndInconsistentFilesNamingThem(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(LinearBaselineFile.FILE_NAME);
        String json = LinearBaselineFile.toJson(LinearBaselineTest.model());

        Files.writeString(file, json.replace("\"vtm.linear-baseline/2\"", "\"vtm.linear-baseline/3\""));
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("newer model version vtm.linear-baseline/3"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());

        Files.writeString(file, json.replace("\"vtm.linear-baseline/2\"", "\"vtm.corpus/1\""));
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("expected vtm.linear-baseline/2"), e.getMessage());

        Files.writeString(file, json.replace("  \"next_order\" : false,\n", ""));
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("missing field 'next_order'"), e.getMessage());

        // a model with a+ whose weights lack the a+ columns
        Files.writeString(file, json.replace("\"next_order\" : false", "\"next_order\" : true")
                .replace("\"next_terms\" : 0", "\"next_terms\" : 3"));
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("features.count is 13, expected 2d+3+d·M+d·K = 19"),
                e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), json.length() / 2)); // truncated
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not valid JSON"), e.getMessage());

        Files.writeString(file, json.replaceFirst("\"intercepts\" : \\[ [^,]+,", "\"intercepts\" : [ "));
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("intercepts has 5 values, expected 6"),
                e.getMessage());

        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(tmp.resolve("nothing-here")));
        assertTrue(e.getMessage().contains("nothing-here") && e.getMessage().contains("missing"), e.getMessage());
    }

    /**
     * A file of the previous version (vtm.linear-baseline/1: no next_order field, features never
     * with a+) is still read, as a model without next-order terms that predicts exactly as written.
     */
    @Test
    void aVersionOneFileIsReadAsABaselineWithoutNextOrderTerms(@TempDir Path tmp) throws Exception {
        LinearBaseline m = LinearBaselineTest.model();
        String v1 = LinearBaselineFile.toJson(m).replace("\"vtm.linear-baseline/2\"", "\"vtm.linear-baseline/1\"")
                .replace("  \"next_order\" : false,\n", "").replace("  \"next_terms\" : 0,\n", "");
        assertFalse(v1.contains("next_"), v1);
        Path file = tmp.resolve(LinearBaselineFile.FILE_NAME);
        Files.writeString(file, v1);
        LinearBaseline back = LinearBaselineFile.read(file);
        assertFalse(back.nextOrder());
        assertEquals(0, back.nextTerms());
        double[] x = new java.util.SplittableRandom(3).doubles(m.featureCount(), -2, 2).toArray();
        assertArrayEquals(m.predictNormalised(x), back.predictNormalised(x), 0.0);
    }

    /** A model with a+ keeps its flag, K, its a+ feature names and its predictions through the file. */
    @Test
    void aNextOrderModelRoundTripsWithItsFlagAndFeatureNames(@TempDir Path tmp) throws Exception {
        LinearBaseline m = LinearBaselineTest.nextOrderModel();
        assertTrue(m.nextOrder());
        assertEquals(3, m.nextTerms()); // d=2, n=1: the degree-2 terms (2,0), (1,1), (0,2)
        assertEquals(19, m.featureCount());
        Path file = tmp.resolve(LinearBaselineFile.FILE_NAME);
        LinearBaselineFile.write(m, file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"next_order\" : true") && json.contains("\"a+[1][0,2]\""), json);
        LinearBaseline back = LinearBaselineFile.read(file);
        assertTrue(back.nextOrder());
        assertEquals(3, back.nextTerms());
        double[] x = new java.util.SplittableRandom(4).doubles(m.featureCount(), -2, 2).toArray();
        assertArrayEquals(m.predictNormalised(x), back.predictNormalised(x), 0.0);
    }
}
