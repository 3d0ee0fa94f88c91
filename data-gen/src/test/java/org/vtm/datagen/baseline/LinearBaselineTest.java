package org.vtm.datagen.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark-free apply function of the linear baseline and its round trip through the file format (vtm.linear-baseline/2). */
class LinearBaselineTest {
    static final int D = 2;
    static final int[][] ALPHAS = {{0, 0}, {1, 0}, {0, 1}}; // n = 1, M = 3

    static LinearBaseline model() {
        int p = LinearBaseline.featureCount(D, ALPHAS.length); // 2d + 3 + d·M = 13
        SplittableRandom rnd = new SplittableRandom(5);
        double[] mean = rnd.doubles(p, -1, 1).toArray();
        double[] scale = rnd.doubles(p, 0.5, 2).toArray();
        double[][] w = new double[D * ALPHAS.length][];
        for (int k = 0; k < w.length; k++) {
            w[k] = rnd.doubles(p, -1, 1).toArray();
        }
        double[] b = rnd.doubles(w.length, -1, 1).toArray();
        double[] reg = new double[w.length];
        java.util.Arrays.fill(reg, 1e-4);
        return new LinearBaseline(D, 1, "chebyshev", ALPHAS, mean, scale, w, b, reg, new double[w.length], 42,
                JsonNodeFactory.instance.objectNode().put("method", "test"),
                JsonNodeFactory.instance.objectNode().put("corpus_seed", 7));
    }

    /** As {@link #model()} with the degree-2 terms a+ among the features (K = 3, p = 19). */
    static LinearBaseline nextOrderModel() {
        int p = LinearBaseline.featureCount(D, ALPHAS.length, LinearBaseline.nextTerms(D, 1));
        SplittableRandom rnd = new SplittableRandom(6);
        double[] mean = rnd.doubles(p, -1, 1).toArray();
        double[] scale = rnd.doubles(p, 0.5, 2).toArray();
        double[][] w = new double[D * ALPHAS.length][];
        for (int k = 0; k < w.length; k++) {
            w[k] = rnd.doubles(p, -1, 1).toArray();
        }
        return new LinearBaseline(D, 1, "chebyshev", ALPHAS, true, mean, scale, w, rnd.doubles(w.length, -1, 1).toArray(),
                new double[w.length], new double[w.length], 42, null, null);
    }

    @Test
    void nextOrderFeaturesFollowTheOrderNTermsNormalisedAlike() {
        double[] a = {5, 6, 7, 8, 9, 10};
        double[] next = {11, 12, 13, 14, 15, 16};
        double[] x = LinearBaseline.features(new double[] {1, 2}, new double[] {3, 4}, 0.25, a, next, 2);
        double s = Math.sqrt((25 + 36 + 49 + 64 + 81 + 100) / 6.0); // from a alone
        assertArrayEquals(new double[] {1, 2, 3, 4, 0.25, 5 / s, 6 / s, 7 / s, 8 / s, 9 / s, 10 / s,
            11 / s, 12 / s, 13 / s, 14 / s, 15 / s, 16 / s, 2, Math.log(s)}, x, 1e-15);
        assertEquals(java.util.List.of("v0[0]", "v0[1]", "vt[0]", "vt[1]", "r", "a[0][0,0]", "a[0][1,0]", "a[0][0,1]",
                "a[1][0,0]", "a[1][1,0]", "a[1][0,1]", "a+[0][2,0]", "a+[0][1,1]", "a+[0][0,2]", "a+[1][2,0]", "a+[1][1,1]",
                "a+[1][0,2]", "t", "ln_s"), LinearBaseline.featureNames(D, ALPHAS, new int[][] {{2, 0}, {1, 1}, {0, 2}}));
        // a model fitted with a+ refuses features without them, naming K
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nextOrderModel().predictNormalised(LinearBaseline.features(new double[] {1, 2}, new double[] {3, 4}, 0.25, a, 2)));
        assertTrue(e.getMessage().contains("K=3"), e.getMessage());
    }

    @Test
    void featuresFollowTheDocumentedOrder() {
        double[] x = LinearBaseline.features(new double[] {1, 2}, new double[] {3, 4}, 0.25,
                new double[] {5, 6, 7, 8, 9, 10}, 2);
        double s = Math.sqrt((25 + 36 + 49 + 64 + 81 + 100) / 6.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 0.25, 5 / s, 6 / s, 7 / s, 8 / s, 9 / s, 10 / s, 2, Math.log(s)}, x, 1e-15);
        assertEquals(java.util.List.of("v0[0]", "v0[1]", "vt[0]", "vt[1]", "r", "a[0][0,0]", "a[0][1,0]", "a[0][0,1]",
                "a[1][0,0]", "a[1][1,0]", "a[1][0,1]", "t", "ln_s"), LinearBaseline.featureNames(D, ALPHAS));
    }

    @Test
    void predictionIsTheStandardisedAffineMapAndSurvivesTheRoundTrip(@TempDir Path tmp) throws Exception {
        LinearBaseline m = model();
        double[] x = new SplittableRandom(9).doubles(m.featureCount(), -3, 3).toArray();
        double[] y = m.predictNormalised(x);
        for (int k = 0; k < m.outputCount(); k++) {
            double expected = m.intercept(k);
            for (int j = 0; j < x.length; j++) {
                expected += m.weights(k)[j] * (x[j] - m.mean()[j]) / m.scale()[j];
            }
            assertEquals(expected, y[k], 1e-12 * (1 + Math.abs(expected)), "output " + k);
        }
        Path file = tmp.resolve("out").resolve(LinearBaselineFile.FILE_NAME);
        LinearBaselineFile.write(m, file);
        LinearBaseline back = LinearBaselineFile.read(file.getParent()); // a directory resolves to its model file
        // JSON doubles round-trip exactly (shortest repr), so predictions are bit-identical
        assertArrayEquals(y, back.predictNormalised(x));
        assertEquals(7, back.provenance().path("corpus_seed").asInt());
        assertEquals(42, back.trainingRows());
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left next to the model");
        }
    }

    @Test
    void wrongFeatureLengthsAreRefusedNamingTheExpectation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model().predictNormalised(new double[5]));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("13"), e.getMessage());
    }
}
