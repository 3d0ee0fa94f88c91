package org.vtm.interpreter.engine.stm;

/**
 * Cross-entropy of a softmax over the alphabet: for logits {@code z [B, V]} and targets {@code y [B, V]} (one-hot,
 * or any weights: the loss is {@code −Σ y ⊙ logSoftmax(z)}, as in {@code CharNetwork}), scaled by a constant
 * (1/(B·T) for the mean over a segment). The gradient is {@code −scale·(y − softmax(z)·Σ_v y)}.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * Returns {@code −scale·Σ y ⊙ logSoftmax(z)} over {@code rows} rows of {@code v} logits and, if {@code dz} is
     * not null, sets ∂loss/∂z there.
     */
    public static double loss(double[] z, int zo, double[] y, int yo, int rows, int v, double scale, double[] dz,
            int dzo) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * v;
            int yr = yo + r * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, z[zr + k]);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                sum += Math.exp(z[zr + k] - max);
            }
            double lse = Math.log(sum);
            double ysum = 0;
            double row = 0;
            for (int k = 0; k < v; k++) {
                double yk = y[yr + k];
                if (yk != 0.0) {
                    row += yk * (z[zr + k] - max - lse);
                    ysum += yk;
                }
            }
            total += row;
            if (dz != null) {
                int dr = dzo + r * v;
                for (int k = 0; k < v; k++) {
                    double pk = Math.exp(z[zr + k] - max) / sum;
                    dz[dr + k] = -scale * (y[yr + k] - pk * ysum);
                }
            }
        }
        return -scale * total;
    }
}
