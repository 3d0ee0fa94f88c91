package org.vtm.interpreter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Packs batches of a fixed pool of programs into the model's placeholders, with the same arrays, bit for bit, as
 * {@link ModelInputs#training} and {@link ModelInputs#inputs} (BatchPackerTest), at a fraction of the cost:
 * <ul>
 *   <li>the features {@code x} of every program do not depend on the batch, so they are computed once, when the
 *       packer is made, with the same {@link InterpreterModel#features} call; so are the squared norms
 *       {@code ‖y_t‖²} of the row weights (same loop, same order of additions);</li>
 *   <li>a batch is then a few {@code System.arraycopy}s into Java arrays kept per batch size, copied into
 *       ND4J arrays kept per batch size (no allocation, on or off the Java heap, in steady state).</li>
 * </ul>
 * What depends on the batch is computed per batch exactly as {@link ModelInputs#training} does: the number of real
 * rows and, for the {@code rel} loss, the batch's mean squared norm (summed in the same order).
 *
 * <p>Memory: {@code F} doubles of features per real step of the pool (F = 56 at d = 2, n = 4), small beside the
 * {@code d·S} sample values per step the pool's samples already hold (128 at S = 64), plus one set of batch arrays
 * per batch size used (the Trainer uses two: the batch size and the last, shorter batch).
 *
 * <p>The maps returned share their arrays with the next call for the same batch size: use a batch before packing the
 * next. Not thread-safe.
 */
public final class BatchPacker {
    private final ModelConfig config;
    private final List<StepDataset.Sample> pool;
    private final int maxSteps;
    private final int sampleCount;
    private final boolean nextOrder;
    private final boolean log;
    private final int f;
    private final int dm;
    private final int dk;
    private final int width;
    /** Per program of the pool: features {@code [t][F]} of its real steps. */
    private final double[][] features;
    /** Per program of the pool: {@code ‖y_t‖²} of its real steps. */
    private final double[][] norms;
    private final Map<Integer, Slot> slots = new HashMap<>();

    /** Java and ND4J arrays for one batch size. */
    private static final class Slot {
        final double[] x;
        final double[] a;
        final double[] next;
        final double[] y;
        final double[] w;
        final double[] mask;
        final INDArray xa;
        final INDArray aa;
        final INDArray nexta;
        final INDArray ya;
        final INDArray wa;
        final INDArray maska;

        Slot(int b, int maxSteps, int f, int d, int m, int k, int s, boolean nextOrder, boolean log) {
            long rows = (long) b * maxSteps;
            x = new double[b * maxSteps * f];
            a = new double[b * maxSteps * d * m];
            next = nextOrder ? new double[b * maxSteps * d * k] : null;
            y = new double[b * maxSteps * d * s];
            w = new double[b * maxSteps];
            mask = log ? new double[b * maxSteps] : null;
            xa = Nd4j.create(DataType.DOUBLE, b, maxSteps, f);
            aa = Nd4j.create(DataType.DOUBLE, rows, d, m);
            nexta = nextOrder ? Nd4j.create(DataType.DOUBLE, rows, d, k) : null;
            ya = Nd4j.create(DataType.DOUBLE, rows, d, s);
            wa = Nd4j.create(DataType.DOUBLE, rows, 1, 1);
            maska = log ? Nd4j.create(DataType.DOUBLE, rows) : null;
        }
    }

    /**
     * A packer for batches drawn from {@code pool}, padded to {@code maxSteps} steps, with {@code sampleCount} sample
     * points per step (as {@link ModelInputs#training}).
     *
     * @throws IllegalArgumentException if a program is longer than {@code maxSteps} or, for NEXT_ORDER, lacks the
     *     degree-(n+1) terms
     */
    public BatchPacker(ModelConfig config, List<StepDataset.Sample> pool, int maxSteps, int sampleCount) {
        this.config = config;
        this.pool = List.copyOf(pool);
        this.maxSteps = maxSteps;
        this.sampleCount = sampleCount;
        this.nextOrder = config.inputs() == ModelConfig.Inputs.NEXT_ORDER;
        this.log = config.loss() == ModelConfig.Loss.LOG_REL;
        int d = config.dim();
        this.f = config.features();
        this.dm = d * config.terms();
        this.dk = nextOrder ? d * config.nextTerms() : 0;
        this.width = d * sampleCount;
        this.features = new double[this.pool.size()][];
        this.norms = new double[this.pool.size()][];
        for (int i = 0; i < this.pool.size(); i++) {
            StepDataset.Sample s = this.pool.get(i);
            if (s.steps() > maxSteps) {
                throw new IllegalArgumentException("sample " + s.index() + " has " + s.steps() + " steps; the batches are "
                        + "padded to " + maxSteps);
            }
            if (config.structure() && s.syntax() == null) {
                throw new IllegalArgumentException("the model's structure inputs need the syntax of every program, which "
                        + "sample " + s.index() + " lacks");
            }
            if (nextOrder && s.next() == null) {
                throw new IllegalArgumentException("the model needs the degree-" + (config.order() + 1)
                        + " terms of the prefix expansion, which sample " + s.index() + " lacks");
            }
            double[] x = new double[s.steps() * f];
            for (int t = 0; t < s.steps(); t++) {
                InterpreterModel.features(config, s.stepPoints(), t * d, s.prefix(), t * dm, s.next(), t * dk, s.radius(),
                        t, x, t * f);
            }
            features[i] = x;
            if (s.values().length >= s.steps() * width) {
                double[] n = new double[s.steps()];
                for (int t = 0; t < s.steps(); t++) {
                    double norm = 0;
                    for (int j = 0; j < width; j++) {
                        double v = s.values()[t * width + j];
                        norm += v * v;
                    }
                    n[t] = norm;
                }
                norms[i] = n;
            }
        }
    }

    /** The real steps of the programs {@code from..to} of the pool (pool order). */
    public long realSteps(int from, int to) {
        long r = 0;
        for (int i = from; i < to; i++) {
            r += pool.get(i).steps();
        }
        return r;
    }

    /** Programs in the pool. */
    public int size() {
        return pool.size();
    }

    /**
     * The training placeholders ({@code x, a, next, y, w, mask}) of the programs {@code order[from..to)} of the pool,
     * equal to {@code ModelInputs.training(config, those programs, maxSteps, sampleCount)}.
     */
    public Map<String, INDArray> training(int[] order, int from, int to) {
        Slot slot = fill(order, from, to);
        int b = to - from;
        int rows = 0;
        for (int q = from; q < to; q++) {
            rows += pool.get(order[q]).steps();
        }
        double floor = 0;
        if (!log) {
            // as ModelInputs.training: the batch's mean ‖y‖², summed in the same order
            double meanNorm = 0;
            for (int q = from; q < to; q++) {
                StepDataset.Sample s = pool.get(order[q]);
                for (int j = 0; j < s.steps() * width; j++) {
                    meanNorm += s.values()[j] * s.values()[j];
                }
            }
            meanNorm /= Math.max(1, rows);
            floor = ModelInputs.FLOOR * meanNorm + ModelInputs.EPS;
        }
        Arrays.fill(slot.w, 0);
        if (log) {
            Arrays.fill(slot.mask, 0);
        }
        Arrays.fill(slot.y, 0);
        for (int i = 0; i < b; i++) {
            int p = order[from + i];
            StepDataset.Sample s = pool.get(p);
            double[] n = norms[p];
            if (n == null) {
                throw new IllegalArgumentException("sample " + s.index() + " has " + s.values().length
                        + " values, expected " + s.steps() * width + " for training");
            }
            System.arraycopy(s.values(), 0, slot.y, i * maxSteps * width, s.steps() * width);
            for (int t = 0; t < s.steps(); t++) {
                int row = i * maxSteps + t;
                if (log) {
                    slot.w[row] = 1.0 / (n[t] + ModelInputs.EPS);
                    slot.mask[row] = 1.0 / rows;
                } else {
                    slot.w[row] = 1.0 / ((n[t] + floor) * rows);
                }
            }
        }
        Map<String, INDArray> map = inputsOf(slot);
        addStructure(map, order, from, to);
        copy(slot.y, slot.ya);
        copy(slot.w, slot.wa);
        map.put(InterpreterModel.Y, slot.ya);
        map.put(InterpreterModel.W, slot.wa);
        if (log) {
            copy(slot.mask, slot.maska);
            map.put(InterpreterModel.MASK, slot.maska);
        }
        return map;
    }

    /** As {@link #training} for the programs {@code from..to} of the pool in pool order. */
    public Map<String, INDArray> training(int from, int to) {
        return training(identity(), from, to);
    }

    /**
     * The prediction placeholders ({@code x, a, next}) of the programs {@code order[from..to)}, equal to
     * {@code ModelInputs.inputs(config, those programs, maxSteps)}.
     */
    public Map<String, INDArray> inputs(int[] order, int from, int to) {
        Map<String, INDArray> map = inputsOf(fill(order, from, to));
        addStructure(map, order, from, to);
        return map;
    }

    /** The batch's syntax node table (structure inputs), from the tables computed once per program of the pool. */
    private void addStructure(Map<String, INDArray> map, int[] order, int from, int to) {
        if (!config.structure()) {
            return;
        }
        List<double[]> tables = new java.util.ArrayList<>(to - from);
        for (int q = from; q < to; q++) {
            tables.add(pool.get(order[q]).syntax());
        }
        map.put(InterpreterModel.STRUCTURE, ProgramSyntax.batch(tables, maxSteps));
    }

    private int[] identityOrder;

    private int[] identity() {
        if (identityOrder == null) {
            identityOrder = new int[pool.size()];
            for (int i = 0; i < identityOrder.length; i++) {
                identityOrder[i] = i;
            }
        }
        return identityOrder;
    }

    /** Fills x, a (and next) of the slot for the batch's size and copies them into its ND4J arrays. */
    private Slot fill(int[] order, int from, int to) {
        if (from < 0 || to > order.length || from >= to) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") of " + order.length + " programs");
        }
        int b = to - from;
        Slot slot = slots.computeIfAbsent(b, k -> new Slot(k, maxSteps, f, config.dim(), config.terms(),
                nextOrder ? config.nextTerms() : 0, sampleCount, nextOrder, log));
        for (int i = 0; i < b; i++) {
            int p = order[from + i];
            StepDataset.Sample s = pool.get(p);
            int k = s.steps();
            fillPadded(features[p], slot.x, i * maxSteps * f, k * f, maxSteps * f);
            fillPadded(s.prefix(), slot.a, i * maxSteps * dm, k * dm, maxSteps * dm);
            if (nextOrder) {
                fillPadded(s.next(), slot.next, i * maxSteps * dk, k * dk, maxSteps * dk);
            }
        }
        copy(slot.x, slot.xa);
        copy(slot.a, slot.aa);
        if (nextOrder) {
            copy(slot.next, slot.nexta);
        }
        return slot;
    }

    private static void fillPadded(double[] from, double[] to, int offset, int real, int padded) {
        System.arraycopy(from, 0, to, offset, real);
        Arrays.fill(to, offset + real, offset + padded, 0);
    }

    private Map<String, INDArray> inputsOf(Slot slot) {
        Map<String, INDArray> map = new HashMap<>();
        map.put(InterpreterModel.X, slot.xa);
        map.put(InterpreterModel.A, slot.aa);
        if (nextOrder) {
            map.put(InterpreterModel.NEXT, slot.nexta);
        }
        return map;
    }

    /**
     * Copies {@code from} (exactly {@code to.length()} values) into the c-ordered double buffer of {@code to} (a bulk
     * copy into its host memory, which is then marked as the current copy: a no-op on the CPU backend, and on CUDA
     * the device copy is refreshed before the next op reads it).
     */
    private static void copy(double[] from, INDArray to) {
        to.data().asNioDouble().put(from, 0, from.length);
        Nd4j.getAffinityManager().tagLocation(to, AffinityManager.Location.HOST);
    }
}
