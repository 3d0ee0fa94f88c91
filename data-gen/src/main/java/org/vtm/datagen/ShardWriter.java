package org.vtm.datagen;

import org.vtm.artifacts.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Writes one corpus shard as an Arrow IPC file, atomically: the file appears under its final
 * name only once it is complete and on disk (the temporary file is filled batch by batch as
 * records are computed). The same records and batch size give the same bytes.
 */
public final class ShardWriter {
    /** Records per Arrow record batch unless configured otherwise. */
    public static final int DEFAULT_BATCH_RECORDS = 256;

    private final CorpusLayout layout;
    private final int batchRecords;

    public ShardWriter(CorpusLayout layout, int batchRecords) {
        if (batchRecords < 1) {
            throw new IllegalArgumentException("records per batch must be at least 1, got " + batchRecords);
        }
        this.layout = layout;
        this.batchRecords = batchRecords;
    }

    /** Computes consecutive records for {@link #write(Path, long, int, RecordBatches)}. */
    @FunctionalInterface
    public interface RecordBatches {
        /** Records {@code from … from+count-1}, in index order. */
        List<CorpusRecord> records(long from, int count) throws IOException;
    }

    /**
     * Writes {@code records} (consecutive indices) to {@code target} and describes the result.
     *
     * @throws IllegalArgumentException if a record does not fit the layout (names the record)
     */
    public ShardInfo write(Path target, List<CorpusRecord> records) throws IOException {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a shard holds at least one record: " + target);
        }
        for (int i = 0; i < records.size(); i++) {
            check(records.get(i));
            if (i > 0 && records.get(i).index() != records.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("shard " + target + ": record indices must be consecutive, "
                        + records.get(i - 1).index() + " is followed by " + records.get(i).index());
            }
        }
        long first = records.get(0).index();
        return write(target, first, records.size(), (from, count) -> records.subList((int) (from - first), (int) (from - first) + count));
    }

    /**
     * Writes records {@code first … first+size-1} to {@code target}, computing them one record
     * batch at a time: only one batch is in memory, and each batch is appended to the temporary
     * file as soon as it is computed. The file appears under its final name only when complete
     * and on disk; a failure (or a kill) leaves at most the temporary file, which a failure in this
     * process removes. The bytes equal those of {@link #write(Path, List)} with the same records.
     *
     * @throws IllegalArgumentException if a record does not fit the layout or has the wrong index
     */
    public ShardInfo write(Path target, long first, int size, RecordBatches source) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a shard holds at least one record: " + target);
        }
        Path temp = AtomicFiles.temporaryFor(target);
        try {
            try (BufferAllocator allocator = new RootAllocator();
                    VectorSchemaRoot root = VectorSchemaRoot.create(CorpusSchema.schema(layout), allocator);
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
                writer.start();
                for (int from = 0; from < size; from += batchRecords) {
                    int count = Math.min(size - from, batchRecords);
                    List<CorpusRecord> batch = source.records(first + from, count);
                    if (batch.size() != count) {
                        throw new IllegalStateException("shard " + target + ": asked for " + count + " records from "
                                + (first + from) + ", got " + batch.size());
                    }
                    for (int i = 0; i < count; i++) {
                        CorpusRecord r = batch.get(i);
                        if (r.index() != first + from + i) {
                            throw new IllegalArgumentException("shard " + target + ": record indices must be consecutive, "
                                    + "expected " + (first + from + i) + ", got " + r.index());
                        }
                        check(r);
                    }
                    fill(root, batch);
                    writer.writeBatch();
                }
                writer.end();
            }
            List<String> batchSums = batchChecksums(temp);
            String sha = AtomicFiles.sha256(temp);
            long bytes = Files.size(temp);
            AtomicFiles.commit(temp, target);
            return new ShardInfo(target.getFileName().toString(), first, size, bytes, sha, batchSums);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void check(CorpusRecord r) {
        if (r.dim() != layout.dim() || r.order() != layout.order() || !r.family().equals(layout.family())) {
            throw new IllegalArgumentException("record " + r.index() + " has d=" + r.dim() + ", n=" + r.order() + ", family "
                    + r.family() + " but the corpus layout is " + layout);
        }
        int dm = layout.dim() * layout.terms();
        int[] widths = {layout.dim(), dm, dm, dm, layout.samples() * layout.dim(), CorpusSchema.ERROR_NAMES.size()};
        for (int c = 0; c < widths.length; c++) {
            String column = CorpusSchema.STEP_COLUMNS.get(c);
            for (double[] step : r.unsafeStepArray(column)) {
                if (step.length != widths[c]) {
                    throw new IllegalArgumentException("record " + r.index() + ", " + column + ": a step has "
                            + step.length + " values, expected " + widths[c]);
                }
            }
        }
    }

    private void fill(VectorSchemaRoot root, List<CorpusRecord> batch) {
        root.allocateNew();
        BigIntVector index = (BigIntVector) root.getVector(CorpusSchema.INDEX);
        VarCharVector program = (VarCharVector) root.getVector(CorpusSchema.PROGRAM);
        IntVector dim = (IntVector) root.getVector(CorpusSchema.DIM);
        IntVector order = (IntVector) root.getVector(CorpusSchema.ORDER);
        VarCharVector family = (VarCharVector) root.getVector(CorpusSchema.FAMILY);
        IntVector steps = (IntVector) root.getVector(CorpusSchema.STEPS);
        IntVector rejected = (IntVector) root.getVector(CorpusSchema.REJECTED_BEFORE);
        FixedSizeListVector point = (FixedSizeListVector) root.getVector(CorpusSchema.POINT);
        Float8Vector radius = (Float8Vector) root.getVector(CorpusSchema.RADIUS);
        VarCharVector programFamily = (VarCharVector) root.getVector(CorpusSchema.PROGRAM_FAMILY);
        Float8Vector poleDistance = (Float8Vector) root.getVector(CorpusSchema.POLE_DISTANCE);
        Float8Vector poleRatio = (Float8Vector) root.getVector(CorpusSchema.POLE_RATIO);
        for (int row = 0; row < batch.size(); row++) {
            CorpusRecord r = batch.get(row);
            index.setSafe(row, r.index());
            program.setSafe(row, r.program().getBytes(StandardCharsets.UTF_8));
            dim.setSafe(row, r.dim());
            order.setSafe(row, r.order());
            family.setSafe(row, r.family().getBytes(StandardCharsets.UTF_8));
            steps.setSafe(row, r.steps());
            rejected.setSafe(row, r.rejectedBefore());
            putTensor(point, row, r.unsafePoint());
            radius.setSafe(row, r.radius());
            programFamily.setSafe(row, r.programFamily().getBytes(StandardCharsets.UTF_8));
            poleDistance.setSafe(row, r.poleDistance());
            poleRatio.setSafe(row, r.poleRatio());
            for (String column : CorpusSchema.STEP_COLUMNS) {
                ListVector list = (ListVector) root.getVector(column);
                FixedSizeListVector element = (FixedSizeListVector) list.getDataVector();
                double[][] perStep = r.unsafeStepArray(column);
                int start = list.startNewValue(row);
                for (int t = 0; t < perStep.length; t++) {
                    putTensor(element, start + t, perStep[t]);
                }
                list.endValue(row, perStep.length);
            }
        }
        root.setRowCount(batch.size());
    }

    private static void putTensor(FixedSizeListVector vector, int position, double[] values) {
        int offset = vector.startNewValue(position);
        Float8Vector data = (Float8Vector) vector.getDataVector();
        for (int j = 0; j < values.length; j++) {
            data.setSafe(offset + j, values[j]);
        }
    }

    /** SHA-256 of each record batch's bytes, located through the file footer. */
    static List<String> batchChecksums(Path file) throws IOException {
        List<String> sums = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            for (ArrowBlock block : reader.getRecordBlocks()) {
                sums.add(blockSha256(channel, block));
            }
        }
        return sums;
    }

    static String blockSha256(FileChannel channel, ArrowBlock block) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long length = block.getMetadataLength() + block.getBodyLength();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, 1 << 16));
        long position = block.getOffset();
        long end = position + length;
        while (position < end) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), end - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + position);
            }
            buffer.flip();
            digest.update(buffer);
            position += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

}
