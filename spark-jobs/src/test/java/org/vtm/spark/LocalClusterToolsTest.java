package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The up-front tool check of {@link LocalClusterIT}: on a PATH without {@code pgrep} and
 * {@code setsid} the cluster test fails at once naming them (instead of timing out after 90 s),
 * and skips only when {@value LocalClusterIT#SKIP_WITHOUT_TOOLS} says so.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalClusterToolsTest {

    /** A PATH holding only what the script itself needs plus {@code tools}. */
    private static String pathWith(Path dir, List<String> tools) throws IOException {
        for (String t : concat(List.of("bash", "dirname", "readlink", "ls", "head"), tools)) {
            Path target = which(t);
            Files.createSymbolicLink(dir.resolve(t), target);
        }
        return dir.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static Path which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " is not on this machine's PATH");
    }

    @Test
    void aMissingToolFailsAtOnceWithItsName(@TempDir Path bin) throws Exception {
        Map<String, String> env = Map.of("PATH", pathWith(bin, List.of("curl", "python3")));
        long start = System.nanoTime();
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> LocalClusterIT.requireTools(env));
        assertTrue(e.getMessage().contains("missing on the PATH: setsid pgrep"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y util-linux procps"), e.getMessage());
        assertTrue(e.getMessage().contains("-D" + LocalClusterIT.SKIP_WITHOUT_TOOLS + "=true"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "the check is quick");
    }

    @Test
    void skipsOnlyWhenThePropertySaysSo(@TempDir Path bin) throws Exception {
        Map<String, String> env = Map.of("PATH", pathWith(bin, List.of("curl", "setsid", "pgrep")));
        String before = System.getProperty(LocalClusterIT.SKIP_WITHOUT_TOOLS);
        System.setProperty(LocalClusterIT.SKIP_WITHOUT_TOOLS, "true");
        try {
            TestAbortedException e = assertThrows(TestAbortedException.class, () -> LocalClusterIT.requireTools(env));
            assertTrue(e.getMessage().contains("python3"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(LocalClusterIT.SKIP_WITHOUT_TOOLS);
            } else {
                System.setProperty(LocalClusterIT.SKIP_WITHOUT_TOOLS, before);
            }
        }
    }

    @Test
    void startChecksTheToolsBeforeLaunchingAnything(@TempDir Path bin) throws Exception {
        Path state = bin.resolveSibling(bin.getFileName() + "-state");
        ProcessBuilder pb = new ProcessBuilder("bash", LocalClusterIT.SCRIPTS.resolve("local-cluster").toString(), "start")
                .redirectErrorStream(true).redirectOutput(bin.resolveSibling(bin.getFileName() + ".log").toFile());
        pb.environment().put("PATH", pathWith(bin, List.of("curl", "python3", "setsid")));
        pb.environment().put("VTM_CLUSTER_DIR", state.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "local-cluster start returned");
        String out = Files.readString(bin.resolveSibling(bin.getFileName() + ".log"));
        assertTrue(p.exitValue() != 0 && out.contains("missing on the PATH: pgrep"), out);
        assertFalse(Files.exists(state), "nothing started, no state written");
    }
}
