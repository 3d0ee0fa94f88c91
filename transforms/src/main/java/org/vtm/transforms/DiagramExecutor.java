package org.vtm.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Executes a program {@code P = p_k ∘ … ∘ p_0} along any path of the seed's transformation
 * diagram (Figure 6): each step runs as {@link Mode#E} (plain execution), {@link Mode#X} (its
 * tensor series) or {@link Mode#T} ({@code T_FX ·} its tensor series, evaluated in F).
 *
 * <p><b>Semantics.</b> The executor is built for an expansion point {@code v0}, a radius {@code r}
 * and an order {@code n}. The <i>reference points</i> are where plain execution takes
 * {@code v0}: {@code v_0 = v0}, {@code v_{t+1} = p_t(v_t)}. Step {@code t} under X or T is
 * expanded at {@code v_t} (once, at construction) and evaluated at the current value {@code z}
 * of the path: X returns {@code W_t(z - v_t)}; T returns the {@link FunctionSeries} at
 * {@code u = (z - v_t) / r_t}, with {@code r_t = r} for every step (the same radius; outside
 * {@code [-1,1]} the series is extrapolated). E returns {@code p_t(z)}.
 *
 * <p>Errors are measured against plain execution of the whole program, at one point and over the
 * {@link Oracle} point set {@code v0 + r·u_p} of the first step's dimension ({@code max(4M, 64)}
 * Halton points, {@code M = C(d_0+n, n)}).
 */
public final class DiagramExecutor {

    /** How one step runs. */
    public enum Mode {
        /** Plain execution. */
        E,
        /** The step's tensor series at its reference point. */
        X,
        /** {@code T_FX ·} the tensor series, evaluated in the function set. */
        T
    }

    /** One step as the executor sees it (package-private so the math can be tested with plain functions). */
    interface Stage {
        int inputDim();

        int outputDim();

        double[] execute(double[] x);

        TensorSeries expand(double[] point, int order);
    }

    /** Result of running one path. Arrays are copied in and out. */
    public record PathReport(String path, double[] output, double[] reference, double pointMaxAbs,
            ErrorMetrics region) {
        public PathReport {
            output = output.clone();
            reference = reference.clone();
        }

        /** The path's output at the requested point (a copy). */
        @Override
        public double[] output() {
            return output.clone();
        }

        /** Plain execution's output at the requested point (a copy). */
        @Override
        public double[] reference() {
            return reference.clone();
        }
    }

    private final List<Stage> stages;
    private final FunctionFamily family;
    private final int order;
    private final double radius;
    private final double[][] refPoints; // v_0 … v_k (k+1 steps → k+2 points)
    private final TensorSeries[] expansions;
    private final FunctionSeries[] inF; // null where the set was refused
    private final RuntimeException[] refusals;

