package org.vtm.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

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
 */
public record ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init) {

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
        RANDOM
    }

    public ModelConfig {
        if (dim < 1 || order < 0 || maxSteps < 1 || hidden < 1) {
            throw new IllegalArgumentException("bad model shape: dim " + dim + ", order " + order + ", max steps "
                    + maxSteps + ", hidden " + hidden + " (need dim ≥ 1, order ≥ 0, max steps ≥ 1, hidden ≥ 1)");
        }
        if (family == null || head == null || init == null) {
            throw new IllegalArgumentException("family, head and init are required");
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

    /** Width of the per-step input: v_t (d), asinh(a_t) (d·M), radius, step one-hot, t/maxSteps. */
    public int features() {
        return dim + dim * terms() + 1 + maxSteps + 1;
    }

    void writeTo(ObjectNode n) {
        n.put("family", family);
        n.put("dim", dim);
        n.put("order", order);
        n.put("max_steps", maxSteps);
        n.put("hidden", hidden);
        n.put("head", head.name().toLowerCase(Locale.ROOT));
        n.put("init", init.name().toLowerCase(Locale.ROOT));
    }

    static ModelConfig readFrom(JsonNode n, Path source) throws IOException {
        try {
            return new ModelConfig(req(n, "family", source).asText(), req(n, "dim", source).asInt(),
                    req(n, "order", source).asInt(), req(n, "max_steps", source).asInt(),
                    req(n, "hidden", source).asInt(),
                    Head.valueOf(req(n, "head", source).asText().toUpperCase(Locale.ROOT)),
                    Init.valueOf(req(n, "init", source).asText().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": bad model properties: " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode n, String key, Path source) throws IOException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IOException(source + ": property '" + key + "' is missing");
        }
        return v;
    }
}
