package org.vtm.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.TrainingLimits;

/**
 * The structure of a learned interpreter: function family, {@code d}, {@code n}, the longest
 * program the step encoding covers, the LSTM width, the head kind and the initialisation.
 *
 * @param family function family of {@code F}
 * @param dim {@code d}
 * @param order {@code n}
 * @param maxSteps longest program (step one-hot width); longer programs are refused
 * @param hidden LSTM width
 * @param head {@link Head#TRANSFORM} ({@code c_t = (T_0 + ΔT_t)·a_t}) or {@link Head#DIRECT}
 * @param init {@link Init#TFX} ({@code T_0 = T_FX}, zero head) or {@link Init#RANDOM}
 * @param inputs how {@code a_t} enters the LSTM ({@link Inputs})
 * @param loss the training loss ({@link Loss})
 * @param headScale {@code α} in {@code ΔT_t = α·(W h_t + b)} (transform head; 1 = unscaled)
 */
public record ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init,
        Inputs inputs, Loss loss, double headScale) {

    /** The first helper's configuration (asinh inputs, relative loss, unscaled head). */
    public ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init) {
        this(family, dim, order, maxSteps, hidden, head, init, Inputs.ASINH, Loss.REL, 1);
    }

    /** How the prefix expansion is presented to the LSTM. */
    public enum Inputs {
        /** {@code asinh} of every scaled coefficient (format of the first models). */
        ASINH,
        /**
         * Per output {@code o}: the direction {@code a_t[o]/‖a_t[o]‖} and {@code log ‖a_t[o]‖ / 5}: the
         * same information, but every program's expansion reaches the LSTM at unit scale.
         */
        NORMALISED,
        /**
         * {@link #NORMALISED} plus the prefix expansion's terms of degree {@code n+1} ({@code a⁺_t}, scaled, K per
         * output): divided by {@code ‖a_t[o]‖} in the LSTM input, and through a zero-initialised learned linear
         * map {@code Q} ({@code c_t += Q·a⁺_t}). Extra input information: one order more of the program's
         * expansion, computed from the program like {@code a_t}.
         */
        NEXT_ORDER
    }

    /** {@code K}: the number of monomials of degree exactly {@code n+1} in {@code d} variables. */
    public int nextTerms() {
        long k = 1;
        for (int i = 1; i < dim; i++) {
            k = k * (order + 1 + i) / i;
        }
        return Math.toIntExact(k);
    }

    /** The training loss over (program, real step) rows; {@code e = ‖Φc − y‖²/‖y‖²} at the sample points. */
    public enum Loss {
        /** Mean of {@code ‖Φc − y‖² / (‖y‖² + 0.01·batch mean ‖y‖²)}. */
        REL,
        /**
         * Mean of {@code log(ε + e)}: the log of the geometric mean of the squared relative error, so every
         * program weighs alike whatever its scale and size of error (aligned with the median metric).
         */
        LOG_REL
    }

    /** What the head emits. */
    public enum Head {
        /** {@code ΔT_t} (an {@code M×M} matrix shared by all outputs); {@code c_t = (T_0 + ΔT_t)·a_t}. */
        TRANSFORM,
        /** {@code c_t} directly ({@code d·M} numbers), no {@code T·a} structure (ablation). */
        DIRECT
    }

    /** How the network starts. */
    public enum Init {
        /** {@code T_0 = T_FX} and a zero head: the untrained model is exactly the fixed transform. */
        TFX,
        /**
         * Ablation: {@code T_0} a Gaussian random matrix with the Frobenius norm of {@code T_FX}, head
         * weights random (Xavier), head bias zero.
         */
        RANDOM,
        /**
         * {@link #TFX}, and for {@link Inputs#NEXT_ORDER} {@code Q} starts at {@code Q*}, the least-squares projection
         * of the degree-(n+1) monomials onto F at the sample points: the untrained model is then the best
         * non-learned linear use of the same information, and training has to beat that.
         */
        PROJECTION
    }

    public ModelConfig {
        if (dim < 1 || order < 0 || maxSteps < 1 || hidden < 1 || maxSteps > TrainingLimits.MAX_STEPS
                || hidden > TrainingLimits.MAX_HIDDEN) {
            throw new IllegalArgumentException("bad model shape: dim " + dim + ", order " + order + ", max steps "
                    + maxSteps + ", hidden " + hidden + " (need dim ≥ 1, order ≥ 0, max steps 1.." + TrainingLimits.MAX_STEPS
                    + ", hidden 1.." + TrainingLimits.MAX_HIDDEN + ")");
        }
        if (family == null || head == null || init == null || inputs == null || loss == null) {
            throw new IllegalArgumentException("family, head, init, inputs and loss are required");
        }
        if (!(headScale > 0) || Double.isInfinite(headScale)) {
            throw new IllegalArgumentException("head scale must be positive and finite, got " + headScale);
        }
    }

    /** {@code M = C(d+n, n)}. */
    public int terms() {
        long m = 1;
        for (int i = 1; i <= order; i++) {
            m = m * (dim + i) / i;
        }
        return Math.toIntExact(m);
    }

    /**
     * Width of the per-step input: v_t (d), a_t (d·M, plus d log-norms for {@link Inputs#NORMALISED}), radius,
     * step one-hot, t/maxSteps.
     */
    public int features() {
        int extra = switch (inputs) {
            case ASINH -> 0;
            case NORMALISED -> dim;
            case NEXT_ORDER -> dim + dim * nextTerms();
        };
        return dim + dim * terms() + extra + 1 + maxSteps + 1;
    }

    void writeTo(ObjectNode n) {
        n.put("family", family);
        n.put("dim", dim);
        n.put("order", order);
        n.put("max_steps", maxSteps);
        n.put("hidden", hidden);
        n.put("head", head.name().toLowerCase(Locale.ROOT));
        n.put("init", init.name().toLowerCase(Locale.ROOT));
        n.put("inputs", inputs.name().toLowerCase(Locale.ROOT));
        n.put("loss", loss.name().toLowerCase(Locale.ROOT));
        n.put("head_scale", headScale);
    }

    static ModelConfig readFrom(JsonNode n, Path source) throws ModelFormatException {
        try {
            return new ModelConfig(req(n, "family", source).asText(), req(n, "dim", source).asInt(),
                    req(n, "order", source).asInt(), req(n, "max_steps", source).asInt(),
                    req(n, "hidden", source).asInt(),
                    Head.valueOf(req(n, "head", source).asText().toUpperCase(Locale.ROOT)),
                    Init.valueOf(req(n, "init", source).asText().toUpperCase(Locale.ROOT)),
                    // absent in the first models: their defaults
                    Inputs.valueOf(n.path("inputs").asText("asinh").toUpperCase(Locale.ROOT)),
                    Loss.valueOf(n.path("loss").asText("rel").toUpperCase(Locale.ROOT)),
                    n.path("head_scale").asDouble(1));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": bad model properties: " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode n, String key, Path source) throws ModelFormatException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(source + ": property '" + key + "' is missing");
        }
        return v;
    }
}
