package org.vtm.transforms;

/**
 * Error of an approximation against the truth over a point set, all outputs pooled:
 * {@code relL2 = ||approx - truth||_2 / ||truth||_2} and {@code maxAbs = max |approx - truth|}.
 * When the truth is identically zero, {@code relL2} is 0 if the error is also zero and
 * {@code +∞} otherwise.
 */
public record ErrorMetrics(double relL2, double maxAbs) {

    /** Metrics of {@code approx} against {@code truth} (same length, any flat layout). */
    public static ErrorMetrics of(double[] approx, double[] truth) {
        if (approx.length != truth.length) {
            throw new IllegalArgumentException("length mismatch: approximation has " + approx.length
                    + " values, truth has " + truth.length);
        }
        double err2 = 0.0;
        double true2 = 0.0;
        double max = 0.0;
        for (int i = 0; i < truth.length; i++) {
            double e = approx[i] - truth[i];
            err2 += e * e;
            true2 += truth[i] * truth[i];
            max = Math.max(max, Math.abs(e));
            if (Double.isNaN(e)) {
                max = Double.NaN;
            }
        }
        double rel = true2 > 0.0 ? Math.sqrt(err2 / true2) : (err2 == 0.0 ? 0.0 : Double.POSITIVE_INFINITY);
        return new ErrorMetrics(rel, max);
    }
}
