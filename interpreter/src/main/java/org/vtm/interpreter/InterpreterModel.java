package org.vtm.interpreter;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

/**
 * The learned interpreter's network, in pure SameDiff and double precision (design §8).
 *
 * <p>Per step {@code t} of a program (B programs padded to T steps, {@code N = B·T} rows):
 * <pre>
 *   x_t = [asinh v_t, asinh a_t, (growth features), r, onehot(t), t/maxSteps]   ("x", [B, T, F])
 *   h_t = LSTM(x_≤t)                                               (sd.rnn().lstmLayer, NTS)
 *   transform head: ΔT_t = W h_t + b  (M×M)   T_t = T_0 + ΔT_t   c_t[out] = T_t · a_t[out]
 *   direct head:    c_t = W h_t + b   (d·M)
 *   values_t = c_t · Φᵀ   (Φ[s][β] = Φ_β(u_s), the function set at the S sample points; constant)
 *   loss = Σ_rows w_row · ‖values_t − y_t‖²                        ("loss", scalar)
 * </pre>
 * {@code a} ("a", [N, d, M]) is the raw scaled prefix expansion; {@code y} ("y", [N, d, S]) the
 * exact values; {@code w} ("w", [N, 1, 1]) row weights that mask padded steps and normalise
 * (the trainer uses {@code mask/(‖y‖²·rows)}, i.e. the mean relative squared L2 error).
 *
 * <p>ΔT is one {@code M×M} matrix per step, shared by all {@code d} outputs: {@code T_FX} itself
 * is shared (a change of basis acts on each output alike), so the shared ΔT keeps the learned
 * transform a change of basis that depends on the input, with {@code M²} instead of
 * {@code d·M²} head outputs. The products {@code T_t·a_t} are computed by broadcasting and a
 * sum (no batched matmul / tensorMmul, whose backprop failed in this ND4J version).
 */
public final class InterpreterModel {
    public static final String X = "x";
    public static final String A = "a";
    public static final String Y = "y";
    public static final String W = "w";
    public static final String COEFFICIENTS = "coefficients";
    public static final String LOSS = "loss";
    /** Degree-(n+1) scaled terms of the prefix expansion ({@link ModelConfig.Inputs#NEXT_ORDER}), [N, d, K]. */
    public static final String NEXT = "next";
    /** The learned map {@code Q} ({@code K×M}) of the degree-(n+1) terms into F-coefficients. */
    public static final String NEXT_PARAMETER = "next_W";
    /**
     * The syntax node table of the batch's programs ({@link ProgramSyntax#batch}), [nodes, 5]: the input of the
     * structure encoder (layer engine only, inputs with {@code structure}).
     */
    public static final String STRUCTURE = "structure";
    /** Row mask / real rows ({@link ModelConfig.Loss#LOG_REL} only), [N]. */
    public static final String MASK = "mask";
    /** ε in {@code log(ε + e)}: a relative L2 error of 1e-5, below the oracle's typical error. */
    public static final double LOG_EPS = 1e-10;
    public static final String[] PARAMETERS = {"lstm_W", "lstm_R", "lstm_b", "head_W", "head_b"};

    private InterpreterModel() {
    }

    /**
     * Builds the graph.
     *
     * @param tfx {@code T_FX}, {@code M×M} row-major
     * @param phi {@code Φ}, {@code S×M} row-major: function {@code β} at sample point {@code s}
     * @param seed initialisation seed
     */
    public static SameDiff build(ModelConfig config, double[] tfx, double[] phi, long seed) {
        return build(config, tfx, phi, null, seed);
    }

