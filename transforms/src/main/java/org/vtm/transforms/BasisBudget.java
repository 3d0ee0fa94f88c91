package org.vtm.transforms;

import java.util.Locale;
import java.util.Objects;

/**
 * The sizes of a basis change — the index tables, the dense {@code M × M} matrices of
 * {@link BasisTransform} and the design matrix of the {@link Oracle} — computed and checked
 * against the {@link ExpansionBudget} before anything is allocated, in long arithmetic. Every
 * command, job and generator that reaches a basis change checks it here, so the refusal names the
 * same sizes wherever it comes from.
 */
public final class BasisBudget {
    private BasisBudget() {
    }

    /**
     * The dense matrices of a basis change for the square set of {@code family} over {@code d}
     * variables at order {@code n} ({@link FunctionSet#of}), and optionally of its least-squares
     * {@link Oracle} with the default point count: the sizes {@link BasisTransform#of} and
     * {@link Oracle#of} will allocate, checked against the default budget before anything is
     * built. The index tables are checked too ({@link MultiIndexSet#of}).
     *
     * @return the bytes the basis change (and oracle) need, for callers that add their own buffers
     * @throws ExpansionBudget.Exceeded if the matrices exceed the budget or one of them exceeds a Java array
     */
    public static long checkBasis(FunctionFamily family, int dim, int order, boolean withOracle) {
        long bytes = basisBytes(family, dim, order, withOracle);
        long m = monomialCount(dim, order);
        long largest = ExpansionBudget.times(m, m);
        if (withOracle) {
            largest = Math.max(largest, ExpansionBudget.times(Oracle.defaultPointCount(m), m));
        }
        ExpansionBudget.check(bytes, largest, ExpansionBudget.defaultBytes(), basisDescription(family, dim, order, withOracle));
        return bytes;
    }

    /**
     * What {@link #checkBasis} checks, without checking: the bytes of the index tables, the basis
     * matrices and (optionally) the oracle for the square set of {@code (family, d, n)}.
     */
    public static long basisBytes(FunctionFamily family, int dim, int order, boolean withOracle) {
        Objects.requireNonNull(family, "family");
        SeriesChecks.dimension(dim);
        SeriesChecks.order(order);
        long m = monomialCount(dim, order);
        long bytes = ExpansionBudget.plus(ExpansionBudget.saturate(MultiIndexSet.bytesNeeded(dim, order)),
                BasisTransform.bytesNeeded(m, m, family.isPolynomial()));
        if (withOracle) {
            bytes = ExpansionBudget.plus(bytes, Oracle.bytesNeeded(Oracle.defaultPointCount(m), m));
        }
        return bytes;
    }

    /** {@code M = C(d+n, n)}, saturating at {@link Long#MAX_VALUE}. */
    public static long monomialCount(int dim, int order) {
        return ExpansionBudget.saturate(MultiIndexSet.sizeOf(dim, order));
    }

    private static String basisDescription(FunctionFamily family, int dim, int order, boolean withOracle) {
        long m = monomialCount(dim, order);
        return String.format(Locale.ROOT, "the %s basis change for d=%d, n=%d (M=%d; T_XF, T_FX: %d × %d doubles each%s)",
                family.name(), dim, order, m, m, m,
                withOracle ? "; oracle design matrix: " + Oracle.defaultPointCount(m) + " × " + m : "");
    }
}
