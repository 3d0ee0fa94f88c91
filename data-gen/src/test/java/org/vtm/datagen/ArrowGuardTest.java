package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade guard for Arrow: an IPC file with a {@code FixedSizeList<Float64>} tensor column (the
 * layout of corpus shards and T_FX banks) is written and read back bit for bit, with the shape
 * in the field metadata. Fails if Arrow's memory module cannot start on this JVM (the missing
 * {@code --add-opens java.nio} symptom) or if the file format changes.
 */
class ArrowGuardTest {

    private static final int ROWS = 37;
    private static final int[] SHAPE = {2, 3};
    private static final int WIDTH = SHAPE[0] * SHAPE[1];

    @Test
    void fixedSizeListOfFloat64RoundTripsExactly(@TempDir Path dir) throws Exception {
        double[][] rows = sampleRows();
        Path file = dir.resolve("guard.arrow");
        Field element = new Field("item",
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
        Field tensor = new Field("tensor",
                new FieldType(false, new ArrowType.FixedSizeList(WIDTH), null, Map.of("shape", "[2,3]")),
                List.of(element));
        Schema schema = new Schema(List.of(tensor), Map.of("format", "vtm.guard/1"));

        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                FileOutputStream out = new FileOutputStream(file.toFile());
                ArrowFileWriter writer = new ArrowFileWriter(root, null, out.getChannel())) {
            FixedSizeListVector list = (FixedSizeListVector) root.getVector("tensor");
            Float8Vector values = (Float8Vector) list.getDataVector();
            list.allocateNew();
            values.allocateNew(ROWS * WIDTH);
            for (int r = 0; r < ROWS; r++) {
                list.setNotNull(r);
                for (int j = 0; j < WIDTH; j++) {
                    values.set(r * WIDTH + j, rows[r][j]);
                }
            }
            values.setValueCount(ROWS * WIDTH);
            list.setValueCount(ROWS);
            root.setRowCount(ROWS);
            writer.start();
            writer.writeBatch();
            writer.end();
        }

        try (BufferAllocator allocator = new RootAllocator();
                FileInputStream in = new FileInputStream(file.toFile());
                FileChannel channel = in.getChannel();
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals("vtm.guard/1", root.getSchema().getCustomMetadata().get("format"));
            Field field = root.getSchema().findField("tensor");
            assertEquals("[2,3]", field.getMetadata().get("shape"));
            assertEquals(new ArrowType.FixedSizeList(WIDTH), field.getType());
            int seen = 0;
            while (reader.loadNextBatch()) {
                FixedSizeListVector list = (FixedSizeListVector) root.getVector("tensor");
                Float8Vector values = (Float8Vector) list.getDataVector();
                for (int r = 0; r < root.getRowCount(); r++, seen++) {
                    for (int j = 0; j < WIDTH; j++) {
                        long expected = Double.doubleToRawLongBits(rows[seen][j]);
                        long actual = Double.doubleToRawLongBits(values.get(r * WIDTH + j));
                        assertEquals(expected, actual, "row " + seen + ", element " + j);
                    }
                }
            }
            assertEquals(ROWS, seen);
        }
    }

    /** Random doubles plus the values a lossy path would break: -0.0, NaN, subnormals, extremes. */
    private static double[][] sampleRows() {
        SplittableRandom random = new SplittableRandom(20261127L);
        double[][] rows = new double[ROWS][WIDTH];
        for (double[] row : rows) {
            for (int j = 0; j < WIDTH; j++) {
                row[j] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30));
            }
        }
        rows[0] = new double[] {-0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-310};
        return rows;
    }
}
