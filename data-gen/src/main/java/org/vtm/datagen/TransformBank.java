package org.vtm.datagen;

import org.vtm.artifacts.Provenance;
import org.vtm.artifacts.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

/**
 * A bank of basis transformations {@code T_XF}/{@code T_FX} for a grid of (family, d, n), format
 * {@value #FORMAT}: a directory with {@code bank.arrow} (one row per grid point, Arrow IPC file)
 * and {@code manifest.json} (written last, with the file's SHA-256). The interpreter initialises
 * its transformation from a bank entry; the Spark job {@code PrecomputeTransformsJob} computes
 * entries in parallel and writes them with {@link #write}. Layout in docs/tbank-format.md.
 *
 * <p>Sets the transforms module refuses (singular or numerically singular) get a row with status
 * {@code refused}, the condition estimate and the message, and empty tensors.
 */
public final class TransformBank {
    /** The Arrow schema version. */
    public static final String FORMAT = "vtm.tbank/1";
    /** The manifest version. */
    public static final String MANIFEST_FORMAT = "vtm.tbank-manifest/1";
    public static final String FILE_NAME = "bank.arrow";
    public static final String MANIFEST_NAME = "manifest.json";

    static final String[] COLUMNS = {"family", "dim", "order", "status", "kind", "condition", "condition_norm", "rank",
        "rows", "cols", "txf", "tfx", "message"};

    /**
     * One grid point. {@code T_XF} is {@code rows × cols} ({@code M × |F|}) and {@code T_FX} is
     * {@code cols × rows}, both row-major; both are empty for a refused set.
     *
     * @param status {@code ok} or {@code refused}
     * @param kind {@code EXACT_INVERSE} or {@code LEAST_SQUARES}; empty if refused
     * @param condition the condition estimate (also for refused sets: the value that exceeded the limit)
     * @param conditionNorm the norm of the estimate, 1 or 2 (0 if unknown)
     * @param message empty, or why the set was refused
     */
    public record Entry(String family, int dim, int order, String status, String kind, double condition,
            int conditionNorm, int rank, int rows, int cols, double[] txf, double[] tfx, String message)
            implements Serializable {
        private static final long serialVersionUID = 1L;
        public static final String OK = "ok";
        public static final String REFUSED = "refused";

        public Entry {
            Objects.requireNonNull(family, "family");
            if (!OK.equals(status) && !REFUSED.equals(status)) {
                throw new IllegalArgumentException("status must be ok or refused, got " + status);
            }
            txf = txf.clone();
            tfx = tfx.clone();
            int expected = OK.equals(status) ? rows * cols : 0;
            if (txf.length != expected || tfx.length != expected) {
                throw new IllegalArgumentException(family + " d=" + dim + " n=" + order + ": T_XF has " + txf.length
                        + " and T_FX " + tfx.length + " values, expected " + expected);
            }
        }

        /** Computes the entry with the transforms module's default solver and condition limit. */
        public static Entry compute(String family, int dim, int order) {
            FunctionSet set = FunctionSet.of(FunctionFamily.byName(family), dim, order);
            try {
                BasisTransform t = BasisTransform.of(set);
                return new Entry(family, dim, order, OK, t.kind().name(), t.condition(), t.conditionNorm(), t.rank(),
                        t.monomialCount(), t.functionCount(), t.txf(), t.tfx(), "");
            } catch (BasisTransform.SingularBasisException e) {
                return new Entry(family, dim, order, REFUSED, "", e.condition(), 0, 0, set.monomialCount(), set.size(),
                        new double[0], new double[0], e.getMessage());
            }
        }

        public boolean ok() {
            return OK.equals(status);
        }

        @Override
        public double[] txf() {
            return txf.clone();
        }

        @Override
        public double[] tfx() {
            return tfx.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && family.equals(e.family) && dim == e.dim && order == e.order
                    && status.equals(e.status) && kind.equals(e.kind)
                    && Double.doubleToLongBits(condition) == Double.doubleToLongBits(e.condition)
                    && conditionNorm == e.conditionNorm && rank == e.rank && rows == e.rows && cols == e.cols
                    && Arrays.equals(txf, e.txf) && Arrays.equals(tfx, e.tfx) && message.equals(e.message);
        }

        @Override
        public int hashCode() {
            return Objects.hash(family, dim, order, status, Arrays.hashCode(tfx));
        }

        @Override
        public String toString() {
            return "Entry[" + family + " d=" + dim + " n=" + order + " " + status + " " + kind + " cond=" + condition
                    + " " + rows + "x" + cols + "]";
        }
    }

    /** Rows are stored sorted by family name, then d, then n. */
    public static final Comparator<Entry> ORDER = Comparator.comparing(Entry::family).thenComparingInt(Entry::dim)
            .thenComparingInt(Entry::order);

    private final Path dir;
    private final JsonNode manifest;
    private final List<Entry> entries;

