package org.vtm.datagen;

import org.vtm.artifacts.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Reads a corpus directory: checks the manifest, every shard's size and SHA-256 (narrowing a
 * mismatch down to the record batch), and each shard's schema, then hands out records or flat
 * {@link CorpusBatch}es. Any problem is a {@link CorpusFormatException} naming file, batch and
 * fault; nothing is skipped silently.
 */
public final class CorpusReader {
    private final Path dir;
    private final Manifest manifest;
    private final CorpusLayout layout;

    private CorpusReader(Path dir, Manifest manifest, CorpusLayout layout) {
        this.dir = dir;
        this.manifest = manifest;
        this.layout = layout;
    }

    /** Opens and verifies a corpus (checksums of every shard are checked here). */
    public static CorpusReader open(Path dir) throws IOException {
        Manifest manifest = Manifest.read(dir);
        if (!CorpusSchema.readable(manifest.schema())) {
            throw new CorpusFormatException(dir.resolve(Manifest.FILE_NAME), -1, "shards have schema " + manifest.schema()
                    + "; this VTM reads " + CorpusSchema.FORMAT + " and " + CorpusSchema.FORMAT_1);
        }
        CorpusLayout layout = null;
        long expectedIndex = 0;
        for (ShardInfo shard : manifest.shards()) {
            Path file = dir.resolve(shard.file());
            verifyChecksums(file, shard);
            if (shard.firstIndex() != expectedIndex) {
                throw new CorpusFormatException(file, -1, "shard starts at record " + shard.firstIndex()
                        + ", expected " + expectedIndex + " (records missing or duplicated)");
            }
            expectedIndex += shard.records();
            CorpusLayout shardLayout = readLayout(file);
            if (layout == null) {
                layout = shardLayout;
            } else if (!layout.equals(shardLayout)) {
                throw new CorpusFormatException(file, -1, "layout " + shardLayout + " differs from the first shard's " + layout);
            }
        }
        if (expectedIndex != manifest.records()) {
            throw new CorpusFormatException(dir.resolve(Manifest.FILE_NAME), -1, "shards hold " + expectedIndex
                    + " records, the manifest says " + manifest.records());
        }
        if (layout == null) {
            throw new CorpusFormatException(dir.resolve(Manifest.FILE_NAME), -1, "the corpus has no shards");
        }
        return new CorpusReader(dir, manifest, layout);
    }

    public Manifest manifest() {
        return manifest;
    }

    public CorpusLayout layout() {
        return layout;
    }

    public Path directory() {
        return dir;
    }

    /** Every record accepted by {@code filter}, in index order (convenient, not for hot paths). */
    public List<CorpusRecord> records(CorpusFilter filter) throws IOException {
        List<CorpusRecord> out = new ArrayList<>();
        if (!filter.accepts(layout)) {
            return out;
        }
        forEachRoot((file, batch, root) -> {
            IntVector steps = (IntVector) root.getVector(CorpusSchema.STEPS);
            for (int row = 0; row < root.getRowCount(); row++) {
                if (filter.acceptsSteps(steps.get(row))) {
                    out.add(record(root, row));
                }
            }
        });
        return out;
    }

    /** The first {@code limit} records (for inspection). */
    public List<CorpusRecord> head(int limit) throws IOException {
        List<CorpusRecord> out = new ArrayList<>();
        forEachRoot((file, batch, root) -> {
            for (int row = 0; row < root.getRowCount() && out.size() < limit; row++) {
                out.add(record(root, row));
            }
        });
        return out;
    }

