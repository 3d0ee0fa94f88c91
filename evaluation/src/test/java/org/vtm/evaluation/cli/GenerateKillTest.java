package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.Manifest;

/**
 * Crash consistency of {@code vtm generate}, for real: a separate JVM running the command line is
 * killed with SIGKILL while a shard is being written (the kill waits until that shard's temporary
 * file exists, and the test checks the kill landed there), then the same command is run again. The
 * result must be byte-identical to an uninterrupted run, and the killed process's temporary file
 * must be gone.
 */
@Timeout(120)
class GenerateKillTest {
    private static final int SHARD = 800;

    private static String[] args(Path out) {
        return new String[] {"generate", "--programs", Integer.toString(3 * SHARD), "--dim", "2", "--order", "4", "--family",
            "legendre", "--steps", "1..4", "--seed", "13", "--shard-size", Integer.toString(SHARD), "--out", out.toString()};
    }

    @Test
    void aRunKilledMidShardThenRerunIsByteIdenticalToAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path reference = tmp.resolve("reference");
        VtmMainTest.Run ref = VtmMainTest.run(args(reference));
        assertEquals(0, ref.code(), ref.err());

        Path out = tmp.resolve("killed");
        Process child = startChild(out, tmp.resolve("child.log"));
        Path partial;
        try {
            partial = waitForPartial(out, "shard-00001.arrow", child, tmp.resolve("child.log"));
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
        } finally {
            child.destroyForcibly();
        }
        // the kill landed mid-shard: shard 0 is committed, shard 1 exists only as the killed process's partial file
        assertTrue(Files.exists(out.resolve("shard-00000.arrow")), "shard 0 finished before the kill");
        assertTrue(Files.exists(partial), "the kill left shard 1's temporary file: " + partial);
        assertFalse(Files.exists(out.resolve("shard-00001.arrow")), "shard 1 was not finished");
        assertFalse(Files.exists(out.resolve(Manifest.FILE_NAME)), "no manifest: the corpus is incomplete");
        VtmMainTest.Run incomplete = VtmMainTest.run("corpus", "inspect", out.toString());
        assertEquals(2, incomplete.code(), incomplete.err());
        assertTrue(incomplete.err().contains("incomplete"), incomplete.err());

        VtmMainTest.Run rerun = VtmMainTest.run(args(out));
        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(Manifest.read(reference).shards(), Manifest.read(out).shards(), "same shards, sizes and checksums");
        for (String name : List.of("shard-00000.arrow", "shard-00001.arrow", "shard-00002.arrow")) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
        }
        try (Stream<Path> files = Files.list(out)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
                    .filter(n -> !n.equals(org.vtm.artifacts.OutputDirectory.MARKER)).toList();
            assertEquals(List.of(), left, "no temporary file or sidecar left (VTM's directory marker aside)");
        }
    }

    private static Path waitForPartial(Path dir, String target, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child ended (exit " + child.exitValue() + ") before writing " + target + ": "
                        + Files.readString(log));
            }
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    Optional<Path> p = files.filter(f -> f.getFileName().toString().startsWith("." + target + ".partial-")).findFirst();
                    if (p.isPresent()) {
                        return p.get();
                    }
                } catch (java.nio.file.NoSuchFileException raced) {
                    // the directory listing raced a rename; look again
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no partial file for " + target + " within 60 s: " + Files.readString(log));
    }

    private static Process startChild(Path out, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Djdk.")
                    || arg.startsWith("-Dio.netty")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VtmMain.class.getName());
        cmd.addAll(List.of(args(out)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }
}