    private TransformBank(Path dir, JsonNode manifest, List<Entry> entries) {
        this.dir = dir;
        this.manifest = manifest;
        this.entries = List.copyOf(entries);
    }

    public Path directory() {
        return dir;
    }

    /** The manifest as JSON. */
    public JsonNode manifest() {
        return manifest.deepCopy();
    }

    /** All rows, in stored order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry for (family, d, n), if the bank has one. */
    public Optional<Entry> find(String family, int dim, int order) {
        return entries.stream().filter(e -> e.family().equals(family) && e.dim() == dim && e.order() == order).findFirst();
    }

    /** {@code T_FX} for (family, d, n); throws naming the grid point if it is missing or refused. */
    public double[] tfx(String family, int dim, int order) {
        Entry e = find(family, dim, order).orElseThrow(() -> new IllegalArgumentException("the bank " + dir
                + " has no entry for family " + family + ", d=" + dim + ", n=" + order));
        if (!e.ok()) {
            throw new IllegalArgumentException("the bank " + dir + " refused family " + family + ", d=" + dim + ", n="
                    + order + ": " + e.message());
        }
        return e.tfx();
    }

    /**
     * Writes {@code entries} (sorted by {@link #ORDER}; duplicates refused) to {@code dir}: the
     * Arrow file first, atomically, then the manifest. A previous bank in {@code dir} is replaced.
     *
     * @param grid what was asked for (recorded in the manifest)
     */
    public static JsonNode write(Path dir, List<Entry> entries, Map<String, Object> grid) throws IOException {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a transform bank needs at least one entry");
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(ORDER);
        for (int i = 1; i < sorted.size(); i++) {
            if (ORDER.compare(sorted.get(i - 1), sorted.get(i)) == 0) {
                throw new IllegalArgumentException("duplicate bank entry " + sorted.get(i));
            }
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST_NAME)); // from here on the directory is incomplete
        Path target = dir.resolve(FILE_NAME);
        Path temp = AtomicFiles.temporaryFor(target);
        try {
            try (BufferAllocator allocator = new RootAllocator();
                    VectorSchemaRoot root = VectorSchemaRoot.create(schema(), allocator);
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
                writer.start();
                fill(root, sorted);
                writer.writeBatch();
                writer.end();
            }
            AtomicFiles.commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        ObjectNode m = Manifest.JSON.createObjectNode();
        m.put("format", MANIFEST_FORMAT).put("schema", FORMAT).put("vtm_version", Provenance.vtmVersion());
        m.set("provenance", Manifest.JSON.valueToTree(Provenance.facts()));
        m.set("grid", Manifest.JSON.valueToTree(grid));
        m.put("file", FILE_NAME).put("entries", sorted.size())
                .put("refused", sorted.stream().filter(e -> !e.ok()).count())
                .put("bytes", Files.size(target)).put("sha256", AtomicFiles.sha256(target));
        AtomicFiles.write(dir.resolve(MANIFEST_NAME), (Manifest.JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
        return m;
    }

    /**
     * Reads and validates a bank: the manifest must be present (else the bank is incomplete) and
     * of a known version, the file's checksum must match, and the schema and every row must be
     * consistent.
     *
     * @throws CorpusFormatException naming the file and the problem
     */
    public static TransformBank read(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST_NAME);
        JsonNode m;
        try {
            m = Manifest.JSON.readTree(Files.readAllBytes(manifestFile));
        } catch (NoSuchFileException e) {
            throw new CorpusFormatException(manifestFile, -1, "missing: the transform bank is incomplete "
                    + "(an interrupted run leaves no manifest; re-run the same command)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CorpusFormatException(manifestFile, -1, "not valid JSON: " + e.getOriginalMessage());
        }
        String format = m.path("format").asText("");
        if (!MANIFEST_FORMAT.equals(format)) {
            throw new CorpusFormatException(manifestFile, -1, "'format' is '" + format + "', expected " + MANIFEST_FORMAT);
        }
        JsonNode named = m.get("file");
        Path file = dir.resolve(CorpusFormatException.plainFileName(manifestFile, "'file'",
                named == null || !named.isTextual() ? null : named.asText(), FILE_NAME));
        String sha = AtomicFiles.sha256(file);
        if (!sha.equals(m.path("sha256").asText())) {
            throw new CorpusFormatException(file, -1, "SHA-256 " + sha + " does not match the manifest's " + m.path("sha256").asText());
        }
        List<Entry> entries = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            validate(root.getSchema(), file);
            int batch = 0;
            for (ArrowBlock block : reader.getRecordBlocks()) {
                reader.loadRecordBatch(block);
                for (int row = 0; row < root.getRowCount(); row++) {
                    try {
                        entries.add(entry(root, row));
                    } catch (IllegalArgumentException e) {
                        throw new CorpusFormatException(file, batch, "row " + row + ": " + e.getMessage());
                    }
                }
                batch++;
            }
        }
        if (entries.size() != m.path("entries").asInt(-1)) {
            throw new CorpusFormatException(file, -1, entries.size() + " rows, the manifest says " + m.path("entries"));
        }
        return new TransformBank(dir, m, entries);
    }

    /** The Arrow schema of {@value #FILE_NAME}. */
    public static Schema schema() {
        List<Field> fields = new ArrayList<>();
        ArrowType utf8 = ArrowType.Utf8.INSTANCE;
        ArrowType int32 = new ArrowType.Int(32, true);
        ArrowType f64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        fields.add(field("family", utf8));
        fields.add(field("dim", int32));
        fields.add(field("order", int32));
        fields.add(field("status", utf8));
        fields.add(field("kind", utf8));
        fields.add(field("condition", f64));
        fields.add(field("condition_norm", int32));
        fields.add(field("rank", int32));
        fields.add(field("rows", int32));
        fields.add(field("cols", int32));
        for (String name : new String[] {"txf", "tfx"}) {
            Field element = new Field("item", FieldType.notNullable(f64), null);
            String shape = "txf".equals(name) ? "[\"rows\",\"cols\"]" : "[\"cols\",\"rows\"]";
            fields.add(new Field(name, new FieldType(false, ArrowType.List.INSTANCE, null, Map.of("shape", shape)),
                    List.of(element)));
        }
        fields.add(field("message", utf8));
        return new Schema(fields, Map.of("format", FORMAT));
    }

    private static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    private static void validate(Schema schema, Path file) {
        String format = schema.getCustomMetadata() == null ? null : schema.getCustomMetadata().get("format");
        if (format == null || !format.startsWith("vtm.tbank/")) {
            throw new CorpusFormatException(file, -1, "schema metadata 'format' is " + format + ", expected " + FORMAT);
        }
        if (!FORMAT.equals(format)) {
            throw new CorpusFormatException(file, -1, "newer bank version " + format + "; this VTM reads at most " + FORMAT);
        }
        if (!schema.equals(schema())) {
            throw new CorpusFormatException(file, -1, "columns do not match " + FORMAT + ": " + schema.getFields());
        }
    }

    private static void fill(VectorSchemaRoot root, List<Entry> entries) {
        root.allocateNew();
        for (int row = 0; row < entries.size(); row++) {
            Entry e = entries.get(row);
            utf8(root, "family", row, e.family());
            int32(root, "dim", row, e.dim());
            int32(root, "order", row, e.order());
            utf8(root, "status", row, e.status());
            utf8(root, "kind", row, e.kind());
            ((Float8Vector) root.getVector("condition")).setSafe(row, e.condition());
            int32(root, "condition_norm", row, e.conditionNorm());
            int32(root, "rank", row, e.rank());
            int32(root, "rows", row, e.rows());
            int32(root, "cols", row, e.cols());
            list(root, "txf", row, e.txf);
            list(root, "tfx", row, e.tfx);
            utf8(root, "message", row, e.message());
        }
        root.setRowCount(entries.size());
    }

    private static Entry entry(VectorSchemaRoot root, int row) {
        return new Entry(utf8(root, "family", row), int32(root, "dim", row), int32(root, "order", row),
                utf8(root, "status", row), utf8(root, "kind", row), ((Float8Vector) root.getVector("condition")).get(row),
                int32(root, "condition_norm", row), int32(root, "rank", row), int32(root, "rows", row),
                int32(root, "cols", row), list(root, "txf", row), list(root, "tfx", row), utf8(root, "message", row));
    }

    private static void utf8(VectorSchemaRoot root, String column, int row, String value) {
        ((VarCharVector) root.getVector(column)).setSafe(row, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(VectorSchemaRoot root, String column, int row) {
        return new String(((VarCharVector) root.getVector(column)).get(row), StandardCharsets.UTF_8);
    }

    private static void int32(VectorSchemaRoot root, String column, int row, int value) {
        ((IntVector) root.getVector(column)).setSafe(row, value);
    }

    private static int int32(VectorSchemaRoot root, String column, int row) {
        return ((IntVector) root.getVector(column)).get(row);
    }

    private static void list(VectorSchemaRoot root, String column, int row, double[] values) {
        ListVector list = (ListVector) root.getVector(column);
        Float8Vector data = (Float8Vector) list.getDataVector();
        int start = list.startNewValue(row);
        for (int j = 0; j < values.length; j++) {
            data.setSafe(start + j, values[j]);
        }
        list.endValue(row, values.length);
    }

    private static double[] list(VectorSchemaRoot root, String column, int row) {
        ListVector list = (ListVector) root.getVector(column);
        Float8Vector data = (Float8Vector) list.getDataVector();
        int start = list.getElementStartIndex(row);
        int end = list.getElementEndIndex(row);
        double[] out = new double[end - start];
        for (int j = start; j < end; j++) {
            out[j - start] = data.get(j);
        }
        return out;
    }

}
