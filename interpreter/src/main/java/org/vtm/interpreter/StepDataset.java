package org.vtm.interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vtm.datagen.CorpusBatch;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.transforms.Program;
import org.vtm.interpreter.train.EpochShuffle;

/**
 * A corpus in memory as training samples (one per record = one program), read through
 * {@link CorpusReader#forEachBatch} (flat batches), with the split into training and validation
 * programs.
 */
public final class StepDataset {

    /**
     * One program: per-step arrays, flat. {@code values} is {@code [t][out][s]} (transposed from
     * the corpus' {@code [t][s][out]}); {@code errors} is the corpus' {@code [t][6]}.
     */
    public record Sample(long index, int steps, double radius, double[] stepPoints, double[] prefix, double[] values,
            double[] errors, double[] next, double[] syntax) {
        /** A sample without the degree-(n+1) terms. */
        public Sample(long index, int steps, double radius, double[] stepPoints, double[] prefix, double[] values,
                double[] errors) {
            this(index, steps, radius, stepPoints, prefix, values, errors, null, null);
        }

        /** A sample without the program's syntax table. */
        public Sample(long index, int steps, double radius, double[] stepPoints, double[] prefix, double[] values,
                double[] errors, double[] next) {
            this(index, steps, radius, stepPoints, prefix, values, errors, next, null);
        }

        Sample withNext(double[] n) {
            return new Sample(index, steps, radius, stepPoints, prefix, values, errors, n, syntax);
        }

        /** This sample with the program's {@link ProgramSyntax#table syntax table} (for structure inputs). */
        public Sample withSyntax(double[] table) {
            return new Sample(index, steps, radius, stepPoints, prefix, values, errors, next, table);
        }

        /**
         * One generated record as a sample with its degree-(n+1) terms (for benchmarks and tests that
         * build batches from records without a corpus on disk).
         */
        public static Sample of(CorpusRecord r, int sampleCount, int order) {
            int k = r.steps();
            int d = r.dim();
            int dm = r.prefixExpansion()[0].length;
            double[] points = new double[k * d];
            double[] prefix = new double[k * dm];
            double[] values = new double[k * d * sampleCount];
            for (int t = 0; t < k; t++) {
                System.arraycopy(r.stepPoints()[t], 0, points, t * d, d);
                System.arraycopy(r.prefixExpansion()[t], 0, prefix, t * dm, dm);
                for (int q = 0; q < sampleCount; q++) {
                    for (int o = 0; o < d; o++) {
                        values[(t * d + o) * sampleCount + q] = r.sampleValues()[t][q * d + o];
                    }
                }
            }
            Program program = Program.parse(r.program());
            return new Sample(r.index(), k, r.radius(), points, prefix, values, new double[k * 6],
                    StepInputs.nextOrderTerms(program, r.point(), r.radius(), order), ProgramSyntax.table(program));
        }
    }

    private final CorpusLayout layout;
    private final List<Sample> samples;

    public StepDataset(CorpusLayout layout, List<Sample> samples) {
        this.layout = layout;
        this.samples = List.copyOf(samples);
    }

    /** Reads every record of {@code dir}; its {@code n} and family must match ({@code d} too unless {@code dim ≤ 0}). */
    public static StepDataset read(Path dir, String family, int dim, int order, int maxSteps) throws IOException {
        return read(dir, family, dim, order, maxSteps, false);
    }

    /**
     * As {@link #read(Path, String, int, int, int)}; with {@code nextOrder} also the degree-(n+1) terms of
     * every prefix expansion, recomputed from the records' program text, point and radius ({@link StepInputs}).
     */
    public static StepDataset read(Path dir, String family, int dim, int order, int maxSteps, boolean nextOrder)
            throws IOException {
        return read(dir, family, dim, order, maxSteps, nextOrder, false);
    }