    /**
     * Streams the accepted records as flat batches, one per stored record batch (after
     * filtering; empty batches are not delivered).
     */
    public void forEachBatch(CorpusFilter filter, Consumer<CorpusBatch> consumer) throws IOException {
        if (!filter.accepts(layout)) {
            return;
        }
        forEachRoot((file, batch, root) -> {
            IntVector steps = (IntVector) root.getVector(CorpusSchema.STEPS);
            int[] rows = new int[root.getRowCount()];
            int count = 0;
            int maxSteps = 0;
            for (int row = 0; row < root.getRowCount(); row++) {
                int s = steps.get(row);
                if (filter.acceptsSteps(s)) {
                    rows[count++] = row;
                    maxSteps = Math.max(maxSteps, s);
                }
            }
            if (count > 0) {
                consumer.accept(toBatch(root, rows, count, maxSteps));
            }
        });
    }

    @FunctionalInterface
    private interface RootVisitor {
        void visit(Path file, int batch, VectorSchemaRoot root) throws IOException;
    }

    private void forEachRoot(RootVisitor visitor) throws IOException {
        for (ShardInfo shard : manifest.shards()) {
            Path file = dir.resolve(shard.file());
            try (BufferAllocator allocator = new RootAllocator();
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                CorpusSchema.validate(root.getSchema(), file);
                int batch = 0;
                for (ArrowBlock block : reader.getRecordBlocks()) {
                    try {
                        reader.loadRecordBatch(block);
                    } catch (IOException | RuntimeException e) {
                        throw new CorpusFormatException(file, batch, "unreadable record batch: " + e.getMessage(), e);
                    }
                    visitor.visit(file, batch, root);
                    batch++;
                }
            }
        }
    }

    private CorpusBatch toBatch(VectorSchemaRoot root, int[] rows, int count, int maxSteps) {
        CorpusBatch b = new CorpusBatch(layout, count, maxSteps);
        int d = layout.dim();
        BigIntVector index = (BigIntVector) root.getVector(CorpusSchema.INDEX);
        IntVector steps = (IntVector) root.getVector(CorpusSchema.STEPS);
        FixedSizeListVector point = (FixedSizeListVector) root.getVector(CorpusSchema.POINT);
        Float8Vector radius = (Float8Vector) root.getVector(CorpusSchema.RADIUS);
        ArrowBuf pointData = point.getDataVector().getDataBuffer();
        double[][] targets = {b.stepPoints, b.prefixExpansion, b.fixedCoefficients, b.oracleCoefficients, b.sampleValues, b.errors};
        for (int k = 0; k < count; k++) {
            int row = rows[k];
            b.index[k] = index.get(row);
            b.steps[k] = steps.get(row);
            b.radius[k] = radius.get(row);
            copy(pointData, (long) row * d, b.point, k * d, d);
            for (int c = 0; c < targets.length; c++) {
                ListVector list = (ListVector) root.getVector(CorpusSchema.STEP_COLUMNS.get(c));
                FixedSizeListVector element = (FixedSizeListVector) list.getDataVector();
                int width = element.getListSize();
                int start = list.getOffsetBuffer().getInt((long) row * ListVector.OFFSET_WIDTH);
                int n = b.steps[k];
                copy(element.getDataVector().getDataBuffer(), (long) start * width, targets[c], k * maxSteps * width, n * width);
            }
        }
        return b;
    }

    private static void copy(ArrowBuf from, long fromIndex, double[] to, int toIndex, int length) {
        for (int j = 0; j < length; j++) {
            to[toIndex + j] = from.getDouble((fromIndex + j) * Float8Vector.TYPE_WIDTH);
        }
    }

