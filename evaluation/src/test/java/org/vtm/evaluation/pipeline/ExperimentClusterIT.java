package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vtm experiment --master spark://…} on a real standalone cluster: spark-jobs'
 * {@code scripts/local-cluster start} (a master and two workers on 127.0.0.1, each its own JVM),
 * the two-cell grid of {@link ExperimentGridTest} with the driver in this JVM and the training and
 * evaluation tasks in the workers' executors, which load the evaluation module's application jar
 * ({@code evaluation-VERSION-app.jar}, the interpreter included). Every task ran in another process,
 * and every cell's metrics equal those of the same grid run embedded. The cluster is stopped in
 * {@code @AfterAll}, also when the test fails, and checked by PID that nothing is left. Runs in the
 * integration-test phase of {@code mvn verify} (needs the packaged jars).
 *
 * <p>Like spark-jobs' {@code LocalClusterIT}, it needs {@code curl}, {@code python3}, {@code setsid}
 * and {@code pgrep}; a missing one fails it by name unless {@code -Dvtm.it.skipWithoutTools=true}.
 */
class ExperimentClusterIT {
    static final Path SCRIPTS = Path.of(System.getProperty("vtm.scripts", "../spark-jobs/scripts"));
    static final String APP_JAR = System.getProperty("vtm.appJar");

    @TempDir
    static Path tmp;
    static Map<String, String> env;
    static String master;
    static final List<Long> PIDS = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    static void startCluster() throws Exception {
        // the unit-test phase (only reached with -Dtest=ExperimentClusterIT) has no packaged jar yet
        Assumptions.assumeTrue(APP_JAR != null, "runs in the integration-test phase (needs -Dvtm.appJar)");
        requireTools();
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        env = Map.of("VTM_CLUSTER_DIR", tmp.resolve("cluster").toString(),
                "VTM_SPARK_MASTER_PORT", String.valueOf(port),
                "VTM_SPARK_MASTER_UI_PORT", String.valueOf(freePort()),
                "VTM_SPARK_WORKER_UI_PORT_BASE", String.valueOf(freePort()));
        try {
            script(180, "start");
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
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    static void stopCluster() throws Exception {
        if (env == null) {
            return;
        }
        try {
            script(120, "stop");
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

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aTwoCellGridOnTheClusterEqualsTheEmbeddedRun() throws Exception {
        assertTrue(APP_JAR != null && Files.isRegularFile(Path.of(APP_JAR)), "the application jar is built: " + APP_JAR);
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, ExperimentGridTest.GRID);
        Path cluster = tmp.resolve("on-cluster");
        SmokeRun.Result r = SmokeRun.run("experiment", "--grid", grid.toString(), "--out", cluster.toString(),
                "--master", master, "--app-jar", APP_JAR);
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output() + r.errors());
        assertTrue(r.output().contains("8 training task(s) on Spark (" + master + ")"), r.output());
        Matcher m = Pattern.compile("\\(task in process (\\d+)\\)").matcher(r.output());
        int tasks = 0;
        long self = ProcessHandle.current().pid();
        while (m.find()) {
            tasks++;
            assertFalse(Long.parseLong(m.group(1)) == self, "a task ran in the driver:\n" + r.output());
        }
        assertEquals(10, tasks, "eight trainings (2 cells × 2 seeds × 2 variants) and two evaluations:\n" + r.output());

        Path embedded = tmp.resolve("embedded");
        SmokeRun.Result e = SmokeRun.run("experiment", "--grid", grid.toString(), "--out", embedded.toString(),
                "--master", "local[2]");
        assertEquals(0, e.exitCode(), e.output() + e.errors());
        ObjectMapper json = new ObjectMapper();
        for (String cell : List.of("chebyshev", "legendre")) {
            ObjectNode a = (ObjectNode) json.readTree(cluster.resolve("cells").resolve(cell).resolve("report/metrics.json").toFile());
            ObjectNode b = (ObjectNode) json.readTree(embedded.resolve("cells").resolve(cell).resolve("report/metrics.json").toFile());
            a.remove("provenance");
            b.remove("provenance");
            assertEquals(b, a, "cell " + cell + ": the cluster run differs from the embedded run");
        }
        assertTrue(Files.readString(cluster.resolve("report/report.md")).contains("## Cell legendre"));
    }

    static void requireTools() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPTS.resolve("local-cluster").toString(), "check")
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("local-cluster check did not end within 60 s");
        }
        if (p.exitValue() != 0) {
            String message = out.strip() + "; the cluster test needs them (.ci/run installs them)";
            if (Boolean.getBoolean("vtm.it.skipWithoutTools")) {
                Assumptions.abort(message + "; skipped because -Dvtm.it.skipWithoutTools=true");
            }
            fail(message + "; pass -Dvtm.it.skipWithoutTools=true to skip this test instead");
        }
    }

    private static void script(int timeoutSeconds, String command) throws IOException, InterruptedException {
        Path log = tmp.resolve("local-cluster-" + command + ".log");
        ProcessBuilder pb = new ProcessBuilder(SCRIPTS.resolve("local-cluster").toString(), command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("local-cluster " + command + " timed out after " + timeoutSeconds + " s");
        }
        assertEquals(0, p.exitValue(), "local-cluster " + command + " failed:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
