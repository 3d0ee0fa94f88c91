package org.vtm.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * @param head {@link Head#TRANSFORM} ({@code c_t = (T_0 + ΔT_t)·a_t}), {@link Head#DIRECT} or {@link Head#TAIL}
 *     ({@code c_t = (T_0 + ΔT_t)·a_t + ‖a_t‖·p_t·Q*})
 * @param init {@link Init#TFX} ({@code T_0 = T_FX}, zero head) or {@link Init#RANDOM}
 * @param inputs how {@code a_t} enters the LSTM ({@link Inputs})
 * @param loss the training loss ({@link Loss})
 * @param headScale {@code α} in {@code ΔT_t = α·(W h_t + b)} (transform head; 1 = unscaled)
 * @param growth the input flag {@code growth}: {@link GrowthFeatures} of {@code a_t} as extra LSTM inputs
 * @param structure the input flag {@code structure}: a learned encoding of each step's syntax trees
 *     ({@code org.vtm.interpreter.engine.StructureEncoder}) as extra LSTM inputs (layer engine only)
 * @param structureWidth width of the structure encoding (used only with {@code structure}; without it, always
 *     {@link #DEFAULT_STRUCTURE_WIDTH})
 */
public record ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init,
        Inputs inputs, Loss loss, double headScale, boolean growth, boolean structure, int structureWidth) {

    /** The default width of the structure encoding. */
    public static final int DEFAULT_STRUCTURE_WIDTH = 16;
    /** The largest structure encoding width. */
    public static final int MAX_STRUCTURE_WIDTH = 256;

    /** The first helper's configuration (asinh inputs, relative loss, unscaled head). */
    public ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init) {
        this(family, dim, order, maxSteps, hidden, head, init, Inputs.ASINH, Loss.REL, 1);
    }

    /** A configuration without the {@code growth} and {@code structure} flags. */
    public ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init,
            Inputs inputs, Loss loss, double headScale) {
        this(family, dim, order, maxSteps, hidden, head, init, inputs, loss, headScale, false, false,
                DEFAULT_STRUCTURE_WIDTH);
    }

    /** A configuration with the input specification {@code spec} (base mode and flags). */
    public ModelConfig(String family, int dim, int order, int maxSteps, int hidden, Head head, Init init,
            InputSpec spec, Loss loss, double headScale, int structureWidth) {
        this(family, dim, order, maxSteps, hidden, head, init, spec.base(), loss, headScale, spec.growth(),
                spec.structure(), structureWidth);
    }

    /** The input specification: base mode {@link #inputs()} and the flags. */
    public InputSpec inputSpec() {
        return new InputSpec(inputs, growth, structure);
    }

    /**
     * What the LSTM reads of each step beyond the point, radius and step position: a base mode ({@link Inputs})
     * and the flags {@code growth} and {@code structure}, written {@code base[+growth][+structure]}
     * (e.g. {@code normalised+growth+structure}; parsed in any order, {@link #label() written} canonically).
     *
     * @param base how the prefix expansion {@code a_t} itself enters
     * @param growth add the scale-free growth features of {@code a_t}'s homogeneous parts ({@link GrowthFeatures})
     * @param structure add a learned encoding of the step's expressions from their syntax trees
     */
    public record InputSpec(Inputs base, boolean growth, boolean structure) {
        /** The flag words of the text form. */
        public static final List<String> FLAGS = List.of("growth", "structure");
        /** The accepted words, for messages and help texts. */
        public static final String WORDS = "a base mode (asinh, normalised, next_order) optionally joined with '+' to "
                + "the flags growth and structure, e.g. normalised+growth+structure";

        public InputSpec {
            if (base == null) {
                throw new IllegalArgumentException("an input specification needs a base mode");
            }
        }

        /** A base mode without flags. */
        public static InputSpec of(Inputs base) {
            return new InputSpec(base, false, false);
        }

        /**
         * Parses {@code base[+flag]...}: exactly one base mode and each flag at most once, in any order, any case.
         *
         * @throws IllegalArgumentException naming the offending word and listing the accepted ones
         */
        public static InputSpec parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("empty input specification; expected " + WORDS);
            }
            Inputs base = null;
            boolean growth = false;
            boolean structure = false;
            for (String raw : text.split("\\+", -1)) {
                String w = raw.trim().toLowerCase(Locale.ROOT);
                Inputs mode = null;
                for (Inputs i : Inputs.values()) {
                    if (i.name().toLowerCase(Locale.ROOT).equals(w)) {
                        mode = i;
                    }
                }
                if (mode != null) {
                    if (base != null) {
                        throw new IllegalArgumentException("'" + text + "' names two base modes (" + label(base) + ", "
                                + w + "); expected " + WORDS);
                    }
                    base = mode;
                } else if (w.equals("growth") && !growth) {
                    growth = true;
                } else if (w.equals("structure") && !structure) {
                    structure = true;
                } else if (w.equals("growth") || w.equals("structure")) {
                    throw new IllegalArgumentException("'" + text + "' repeats '" + w + "'; expected " + WORDS);
                } else {
                    throw new IllegalArgumentException("'" + text + "' has unknown word '" + raw.trim() + "'; expected "
                            + WORDS);
                }
            }
            if (base == null) {
                throw new IllegalArgumentException("'" + text + "' names no base mode; expected " + WORDS);
            }
            return new InputSpec(base, growth, structure);
        }

        /** The canonical text: base mode, then {@code +growth}, then {@code +structure}. */
        public String label() {
            StringBuilder sb = new StringBuilder(label(base));
            if (growth) {
                sb.append("+growth");
            }
            if (structure) {
                sb.append("+structure");
            }
            return sb.toString();
        }

        /** Every combination of base mode and flags (for tests and grids). */
        public static List<InputSpec> all() {
            List<InputSpec> out = new ArrayList<>();
            for (Inputs b : Inputs.values()) {
                for (int f = 0; f < 4; f++) {
                    out.add(new InputSpec(b, (f & 1) != 0, (f & 2) != 0));
                }
            }
            return out;
        }

        private static String label(Inputs i) {
            return i.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
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
        DIRECT,
        /**
         * The tail head (design §12): {@link #TRANSFORM}'s {@code (T_0 + ΔT_t)·a_t} plus a predicted Taylor tail,
         * {@code c_t[o] += ‖a_t[o]‖·p_t[o]·Q*} with {@code p_t = h_t U + u} read as {@code [d, K]} (the scale-free
         * degree-(n+1) terms {@code â⁺/‖a‖}, {@code U}, {@code u} zero-initialised) and {@code Q*} the constant
         * {@link NextOrderProjection} at the model's sample points, stored with the model. The model reads only
         * what its inputs give it (orders ≤ n unless the base mode is {@code next_order}); untrained it is
         * {@link #TRANSFORM}'s model exactly. Layer engine only.
         */
        TAIL
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
        if (structureWidth < 1 || structureWidth > MAX_STRUCTURE_WIDTH) {
            throw new IllegalArgumentException("structure width must be 1.." + MAX_STRUCTURE_WIDTH + ", got "
                    + structureWidth);
        }
        if (!structure) {
            structureWidth = DEFAULT_STRUCTURE_WIDTH; // unused: one value, so equal models compare equal (resume)
        }
        if (growth && order < 1) {
            throw new IllegalArgumentException("the growth inputs need order ≥ 1 (ratios of successive orders), got "
                    + order);
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
     * Width of the per-step input: v_t (d), a_t (d·M, plus d log-norms for {@link Inputs#NORMALISED}), the growth
     * features ({@code d·}{@link GrowthFeatures#perOutput}, with {@code growth}), radius, step one-hot, t/maxSteps,
     * and last the structure encoding ({@link #structureWidth()} columns, with {@code structure}; filled by the
     * network, zero in the packed inputs).
     */
    public int features() {
        int extra = switch (inputs) {
            case ASINH -> 0;
            case NORMALISED -> dim;
            case NEXT_ORDER -> dim + dim * nextTerms();
        };
        return dim + dim * terms() + extra + growthColumns() + 1 + maxSteps + 1 + structureColumns();
    }

    /** Columns of the growth features ({@code d·(2n+3)} with {@code growth}, else 0). */
    public int growthColumns() {
        return growth ? dim * GrowthFeatures.perOutput(order) : 0;
    }

    /** Columns of the structure encoding (the last of {@link #features()}; 0 without {@code structure}). */
    public int structureColumns() {
        return structure ? structureWidth : 0;
    }

    void writeTo(ObjectNode n) {
        n.put("family", family);
        n.put("dim", dim);
        n.put("order", order);
        n.put("max_steps", maxSteps);
        n.put("hidden", hidden);
        n.put("head", head.name().toLowerCase(Locale.ROOT));
        n.put("init", init.name().toLowerCase(Locale.ROOT));
        n.put("inputs", inputSpec().label());
        if (structure) {
            n.put("structure_width", structureWidth);
            n.put("syntax_vocabulary", org.vtm.transforms.SyntaxNode.VOCABULARY_VERSION);
        }
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
                    // absent in the first models: their defaults; up to vtm.model/3 an enum name only, which
                    // InputSpec.parse reads as a base mode without flags
                    InputSpec.parse(n.path("inputs").asText("asinh")),
                    Loss.valueOf(n.path("loss").asText("rel").toUpperCase(Locale.ROOT)),
                    n.path("head_scale").asDouble(1), structureWidth(n, source));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": bad model properties: " + e.getMessage(), e);
        }
    }

    private static int structureWidth(JsonNode n, Path source) throws ModelFormatException {
        if (n.has("syntax_vocabulary")
                && n.path("syntax_vocabulary").asInt(-1) != org.vtm.transforms.SyntaxNode.VOCABULARY_VERSION) {
            throw new ModelFormatException(source + ": syntax_vocabulary is " + n.path("syntax_vocabulary")
                    + ", this VTM encodes programs with vocabulary " + org.vtm.transforms.SyntaxNode.VOCABULARY_VERSION);
        }
        return n.path("structure_width").asInt(DEFAULT_STRUCTURE_WIDTH);
    }

    private static JsonNode req(JsonNode n, String key, Path source) throws ModelFormatException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(source + ": property '" + key + "' is missing");
        }
        return v;
    }
}
