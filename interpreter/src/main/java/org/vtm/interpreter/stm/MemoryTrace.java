package org.vtm.interpreter.stm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.interpreter.train.TrainingJson;

/**
 * What a trained STM does with its memory, step by step, while it reads a text ({@link TailScorer#carried} with this
 * as the visitor). Per layer and step it records
 * <ul>
 *   <li>Θ (the affine parameters: where the word grid lands), and the centroid (row, column) of the read map;
 *   <li>the inside fraction: the read map's total weight divided by the word's cells, {@code Σ_q A_q / P} — 1 when
 *       every word cell samples inside the memory, less when the grid reaches past the edge (zero padding);
 *   <li>the write crowding: the share of write weight in excess of one per memory cell,
 *       {@code Σ_q max(0, A_q − 1) / Σ_q A_q} — the part of the word that is averaged with other word cells
 *       landing on the same memory cell (0 when no two word cells share a cell), and the largest {@code A_q};
 *   <li>the memory's Frobenius norm after the layer wrote.
 * </ul>
 * It also sums the read and write maps per layer (heat maps) and feeds a {@link StmDiagnostics} (coverage, entropy,
 * same-location fraction). {@link #summary} gives means and extremes as JSON; {@link #writeCsv} the per-step trace;
 * {@link #writePictures} PNGs in the style of {@code vtm stm activity} ({@link ActivityRenderer}).
 */
public final class MemoryTrace implements TailScorer.StepVisitor {
    /** Values per layer and step in {@link #rows}: Θ, centroid row, centroid column, inside, crowding, max A, norm. */
    private final int layers;
    private final int thetaSize;
    private final int memRows;
    private final int memCols;
    private final int wordCells;
    private final int width;
    private final List<double[]> rows = new ArrayList<>();
    private final double[][] readTotals;
    private final double[][] writeTotals;
    private final StmDiagnostics diagnostics;
    private double[] lastMemory;
    private double[] current;

    /** A trace of a network of {@code config}'s shape with {@code layers} layers. */
    public MemoryTrace(StmConfig config) {
        this.layers = config.layers();
        this.thetaSize = config.thetaForm().size();
        this.memRows = config.memRows();
        this.memCols = config.memCols();
        this.wordCells = config.wordCells();
        this.width = thetaSize + 6;
        this.readTotals = new double[layers][memRows * memCols];
        this.writeTotals = new double[layers][memRows * memCols];
        this.diagnostics = new StmDiagnostics(layers, memRows * memCols);
    }

    @Override
    public void visit(int position, CharEngine engine, int t) {
        for (int l = 0; l < layers; l++) {
            add(l, engine.theta(l, t)[0], engine.readMap(l, t)[0], engine.writeMap(l, t)[0], engine.memory(l, t)[0]);
        }
    }

    /**
     * Records layer {@code layer} of the next step (call the layers of a step in order 0..L−1): its Θ, read and write
     * maps ([H·W]) and the memory after its write ([H·W]).
     */
    public void add(int layer, double[] theta, double[] read, double[] write, double[] memory) {
        if (layer < 0 || layer >= layers || theta.length != thetaSize || read.length != memRows * memCols
                || write.length != read.length || memory.length != read.length) {
            throw new IllegalArgumentException("layer " + layer + " of " + layers + " with Θ of " + theta.length
                    + " and maps of " + read.length + "/" + write.length + "/" + memory.length + " values; expected "
                    + thetaSize + " and " + memRows * memCols);
        }
        if (layer == 0) {
            current = new double[layers * width];
            rows.add(current);
        } else if (current == null) {
            throw new IllegalStateException("layer 0 of a step must come first");
        }
        int o = layer * width;
        System.arraycopy(theta, 0, current, o, thetaSize);
        double[] c = centroid(read, memRows, memCols);
        current[o + thetaSize] = c[0];
        current[o + thetaSize + 1] = c[1];
        current[o + thetaSize + 2] = insideFraction(read, wordCells);
        current[o + thetaSize + 3] = crowding(write);
        double max = 0;
        for (double a : write) {
            max = Math.max(max, a);
        }
        current[o + thetaSize + 4] = max;
        current[o + thetaSize + 5] = norm(memory);
        for (int q = 0; q < read.length; q++) {
            readTotals[layer][q] += read[q];
            writeTotals[layer][q] += write[q];
        }
        diagnostics.add(layer, new double[][] {read}, new double[][] {write});
        lastMemory = memory.clone();
    }

    /** Steps recorded. */
    public int steps() {
        return rows.size();
    }

    /** {@code Σ_q A_q / P}: the share of the word's sampling weight that falls inside the memory. */
    public static double insideFraction(double[] access, int wordCells) {
        double s = 0;
        for (double a : access) {
            s += a;
        }
        return s / wordCells;
    }

