package org.vtm.transforms;

import java.util.List;

/**
 * The JSON formats of the transforms values, as {@code vtm expand}, {@code vtm basis},
 * {@code vtm transform} and {@code vtm diagram} print them with {@code --format json}: one line,
 * every multi-index spelled out ({@code alpha}/{@code beta}) so no reader depends on the
 * canonical order, non-finite numbers as {@code null} (see {@link JsonWriter}).
 */
public final class ArtifactJson {
    /** {@link #expansion}: {@code format, dim_in, dim_out, order, point, terms[{out, alpha, coef}]}. */
    public static final String EXPANSION_FORMAT = "vtm.expansion/1";
    /** {@link #basis}: {@code format, family, dim, order, alphas, matrix, condition, kind, condition_norm}. */
    public static final String BASIS_FORMAT = "vtm.basis/1";
    /** {@link #transform}: a function series with the errors of Taylor, fixed T_FX and the oracle. */
    public static final String TRANSFORM_FORMAT = "vtm.transform/1";
    /** {@link #diagram}: the outputs and errors of execution paths through the transformation diagram. */
    public static final String DIAGRAM_FORMAT = "vtm.diagram/1";

    private ArtifactJson() {
    }

    /** The {@value #EXPANSION_FORMAT} JSON of an expansion. */
    public static String expansion(TensorSeries s) {
        MultiIndexSet set = s.multiIndices();
        JsonWriter j = new JsonWriter().beginObject()
                .name("format").value(EXPANSION_FORMAT)
                .name("dim_in").value(s.inputDim())
                .name("dim_out").value(s.outputDim())
                .name("order").value(s.order())
                .name("point").array(s.point())
                .name("terms").beginArray();
        for (int o = 0; o < s.outputDim(); o++) {
            for (int i = 0; i < set.size(); i++) {
                j.beginObject().name("out").value(o).name("alpha").array(set.alpha(i))
                        .name("coef").value(s.coefficient(o, i)).endObject();
            }
        }
        return j.endArray().endObject().toString();
    }

    /** {@code "exact_inverse"} or {@code "least_squares"}. */
    public static String kind(BasisTransform t) {
        return t.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@value #BASIS_FORMAT} JSON of a transform: rows β (functions), columns α (monomials). */
    public static String basis(BasisTransform t) {
        MultiIndexSet xs = t.set().monomials();
        int m = t.monomialCount();
        JsonWriter j = new JsonWriter().beginObject()
                .name("format").value(BASIS_FORMAT)
                .name("family").value(t.family().name())
                .name("dim").value(t.dim())
                .name("order").value(t.order())
                .name("alphas").beginArray();
        for (int i = 0; i < m; i++) {
            j.array(xs.alpha(i));
        }
        j.endArray().name("matrix").beginArray();
        for (int r = 0; r < t.functionCount(); r++) {
            j.beginArray();
            for (int c = 0; c < m; c++) {
                j.value(t.tfx(r, c));
            }
            j.endArray();
        }
        return j.endArray()
                .name("condition").value(t.condition())
                .name("kind").value(kind(t))
                .name("condition_norm").value(t.conditionNorm())
                .endObject().toString();
    }

    /** The {@value #TRANSFORM_FORMAT} JSON of a function series and its approximation errors. */
    public static String transform(FunctionSeries s, ApproximationErrors e) {
        FunctionSet set = s.functionSet();
        JsonWriter j = new JsonWriter().beginObject()
                .name("format").value(TRANSFORM_FORMAT)
                .name("family").value(s.family().name())
                .name("dim_in").value(s.inputDim())
                .name("dim_out").value(s.outputDim())
                .name("order").value(s.order())
                .name("point").array(s.point())
                .name("radius").value(s.radius())
                .name("terms").beginArray();
        for (int o = 0; o < s.outputDim(); o++) {
            for (int i = 0; i < set.size(); i++) {
                j.beginObject().name("out").value(o).name("beta").array(set.beta(i))
                        .name("coef").value(s.coefficient(o, i)).endObject();
            }
        }
        j.endArray().name("errors").beginObject();
        metrics(j.name("taylor"), e.taylor());
        metrics(j.name("fixed"), e.fixed());
        metrics(j.name("oracle"), e.oracle());
        return j.endObject().endObject().toString();
    }

    private static void metrics(JsonWriter j, ErrorMetrics m) {
        j.beginObject().name("rel_l2").value(m.relL2()).name("max_abs").value(m.maxAbs()).endObject();
    }

    /**
     * One execution path of a diagram comparison: its report, or why it was refused.
     *
     * @param requested whether this is the path the user asked for
     * @param report    the path's outputs and errors, or null if it was refused
     * @param refused   why the path cannot run (a refused function set), or null
     */
    public record DiagramPath(String path, boolean requested, DiagramExecutor.PathReport report, String refused) {
    }

    /** The {@value #DIAGRAM_FORMAT} JSON of paths run at {@code x} for a program of {@code steps} steps. */
    public static String diagram(FunctionFamily f, int order, double[] point, double radius, double[] x, int steps,
            double[] reference, List<DiagramPath> paths) {
        JsonWriter j = new JsonWriter().beginObject()
                .name("format").value(DIAGRAM_FORMAT)
                .name("family").value(f.name())
                .name("order").value(order)
                .name("point").array(point)
                .name("radius").value(radius)
                .name("x").array(x)
                .name("steps").value(steps)
                .name("reference").array(reference)
                .name("paths").beginArray();
        for (DiagramPath r : paths) {
            j.beginObject().name("path").value(r.path()).name("requested").value(r.requested());
            if (r.report() != null) {
                j.name("output").array(r.report().output())
                        .name("point_max_abs").value(r.report().pointMaxAbs())
                        .name("region").beginObject()
                        .name("rel_l2").value(r.report().region().relL2())
                        .name("max_abs").value(r.report().region().maxAbs())
                        .endObject()
                        .name("refused").value((String) null);
            } else {
                j.name("output").value((String) null).name("point_max_abs").value((String) null)
                        .name("region").value((String) null).name("refused").value(r.refused());
            }
            j.endObject();
        }
        return j.endArray().endObject().toString();
    }
}
