package org.vtm.evaluation.heldout;

import java.util.Arrays;
import org.vtm.transforms.Oracle;

/**
 * Points in the scaled box {@code [-1, 1]^d} where errors are measured, independent of the sample
 * points the oracle is fitted on and the trainer's loss uses, with quadrature weights: for
 * {@code d ≤ 3} a tensor Gauss–Legendre rule (then the weighted relative L2 error is the true
 * {@code L2} norm over the box for polynomials up to degree {@code 2q−1} per axis), else a Halton
 * set that starts beyond the sample points (equal weights). Immutable.
 */
public final class EvaluationPoints {
    /** At least this many times the sample points are used. */
    public static final int FACTOR = 4;
    /** Largest dimension given a tensor Gauss–Legendre rule. */
    public static final int MAX_TENSOR_DIM = 3;

    private final String kind;
    private final double[][] points;
    private final double[] weights;

    private EvaluationPoints(String kind, double[][] points, double[] weights) {
        this.kind = kind;
        this.points = points;
        this.weights = weights;
    }

    /**
     * The independent points for a corpus with {@code samples} sample points in dimension {@code d}:
     * at least {@value #FACTOR}·{@code samples} of them.
     */
    public static EvaluationPoints independent(int d, int samples) {
        if (d < 1 || samples < 1) {
            throw new IllegalArgumentException("need d >= 1 and samples >= 1, got d=" + d + ", samples=" + samples);
        }
        int want = FACTOR * samples;
        if (d <= MAX_TENSOR_DIM) {
            int q = 1;
            while (Math.pow(q, d) < want) {
                q++;
            }
            return gaussLegendre(d, q);
        }
        // Halton indices past every index the sample points use (skip + samples), so no point repeats.
        double[] flat = Oracle.haltonPoints(d, samples + want);
        double[][] pts = new double[want][d];
        for (int p = 0; p < want; p++) {
            System.arraycopy(flat, (samples + p) * d, pts[p], 0, d);
        }
        double[] w = new double[want];
        Arrays.fill(w, 1.0);
        return new EvaluationPoints("halton", pts, w);
    }

    /** The tensor rule with {@code q} Gauss–Legendre nodes per axis on {@code [-1, 1]^d}. */
    public static EvaluationPoints gaussLegendre(int d, int q) {
        double[][] rule = gaussLegendre1d(q);
        int count = (int) Math.pow(q, d);
        double[][] pts = new double[count][d];
        double[] w = new double[count];
        for (int p = 0; p < count; p++) {
            int rest = p;
            double wp = 1;
            for (int l = 0; l < d; l++) {
                int i = rest % q;
                rest /= q;
                pts[p][l] = rule[0][i];
                wp *= rule[1][i];
            }
            w[p] = wp;
        }
        return new EvaluationPoints("gauss-legendre " + q + "^" + d, pts, w);
    }

    /** Nodes ({@code [0]}) and weights ({@code [1]}) of the {@code q}-point Gauss–Legendre rule on [-1, 1]. */
    static double[][] gaussLegendre1d(int q) {
        if (q < 1) {
            throw new IllegalArgumentException("a Gauss-Legendre rule needs at least one node, got " + q);
        }
        double[] x = new double[q];
        double[] w = new double[q];
        for (int i = 0; i < q; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (q + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = z;
                for (int k = 2; k <= q; k++) {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                if (q == 1) {
                    p1 = z;
                    p0 = 1;
                }
                dp = q * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-15) {
                    break;
                }
            }
            x[q - 1 - i] = z;
            w[q - 1 - i] = 2 / ((1 - z * z) * dp * dp);
        }
        return new double[][] {x, w};
    }

    /** {@code gauss-legendre q^d} or {@code halton}. */
    public String kind() {
        return kind;
    }

    public int count() {
        return points.length;
    }

    /** The points (a copy). */
    public double[][] points() {
        double[][] c = new double[points.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = points[i].clone();
        }
        return c;
    }

    /** The weights (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    double[][] unsafePoints() {
        return points;
    }

    double[] unsafeWeights() {
        return weights;
    }

    /**
     * Weighted relative L2 error and max-abs error of {@code approx} against {@code truth}, both
     * {@code [point·d + out]}: {@code sqrt(Σ w_p Σ_o e² / Σ w_p Σ_o y²)}; {@code [relL2, maxAbs]}.
     */
    double[] errors(double[] approx, double[] truth, int d) {
        double e2 = 0;
        double y2 = 0;
        double max = 0;
        for (int p = 0; p < points.length; p++) {
            for (int o = 0; o < d; o++) {
                double e = approx[p * d + o] - truth[p * d + o];
                e2 += weights[p] * e * e;
                y2 += weights[p] * truth[p * d + o] * truth[p * d + o];
                max = Double.isNaN(e) ? Double.NaN : Math.max(max, Math.abs(e));
            }
        }
        double rel = y2 > 0 ? Math.sqrt(e2 / y2) : (e2 == 0 ? 0 : Double.POSITIVE_INFINITY);
        return new double[] {rel, max};
    }
}
