package org.vtm.datagen;

import java.util.ArrayList;
import java.util.List;

/**
 * The families of programs a corpus draws (docs/corpus-format.md, "Program families"). Each
 * family fixes the shape of every step; the region (expansion point {@code v0} and radius
 * {@code r}) is drawn the same way for all of them.
 *
 * <ul>
 *   <li>{@link #RANDOM}: random expressions over the configured operator mix, depth and constants
 *       ({@link ProgramGenerator}); the generator of corpus format 1, record for record.</li>
 *   <li>{@link #MLP}: every step is a layer {@code x -> act(W x + b)} with one activation per step,
 *       {@code tanh}, {@code sigmoid} or {@code softplus} (all three are functions of the program
 *       language).</li>
 *   <li>{@link #EXP_AFFINE}: every output of every step is {@code f(w·x + b)} with {@code f} one of
 *       {@code exp, log, sin, cos, tan}.</li>
 *   <li>{@link #RATIONAL}: step 0 adds {@code c_j / (A - w·x)} to affine outputs, with the pole
 *       hyperplane at distance {@code ρ = r / q} from {@code v0} (max-norm, the norm of the region
 *       {@code v0 + r·[-1,1]^d}) for {@code q = r/ρ} drawn from the configured range; later steps are
 *       entire ({@code affine + a·sin(affine)}), so {@code ρ} is the distance to the program's
 *       nearest singularity, real or complex. Records carry {@code ρ} and {@code r/ρ}.</li>
 *   <li>{@link #BRANCHING}: step 0's outputs are {@code if(w·x < β, e1, e2)} whose boundary
 *       hyperplane {@code w·x = β} passes through the region; later steps are entire as in
 *       {@link #RATIONAL}.</li>
 * </ul>
 */
public enum ProgramFamily {
    RANDOM("random"),
    MLP("mlp"),
    EXP_AFFINE("exp-affine"),
    RATIONAL("rational"),
    BRANCHING("branching");

    /** The r/ρ range of {@link #RATIONAL} unless configured (the range experiment E3 sweeps). */
    public static final double DEFAULT_POLE_RATIO_MIN = 0.1;
    public static final double DEFAULT_POLE_RATIO_MAX = 0.9;

    private final String label;

    ProgramFamily(String label) {
        this.label = label;
    }

    /** The name used on the command line, in configurations and in corpora, e.g. {@code exp-affine}. */
    public String label() {
        return label;
    }

    /** Every label, in declaration order. */
    public static List<String> labels() {
        List<String> out = new ArrayList<>();
        for (ProgramFamily f : values()) {
            out.add(f.label);
        }
        return out;
    }

    /**
     * The family named {@code label}.
     *
     * @throws IllegalArgumentException naming the label and listing the valid ones
     */
    public static ProgramFamily byLabel(String label) {
        for (ProgramFamily f : values()) {
            if (f.label.equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown program family '" + label + "'; valid: " + String.join(", ", labels()));
    }

    /** Whether records of this family carry a pole distance ρ and r/ρ. */
    public boolean hasPole() {
        return this == RATIONAL;
    }
}