    /** As above; {@code qInit} ({@code K×M}) is the start of {@code Q} for NEXT_ORDER (null: zero). */
    public static SameDiff build(ModelConfig config, double[] tfx, double[] phi, double[] qInit, long seed) {
        int d = config.dim();
        int m = config.terms();
        int f = config.features();
        int h = config.hidden();
        if (tfx.length != m * m) {
            throw new IllegalArgumentException("T_FX has " + tfx.length + " entries, expected M·M = " + m * m);
        }
        if (phi.length % m != 0 || phi.length == 0) {
            throw new IllegalArgumentException("Φ has " + phi.length + " entries, not a positive multiple of M = " + m);
        }
        if (config.structure()) {
            throw new IllegalArgumentException("the SameDiff engine has no structure encoder; train '"
                    + config.inputSpec().label() + "' inputs with --engine layers");
        }
        if (config.head() == ModelConfig.Head.TAIL) {
            throw new IllegalArgumentException("the SameDiff engine has no tail head; train --head tail with --engine layers");
        }
        int s = phi.length / m;
        SplittableRandom random = new SplittableRandom(seed);

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder(X, DataType.DOUBLE, -1, -1, f);
        SDVariable a = sd.placeHolder(A, DataType.DOUBLE, -1, d, m);
        SDVariable y = sd.placeHolder(Y, DataType.DOUBLE, -1, d, s);
        SDVariable w = sd.placeHolder(W, DataType.DOUBLE, -1, 1, 1);
        SDVariable mask = config.loss() == ModelConfig.Loss.LOG_REL ? sd.placeHolder(MASK, DataType.DOUBLE, -1) : null;

        SDVariable lstmW = sd.var(PARAMETERS[0], xavier(random, f, 4 * h));
        SDVariable lstmR = sd.var(PARAMETERS[1], xavier(random, h, 4 * h));
        SDVariable lstmB = sd.var(PARAMETERS[2], Nd4j.zeros(DataType.DOUBLE, 4 * h));
        LSTMLayerConfig lstmConfig = LSTMLayerConfig.builder()
                .lstmdataformat(LSTMDataFormat.NTS)
                .directionMode(LSTMDirectionMode.FWD)
                .gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH)
                .outAct(LSTMActivations.TANH)
                .retFullSequence(true)
                .retLastC(false)
                .retLastH(false)
                .build();
        SDVariable[] lstmOut = sd.rnn().lstmLayer(x,
                LSTMLayerWeights.builder().weights(lstmW).rWeights(lstmR).bias(lstmB).build(), lstmConfig);
        SDVariable hidden = sd.reshape(lstmOut[0], -1, h); // [N, H], row n = b*T + t

