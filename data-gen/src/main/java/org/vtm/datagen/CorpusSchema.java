package org.vtm.datagen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow schema of corpus shards, version {@value #FORMAT}. Tensor columns are
 * {@code FixedSizeList<Float64>} with their shape (row-major) in the field metadata key
 * {@code shape}; per-step tensors are a {@code List} of such, one element per step prefix.
 * docs/corpus-format.md documents every field.
 */
public final class CorpusSchema {
    /** Schema name and version written into every shard's schema metadata under {@code format}. */
    public static final String FORMAT = "vtm.corpus/2";
    /**
     * The previous version, still read: it has no {@link #PROGRAM_FAMILY}, {@link #POLE_DISTANCE}
     * and {@link #POLE_RATIO} columns, and its records read as {@code random} programs without a pole.
     */
    public static final String FORMAT_1 = "vtm.corpus/1";
    static final String FORMAT_NAME = "vtm.corpus";
    static final int FORMAT_VERSION = 2;

    public static final String INDEX = "index";
    public static final String PROGRAM = "program";
    public static final String DIM = "dim";
    public static final String ORDER = "order";
    public static final String FAMILY = "family";
    public static final String STEPS = "steps";
    public static final String REJECTED_BEFORE = "rejected_before";
    public static final String POINT = "point";
    public static final String RADIUS = "radius";
    /** Since format 2: the {@link ProgramFamily} label of the record's program. */
    public static final String PROGRAM_FAMILY = "program_family";
    /** Since format 2: ρ, the distance of a rational program's pole from {@code v0} (NaN for other families). */
    public static final String POLE_DISTANCE = "pole_distance";
    /** Since format 2: r/ρ of a rational program (NaN for other families). */
    public static final String POLE_RATIO = "pole_ratio";
    /** The columns format 2 added. */
    public static final List<String> FORMAT_2_COLUMNS = List.of(PROGRAM_FAMILY, POLE_DISTANCE, POLE_RATIO);
    public static final String STEP_POINTS = "step_points";
    public static final String PREFIX_EXPANSION = "prefix_expansion";
    public static final String FIXED_COEFFICIENTS = "fixed_coefficients";
    public static final String ORACLE_COEFFICIENTS = "oracle_coefficients";
    public static final String SAMPLE_VALUES = "sample_values";
    public static final String ERRORS = "errors";

    /** The per-step error entries, in column order. */
    public static final List<String> ERROR_NAMES = List.of(
            "taylor_rel_l2", "taylor_max_abs", "fixed_rel_l2", "fixed_max_abs", "oracle_rel_l2", "oracle_max_abs");

    /** The per-step tensor columns in schema order. */
    public static final List<String> STEP_COLUMNS = List.of(
            STEP_POINTS, PREFIX_EXPANSION, FIXED_COEFFICIENTS, ORACLE_COEFFICIENTS, SAMPLE_VALUES, ERRORS);

    static final ObjectMapper JSON = new ObjectMapper();

    private CorpusSchema() {
    }

    /** The schema of shards with this layout. */
    public static Schema schema(CorpusLayout layout) {
        int d = layout.dim();
        int m = layout.terms();
        int s = layout.samples();
        List<Field> fields = new ArrayList<>();
        fields.add(scalar(INDEX, new ArrowType.Int(64, true)));
        fields.add(scalar(PROGRAM, ArrowType.Utf8.INSTANCE));
        fields.add(scalar(DIM, new ArrowType.Int(32, true)));
        fields.add(scalar(ORDER, new ArrowType.Int(32, true)));
        fields.add(scalar(FAMILY, ArrowType.Utf8.INSTANCE));
        fields.add(scalar(STEPS, new ArrowType.Int(32, true)));
        fields.add(scalar(REJECTED_BEFORE, new ArrowType.Int(32, true)));
        fields.add(tensor(POINT, new int[] {d}, "coordinate"));
        fields.add(scalar(RADIUS, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
        fields.add(scalar(PROGRAM_FAMILY, ArrowType.Utf8.INSTANCE));
        fields.add(scalar(POLE_DISTANCE, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
        fields.add(scalar(POLE_RATIO, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
        fields.add(perStep(STEP_POINTS, new int[] {d}, "coordinate"));
        fields.add(perStep(PREFIX_EXPANSION, new int[] {d, m}, "out,alpha"));
        fields.add(perStep(FIXED_COEFFICIENTS, new int[] {d, m}, "out,beta"));
        fields.add(perStep(ORACLE_COEFFICIENTS, new int[] {d, m}, "out,beta"));
        fields.add(perStep(SAMPLE_VALUES, new int[] {s, d}, "sample,out"));
        fields.add(perStep(ERRORS, new int[] {ERROR_NAMES.size()}, String.join(",", ERROR_NAMES)));

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("dim", Integer.toString(d));
        meta.put("order", Integer.toString(layout.order()));
        meta.put("family", layout.family());
        meta.put("terms", Integer.toString(m));
        meta.put("samples", Integer.toString(s));
        meta.put("alphas", toJson(layout.alphas()));
        meta.put("sample_points", toJson(layout.samplePoints()));
        meta.put("errors", toJson(ERROR_NAMES));
        return new Schema(fields, meta);
    }

    /** Whether a manifest's {@code schema} names a shard version this VTM reads (1 or 2). */
    public static boolean readable(String schema) {
        return FORMAT.equals(schema) || FORMAT_1.equals(schema);
    }

    /**
     * Checks that a shard's schema is one this version reads (format 1 or 2; format 1 lacks the
     * {@link #FORMAT_2_COLUMNS}) and returns its layout.
     *
     * @throws CorpusFormatException naming the file and what is wrong
     */
    public static CorpusLayout validate(Schema schema, Path file) {
        Map<String, String> meta = schema.getCustomMetadata();
        String format = meta == null ? null : meta.get("format");
        if (format == null) {
            throw new CorpusFormatException(file, -1, "not a VTM corpus shard: schema metadata has no 'format' (expected " + FORMAT + ")");
        }
        int slash = format.lastIndexOf('/');
        String name = slash < 0 ? format : format.substring(0, slash);
        if (!FORMAT_NAME.equals(name)) {
            throw new CorpusFormatException(file, -1, "schema format is '" + format + "', expected " + FORMAT);
        }
        int version;
        try {
            version = Integer.parseInt(format.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new CorpusFormatException(file, -1, "schema format '" + format + "' has no version number");
        }
        if (version > FORMAT_VERSION) {
            throw new CorpusFormatException(file, -1, "newer schema version " + format
                    + "; this VTM reads at most " + FORMAT + " (upgrade VTM)");
        }
        CorpusLayout layout;
        try {
            int d = Integer.parseInt(require(meta, "dim", file));
            int n = Integer.parseInt(require(meta, "order", file));
            String family = require(meta, "family", file);
            int[][] alphas = JSON.readValue(require(meta, "alphas", file), int[][].class);
            double[][] samples = JSON.readValue(require(meta, "sample_points", file), double[][].class);
            layout = new CorpusLayout(d, n, family, alphas, samples);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (e instanceof CorpusFormatException cfe) {
                throw cfe;
            }
            throw new CorpusFormatException(file, -1, "bad schema metadata: " + e.getMessage(), e);
        }
        Schema expected = schema(layout);
        for (Field want : expected.getFields()) {
            if (version < 2 && FORMAT_2_COLUMNS.contains(want.getName())) {
                continue;
            }
            Field got;
            try {
                got = schema.findField(want.getName());
            } catch (IllegalArgumentException e) {
                throw new CorpusFormatException(file, -1, "missing field '" + want.getName() + "'");
            }
            if (!sameType(want, got)) {
                throw new CorpusFormatException(file, -1, "field '" + want.getName() + "' has type " + got
                        + ", expected " + want);
            }
        }
        return layout;
    }

    private static boolean sameType(Field a, Field b) {
        if (!a.getType().equals(b.getType()) || a.getChildren().size() != b.getChildren().size()) {
            return false;
        }
        for (int i = 0; i < a.getChildren().size(); i++) {
            if (!sameType(a.getChildren().get(i), b.getChildren().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String require(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) {
            throw new CorpusFormatException(file, -1, "schema metadata is missing '" + key + "'");
        }
        return v;
    }

    private static Field scalar(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    private static Field float64Item() {
        return new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
    }

    private static Field tensor(String name, int[] shape, String axes) {
        return new Field(name, new FieldType(false, new ArrowType.FixedSizeList(product(shape)), null,
                orderedMetadata(toJson(shape), axes)), List.of(float64Item()));
    }

    private static Field perStep(String name, int[] shape, String axes) {
        Field element = tensor("step", shape, axes);
        return new Field(name, new FieldType(false, ArrowType.List.INSTANCE, null,
                orderedMetadata(toJson(shape), "step," + axes)), List.of(element));
    }

    static int product(int[] shape) {
        int p = 1;
        for (int s : shape) {
            p = Math.multiplyExact(p, s);
        }
        return p;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Field metadata in a fixed order. Not {@code Map.of}: its iteration order is randomised per
     * JVM, which made shards written by different processes (Spark executors) differ in their
     * schema bytes.
     */
    private static Map<String, String> orderedMetadata(String shape, String axes) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("shape", shape);
        m.put("axes", axes);
        return m;
    }
}
