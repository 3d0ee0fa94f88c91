package org.vtm.transforms;

/**
 * The memory budget for compiled index tables, series and full-tensor views. Expanding to a high
 * order in many variables grows combinatorially ({@code M = C(d+n, n)} coefficients, product
 * tables with {@code C(2d+n, 2d)} entries, full tensors with {@code d^k} entries), so every
 * allocation of that kind is checked first and refused with a message naming the size.
 *
 * <p>The default is 512 MiB, overridable with the system property
 * {@code vtm.expansion.budgetBytes}; methods that allocate also accept an explicit budget.
 */
public final class ExpansionBudget {

    /** The system property that overrides the default budget, in bytes. */
    public static final String PROPERTY = "vtm.expansion.budgetBytes";

    /** 512 MiB. */
    public static final long DEFAULT_BYTES = 512L << 20;

    private ExpansionBudget() {
    }

    /** The budget in bytes: the system property if set (and positive), else {@link #DEFAULT_BYTES}. */
    public static long defaultBytes() {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) {
            return DEFAULT_BYTES;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be a positive number of bytes, got '" + s + "'");
        }
        if (v <= 0) {
            throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be a positive number of bytes, got " + v);
        }
        return v;
    }

    /**
     * Refuses {@code bytesNeeded > budgetBytes}.
     *
     * @param what a description naming the dimensions, e.g. {@code "product tables for d=8, n=9"}
     * @throws IllegalArgumentException naming {@code what}, the bytes needed and the budget
     */
    public static void check(double bytesNeeded, long budgetBytes, String what) {
        if (!(bytesNeeded <= budgetBytes)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s need %.0f bytes, more than the expansion budget of %d bytes (set -D%s=... or pass a budget)",
                    what, bytesNeeded, budgetBytes, PROPERTY));
        }
    }
}
