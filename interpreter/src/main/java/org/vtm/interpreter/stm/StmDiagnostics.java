package org.vtm.interpreter.stm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-layer memory-access statistics that detect the failure the seed warns about ("naive training
 * converges to an LSTM": always reading and writing the same location).
 *
 * <p>Feed it the access maps {@code Σ_p K_p} ([B, H·W], one per layer and step, in step order).
 * For each layer it reports
 * <ul>
 *   <li>coverage: the fraction of memory cells whose accumulated read weight is at least a tenth of
 *       the uniform share (1/(H·W) of the total);
 *   <li>entropy: Shannon entropy of the accumulated read distribution divided by log(H·W)
 *       (1 = uniform over the memory, 0 = a single cell);
 *   <li>same-location fraction: over consecutive steps of each stream, the fraction whose
 *       normalised read distributions differ by less than 0.1 in total variation;
 *   <li>collapsed: same-location fraction ≥ 0.9 — the layer keeps addressing the same patch, so
 *       its word behaves like an ordinary LSTM cell.
 * </ul>
 */
public final class StmDiagnostics {
    /** Total-variation distance below which two consecutive reads count as the same location. */
    public static final double SAME_TV = 0.1;
    /** Same-location fraction from which a layer is flagged as collapsed to an LSTM. */
    public static final double COLLAPSE_FRACTION = 0.9;

    private final int layers;
    private final int cells;
    private final double[][] readSum;
    private final double[][] writeSum;
    private final double[][][] previous; // [layer][stream][cell], null until the first step
    private final long[] pairs;
    private final long[] same;

    public StmDiagnostics(int layers, int cells) {
        this.layers = layers;
        this.cells = cells;
        this.readSum = new double[layers][cells];
        this.writeSum = new double[layers][cells];
        this.previous = new double[layers][][];
        this.pairs = new long[layers];
        this.same = new long[layers];
    }

    /** Adds one step of layer {@code layer}: read and write maps [B][H·W]. */
    public void add(int layer, double[][] read, double[][] write) {
        if (previous[layer] == null || previous[layer].length != read.length) {
            previous[layer] = new double[read.length][];
        }
        for (int b = 0; b < read.length; b++) {
            double[] r = read[b];
            double total = 0;
            for (int q = 0; q < cells; q++) {
                readSum[layer][q] += r[q];
                writeSum[layer][q] += write[b][q];
                total += r[q];
            }
            double[] p = new double[cells];
            for (int q = 0; q < cells; q++) {
                p[q] = total > 0 ? r[q] / total : 0;
            }
            double[] prev = previous[layer][b];
            if (prev != null) {
                double tv = 0;
                for (int q = 0; q < cells; q++) {
                    tv += Math.abs(p[q] - prev[q]);
                }
                pairs[layer]++;
                if (tv / 2 < SAME_TV) {
                    same[layer]++;
                }
            }
            previous[layer][b] = p;
        }
    }

    /** Forgets the previous step (call between independent streams/segments that do not follow each other). */
    public void breakSequence() {
        for (int l = 0; l < layers; l++) {
            previous[l] = null;
        }
    }

    /** The accumulated read weight of layer {@code l} per cell (copy). */
    public double[] readTotals(int l) {
        return readSum[l].clone();
    }

    /** The accumulated write weight of layer {@code l} per cell (copy). */
    public double[] writeTotals(int l) {
        return writeSum[l].clone();
    }

    /** The summary of every layer. */
    public List<Layer> summary() {
        List<Layer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double sf = pairs[l] == 0 ? Double.NaN : (double) same[l] / pairs[l];
            out.add(new Layer(l, coverage(readSum[l]), entropy(readSum[l]), coverage(writeSum[l]),
                    entropy(writeSum[l]), sf, pairs[l] > 0 && sf >= COLLAPSE_FRACTION));
        }
        return out;
    }

    static double coverage(double[] acc) {
        double total = 0;
        for (double a : acc) {
            total += a;
        }
        if (total <= 0) {
            return 0;
        }
        int n = 0;
        for (double a : acc) {
            if (a >= 0.1 * total / acc.length) {
                n++;
            }
        }
        return (double) n / acc.length;
    }

    static double entropy(double[] acc) {
        double total = 0;
        for (double a : acc) {
            total += a;
        }
        if (total <= 0) {
            return 0;
        }
        double h = 0;
        for (double a : acc) {
            if (a > 0) {
                double p = a / total;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(acc.length);
    }

    /** Diagnostics of one layer. */
    public record Layer(int layer, double readCoverage, double readEntropy, double writeCoverage,
            double writeEntropy, double sameLocationFraction, boolean collapsedToLstm) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "layer %d: read coverage %.2f entropy %.2f, write coverage %.2f entropy %.2f, "
                            + "same-location %.2f%s", layer + 1, readCoverage, readEntropy, writeCoverage,
                    writeEntropy, sameLocationFraction, collapsedToLstm ? "  COLLAPSED TO AN LSTM" : "");
        }
    }
}
