package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Out of memory anywhere in the command line is one line naming what ran out and the option that
 * raises it, exit code 1, and no stack trace unless {@code --verbose}. The first tests run the real
 * {@code vtm basis} in a child JVM with a heap too small for its matrices; the others run real
 * JavaCPP and Arrow allocation failures and wrapped errors through the in-process command line.
 */
class OutOfMemoryCliTest {

    /** M = C(14, 8) = 3003 monomials: T_XF alone is 3003² doubles = 72 MB, more than the child's heap. */
    private static final String[] BASIS = {"basis", "--dim", "6", "--order", "8", "--family", "monomial", "--format", "json"};

    record Child(int code, String out, String err) {
    }

    /** Runs {@code vtm ARGS} in a JVM with a 48 MiB heap (and no expansion budget in the way). */
    private static Child runChild(Path tmp, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Djdk.")
                    || arg.startsWith("-Dio.netty")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx48m");
        // the request is within the expansion budget on purpose: it is the heap that is too small
        cmd.add("-Dvtm.expansion.budgetBytes=" + (1L << 40));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VtmMain.class.getName());
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vtm " + String.join(" ", args) + " did not end within 90 s");
        }
        return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void heapExhaustionInARealCommandIsOneLineNamingTheHeapAndVtmJavaOpts(@TempDir Path tmp) throws Exception {
        Child c = runChild(tmp, BASIS);
        assertEquals(VtmMain.EXIT_FAILURE, c.code(), c.err());
        assertEquals(1, c.err().lines().count(), "one line: " + c.err());
        String line = c.err().strip();
        assertTrue(line.startsWith("vtm basis: out of memory: the Java heap (at most "), line);
        assertTrue(line.contains("Java heap space"), line);
        assertTrue(line.contains("VTM_JAVA_OPTS=-Xmx"), line);
        assertFalse(c.err().contains("at org.") || c.err().contains("Exception in thread"), c.err());
        assertEquals("", c.out(), "no partial output");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void verboseAddsTheStackTrace(@TempDir Path tmp) throws Exception {
        String[] args = new String[BASIS.length + 1];
        System.arraycopy(BASIS, 0, args, 0, BASIS.length);
        args[BASIS.length] = "--verbose";
        Child c = runChild(tmp, args);
        assertEquals(VtmMain.EXIT_FAILURE, c.code(), c.err());
        assertTrue(c.err().startsWith("vtm basis: out of memory: the Java heap"), c.err());
        assertTrue(c.err().contains("at org.vtm.transforms.BasisTransform"), c.err());
    }

    /** Output, error output and exit code of one in-process run with a test command added. */
    private static VtmMainTest.Run run(Runnable command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = VtmMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand("fail", command);
        // streams are handed down to the subcommands present when they are set: set them again
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("fail"));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(new String[0]));
        return new VtmMainTest.Run(code, out.toString(), err.toString());
    }

    private static void assertOneLine(VtmMainTest.Run r, String... expected) {
        assertEquals(VtmMain.EXIT_FAILURE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("vtm fail: out of memory: "), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "'" + e + "' in: " + r.err());
        }
        assertFalse(r.err().contains("at org.") || r.err().contains("internal error"), r.err());
    }

    /** A real JavaCPP refusal: a native buffer over -Dorg.bytedeco.javacpp.maxbytes (default: -Xmx). */
    @Command(name = "fail")
    static final class NativeBuffer implements Runnable {
        @Override
        public void run() {
            try (DoublePointer p = new DoublePointer(Pointer.maxBytes() / Double.BYTES + 1)) {
                throw new AssertionError("allocated " + p.capacity() + " doubles off-heap");
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void javacppNativeBufferOverItsLimitNamesTheJavacppProperty() {
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> new NativeBuffer().run());
        assertTrue(String.valueOf(e.getMessage()).startsWith("Cannot allocate new DoublePointer"), e.getMessage());
        VtmMainTest.Run r = run(new NativeBuffer());
        assertOneLine(r, "JavaCPP", "VTM_JAVA_OPTS=-Dorg.bytedeco.javacpp.maxbytes=", "within limits");
    }

    /** A real Arrow refusal: an allocator with a 1 KiB limit asked for 1 MiB. */
    @Command(name = "fail")
    static final class ArrowBuffer implements Runnable {
        @Override
        public void run() {
            try (BufferAllocator a = new RootAllocator(1024)) {
                a.buffer(1 << 20).close();
            }
        }
    }

    @Test
    void arrowAllocationOverItsLimitNamesDirectMemory() {
        assertThrows(OutOfMemoryException.class, () -> new ArrowBuffer().run());
        assertOneLine(run(new ArrowBuffer()), "direct memory", "VTM_JAVA_OPTS=-XX:MaxDirectMemorySize=",
                "Unable to allocate buffer");
    }

    /** Heap exhaustion in a worker thread, rethrown wrapped (as CorpusWriter does with its pool). */
    @Command(name = "fail")
    static final class WrappedInWorker implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException(new ExecutionException(new OutOfMemoryError("Java heap space")));
        }
    }

    @Test
    void heapExhaustionWrappedByAnExecutorIsStillOneLine() {
        assertOneLine(run(new WrappedInWorker()), "the Java heap", "VTM_JAVA_OPTS=-Xmx");
        VtmMainTest.Run verbose = run(new WrappedInWorker(), "--verbose");
        assertTrue(verbose.err().contains("at org.vtm.evaluation.cli.OutOfMemoryCliTest$WrappedInWorker.run"), verbose.err());
    }

    /** Heap exhaustion thrown as the Error itself (picocli passes Errors through execute()). */
    @Command(name = "fail")
    static final class Thrown implements Runnable {
        @Override
        public void run() {
            throw new OutOfMemoryError("GC overhead limit exceeded");
        }
    }

    @Test
    void anOutOfMemoryErrorThrownByACommandIsCaughtInProcess() {
        assertOneLine(run(new Thrown()), "the Java heap", "GC overhead limit exceeded", "VTM_JAVA_OPTS=-Xmx");
    }

    @Test
    void eachKindNamesItsOwnLimit() {
        long heap = 512L << 20;
        Throwable physical = new OutOfMemoryError("Cannot allocate new DoublePointer(10): totalBytes = 1, physicalBytes = 9")
                .initCause(new OutOfMemoryError("Physical memory usage is too high: physicalBytes (9) > maxPhysicalBytes (8)"));
        String p = OutOfMemory.explain(OutOfMemory.find(physical), heap);
        assertTrue(p.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=") && p.contains("maxPhysicalBytes (8)"), p);

        String direct = OutOfMemory.explain(
                new OutOfMemoryError("Cannot reserve 64 bytes of direct buffer memory (allocated: 0, limit: 32)"), heap);
        assertTrue(direct.contains("-XX:MaxDirectMemorySize="), direct);

        String array = OutOfMemory.explain(new OutOfMemoryError("Requested array size exceeds VM limit"), heap);
        assertTrue(array.contains("no JVM option") && !array.contains("-Xmx"), array);

        String h = OutOfMemory.explain(new OutOfMemoryError("Java heap space"), heap);
        assertTrue(h.contains("at most 512 MiB") && h.contains("VTM_JAVA_OPTS=-Xmx2g"), h);
        assertEquals("8g", OutOfMemory.suggestedHeap(4L << 30));

        assertFalse(OutOfMemory.isOutOfMemory(new IllegalStateException(new IOException("disk full"))));
    }
}
