package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.Manifest;
import org.vtm.datagen.ShardWriter;
import org.vtm.datagen.TransformBank;
import org.vtm.spark.cli.PrecomputeCommand;
import org.vtm.spark.cli.SparkGenerateMain;

/**
 * The real thing: {@code scripts/local-cluster start} (a standalone master and two workers, each
 * its own JVM), both jobs submitted through {@code scripts/submit} (Spark's SparkSubmit with the
 * shaded application jar), outputs compared with an in-process run, and the cluster stopped —
 * in {@code @AfterAll}, also when a test fails — with a check by PID that no process is left.
 * Runs in the integration-test phase of {@code mvn verify} (needs the packaged app jar).
 *
 * <p>The scripts need {@code curl}, {@code python3}, {@code setsid} and {@code pgrep}; without one
 * the start-up would only time out after 90 s, so they are checked first and a missing one fails
 * the test by name ({@code .ci/run} installs them). {@code -Dvtm.it.skipWithoutTools=true} turns
 * that failure into a skip, for machines that cannot have them; nothing skips silently.
 */
class LocalClusterIT {
    static final Path SCRIPTS = Path.of(System.getProperty("vtm.scripts", "scripts"));
    static final String APP_JAR = System.getProperty("vtm.appJar");
    /** Set to {@code true} to skip, rather than fail, when a tool the scripts need is missing. */
    static final String SKIP_WITHOUT_TOOLS = "vtm.it.skipWithoutTools";

    @TempDir
    static Path tmp;
    static Map<String, String> env;
    static final List<Long> PIDS = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    static void startCluster() throws Exception {
        requireTools(Map.of());
        env = Map.of("VTM_CLUSTER_DIR", tmp.resolve("cluster").toString(),
                "VTM_SPARK_MASTER_PORT", String.valueOf(freePort()),
                "VTM_SPARK_MASTER_UI_PORT", String.valueOf(freePort()),
                "VTM_SPARK_WORKER_UI_PORT_BASE", String.valueOf(freePort()));
        try {
            run(180, "local-cluster", "start");
        } finally {
            for (String d : List.of("master", "worker-1", "worker-2")) {
                Path pid = tmp.resolve("cluster").resolve(d + ".pid");
                if (Files.exists(pid)) {
                    PIDS.add(Long.parseLong(Files.readString(pid).trim()));
                }
            }
        }
        assertEquals(3, PIDS.size(), "master and two workers started");
    }

    @AfterAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    static void stopCluster() throws Exception {
        if (env == null) {
            return; // the tool check stopped the start before anything ran
        }
        try {
            run(120, "local-cluster", "stop");
        } finally {
            List<Long> left = new ArrayList<>();
            for (long pid : PIDS) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    left.add(pid);
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
            assertTrue(left.isEmpty(), "processes left behind after stop: " + left);
        }
    }

    /**
     * Fails naming the tools {@code scripts/local-cluster check} reports missing (with the
     * environment overrides {@code env}, e.g. a different PATH), or skips if
     * {@value #SKIP_WITHOUT_TOOLS} is {@code true}.
     */
    static void requireTools(Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("vtm-local-cluster-check", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", SCRIPTS.resolve("local-cluster").toString(), "check")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("local-cluster check did not end within 60 s");
            }
            if (p.exitValue() == 0) {
                return;
            }
            String message = Files.readString(log).strip() + "; the cluster test needs them (.ci/run installs them)";
            if (Boolean.getBoolean(SKIP_WITHOUT_TOOLS)) {
                Assumptions.abort(message + "; skipped because -D" + SKIP_WITHOUT_TOOLS + "=true");
            }
            fail(message + "; pass -D" + SKIP_WITHOUT_TOOLS + "=true to skip this test instead");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    @Timeout(value = 7, unit = TimeUnit.MINUTES)
    void generateOnTheClusterWritesTheSameBytesAsTheEmbeddedRun() throws Exception {
        Path out = tmp.resolve("cluster-corpus");
        run(300, "submit", "--deploy-mode", "client", "--class", SparkGenerateMain.class.getName(), APP_JAR,
                "--programs", "12", "--dim", "1", "--order", "2", "--family", "legendre", "--steps", "1..2",
                "--seed", "5", "--shard-size", "4", "--out", out.toString());
        GeneratorConfig config = GeneratorConfig.defaults(1, 2, "legendre", 1, 2);
        CorpusGenerator g = new CorpusGenerator(config, 5);
        Path local = tmp.resolve("local-corpus");
        new CorpusWriter(g.layout(), 4, ShardWriter.DEFAULT_BATCH_RECORDS).write(local, 12, 5, config.toJson(), g::record, null);
        Manifest m = Manifest.read(out);
        assertEquals(Manifest.read(local).shards(), m.shards());
        for (var s : m.shards()) {
            assertArrayEquals(Files.readAllBytes(local.resolve(s.file())), Files.readAllBytes(out.resolve(s.file())), s.file());
        }
        assertEquals(CorpusReader.open(local).records(CorpusFilter.ALL), CorpusReader.open(out).records(CorpusFilter.ALL));
    }

    @Test
    @Timeout(value = 7, unit = TimeUnit.MINUTES)
    void precomputeOnTheClusterMatchesLocalEntries() throws Exception {
        Path out = tmp.resolve("cluster-tbank");
        run(300, "submit", "--class", PrecomputeCommand.class.getName(), APP_JAR,
                "--families", "chebyshev,hermite", "--dims", "1..1", "--orders", "13..14", "--out", out.toString());
        TransformBank bank = TransformBank.read(out);
        assertEquals(4, bank.entries().size());
        for (TransformBank.Entry e : bank.entries()) {
            assertEquals(TransformBank.Entry.compute(e.family(), e.dim(), e.order()), e);
        }
        assertFalse(bank.find("hermite", 1, 14).orElseThrow().ok(), "hermite n=14 is refused (condition 5.7e12)");
    }

    private static void run(int timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(SCRIPTS.resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(script + "-" + System.nanoTime() + ".log").toFile());
        pb.environment().putAll(env);
        Path log = tmp.resolve(script + ".last.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(script + " " + String.join(" ", args) + " timed out after " + timeoutSeconds + " s");
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), script + " " + String.join(" ", args) + " failed:\n" + tail(output));
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
