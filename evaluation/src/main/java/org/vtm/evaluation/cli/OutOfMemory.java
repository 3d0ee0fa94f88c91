package org.vtm.evaluation.cli;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Running out of memory, said in one line: which memory ran out and the JVM option that raises its
 * limit. The CLI renders every out-of-memory failure through {@link #describe}, wherever it
 * happened and however it was wrapped (an executor's {@code ExecutionException}, a library's own
 * exception), instead of letting the JVM print a stack trace.
 *
 * <p>Four kinds are told apart, because each is raised by a different option:
 *
 * <ul>
 *   <li>the Java heap ({@code java.lang.OutOfMemoryError} "Java heap space", "GC overhead limit
 *       exceeded"): {@code -Xmx};
 *   <li>ND4J's native buffers, counted by JavaCPP ("Failed to allocate memory within limits",
 *       "Physical memory usage is too high", "Cannot allocate new …Pointer"):
 *       {@code -Dorg.bytedeco.javacpp.maxbytes} and {@code -Dorg.bytedeco.javacpp.maxphysicalbytes}
 *       (JavaCPP's defaults are derived from {@code -Xmx});
 *   <li>direct buffers (Arrow through Netty, NIO; "direct memory", and Arrow's own
 *       {@code org.apache.arrow.memory.OutOfMemoryException}): {@code -XX:MaxDirectMemorySize}
 *       (default: the {@code -Xmx} value);
 *   <li>a single array larger than Java allows ("Requested array size exceeds VM limit"): no option
 *       helps, only smaller sizes.
 * </ul>
 *
 * <p>Catching an {@link OutOfMemoryError} at the top of the command line is safe: the allocation
 * that failed never happened, and what the failed command held is garbage once its frames unwind.
 */
public final class OutOfMemory {

    /** Arrow's exception for an allocation over its allocator's limit (a RuntimeException). */
    static final String ARROW_OOM = "org.apache.arrow.memory.OutOfMemoryException";

    /** How {@code vtm} passes options to the JVM (the launcher reads it). */
    static final String OPTS = "VTM_JAVA_OPTS";

    private OutOfMemory() {
    }

    /** True if {@code t} or any of its causes means memory ran out. */
    public static boolean isOutOfMemory(Throwable t) {
        return find(t) != null;
    }

    /**
     * The one-line explanation (without the command name) if {@code t} or one of its causes is an
     * out-of-memory failure, else empty.
     */
    public static Optional<String> describe(Throwable t) {
        Throwable oom = find(t);
        if (oom == null) {
            return Optional.empty();
        }
        return Optional.of(explain(oom, Runtime.getRuntime().maxMemory()));
    }

    /** The most specific out-of-memory throwable in the cause chain (the deepest JavaCPP one first). */
    static Throwable find(Throwable t) {
        Throwable found = null;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof OutOfMemoryError || ARROW_OOM.equals(c.getClass().getName())) {
                // JavaCPP's "Cannot allocate new DoublePointer(…)" carries the limit that was hit as
                // its cause: keep descending so the cause's message names the right option
                found = c;
            }
        }
        return found;
    }

    /** The explanation for one out-of-memory throwable, given the JVM's maximum heap in bytes. */
    static String explain(Throwable oom, long maxHeapBytes) {
        String message = Messages.oneLine(oom.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        String more = "-Xmx" + suggestedHeap(maxHeapBytes);
        if (lower.contains("physical memory usage is too high")) {
            return "out of memory: ND4J's native buffers pushed the process over JavaCPP's physical-memory limit ("
                    + message + "); raise it with " + OPTS + "=-Dorg.bytedeco.javacpp.maxphysicalbytes=<bytes> "
                    + "(default twice -Xmx, so " + OPTS + "=" + more + " also raises it), or use smaller sizes";
        }
        if (lower.contains("within limits") || lower.contains("cannot allocate new")) {
            return "out of memory: ND4J's native (off-heap) buffers reached JavaCPP's limit (" + message + "); raise it with "
                    + OPTS + "=-Dorg.bytedeco.javacpp.maxbytes=<bytes> (default the -Xmx value, so " + OPTS + "=" + more
                    + " also raises it), or use smaller sizes";
        }
        if (ARROW_OOM.equals(oom.getClass().getName()) || lower.contains("direct memory")
                || lower.contains("direct buffer memory")) {
            return "out of memory: off-heap direct memory (Arrow/NIO buffers) is used up (" + message + "); raise it with "
                    + OPTS + "=-XX:MaxDirectMemorySize=<size> (default the -Xmx value, so " + OPTS + "=" + more
                    + " also raises it), or use smaller sizes";
        }
        if (lower.contains("requested array size exceeds vm limit")) {
            return "out of memory: one array would exceed Java's limit of about 2^31 elements (" + message
                    + "); no JVM option raises this, use smaller sizes";
        }
        return "out of memory: the Java heap (at most " + mib(maxHeapBytes) + ") is full (" + message
                + "); give the JVM more with " + OPTS + "=" + more + ", or use smaller sizes";
    }

    /** Twice the current maximum heap in whole gigabytes, at least 2g: a concrete next step. */
    static String suggestedHeap(long maxHeapBytes) {
        long gib = 1L << 30;
        long twice = maxHeapBytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * maxHeapBytes;
        return Math.max(2, (twice + gib - 1) / gib) + "g";
    }

    private static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "no limit" : (bytes >> 20) + " MiB";
    }
}