    /** {@code Σ_q max(0, A_q − 1) / Σ_q A_q} (0 for an empty map). */
    public static double crowding(double[] access) {
        double s = 0;
        double excess = 0;
        for (double a : access) {
            s += a;
            excess += Math.max(0, a - 1);
        }
        return s > 0 ? excess / s : 0;
    }

    /** The weighted mean (row, column) of a [rows·cols] map (NaN for an empty map). */
    public static double[] centroid(double[] map, int rowsN, int colsN) {
        double s = 0;
        double r = 0;
        double c = 0;
        for (int a = 0; a < rowsN; a++) {
            for (int b = 0; b < colsN; b++) {
                double w = map[a * colsN + b];
                s += w;
                r += w * a;
                c += w * b;
            }
        }
        return s > 0 ? new double[] {r / s, c / s} : new double[] {Double.NaN, Double.NaN};
    }

    /** The Frobenius norm. */
    public static double norm(double[] memory) {
        double s = 0;
        for (double v : memory) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Means, spreads and extremes per layer, and the {@link StmDiagnostics} of the same steps. */
    public ObjectNode summary() {
        ObjectNode root = TrainingJson.MAPPER.createObjectNode();
        root.put("steps", rows.size());
        ArrayNode ls = root.putArray("layers");
        List<StmDiagnostics.Layer> d = diagnostics.summary();
        for (int l = 0; l < layers; l++) {
            ObjectNode n = ls.addObject();
            n.put("layer", l + 1);
            ArrayNode tm = n.putArray("thetaMean");
            ArrayNode ts = n.putArray("thetaStd");
            for (int k = 0; k < thetaSize; k++) {
                double[] ms = meanStd(l, k);
                tm.add(ms[0]);
                ts.add(ms[1]);
            }
            double[] cr = meanStd(l, thetaSize);
            double[] cc = meanStd(l, thetaSize + 1);
            n.put("readCentroidRowMean", cr[0]);
            n.put("readCentroidRowStd", cr[1]);
            n.put("readCentroidColMean", cc[0]);
            n.put("readCentroidColStd", cc[1]);
            n.put("insideFractionMean", meanStd(l, thetaSize + 2)[0]);
            n.put("insideFractionMin", extreme(l, thetaSize + 2, false));
            n.put("stepsPartlyOutside", fractionBelow(l, thetaSize + 2, 0.999));
            n.put("writeCrowdingMean", meanStd(l, thetaSize + 3)[0]);
            n.put("writeCrowdingMax", extreme(l, thetaSize + 3, true));
            n.put("writeAccessMax", extreme(l, thetaSize + 4, true));
            n.put("memoryNormMean", meanStd(l, thetaSize + 5)[0]);
            n.put("memoryNormMax", extreme(l, thetaSize + 5, true));
            if (!rows.isEmpty()) {
                n.put("memoryNormFinal", rows.get(rows.size() - 1)[l * width + thetaSize + 5]);
            }
            StmDiagnostics.Layer dl = d.get(l);
            n.put("readCoverage", dl.readCoverage());
            n.put("readEntropy", dl.readEntropy());
            n.put("writeCoverage", dl.writeCoverage());
            n.put("writeEntropy", dl.writeEntropy());
            if (Double.isFinite(dl.sameLocationFraction())) {
                n.put("sameLocationFraction", dl.sameLocationFraction());
            } else {
                n.putNull("sameLocationFraction");
            }
            n.put("collapsedToLstm", dl.collapsedToLstm());
        }
        return root;
    }

    /** The per-layer {@link StmDiagnostics} summary of the recorded steps. */
    public List<StmDiagnostics.Layer> diagnostics() {
        return diagnostics.summary();
    }

    private double[] meanStd(int l, int k) {
        double s = 0;
        double s2 = 0;
        long n = 0;
        for (double[] r : rows) {
            double v = r[l * width + k];
            if (Double.isFinite(v)) {
                s += v;
                s2 += v * v;
                n++;
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double m = s / n;
        return new double[] {m, Math.sqrt(Math.max(0, s2 / n - m * m))};
    }

    private double extreme(int l, int k, boolean max) {
        double e = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double[] r : rows) {
            double v = r[l * width + k];
            e = max ? Math.max(e, v) : Math.min(e, v);
        }
        return rows.isEmpty() ? Double.NaN : e;
    }

    private double fractionBelow(int l, int k, double bound) {
        long n = 0;
        for (double[] r : rows) {
            if (r[l * width + k] < bound) {
                n++;
            }
        }
        return rows.isEmpty() ? Double.NaN : (double) n / rows.size();
    }

    /** The per-step trace as CSV: step, layer, Θ…, centroid, inside, crowding, max access, memory norm. */
    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder("step,layer");
        for (int k = 0; k < thetaSize; k++) {
            b.append(",theta").append(k);
        }
        b.append(",readRow,readCol,inside,crowding,maxAccess,memoryNorm\n");
        for (int s = 0; s < rows.size(); s++) {
            double[] r = rows.get(s);
            for (int l = 0; l < layers; l++) {
                b.append(s).append(',').append(l + 1);
                for (int k = 0; k < width; k++) {
                    b.append(',').append(String.format(Locale.ROOT, "%.6g", r[l * width + k]));
                }
                b.append('\n');
            }
        }
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * PNGs into {@code dir}: {@code layers-read.png} and {@code layers-write.png} (summed maps per layer, side by
     * side), {@code memory-final.png} (|M| after the last step), {@code read-rows.png} and {@code read-cols.png}
     * (per layer, where the reads land over time: x = time in {@code bins} bins, y = memory row or column, shade =
     * read weight), and {@code memory-norm.png}, {@code inside.png}, {@code crowding.png} (per layer over time, binned).
     */
    public void writePictures(Path dir, int cell, int bins) throws IOException {
        BufferedImage[] reads = new BufferedImage[layers];
        BufferedImage[] writes = new BufferedImage[layers];
        for (int l = 0; l < layers; l++) {
            reads[l] = ActivityRenderer.heatMap(readTotals[l], memRows, memCols, cell, "layer " + (l + 1) + " read");
            writes[l] = ActivityRenderer.heatMap(writeTotals[l], memRows, memCols, cell, "layer " + (l + 1) + " write");
        }
        ActivityRenderer.write(ActivityRenderer.sideBySide(reads), dir.resolve("layers-read.png"));
        ActivityRenderer.write(ActivityRenderer.sideBySide(writes), dir.resolve("layers-write.png"));
        if (lastMemory != null) {
            double[] abs = new double[lastMemory.length];
            for (int q = 0; q < abs.length; q++) {
                abs[q] = Math.abs(lastMemory[q]);
            }
            ActivityRenderer.write(ActivityRenderer.heatMap(abs, memRows, memCols, cell, "|M| at the end"),
                    dir.resolve("memory-final.png"));
        }
        int nb = Math.max(1, Math.min(bins, rows.size()));
        BufferedImage[] byRow = new BufferedImage[layers];
        BufferedImage[] byCol = new BufferedImage[layers];
        BufferedImage[] norm = new BufferedImage[layers];
        BufferedImage[] inside = new BufferedImage[layers];
        BufferedImage[] crowd = new BufferedImage[layers];
        for (int l = 0; l < layers; l++) {
            byRow[l] = ActivityRenderer.heatMap(kymograph(l, thetaSize, memRows, nb), memRows, nb, 3,
                    "layer " + (l + 1) + " read row over time");
            byCol[l] = ActivityRenderer.heatMap(kymograph(l, thetaSize + 1, memCols, nb), memCols, nb, 3,
                    "layer " + (l + 1) + " read column over time");
            norm[l] = ActivityRenderer.lineChart(binned(l, thetaSize + 5, nb), 3, 80, "layer " + (l + 1) + " |M|");
            inside[l] = ActivityRenderer.lineChart(binned(l, thetaSize + 2, nb), 3, 80,
                    "layer " + (l + 1) + " inside fraction");
            crowd[l] = ActivityRenderer.lineChart(binned(l, thetaSize + 3, nb), 3, 80,
                    "layer " + (l + 1) + " write crowding");
        }
        ActivityRenderer.write(ActivityRenderer.stacked(byRow), dir.resolve("read-rows.png"));
        ActivityRenderer.write(ActivityRenderer.stacked(byCol), dir.resolve("read-cols.png"));
        ActivityRenderer.write(ActivityRenderer.stacked(norm), dir.resolve("memory-norm.png"));
        ActivityRenderer.write(ActivityRenderer.stacked(inside), dir.resolve("inside.png"));
        ActivityRenderer.write(ActivityRenderer.stacked(crowd), dir.resolve("crowding.png"));
    }

    /** [positions·bins] counts of the centroid coordinate {@code k} (rounded) per time bin. */
    private double[] kymograph(int l, int k, int positions, int bins) {
        double[] m = new double[positions * bins];
        for (int s = 0; s < rows.size(); s++) {
            double v = rows.get(s)[l * width + k];
            if (Double.isFinite(v)) {
                int p = Math.max(0, Math.min(positions - 1, (int) Math.round(v)));
                int b = (int) ((long) s * bins / rows.size());
                m[p * bins + b]++;
            }
        }
        return m;
    }

    private double[] binned(int l, int k, int bins) {
        double[] sum = new double[bins];
        int[] n = new int[bins];
        for (int s = 0; s < rows.size(); s++) {
            int b = (int) ((long) s * bins / rows.size());
            sum[b] += rows.get(s)[l * width + k];
            n[b]++;
        }
        for (int b = 0; b < bins; b++) {
            sum[b] = n[b] == 0 ? Double.NaN : sum[b] / n[b];
        }
        return sum;
    }
}
