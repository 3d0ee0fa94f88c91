package org.vtm.transforms;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The multi-indices {@code α ∈ N^d} with {@code |α| <= n}, in the canonical order of the design
 * notes: by total degree, then lexicographically descending in {@code (α_0, …, α_{d-1})}
 * (for {@code d = 2}: {@code 1, x0, x1, x0², x0x1, x1², …}). There are {@code M = C(d+n, n)}.
 *
 * <p>Besides the index ↔ multi-index maps, a set carries the compiled multiplication table of
 * truncated products: for every output index {@code γ} the pairs {@code (α, β)} with
 * {@code α + β = γ} and both {@code α, β != 0} (the terms involving the constant are handled by the
 * kernels directly). Because the canonical order is by degree, "truncate to degree {@code k}" is a
 * prefix {@code [0, countUpToDegree(k))} of the indices. Instances are immutable, cached per
 * {@code (d, n)} and shared between threads.
 */
public final class MultiIndexSet {

    private static final ConcurrentHashMap<Long, MultiIndexSet> CACHE = new ConcurrentHashMap<>();

    private final int dim;
    private final int order;
    private final int size;
    /** alpha of index i at [i*dim, (i+1)*dim). */
    private final int[] alphas;
    private final int[] degrees;
    private final double[] factorials;
    /** degreeEnd[k] = number of indices of degree <= k, k = 0..order. */
    private final int[] degreeEnd;
    /** Pairs of gamma at [pairStart[gamma], pairStart[gamma+1]) in pairLeft/pairRight. */
    private final int[] pairStart;
    /** For alpha != 0: alpha = alpha[predecessor] + e_{predecessorVariable} (first nonzero j). */
    private final int[] predecessor;
    private final int[] predecessorVariable;
    private final int[] pairLeft;
    private final int[] pairRight;

    /** The set for {@code d} variables and order {@code n}, with the default memory budget. */
    public static MultiIndexSet of(int dim, int order) {
        return of(dim, order, ExpansionBudget.defaultBytes());
    }

    /**
     * The set for {@code d} variables and order {@code n}; refuses (before allocating) one whose
     * index and product tables would need more than {@code budgetBytes}.
     *
     * @throws IllegalArgumentException for {@code d < 1}, {@code n < 0} or an exceeded budget
     */
    public static MultiIndexSet of(int dim, int order, long budgetBytes) {
        SeriesChecks.dimension(dim);
        SeriesChecks.order(order);
        double bytes = bytesNeeded(dim, order);
        if (!(bytes <= budgetBytes)) { // the message only when refusing (this runs on every expansion)
            ExpansionBudget.check(bytes, budgetBytes, "index and product tables for d=" + dim + ", n=" + order);
        }
        long key = ((long) dim << 32) | order;
        MultiIndexSet s = CACHE.get(key);
        if (s == null) {
            s = CACHE.computeIfAbsent(key, k -> new MultiIndexSet(dim, order));
        }
        return s;
    }

    /** {@code C(d+n, n)} as a double (exact while it is below 2^53). */
    public static double sizeOf(int dim, int order) {
        return binomialDouble(dim + order, order);
    }

    /** Bytes of the compiled tables for {@code (d, n)}, computed without building them. */
    public static double bytesNeeded(int dim, int order) {
        double m = sizeOf(dim, order);
        // all pairs (α, β) with |α|+|β| <= n correspond to multi-indices in 2d variables
        double allPairs = binomialDouble(2.0 * dim + order, order);
        double strictPairs = Math.max(0, allPairs - 2 * m + 1);
        return m * (4.0 * dim + 4 + 8 + 4 + 8) + strictPairs * 8.0;
    }

    private static double binomialDouble(double a, int b) {
        double r = 1;
        for (int i = 0; i < b; i++) {
            r = r * (a - i) / (i + 1);
        }
        return Math.rint(r);
    }

