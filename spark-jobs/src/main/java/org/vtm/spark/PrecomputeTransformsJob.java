package org.vtm.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.vtm.transforms.BasisBudget;
import org.vtm.datagen.TransformBank;
import org.vtm.transforms.ExpansionBudget;
import org.vtm.transforms.FunctionFamily;

/**
 * A bank of {@code T_XF}/{@code T_FX} for the grid families × d × n, computed by Spark (one task
 * per grid point, {@link TransformBank.Entry#compute}) and written by the driver with
 * {@link TransformBank#write} (format {@value TransformBank#FORMAT}). Sets the transforms module
 * refuses become rows with status {@code refused} and the message; the job does not fail.
 *
 * <p>The job takes a parsed grid ({@link #grid}); its spark-submit entry point is
 * {@code org.vtm.spark.cli.PrecomputeCommand} (the options of {@code vtm precompute}; the master
 * comes from spark-submit).
 */
public final class PrecomputeTransformsJob {
    /** The largest d and n a grid may ask for (M = C(d+n, n) grows quickly). */
    public static final int MAX_DIM = 16;
    public static final int MAX_ORDER = 16;

    private PrecomputeTransformsJob() {
    }

    /** One grid point. */
    public record GridPoint(String family, int dim, int order) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The grid, validated on the driver (messages name the option). */
    public static List<GridPoint> grid(List<String> families, int dimMin, int dimMax, int orderMin, int orderMax) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("--families must name at least one family");
        }
        if (dimMin < 1 || dimMax > MAX_DIM || dimMin > dimMax) {
            throw new IllegalArgumentException("--dims must be a range within 1.." + MAX_DIM + ", got " + dimMin + ".." + dimMax);
        }
        if (orderMin < 0 || orderMax > MAX_ORDER || orderMin > orderMax) {
            throw new IllegalArgumentException("--orders must be a range within 0.." + MAX_ORDER + ", got " + orderMin + ".." + orderMax);
        }
        List<GridPoint> grid = new ArrayList<>();
        for (String f : families) {
            String name;
            try {
                name = FunctionFamily.byName(f.trim()).name();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--families: " + e.getMessage(), e);
            }
            for (int d = dimMin; d <= dimMax; d++) {
                for (int n = orderMin; n <= orderMax; n++) {
                    GridPoint p = new GridPoint(name, d, n);
                    if (grid.contains(p)) {
                        throw new IllegalArgumentException("--families lists " + name + " twice");
                    }
                    grid.add(p);
                }
            }
        }
        checkBudget(grid);
        return grid;
    }

    /**
     * Refuses, on the driver and before any task, a grid with a point whose basis matrices exceed
     * the expansion budget ({@link ExpansionBudget#checkBasis}), or whose bank (every entry's
     * {@code T_XF} and {@code T_FX}, collected on the driver and copied once more into the Arrow
     * file) does.
     *
     * @throws ExpansionBudget.Exceeded naming the grid point or the bank's size
     */
    public static void checkBudget(List<GridPoint> grid) {
        long bank = 0;
        for (GridPoint p : grid) {
            BasisBudget.checkBasis(FunctionFamily.byName(p.family()), p.dim(), p.order(), false);
            long m = BasisBudget.monomialCount(p.dim(), p.order());
            bank = ExpansionBudget.plus(bank, ExpansionBudget.times(ExpansionBudget.doubles(m, m), 4));
        }
        ExpansionBudget.check(bank, ExpansionBudget.defaultBytes(), "the transform bank of " + grid.size()
                + " grid points (T_XF and T_FX of every point, collected on the driver and written)");
    }

    /** Computes the entries of {@code grid} with {@code spark}, one task per grid point. */
    public static List<TransformBank.Entry> compute(SparkSession spark, List<GridPoint> grid) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("vtm precompute " + grid.size() + " transforms");
        return jsc.parallelize(grid, Math.max(1, grid.size()))
                .map(p -> TransformBank.Entry.compute(p.family(), p.dim(), p.order()))
                .collect();
    }

    /** Computes and writes the bank to {@code out}; returns its manifest. */
    public static JsonNode run(SparkSession spark, List<GridPoint> grid, Path out) throws IOException {
        List<TransformBank.Entry> entries = compute(spark, grid);
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("points", grid.stream().map(p -> p.family() + ":" + p.dim() + ":" + p.order()).toList());
        return TransformBank.write(out.toAbsolutePath(), entries, described);
    }
}