        SDVariable coefficients;
        if (config.head() == ModelConfig.Head.TRANSFORM) {
            int k = m * m;
            INDArray headW = config.init() != ModelConfig.Init.RANDOM ? Nd4j.zeros(DataType.DOUBLE, h, k)
                    : xavier(random, h, k);
            SDVariable hw = sd.var(PARAMETERS[3], headW);
            SDVariable hb = sd.var(PARAMETERS[4], Nd4j.zeros(DataType.DOUBLE, k));
            double[] base = config.init() != ModelConfig.Init.RANDOM ? tfx.clone() : randomLike(tfx, random);
            SDVariable t0 = sd.constant(T0, Nd4j.createFromArray(base).reshape(1, m, m));
            SDVariable raw = hidden.mmul(hw).add(hb);
            if (config.headScale() != 1) {
                raw = raw.mul(config.headScale());
            }
            SDVariable delta = sd.reshape(raw, -1, m, m);
            SDVariable transform = delta.add(t0);                          // [N, M, M]
            // c[n][o][β] = Σ_α T[n][β][α] a[n][o][α]: one batched matmul a · Tᵀ (a broadcast
            // multiply over [N, d, M, M] and a sum cost ~3x more per training step, mostly in backprop)
            coefficients = sd.mmul(a, transform, false, true, false);      // [N, d, M]
        } else {
            INDArray headW = xavier(random, h, d * m);
            SDVariable hw = sd.var(PARAMETERS[3], headW);
            SDVariable hb = sd.var(PARAMETERS[4], Nd4j.zeros(DataType.DOUBLE, d * m));
            coefficients = sd.reshape(hidden.mmul(hw).add(hb), -1, d, m);
        }
        if (config.inputs() == ModelConfig.Inputs.NEXT_ORDER) {
            int kk = config.nextTerms();
            SDVariable next = sd.placeHolder(NEXT, DataType.DOUBLE, -1, d, kk);
            SDVariable q = sd.var(NEXT_PARAMETER, qInit == null ? Nd4j.zeros(DataType.DOUBLE, kk, m)
                    : Nd4j.createFromArray(qInit).reshape(kk, m));
            coefficients = coefficients.add(sd.reshape(sd.reshape(next, -1, kk).mmul(q), -1, d, m));
        }
        coefficients = sd.identity(COEFFICIENTS, coefficients);
        SDVariable phiT = sd.constant("phiT", Nd4j.createFromArray(phi).reshape(s, m).transpose().dup());
        SDVariable values = sd.reshape(sd.reshape(coefficients, -1, m).mmul(phiT), -1, d, s);
        SDVariable diff = values.sub(y);
        SDVariable loss;
        if (mask == null) {
            loss = sd.sum(LOSS, diff.mul(diff).mul(w));
        } else {
            SDVariable rowError = sd.sum(diff.mul(diff).mul(w), 1, 2);     // [N] relative squared error
            loss = sd.sum(LOSS, sd.math().log(rowError.add(LOG_EPS)).mul(mask));
        }
        sd.setLossVariables(loss);
        return sd;
    }

    /**
     * A fresh graph for {@code model} (initialised from {@code seed}), with {@code Φ} the model's
     * function set at {@code samplePoints} (scaled coordinates) and, for a
     * {@link ModelConfig.Init#PROJECTION} model with {@link ModelConfig.Inputs#NEXT_ORDER} inputs,
     * {@code Q} starting at the {@link NextOrderProjection} at the same points. A trainer starts
     * from it; a saved model is loaded by restoring its parameters into it ({@link #restore}).
     */
    public static SameDiff newGraph(ModelConfig model, double[] tfx, double[][] samplePoints, long seed) {
        return build(model, tfx, designMatrix(model, samplePoints), initialQ(model, samplePoints), seed);
    }

    /** {@code Φ} ({@code S×M} row-major) of {@link #newGraph}: the model's function set at {@code samplePoints}. */
    public static double[] designMatrix(ModelConfig model, double[][] samplePoints) {
        return FunctionSet.of(FunctionFamily.byName(model.family()), model.dim(), model.order()).designMatrix(samplePoints);
    }

    /** The start of {@code Q} in {@link #newGraph}: the {@link NextOrderProjection} for a projection model, else null. */
    public static double[] initialQ(ModelConfig model, double[][] samplePoints) {
        if (model.init() != ModelConfig.Init.PROJECTION || model.inputs() != ModelConfig.Inputs.NEXT_ORDER) {
            return null;
        }
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(model.family()), model.dim(), model.order());
        return NextOrderProjection.fit(set, samplePoints).matrix();
    }

    /**
     * {@code Q*} ({@code K×M}) of a {@link ModelConfig.Head#TAIL} model: the {@link NextOrderProjection} of its function
     * set at {@code samplePoints} (the points of its {@code Φ} and loss, the same fit as {@link #initialQ} and
     * {@code economised_n1}); null for the other heads. Deterministic; a trained model keeps the one it was trained
     * with in its parameter file ({@link #TAIL_Q}).
     */
    public static double[] tailProjection(ModelConfig model, double[][] samplePoints) {
        if (model.head() != ModelConfig.Head.TAIL) {
            return null;
        }
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(model.family()), model.dim(), model.order());
        return NextOrderProjection.fit(set, samplePoints).matrix();
    }

    /**
     * Writes the features of one step into {@code x} at {@code offset} ({@link ModelConfig#features()} values).
     *
     * @param point {@code v_t}, {@code d} values from {@code pointOffset}
     * @param prefix {@code a_t}, {@code d·M} values from {@code prefixOffset}
     */
    public static void features(ModelConfig config, double[] point, int pointOffset, double[] prefix, int prefixOffset,
            double radius, int step, double[] x, int offset) {
        features(config, point, pointOffset, prefix, prefixOffset, null, 0, radius, step, x, offset);
    }

    /** As above, with the degree-(n+1) terms {@code next} ({@code d·K} values from {@code nextOffset}) for NEXT_ORDER. */
    public static void features(ModelConfig config, double[] point, int pointOffset, double[] prefix, int prefixOffset,
            double[] next, int nextOffset, double radius, int step, double[] x, int offset) {
        int d = config.dim();
        int dm = d * config.terms();
        int o = offset;
        for (int i = 0; i < d; i++) {
            x[o++] = asinh(point[pointOffset + i]);
        }
        if (config.inputs() == ModelConfig.Inputs.ASINH) {
            for (int i = 0; i < dm; i++) {
                x[o++] = asinh(prefix[prefixOffset + i]);
            }
        } else {
            int m = config.terms();
            for (int out = 0; out < d; out++) {
                int from = prefixOffset + out * m;
                double norm = 0;
                for (int i = 0; i < m; i++) {
                    norm += prefix[from + i] * prefix[from + i];
                }
                norm = Math.sqrt(norm);
                double inv = norm > 0 ? 1 / norm : 0;
                for (int i = 0; i < m; i++) {
                    x[o++] = prefix[from + i] * inv;
                }
                x[o++] = Math.log(norm + 1e-12) / 5;
                if (config.inputs() == ModelConfig.Inputs.NEXT_ORDER) {
                    int kk = config.nextTerms();
                    for (int i = 0; i < kk; i++) {
                        x[o++] = next[nextOffset + out * kk + i] * inv;
                    }
                }
            }
        }
        if (config.growth()) {
            int m = config.terms();
            int[] degrees = GrowthFeatures.shared(d, config.order());
            int g = GrowthFeatures.perOutput(config.order());
            for (int out = 0; out < d; out++) {
                GrowthFeatures.compute(prefix, prefixOffset + out * m, degrees, config.order(), x, o);
                o += g;
            }
        }
        x[o++] = radius;
        for (int t = 0; t < config.maxSteps(); t++) {
            x[o++] = t == step ? 1 : 0;
        }
        x[o++] = (double) step / config.maxSteps();
        // the structure encoding's columns (last) are the network's to fill
        java.util.Arrays.fill(x, o, o + config.structureColumns(), 0);
    }

    /** asinh, odd-symmetric and accurate for large |v|: squashes inputs spanning many magnitudes. */
    static double asinh(double v) {
        double a = Math.abs(v);
        double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log(a + Math.sqrt(a * a + 1));
        return Math.copySign(r, v);
    }

    /** Name of the base transform constant {@code T_0} (transform and tail heads). */
    public static final String T0 = "T0";
    /** Name of the tail head's constant {@code Q*} ({@code K×M}, [K, M]) in model and checkpoint files. */
    public static final String TAIL_Q = "tail_Q";

    /** Parameters and {@code T_0} of a built model, by name (the live arrays). */
    public static Map<String, INDArray> state(SameDiff sd) {
        Map<String, INDArray> out = parameters(sd);
        if (sd.getVariable(T0) != null) {
            out.put(T0, sd.getVariable(T0).getArr());
        }
        return out;
    }

    /**
     * Copies saved parameters (and {@code T_0}) into a freshly built graph of the same configuration.
     *
     * @throws IllegalArgumentException naming the first missing or mis-shaped array
     */
    public static void restore(SameDiff sd, Map<String, INDArray> saved) {
        for (Map.Entry<String, INDArray> e : state(sd).entrySet()) {
            INDArray from = saved.get(e.getKey());
            if (from == null) {
                throw new IllegalArgumentException("array '" + e.getKey() + "' is missing");
            }
            if (T0.equals(e.getKey()) && from.length() == e.getValue().length()) {
                from = from.reshape(e.getValue().shape()); // models saved before T_0 became [1, M, M]
            }
            if (!java.util.Arrays.equals(from.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("array '" + e.getKey() + "' has shape "
                        + java.util.Arrays.toString(from.shape()) + ", the model needs "
                        + java.util.Arrays.toString(e.getValue().shape()));
            }
            e.getValue().assign(from);
        }
    }

    /** The trainable parameters of a built model, by name (the live arrays). */
    public static Map<String, INDArray> parameters(SameDiff sd) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (String p : parameterNames(sd)) {
            out.put(p, sd.getVariable(p).getArr());
        }
        return out;
    }

    /** {@link #PARAMETERS} plus {@link #NEXT_PARAMETER} when the graph has it. */
    public static java.util.List<String> parameterNames(SameDiff sd) {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(PARAMETERS));
        if (sd.hasVariable(NEXT_PARAMETER)) {
            names.add(NEXT_PARAMETER);
        }
        return names;
    }

    private static INDArray xavier(SplittableRandom random, int fanIn, int fanOut) {
        return Nd4j.createFromArray(Initialisers.xavier(random, fanIn, fanOut)).reshape(fanIn, fanOut);
    }

    private static double[] randomLike(double[] like, SplittableRandom random) {
        return Initialisers.randomLike(like, random);
    }
}