    private MultiIndexSet(int dim, int order) {
        double m = sizeOf(dim, order);
        if (m > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                    "too many multi-indices for d=" + dim + ", n=" + order + ": " + m);
        }
        this.dim = dim;
        this.order = order;
        this.size = (int) m;
        this.alphas = new int[size * dim];
        this.degrees = new int[size];
        this.factorials = new double[size];
        this.degreeEnd = new int[order + 1];
        int[] cursor = {0};
        int[] current = new int[dim];
        for (int k = 0; k <= order; k++) {
            enumerate(current, 0, k, cursor, k);
            degreeEnd[k] = cursor[0];
        }
        double[] fact = new double[order + 1];
        fact[0] = 1;
        for (int i = 1; i <= order; i++) {
            fact[i] = fact[i - 1] * i;
        }
        for (int i = 0; i < size; i++) {
            double f = 1;
            for (int j = 0; j < dim; j++) {
                f *= fact[alphas[i * dim + j]];
            }
            factorials[i] = f;
        }
        predecessor = new int[size];
        predecessorVariable = new int[size];
        int[] work = new int[dim];
        for (int i = 1; i < size; i++) {
            System.arraycopy(alphas, i * dim, work, 0, dim);
            int j = 0;
            while (work[j] == 0) {
                j++;
            }
            work[j]--;
            predecessor[i] = rank(work);
            predecessorVariable[i] = j;
        }
        // compile the strict product table
        long count = 0;
        for (int g = 1; g < size; g++) {
            long c = 1;
            for (int j = 0; j < dim; j++) {
                c *= alphas[g * dim + j] + 1;
            }
            count += c - 2;
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                    "product table too large for d=" + dim + ", n=" + order + ": " + count + " pairs");
        }
        pairStart = new int[size + 1];
        pairLeft = new int[(int) count];
        pairRight = new int[(int) count];
        int p = 0;
        int[] a = new int[dim];
        int[] b = new int[dim];
        for (int g = 0; g < size; g++) {
            pairStart[g] = p;
            if (g == 0) {
                continue;
            }
            int off = g * dim;
            Arrays.fill(a, 0);
            // odometer over 0 <= a <= gamma componentwise
            while (true) {
                int j = 0;
                while (j < dim && a[j] == alphas[off + j]) {
                    a[j] = 0;
                    j++;
                }
                if (j == dim) {
                    break;
                }
                a[j]++;
                boolean full = true;
                for (int t = 0; t < dim; t++) {
                    b[t] = alphas[off + t] - a[t];
                    if (b[t] != 0) {
                        full = false;
                    }
                }
                if (full) {
                    continue; // a == gamma, b == 0
                }
                pairLeft[p] = rank(a);
                pairRight[p] = rank(b);
                p++;
            }
        }
        pairStart[size] = p;
        if (p != count) {
            throw new AssertionError("pair count " + p + " != " + count);
        }
    }

    private void enumerate(int[] current, int pos, int remaining, int[] cursor, int degree) {
        if (pos == dim - 1) {
            current[pos] = remaining;
            int i = cursor[0]++;
            System.arraycopy(current, 0, alphas, i * dim, dim);
            degrees[i] = degree;
            return;
        }
        for (int v = remaining; v >= 0; v--) {
            current[pos] = v;
            enumerate(current, pos + 1, remaining - v, cursor, degree);
        }
    }

    private static long binomial(long a, long b) {
        if (b < 0 || b > a) {
            return 0;
        }
        b = Math.min(b, a - b);
        long r = 1;
        for (long i = 0; i < b; i++) {
            r = r * (a - i) / (i + 1);
        }
        return r;
    }

    private int rank(int[] alpha) {
        int k = 0;
        for (int v : alpha) {
            k += v;
        }
        long r = k == 0 ? 0 : binomial(dim + k - 1, dim);
        int rem = k;
        for (int i = 0; i < dim - 1; i++) {
            // tuples with the same prefix and a larger alpha_i come first
            r += binomial(rem - alpha[i] + dim - i - 2, dim - i - 1);
            rem -= alpha[i];
        }
        return (int) r;
    }

    /** The number of variables {@code d}. */
    public int dim() {
        return dim;
    }

    /** The maximal total degree {@code n}. */
    public int order() {
        return order;
    }

    /** {@code M = C(d+n, n)}. */
    public int size() {
        return size;
    }

    /** The multi-index at {@code index} (a copy). */
    public int[] alpha(int index) {
        SeriesChecks.index("multi-index", index, size);
        return Arrays.copyOfRange(alphas, index * dim, (index + 1) * dim);
    }

    /** Component {@code variable} of the multi-index at {@code index}. */
    public int alphaComponent(int index, int variable) {
        return alphas[index * dim + variable];
    }

    /**
     * The canonical index of {@code alpha}.
     *
     * @throws IllegalArgumentException if the length is not {@code d}, a component is negative or
     *     the total degree exceeds {@code n}
     */
    public int index(int... alpha) {
        SeriesChecks.notNull("alpha", alpha);
        if (alpha.length != dim) {
            throw new IllegalArgumentException("multi-index " + Arrays.toString(alpha) + " has "
                    + alpha.length + " components, expected d=" + dim);
        }
        long k = 0;
        for (int v : alpha) {
            if (v < 0) {
                throw new IllegalArgumentException("multi-index " + Arrays.toString(alpha)
                        + " has a negative component");
            }
            k += v;
        }
        if (k > order) {
            throw new IllegalArgumentException("multi-index " + Arrays.toString(alpha) + " has degree "
                    + k + ", more than the order n=" + order);
        }
        return rank(alpha);
    }

    /** The total degree {@code |α|} of the multi-index at {@code index}. */
    public int degree(int index) {
        return degrees[index];
    }

    /** {@code α! = Π α_j!} of the multi-index at {@code index}. */
    public double factorial(int index) {
        return factorials[index];
    }

    /** The number of indices of degree {@code <= k} (they come first in canonical order). */
    public int countUpToDegree(int k) {
        if (k < 0) {
            return 0;
        }
        return degreeEnd[Math.min(k, order)];
    }

    /** The number of strict pairs in the product table (for cost estimates). */
    public int pairCount() {
        return pairLeft.length;
    }

    // package-private views of the compiled tables for the kernels (never modified)
    int[] pairStart() {
        return pairStart;
    }

    int[] pairLeft() {
        return pairLeft;
    }

    int[] pairRight() {
        return pairRight;
    }

    /** For index i > 0: alpha(i) = alpha(predecessor(i)) + e_{predecessorVariable(i)}. */
    int[] predecessorArray() {
        return predecessor;
    }

    int[] predecessorVariableArray() {
        return predecessorVariable;
    }

    int[] degreesArray() {
        return degrees;
    }

    double[] factorialsArray() {
        return factorials;
    }

    /** Index of the first-order multi-index {@code e_j} (canonical order puts it at {@code 1 + j}). */
    int unitIndex(int variable) {
        return 1 + variable;
    }

    @Override
    public String toString() {
        return "MultiIndexSet(d=" + dim + ", n=" + order + ", M=" + size + ")";
    }
}