    DiagramExecutor(List<Stage> stages, FunctionFamily family, int order, double[] v0, double radius) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a program needs at least one step");
        }
        FunctionFamily.checkNonNegative("order", order);
        BasisTransform.checkRadius(radius);
        if (v0.length != stages.get(0).inputDim()) {
            throw new IllegalArgumentException("dimension mismatch: program expects " + stages.get(0).inputDim()
                    + " inputs, expansion point has " + v0.length);
        }
        this.stages = List.copyOf(stages);
        this.family = Objects.requireNonNull(family, "family");
        this.order = order;
        this.radius = radius;
        int k = stages.size();
        refPoints = new double[k + 1][];
        expansions = new TensorSeries[k];
        inF = new FunctionSeries[k];
        refusals = new RuntimeException[k];
        refPoints[0] = v0.clone();
        java.util.Map<Integer, Object> transforms = new java.util.HashMap<>();
        for (int t = 0; t < k; t++) {
            Stage s = stages.get(t);
            expansions[t] = s.expand(refPoints[t].clone(), order);
            refPoints[t + 1] = s.execute(refPoints[t].clone());
            Object tr = transforms.computeIfAbsent(s.inputDim(), d -> {
                try {
                    return BasisTransform.of(FunctionSet.of(family, d, order));
                } catch (RuntimeException e) {
                    return e;
                }
            });
            if (tr instanceof BasisTransform) {
                inF[t] = ((BasisTransform) tr).apply(expansions[t], radius);
            } else {
                refusals[t] = (RuntimeException) tr;
            }
        }
    }

    /**
     * An executor for {@code program}'s steps.
     *
     * @param family the function family for T steps ({@code FunctionSet.of(family, d_t, order)})
     * @param v0 the expansion point of the first step
     * @param radius {@code r}, used for every step
     */
    public static DiagramExecutor of(Program program, FunctionFamily family, int order, double[] v0, double radius) {
        Objects.requireNonNull(program, "program");
        List<Stage> stages = new ArrayList<>();
        for (Step step : program.steps()) {
            Program single = Program.of(List.of(step));
            stages.add(new Stage() {
                @Override
                public int inputDim() {
                    return step.inputDim();
                }

                @Override
                public int outputDim() {
                    return step.outputDim();
                }

                @Override
                public double[] execute(double[] x) {
                    return single.execute(x);
                }

                @Override
                public TensorSeries expand(double[] point, int n) {
                    return Expander.expand(single, point, n);
                }
            });
        }
        return new DiagramExecutor(stages, family, order, v0, radius);
    }

    /** Number of steps. */
    public int steps() {
        return stages.size();
    }

    /** {@code v_t}, the reference point of step {@code t} ({@code t = steps()} is {@code P(v0)}); a copy. */
    public double[] referencePoint(int t) {
        return refPoints[t].clone();
    }

    /**
     * Parses a path: one letter per step (E, X or T, case-insensitive), separated by commas;
     * blanks are ignored.
     *
     * @throws IllegalArgumentException naming the bad position and the valid letters, or the
     *     length mismatch
     */
    public static List<Mode> parsePath(String path, int steps) {
        Objects.requireNonNull(path, "path");
        String[] parts = path.split(",", -1);
        List<Mode> modes = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim().toUpperCase(Locale.ROOT);
            Mode m = switch (p) {
                case "E" -> Mode.E;
                case "X" -> Mode.X;
                case "T" -> Mode.T;
                default -> throw new IllegalArgumentException("path '" + path + "', position " + (i + 1) + ": '"
                        + parts[i].trim() + "' is not a mode; valid letters: E (execute), X (tensor series), "
                        + "T (T_FX in the function set)");
            };
            modes.add(m);
        }
        if (modes.size() != steps) {
            throw new IllegalArgumentException("path '" + path + "' has " + modes.size()
                    + " letters but the program has " + steps + " steps");
        }
        return modes;
    }

    /** Runs {@code path} on input {@code x}. */
    public double[] run(String path, double[] x) {
        return run(parsePath(path, stages.size()), x);
    }

    private double[] run(List<Mode> modes, double[] x) {
        if (x.length != stages.get(0).inputDim()) {
            throw new IllegalArgumentException("dimension mismatch: program expects " + stages.get(0).inputDim()
                    + " inputs, x has " + x.length);
        }
        double[] z = x.clone();
        for (int t = 0; t < modes.size(); t++) {
            double[] ref = refPoints[t];
            switch (modes.get(t)) {
                case E -> z = stages.get(t).execute(z);
                case X -> {
                    double[] h = new double[z.length];
                    for (int l = 0; l < z.length; l++) {
                        h[l] = z[l] - ref[l];
                    }
                    z = expansions[t].evaluate(h);
                }
                case T -> {
                    if (inF[t] == null) {
                        throw refusals[t];
                    }
                    double[] u = new double[z.length];
                    for (int l = 0; l < z.length; l++) {
                        u[l] = (z[l] - ref[l]) / radius;
                    }
                    z = inF[t].evaluate(u);
                }
                default -> throw new AssertionError();
            }
        }
        return z;
    }

    private double[] plain(double[] x) {
        double[] z = x.clone();
        for (Stage s : stages) {
            z = s.execute(z);
        }
        return z;
    }

    /**
     * Runs {@code path} at {@code x} and over the region's point set and reports the path's error
     * against plain execution.
     */
    public PathReport report(String path, double[] x) {
        List<Mode> modes = parsePath(path, stages.size());
        double[] out = run(modes, x);
        double[] ref = plain(x);
        double pointErr = 0.0;
        for (int i = 0; i < out.length; i++) {
            pointErr = Math.max(pointErr, Math.abs(out[i] - ref[i]));
        }
        int d = stages.get(0).inputDim();
        int count = Oracle.defaultPointCount(MultiIndexSet.of(d, order).size());
        double[] u = Oracle.haltonPoints(d, count);
        int m = stages.get(stages.size() - 1).outputDim();
        double[] approx = new double[count * m];
        double[] truth = new double[count * m];
        double[] xp = new double[d];
        for (int p = 0; p < count; p++) {
            for (int l = 0; l < d; l++) {
                xp[l] = refPoints[0][l] + radius * u[p * d + l];
            }
            System.arraycopy(run(modes, xp), 0, approx, p * m, m);
            System.arraycopy(plain(xp), 0, truth, p * m, m);
        }
        return new PathReport(String.join(",", modes.stream().map(Mode::name).toList()), out, ref, pointErr,
                ErrorMetrics.of(approx, truth));
    }

    @Override
    public String toString() {
        return "DiagramExecutor[" + stages.size() + " steps, " + family.name() + ", n=" + order + ", r=" + radius
                + ", v0=" + Arrays.toString(refPoints[0]) + "]";
    }
}
