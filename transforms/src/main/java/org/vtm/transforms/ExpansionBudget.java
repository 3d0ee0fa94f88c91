package org.vtm.transforms;

import java.util.Locale;

/**
 * The memory budget for everything whose size grows combinatorially with {@code (d, n)}: compiled
 * index tables, series and full-tensor views, the dense basis matrices {@code T_XF}/{@code T_FX},
 * the oracle's design matrix and the per-record buffers of corpus generation. Expanding to a high
 * order in many variables grows quickly ({@code M = C(d+n, n)} coefficients, {@code M × M} basis
 * matrices, product tables with {@code C(2d+n, 2d)} entries, full tensors with {@code d^k}
 * entries), so every allocation of that kind is sized first, in {@code long} arithmetic that
 * saturates instead of overflowing, and refused with an {@link Exceeded} naming the sizes.
 *
 * <p>The default is half the JVM's maximum heap (at least 512 MiB), overridable with the system
 * property {@value #PROPERTY} (for the
 * {@code vtm} launcher: {@code VTM_JAVA_OPTS=-Dvtm.expansion.budgetBytes=…}); methods that
 * allocate also accept an explicit budget. Independently of the budget, no single array may have
 * more than {@link #MAX_ARRAY_LENGTH} elements (Java arrays are indexed by {@code int}).
 *
 * <p>{@link BasisBudget#checkBasis} is the one place that sizes a basis change (and its oracle) for
 * {@code (family, d, n)}; {@link BasisTransform#of} and {@link Oracle#of} use the same sizing, and
 * callers that hold more per {@code (d, n)} (a corpus generator's per-record buffers) add their
 * bytes to it and call {@link #check(long, long, String)}.
 */
public final class ExpansionBudget {

    /** The system property that overrides the default budget, in bytes. */
    public static final String PROPERTY = "vtm.expansion.budgetBytes";

    /** 512 MiB. */
    public static final long DEFAULT_BYTES = 512L << 20;

    /** The largest array length VTM allocates (some JVMs reserve a few header words). */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /**
     * A request over the budget (or beyond what one Java array can hold). The message names what
     * was asked for, the bytes it needs, the limit and how to raise it. It is an
     * {@link IllegalArgumentException}: the request, not the program, is at fault, and the
     * {@code vtm} command reports it as a usage error (one line, exit code 2).
     */
    public static final class Exceeded extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final long bytesNeeded;
        private final long budgetBytes;

        Exceeded(String what, long bytesNeeded, long budgetBytes, String message) {
            super(message);
            this.what = what;
            this.bytesNeeded = bytesNeeded;
            this.budgetBytes = budgetBytes;
        }

        /** What was asked for, with its dimensions. */
        public String what() {
            return what;
        }

        /** The bytes the request needs ({@link Long#MAX_VALUE} if that overflows a long). */
        public long bytesNeeded() {
            return bytesNeeded;
        }

        /** The budget it exceeded, in bytes. */
        public long budgetBytes() {
            return budgetBytes;
        }
    }

    private ExpansionBudget() {
    }

    /**
     * The budget in bytes: the system property if set (and positive), else half of this JVM's
     * maximum heap, and never less than {@link #DEFAULT_BYTES} — what the memory the JVM was given
     * can hold beside everything else, so that raising {@code -Xmx} raises the budget too.
     */
    public static long defaultBytes() {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) {
            long heap = Runtime.getRuntime().maxMemory();
            return heap == Long.MAX_VALUE ? DEFAULT_BYTES : Math.max(DEFAULT_BYTES, heap / 2);
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
     * @throws Exceeded naming {@code what}, the bytes needed, the budget and how to raise it
     */
    public static void check(long bytesNeeded, long budgetBytes, String what) {
        check(bytesNeeded, 0, budgetBytes, what);
    }

    /**
     * Refuses {@code bytesNeeded > budgetBytes}, and a largest single array of more than
     * {@link #MAX_ARRAY_LENGTH} elements (which no budget allows; the message then says so
     * instead of suggesting a larger budget).
     *
     * @param largestArrayLength elements of the largest single array the request allocates
     * @throws Exceeded naming {@code what}, the sizes, the limit and, where it helps, how to raise it
     */
    public static void check(long bytesNeeded, long largestArrayLength, long budgetBytes, String what) {
        if (bytesNeeded < 0 || largestArrayLength < 0) {
            throw new IllegalArgumentException("sizes must be >= 0, got " + bytesNeeded + " bytes and an array of "
                    + largestArrayLength);
        }
        boolean tooLong = largestArrayLength > MAX_ARRAY_LENGTH;
        if (bytesNeeded <= budgetBytes && !tooLong) {
            return; // the common case: no message to format (this runs on every expansion and composition)
        }
        String arrays = String.format(Locale.ROOT, "its largest array would have %d elements, more than a Java array can "
                + "hold (%d); choose a smaller dimension or order", largestArrayLength, MAX_ARRAY_LENGTH);
        if (bytesNeeded > budgetBytes) {
            throw new Exceeded(what, bytesNeeded, budgetBytes, String.format(Locale.ROOT,
                    "%s need %s, more than the expansion budget of %s; %s", what, describeBytes(bytesNeeded),
                    describeBytes(budgetBytes), tooLong ? "no budget allows this: " + arrays
                            : "if the machine has the memory, raise the budget with VTM_JAVA_OPTS=\"-D" + PROPERTY
                                    + "=BYTES -Xmx...\""));
        }
        if (tooLong) {
            throw new Exceeded(what, bytesNeeded, budgetBytes, what + ": " + arrays);
        }
    }

    /**
     * {@link #check(long, long, String)} for an estimate computed in floating point (binomial
     * coefficients that may not fit a long); values beyond {@link Long#MAX_VALUE} saturate.
     */
    public static void check(double bytesNeeded, long budgetBytes, String what) {
        check(saturate(bytesNeeded), budgetBytes, what);
    }

    /**
     * {@code a · b}, or {@link Long#MAX_VALUE} if that overflows (sizes are never negative, so a
     * saturated size is refused like any other over-budget size).
     */
    public static long times(long a, long b) {
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("sizes must be >= 0, got " + a + " and " + b);
        }
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** {@code a + b}, saturating at {@link Long#MAX_VALUE}. */
    public static long plus(long a, long b) {
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("sizes must be >= 0, got " + a + " and " + b);
        }
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** Bytes of {@code rows × cols} doubles, saturating. */
    public static long doubles(long rows, long cols) {
        return times(times(rows, cols), Double.BYTES);
    }

    /** {@code 75.6 GB (75600000000 bytes)}: both the exact count and a readable size. */
    public static String describeBytes(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 2^63 bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
    }

    /** A floating-point size as a long: beyond 2^63 (or NaN, what an overflowed binomial becomes) saturates. */
    static long saturate(double bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size must be >= 0, got " + bytes);
        }
        return Double.isNaN(bytes) || bytes >= 0x1p63 ? Long.MAX_VALUE : (long) Math.ceil(bytes);
    }
}
