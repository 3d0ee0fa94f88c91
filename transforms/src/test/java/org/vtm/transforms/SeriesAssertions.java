package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.fail;

/** Tolerance assertions that name the failing element. */
final class SeriesAssertions {

    private SeriesAssertions() {
    }

    /** |a - e| <= atol + rtol * |e|. */
    static void assertClose(double expected, double actual, double rtol, double atol, String what) {
        double err = Math.abs(actual - expected);
        if (!(err <= atol + rtol * Math.abs(expected))) {
            fail(what + ": expected " + expected + ", got " + actual + " (error " + err + ", rtol " + rtol
                    + ", atol " + atol + ")");
        }
    }

    /**
     * Norm-wise relative comparison: every element within {@code rtol * max(1, max|expected|)}.
     * The scale is the largest magnitude so that tiny coefficients produced by cancellation are
     * judged against the size of the numbers they were computed from.
     */
    static void assertAllClose(double[] expected, double[] actual, double rtol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= rtol * scale)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (error " + err
                        + " > " + rtol + " * scale " + scale + ")");
            }
        }
    }
}