    private CorpusRecord record(VectorSchemaRoot root, int row) {
        int d = layout.dim();
        FixedSizeListVector point = (FixedSizeListVector) root.getVector(CorpusSchema.POINT);
        double[] p = new double[d];
        copy(point.getDataVector().getDataBuffer(), (long) row * d, p, 0, d);
        double[][][] perStep = new double[CorpusSchema.STEP_COLUMNS.size()][][];
        for (int c = 0; c < perStep.length; c++) {
            ListVector list = (ListVector) root.getVector(CorpusSchema.STEP_COLUMNS.get(c));
            FixedSizeListVector element = (FixedSizeListVector) list.getDataVector();
            int width = element.getListSize();
            int start = list.getOffsetBuffer().getInt((long) row * ListVector.OFFSET_WIDTH);
            int end = list.getOffsetBuffer().getInt((long) (row + 1) * ListVector.OFFSET_WIDTH);
            perStep[c] = new double[end - start][width];
            for (int t = 0; t < end - start; t++) {
                copy(element.getDataVector().getDataBuffer(), (long) (start + t) * width, perStep[c][t], 0, width);
            }
        }
        return new CorpusRecord(
                ((BigIntVector) root.getVector(CorpusSchema.INDEX)).get(row),
                new String(((VarCharVector) root.getVector(CorpusSchema.PROGRAM)).get(row), StandardCharsets.UTF_8),
                ((IntVector) root.getVector(CorpusSchema.DIM)).get(row),
                ((IntVector) root.getVector(CorpusSchema.ORDER)).get(row),
                new String(((VarCharVector) root.getVector(CorpusSchema.FAMILY)).get(row), StandardCharsets.UTF_8),
                ((IntVector) root.getVector(CorpusSchema.REJECTED_BEFORE)).get(row),
                p,
                ((Float8Vector) root.getVector(CorpusSchema.RADIUS)).get(row),
                perStep[0], perStep[1], perStep[2], perStep[3], perStep[4], perStep[5],
                hasField(root, CorpusSchema.PROGRAM_FAMILY) ? new String(((VarCharVector) root.getVector(
                        CorpusSchema.PROGRAM_FAMILY)).get(row), StandardCharsets.UTF_8) : ProgramFamily.RANDOM.label(),
                hasField(root, CorpusSchema.POLE_DISTANCE) ? ((Float8Vector) root.getVector(CorpusSchema.POLE_DISTANCE)).get(row)
                        : Double.NaN,
                hasField(root, CorpusSchema.POLE_RATIO) ? ((Float8Vector) root.getVector(CorpusSchema.POLE_RATIO)).get(row)
                        : Double.NaN);
    }

    /** Whether the shard has a column (format 1 lacks those format 2 added). */
    private static boolean hasField(VectorSchemaRoot root, String name) {
        for (org.apache.arrow.vector.types.pojo.Field f : root.getSchema().getFields()) {
            if (f.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Size and SHA-256 against the manifest; on a mismatch, finds the damaged record batch. */
    static void verifyChecksums(Path file, ShardInfo shard) throws IOException {
        if (!Files.exists(file)) {
            throw new CorpusFormatException(file, -1, "missing: the manifest lists this shard but the file does not exist");
        }
        long size = Files.size(file);
        if (size != shard.bytes()) {
            throw new CorpusFormatException(file, -1, (size < shard.bytes() ? "truncated: " : "wrong size: ")
                    + size + " bytes, the manifest says " + shard.bytes());
        }
        String sha = AtomicFiles.sha256(file);
        if (sha.equals(shard.sha256())) {
            return;
        }
        int bad = -1;
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            List<ArrowBlock> blocks = reader.getRecordBlocks();
            for (int i = 0; i < blocks.size() && i < shard.batchSha256().size(); i++) {
                if (!ShardWriter.blockSha256(channel, blocks.get(i)).equals(shard.batchSha256().get(i))) {
                    bad = i;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the footer itself is damaged: report the file-level mismatch below
        }
        throw new CorpusFormatException(file, bad, "checksum mismatch: SHA-256 is " + sha + ", the manifest says "
                + shard.sha256() + (bad < 0 ? " (damage outside the record batches: schema or footer)" : ""));
    }

    private static CorpusLayout readLayout(Path file) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            return CorpusSchema.validate(reader.getVectorSchemaRoot().getSchema(), file);
        } catch (CorpusFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorpusFormatException(file, -1, "not a readable Arrow IPC file: " + e.getMessage(), e);
        }
    }
}