    /**
     * As above; with {@code structure} also every program's {@link ProgramSyntax#table syntax table}, parsed from the
     * records' program text.
     */
    public static StepDataset read(Path dir, String family, int dim, int order, int maxSteps, boolean nextOrder,
            boolean structure) throws IOException {
        CorpusReader reader = CorpusReader.open(dir);
        CorpusLayout layout = reader.layout();
        if ((dim > 0 && layout.dim() != dim) || layout.order() != order || !layout.family().equals(family)) {
            throw new IllegalArgumentException("corpus " + dir + " has d=" + layout.dim() + ", n=" + layout.order()
                    + ", family " + layout.family() + "; the model wants d=" + dim + ", n=" + order + ", family " + family);
        }
        List<Sample> out = new ArrayList<>();
        int[] longest = {0};
        reader.forEachBatch(CorpusFilter.ALL, batch -> {
            addBatch(batch, out);
            for (int b = 0; b < batch.size(); b++) {
                longest[0] = Math.max(longest[0], batch.steps(b));
            }
        });
        if (longest[0] > maxSteps) {
            throw new IllegalArgumentException("corpus " + dir + " has programs of " + longest[0]
                    + " steps; the model's step encoding covers " + maxSteps + " (raise --max-steps)");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("corpus " + dir + " has no records");
        }
        if (nextOrder || structure) {
            java.util.Map<Long, double[]> next = new java.util.HashMap<>();
            java.util.Map<Long, double[]> syntax = new java.util.HashMap<>();
            for (org.vtm.datagen.CorpusRecord r : reader.records(CorpusFilter.ALL)) {
                Program program = Program.parse(r.program());
                if (nextOrder) {
                    next.put(r.index(), StepInputs.nextOrderTerms(program, r.point(), r.radius(), order));
                }
                if (structure) {
                    syntax.put(r.index(), ProgramSyntax.table(program));
                }
            }
            out.replaceAll(s -> {
                StepDataset.Sample t = nextOrder ? s.withNext(next.get(s.index())) : s;
                return structure ? t.withSyntax(syntax.get(s.index())) : t;
            });
        }
        return new StepDataset(layout, out);
    }

    private static void addBatch(CorpusBatch batch, List<Sample> out) {
        CorpusLayout layout = batch.layout();
        int d = layout.dim();
        int m = layout.terms();
        int s = layout.samples();
        int tMax = batch.maxSteps();
        for (int b = 0; b < batch.size(); b++) {
            int k = batch.steps(b);
            double[] points = new double[k * d];
            double[] prefix = new double[k * d * m];
            double[] values = new double[k * d * s];
            double[] errors = new double[k * 6];
            System.arraycopy(batch.stepPoints(), b * tMax * d, points, 0, points.length);
            System.arraycopy(batch.prefixExpansion(), b * tMax * d * m, prefix, 0, prefix.length);
            System.arraycopy(batch.errors(), b * tMax * 6, errors, 0, errors.length);
            double[] sv = batch.sampleValues();
            for (int t = 0; t < k; t++) {
                int from = (b * tMax + t) * s * d;
                for (int p = 0; p < s; p++) {
                    for (int o = 0; o < d; o++) {
                        values[(t * d + o) * s + p] = sv[from + p * d + o];
                    }
                }
            }
            out.add(new Sample(batch.index(b), k, batch.radius(b), points, prefix, values, errors));
        }
    }

    public CorpusLayout layout() {
        return layout;
    }

    public List<Sample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }

    /**
     * Splits by program: a record goes to validation iff a hash of {@code (seed, record index)} falls
     * below {@code fraction}. Each record is one program, so no program is in both parts; the split
     * is independent of the order and number of shards.
     *
     * @return {train, validation}
     */
    public List<List<Sample>> split(double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        }
        List<Sample> train = new ArrayList<>();
        List<Sample> val = new ArrayList<>();
        long key = EpochShuffle.epochSeed(seed ^ 0x5DEECE66DL, 0);
        for (Sample s : samples) {
            double u = (mix(key ^ (s.index() * 0x9E3779B97F4A7C15L)) >>> 11) * 0x1.0p-53;
            (u < fraction ? val : train).add(s);
        }
        return List.of(Collections.unmodifiableList(train), Collections.unmodifiableList(val));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

}
